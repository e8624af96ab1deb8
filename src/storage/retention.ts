/**
 * Retention: old shifts are deleted with everything that belongs to them.
 */
import { unwrap, type IDBPDatabase } from 'idb';
import type { MaskGuardDB, Shift } from './schema.js';

/** Milliseconds in a day, for `retentionDays` (a DST day is off by an hour, which retention can ignore). */
export const DAY_MS = 86_400_000;

/**
 * Whether retention with this `cutoff` (epoch ms) deletes `shift`: it ended before it. A running shift (no
 * `end`) is never deleted, however old; one the app ended as idle counts from when it did so
 * (`endedByAppAt`), because the guard learns of it only then; one recorded while the phone's clock was set
 * far back counts from the time it really ended at the earliest (`notBefore`).
 */
export function endedBefore(
  shift: Pick<Shift, 'end' | 'endedByAppAt' | 'notBefore'>,
  cutoff: number,
): boolean {
  return (
    shift.end !== undefined && Math.max(shift.end, shift.endedByAppAt ?? 0, shift.notBefore ?? 0) < cutoff
  );
}

/**
 * The shifts retention with `cutoff` deletes ({@link endedBefore}), oldest first. Only shifts that started
 * before `cutoff` are read: one that started after it cannot have ended before it.
 */
export async function endedShiftsBefore(db: IDBPDatabase<MaskGuardDB>, cutoff: number): Promise<Shift[]> {
  const candidates = await db.getAllFromIndex('shifts', 'byStart', IDBKeyRange.upperBound(cutoff));
  return candidates.filter((shift) => endedBefore(shift, cutoff));
}

/** The ids of {@link endedShiftsBefore}. */
export async function shiftsEndedBefore(db: IDBPDatabase<MaskGuardDB>, cutoff: number): Promise<string[]> {
  return (await endedShiftsBefore(db, cutoff)).map((shift) => shift.id);
}

/**
 * Deletes one shift with its events and thumbnails, in one transaction so that no event outlives its shift.
 * Every delete is requested at once and the transaction awaited once: awaited one by one, each request waited
 * for the one before, and a busy door's shift of 1,500 people took 1.3 s to delete (4 s on a phone's CPU).
 * Resolves to false, deleting nothing, if the shift is not (or no longer) there.
 */
export async function deleteShift(db: IDBPDatabase<MaskGuardDB>, shiftId: string): Promise<boolean> {
  const tx = db.transaction(['shifts', 'events', 'thumbnails'], 'readwrite');
  if ((await tx.objectStore('shifts').getKey(shiftId)) === undefined) {
    await tx.done;
    return false;
  }
  const [events, thumbnails] = await Promise.all([
    tx.objectStore('events').index('byShift').getAllKeys(shiftId),
    tx.objectStore('thumbnails').index('byShift').getAllKeys(shiftId),
  ]);
  // On the unwrapped stores: no promise per request (a failed one aborts the transaction, and `done` rejects),
  // so the page's thread is not kept busy settling 1,500 of them while the camera's frames wait.
  const eventStore = unwrap(tx.objectStore('events'));
  for (const key of events) eventStore.delete(key);
  const thumbnailStore = unwrap(tx.objectStore('thumbnails'));
  for (const key of thumbnails) thumbnailStore.delete(key);
  unwrap(tx.objectStore('shifts')).delete(shiftId);
  await tx.done;
  return true;
}
