/**
 * The page-side models behind the shift, history and settings views, made once by main.ts and handed to the
 * root element, which renders their state and forwards the guard's taps to them.
 */
import type { ShiftLog } from '../storage/index.ts';
import type { GuardController } from './guard-controller.ts';
import { ShiftActions } from './shift-actions.ts';
import { ShiftHistory } from './shift-history.ts';
import { StorageSettings } from './storage-settings.ts';

/** One model per view. */
export interface ShiftViews {
  shift: ShiftActions;
  history: ShiftHistory;
  settings: StorageSettings;
}

/** Makes the view models for `log`, following `controller` (for the door name and the live tally). */
export function createShiftViews(log: ShiftLog, controller: GuardController): ShiftViews {
  return {
    shift: new ShiftActions(log, controller),
    history: new ShiftHistory(log, controller),
    settings: new StorageSettings(log),
  };
}
