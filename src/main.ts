/**
 * Page entry: makes the guard's session (detection worker client, shift log, controller) and hands it to
 * the root element, which only renders it.
 */
import './components/mask-guard-app.ts';
import { DetectionClient } from './pipeline/detection-client.ts';
import { GuardController, handoverStorage } from './pipeline/guard-controller.ts';
import { createShiftViews } from './pipeline/shift-views.ts';
import { EARLIEST_TRUE_TIME, ShiftLog } from './storage/index.ts';
import { offline, requestPersistence } from './offline/index.ts';

// The service worker precaches the app, models and wasm; an update waits for the guard (see src/offline).
void offline.start();

const app = document.querySelector('mask-guard-app');

async function main(): Promise<void> {
  if (app === null) return;
  let log: ShiftLog;
  try {
    // With the records the page that counted before could not write (a reload while the disk was full, say).
    log = await ShiftLog.open({ handoverStorage: handoverStorage(), earliestTrueTime: EARLIEST_TRUE_TIME });
  } catch (error) {
    app.status = shiftLogProblem(error);
    return;
  }
  const controller = new GuardController(new DetectionClient(), log);
  // Counted people kept only in memory (the phone is full), or whose record is still on its way to the log
  // (behind a slow write; a hand count or a shift's end too), are not on disk: pagehide in GuardController
  // passes them on to the next page that counts, but localStorage may be full as well: ask before it goes.
  window.addEventListener('beforeunload', (event) => {
    if (!log.hasUnsaved && controller.counter.recordsInFlight === 0) return;
    event.preventDefault();
    event.returnValue = ''; // older browsers ask only when this is set
  });
  // What reloading now would lose: people kept only in memory (a full disk), someone at the door (mid-decision,
  // or a record still on its way to the log). An update waits for this even when the guard taps "Update now".
  offline.whyNotReloadNow = () => {
    if (log.status.state === 'pending')
      return `Not updated yet: ${log.status.message}. Tap again once every count is saved.`;
    if (log.hasUnsaved) return 'Not updated yet: a count is still being saved. Tap again in a few seconds.';
    if (controller.counter.peopleInView > 0 || controller.counter.recordsInFlight > 0)
      return 'Not updated yet: someone is at the door, or was when the camera paused. Tap again in a few seconds, with the doorway empty.';
    return undefined;
  };
  // Without asking, moreover only when no shift is running (never in the middle of counting).
  offline.canApplyWithoutAsking = () =>
    log.currentShift() === undefined && offline.whyNotReloadNow?.() === undefined;
  // An update may already be waiting: found before these were set, or while this page waited for the other
  // one to close (it could not apply it then).
  offline.applyUpdateIfAllowed();
  // Ask once that the browser keep the shift log and the cached models when space runs low.
  void requestPersistence();
  app.views = createShiftViews(log, controller);
  app.controller = controller;
  await controller.boot();
}

/** What the guard reads when the shift log cannot be opened, by the cause. */
function shiftLogProblem(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  // No IndexedDB at all (Firefox throws on merely reading `indexedDB` when site data is blocked), or one the
  // browser keeps from this site (private mode; Chromium: "The user denied permission to access the database").
  let missing: boolean;
  try {
    missing = typeof indexedDB === 'undefined';
  } catch {
    missing = true;
  }
  const refused =
    name === 'InvalidStateError' ||
    name === 'SecurityError' ||
    (name === 'UnknownError' && /denied|permission/i.test(message));
  if (missing || refused) {
    return (
      'MaskGuard cannot keep a shift log in this browser window: it is private, or the browser blocks this ' +
      "site's data. Open MaskGuard in a normal window, or allow it to store data, and reload."
    );
  }
  return `The shift log cannot be opened (${String(error)}). Close other MaskGuard tabs and windows, and reload.`;
}

/**
 * Name of the Web Lock the counting page holds for as long as it is open. Two pages counting at once (the
 * installed app and a browser tab, say) would each keep their own running shift in memory and write over
 * the other's: one could go on counting into a shift the other ended. So only one page counts; another
 * one waits, says why, and takes over when the first is closed.
 */
const COUNTING_LOCK = 'maskguard-counting';

/** Runs `run` while this page holds the counting lock, held until the page closes. */
function asTheOnlyCountingPage(run: () => Promise<void>): void {
  const locks = navigator.locks as LockManager | undefined;
  if (locks === undefined) {
    void run();
    return;
  }
  const holdForever = async () => {
    if (app !== null) app.status = 'Starting…';
    // main() reports its own failures on screen; a rejection here must not go unhandled either.
    await run().catch((error: unknown) => {
      if (app !== null) app.status = `MaskGuard could not start (${String(error)}). Reload the app.`;
    });
    await new Promise<never>(() => {});
  };
  void locks.request(COUNTING_LOCK, { ifAvailable: true }, async (lock) => {
    if (lock !== null) return holdForever();
    if (app !== null) {
      app.status =
        'MaskGuard is already open in another tab or window. Close it there, and it starts here by itself.';
    }
    // An update applied from here would leave the counting page on the old code: it is applied there.
    offline.applyElsewhere = 'Update from the MaskGuard page that is counting.';
    void locks.request(COUNTING_LOCK, () => {
      offline.applyElsewhere = undefined;
      return holdForever();
    });
  });
}

asTheOnlyCountingPage(main);
