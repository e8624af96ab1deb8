/**
 * Page entry: makes the guard's session (detection worker client, shift log, controller) and hands it to
 * the root element, which only renders it.
 */
import './components/mask-guard-app.ts';
import { DetectionClient } from './pipeline/detection-client.ts';
import { GuardController } from './pipeline/guard-controller.ts';
import { ShiftLog } from './storage/index.ts';

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
  app.controller = controller;
  await controller.boot();
}

void main();
