/**
 * Retention: old shifts are deleted with everything that belongs to them.
 */
import type { IDBPDatabase } from 'idb';
import type { MaskGuardDB } from './schema.js';

/** Milliseconds in a day, for `retentionDays` (a DST day is off by an hour, which retention can ignore). */
export const DAY_MS = 86_400_000;

/**
 * Deletes every shift that ended before `cutoff` (epoch ms), with its events and thumbnails, in one
 * transaction so that no event outlives its shift. A running shift (no `end`) is never deleted, however old;
 * one the app ended as idle counts from when it did so (`endedByAppAt`). Resolves to the ids of the deleted
 * shifts.
 */
export async function pruneEndedBefore(db: IDBPDatabase<MaskGuardDB>, cutoff: number): Promise<string[]> {
  const tx = db.transaction(['shifts', 'events', 'thumbnails'], 'readwrite');
  const old = endedBefore(
    await tx.objectStore('shifts').index('byStart').getAll(IDBKeyRange.upperBound(cutoff)),
    cutoff,
  );
  for (const shift of old) {
    for (const key of await tx.objectStore('events').index('byShift').getAllKeys(shift.id)) {
      await tx.objectStore('events').delete(key);
    }
    for (const key of await tx.objectStore('thumbnails').index('byShift').getAllKeys(shift.id)) {
      await tx.objectStore('thumbnails').delete(key);
    }
    await tx.objectStore('shifts').delete(shift.id);
  }
  await tx.done;
  return old.map((shift) => shift.id);
}

/** How many shifts {@link pruneEndedBefore} would delete for `cutoff`, deleting nothing. */
export async function countEndedBefore(db: IDBPDatabase<MaskGuardDB>, cutoff: number): Promise<number> {
  const candidates = await db.getAllFromIndex('shifts', 'byStart', IDBKeyRange.upperBound(cutoff));
  return endedBefore(candidates, cutoff).length;
}

/**
 * The shifts among `candidates` (those that started before `cutoff`: a shift that started after it cannot
 * have ended before it, so the index bounds the scan) that ended before `cutoff`.
 */
function endedBefore<T extends { end?: number; endedByAppAt?: number }>(
  candidates: T[],
  cutoff: number,
): T[] {
  return candidates.filter(
    (shift) => shift.end !== undefined && Math.max(shift.end, shift.endedByAppAt ?? 0) < cutoff,
  );
}
