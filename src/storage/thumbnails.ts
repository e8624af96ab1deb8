/**
 * The opt-in thumbnails of unmasked people, and their size caps. No face image is stored unless the guard
 * turned `keepThumbnails` on; even then only people recorded as `without_mask` get one.
 */
import type { IDBPDatabase } from 'idb';
import type { Decision, MaskGuardDB } from './schema.js';

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
