/** Storage of shifts and counted people: the page imports from here only. */
export {
  EARLIEST_TRUE_TIME,
  HOLD_PRUNE_AFTER_MS,
  IDLE_SHIFT_END_MS,
  ShiftLog,
  lastCounted,
} from './shift-log.js';
export { newId } from './ids.js';
export { UNSAVED_OVER_RELOAD_KEY, type HandoverStorage } from './carry-over.js';
export { THUMBNAIL_MAX_BYTES, THUMBNAIL_TOTAL_MAX_BYTES } from './thumbnails.js';
export type { CountedPerson, HeldPrune, ShiftLogOptions, TallyScope } from './shift-log.js';
export { DB_NAME, DB_VERSION, DEFAULT_SETTINGS } from './schema.js';
export type { Correction, Decision, EventSource, PersonEvent, Removal, Settings, Shift } from './schema.js';
export { dayRange, hourStart, hourlyOf } from './hourly.js';
export type { HourBucket } from './hourly.js';
export type { Tally } from '../shared/tracking/tally.js';
export type { StorageStatus } from './write-queue.js';
