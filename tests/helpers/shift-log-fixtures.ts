/** Test data and a second-connection reader for the shift log's unit tests (fake-indexeddb in Node). */
import { openDB, type IDBPDatabase } from 'idb';
import type { CountedPerson } from '../../src/storage/shift-log.ts';
import type { Decision, MaskGuardDB } from '../../src/storage/schema.ts';

/** A counted person as the camera path records one; `extra` overrides any field. */
export const person = (decision: Decision, extra: Partial<CountedPerson> = {}): CountedPerson => ({
  decision,
  averageConfidence: 0.9,
  framesSeen: 20,
  timeInViewMs: 1500,
  ...extra,
});

/** A stand-in JPEG thumbnail of `bytes` bytes. */
export const jpeg = (bytes: number) => new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' });

/** Reads database `name` through a second connection: what is really on disk, not what the log reports. */
export async function onDisk<T>(
  name: string,
  read: (db: IDBPDatabase<MaskGuardDB>) => Promise<T>,
): Promise<T> {
  const db = await openDB<MaskGuardDB>(name);
  try {
    return await read(db);
  } finally {
    db.close();
  }
}
