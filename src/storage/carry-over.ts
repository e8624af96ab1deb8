/**
 * Records the shift log could not write before its page went (a full disk, a database another tab's update
 * closed), kept in the origin's localStorage for the next page that counts (this tab reloaded, the app opened
 * again, another tab taking over; see handoverStorage in guard-controller.ts): a guard who reloads when told
 * "Storage is full: 3 people kept in memory" must not lose those three. The next page's ShiftLog.open queues
 * them again, in order, before it reads the running shift; every record has its own key, so writing one that
 * did arrive meanwhile replaces it with the same record.
 *
 * Pictures do not go (a Blob does not fit in localStorage): an event carried over loses its thumbnail.
 * localStorage can be full too, so the page still asks before it is closed with records not on disk.
 */
import type { PendingWrite } from './writes.js';
import { withoutThumbnail, type PersonEvent, type Shift } from './schema.js';

/** localStorage key of the records a page passed on (see {@link saveUnwritten}). */
export const UNSAVED_OVER_RELOAD_KEY = 'maskguard-unsaved-over-reload';

/** The part of localStorage used here (tests give a stand-in). */
export type HandoverStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Keeps `writes` (the queue, oldest first) for the next page that counts, or clears what an earlier page kept
 * when there is nothing. Never throws: without localStorage (site data blocked, full) they are lost as before.
 */
export function saveUnwritten(storage: HandoverStorage, writes: readonly PendingWrite[]): void {
  try {
    if (writes.length === 0) {
      storage.removeItem(UNSAVED_OVER_RELOAD_KEY);
      return;
    }
    const records = writes.map((write): PendingWrite => {
      if (write.kind === 'shift') return { kind: 'shift', shift: write.shift };
      const event = withoutThumbnail(write.event);
      return { kind: 'event', event, ...(write.change ? { change: true as const } : {}) };
    });
    storage.setItem(UNSAVED_OVER_RELOAD_KEY, JSON.stringify(records));
  } catch {
    // Nothing more can be done while the page goes.
  }
}

/**
 * Reads what the page before passed on; nothing if absent or malformed. The key stays until
 * {@link clearUnwritten}: a page that fails to open its log leaves the records for the next try.
 */
export function readUnwritten(storage: HandoverStorage): PendingWrite[] {
  let value: unknown;
  try {
    const text = storage.getItem(UNSAVED_OVER_RELOAD_KEY);
    if (text === null) return [];
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  // One malformed record is left out, not the rest: each is a person or a shift of its own.
  return value.filter(isPendingWrite);
}

/** Forgets what the page before passed on, once the shift log holds it. Never throws. */
export function clearUnwritten(storage: HandoverStorage): void {
  try {
    storage.removeItem(UNSAVED_OVER_RELOAD_KEY);
  } catch {
    // Read again by the next page: every record has its key, so writing it twice stores it once.
  }
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const optional = (x: unknown, ok: (x: unknown) => boolean) => x === undefined || ok(x);
const text = (x: unknown): x is string => typeof x === 'string';
const object = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const DECISIONS: readonly unknown[] = ['with_mask', 'without_mask', 'uncertain'];

function isShift(x: unknown): x is Shift {
  return (
    object(x) &&
    text(x.id) &&
    finite(x.start) &&
    text(x.door) &&
    optional(x.end, (end) => finite(end) && end >= (x.start as number)) &&
    // Only an ended shift says how it ended.
    optional(x.endReason, (r) => r === 'idle' && x.end !== undefined) &&
    optional(x.endedByAppAt, (at) => finite(at) && x.endReason === 'idle')
  );
}

function isEvent(x: unknown): x is PersonEvent {
  return (
    object(x) &&
    text(x.id) &&
    text(x.shiftId) &&
    finite(x.time) &&
    DECISIONS.includes(x.decision) &&
    (x.averageConfidence === null ||
      (finite(x.averageConfidence) && x.averageConfidence >= 0 && x.averageConfidence <= 1)) &&
    finite(x.framesSeen) &&
    x.framesSeen >= 0 &&
    finite(x.timeInViewMs) &&
    x.timeInViewMs >= 0 &&
    (x.source === 'auto' || x.source === 'manual') &&
    optional(x.corrected, (c) => object(c) && DECISIONS.includes(c.from) && finite(c.at)) &&
    x.thumbnailId === undefined &&
    optional(x.number, (n) => Number.isSafeInteger(n) && (n as number) >= 1) &&
    optional(x.removed, (r) => object(r) && finite(r.at))
  );
}

function isPendingWrite(x: unknown): x is PendingWrite {
  if (!object(x)) return false;
  return (
    (x.kind === 'shift' && isShift(x.shift)) ||
    (x.kind === 'event' && isEvent(x.event) && optional(x.change, (c) => c === true))
  );
}
