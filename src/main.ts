/**
 * Page entry: makes the guard's session (detection worker client, shift log, controller) and hands it to
 * the root element, which only renders it.
 */
import './components/mask-guard-app.ts';
import { DetectionClient } from './pipeline/detection-client.ts';
import { GuardController } from './pipeline/guard-controller.ts';
import { createShiftViews } from './pipeline/shift-views.ts';
import { ShiftLog } from './storage/index.ts';
import { offline, requestPersistence } from './offline/index.ts';

// The service worker precaches the app, models and wasm; an update waits for the guard (see src/offline).
void offline.start();

const app = document.querySelector('mask-guard-app');

async function main(): Promise<void> {
  if (app === null) return;
  let log: ShiftLog;
  try {
    log = await ShiftLog.open();
  } catch (error) {
    app.status = `The shift log cannot be opened (${String(error)}). Close other MaskGuard tabs and reload.`;
    return;
  }
  const controller = new GuardController(new DetectionClient(), log);
  // An update is applied without asking only when no shift is running (never in the middle of counting).
  offline.canApplyWithoutAsking = () => log.currentShift() === undefined;
  // Ask once that the browser keep the shift log and the cached models when space runs low.
  void requestPersistence();
  app.views = createShiftViews(log, controller);
  app.controller = controller;
  await controller.boot();
}

void main();
