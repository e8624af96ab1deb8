/**
 * The opt-in thumbnails of unmasked people, and their size caps. No face image is stored unless the guard
 * turned `keepThumbnails` on; even then only people recorded as `without_mask` get one.
 */
import type { IDBPDatabase } from 'idb';
import { withoutThumbnail, type Decision, type MaskGuardDB } from './schema.js';

/**
 * Largest thumbnail kept, in bytes. A 96×96 JPEG at quality 0.7 is 3–5 KB; 16 KB leaves room for a larger
 * crop but refuses a full camera frame passed by mistake.
 */
export const THUMBNAIL_MAX_BYTES = 16 * 1024;

/** Total bytes of all thumbnails kept (about 1,000 typical ones); past it, newly counted people get none. */
export const THUMBNAIL_TOTAL_MAX_BYTES = 4 * 1024 * 1024;

/** Bytes of all stored thumbnails (summed from the stored `bytes` field; no blob is read). */
export async function storedThumbnailBytes(db: IDBPDatabase<MaskGuardDB>): Promise<number> {
  let total = 0;
  let cursor = await db.transaction('thumbnails').store.openCursor();
  while (cursor) {
    total += cursor.value.bytes;
    cursor = await cursor.continue();
  }
  return total;
}

/**
 * Whether `blob` may be kept as the thumbnail of a person with `decision`, given the opt-in and the bytes
 * already used (stored plus queued).
 */
export function mayKeepThumbnail(
  decision: Decision,
  blob: Blob,
  optedIn: boolean,
  usedBytes: number,
): boolean {
  return (
    optedIn &&
    decision === 'without_mask' &&
    blob.size > 0 &&
    blob.size <= THUMBNAIL_MAX_BYTES &&
    usedBytes + blob.size <= THUMBNAIL_TOTAL_MAX_BYTES
  );
}

/**
 * The stored thumbnails of `eventIds`, by event id, read in one transaction. An id without a stored
 * thumbnail is left out.
 */
export async function readThumbnails(
  db: IDBPDatabase<MaskGuardDB>,
  eventIds: readonly string[],
): Promise<Map<string, Blob>> {
  const found = new Map<string, Blob>();
  if (eventIds.length === 0) return found;
  const tx = db.transaction('thumbnails');
  const records = await Promise.all([...eventIds.map((id) => tx.store.get(id)), tx.done]);
  for (const record of records) if (record) found.set(record.eventId, record.blob);
  return found;
}

/**
 * Deletes every stored thumbnail and the `thumbnailId` of each event that referred to one, in one strict
 * transaction: either all go or none do, and no event is left pointing at a deleted picture. Every other
 * field of the events is kept (the tally does not change). Resolves to the number of thumbnails deleted
 * once that is on disk; rejects if the transaction failed, in which case nothing was deleted.
 */
export async function deleteAllThumbnails(db: IDBPDatabase<MaskGuardDB>): Promise<number> {
  // Strict: the guard is told the pictures are gone only once the deletion has reached the disk.
  const tx = db.transaction(['events', 'thumbnails'], 'readwrite', { durability: 'strict' });
  const events = tx.objectStore('events');
  const thumbnails = tx.objectStore('thumbnails');
  try {
    // A thumbnail's key is its event's id, so the thumbnails store names every event to change.
    const keys = await thumbnails.getAllKeys();
    const referring = await Promise.all(keys.map((key) => events.get(key)));
    const updates = referring.flatMap((event) => {
      if (event?.thumbnailId === undefined) return [];
      return [events.put(withoutThumbnail(event))];
    });
    await Promise.all([...updates, thumbnails.clear(), tx.done]);
    return keys.length;
  } catch (error) {
    // All or nothing: a request that threw synchronously leaves the others queued, so abort. A failed request
    // has aborted the transaction already; then wait for it so nothing rejects unobserved, and say why.
    try {
      tx.abort();
    } catch {
      // Already aborted or finished.
    }
    await tx.done.catch(() => undefined);
    throw tx.error ?? error;
  }
}
