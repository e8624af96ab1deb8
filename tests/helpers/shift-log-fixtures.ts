/** Test data and a second-connection reader for the shift log's unit tests (fake-indexeddb in Node). */
import { openDB, type IDBPDatabase } from 'idb';
import { vi, type MockInstance } from 'vitest';
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

/**
 * Makes writes to the events store fail. `quota` does what Chromium does when the origin is over quota: the
 * request succeeds, then the transaction aborts with a QuotaExceededError at commit, rolling the write back.
 * `throw` is any other failure, thrown by `put` itself. `fails(n)` picks which writes (0-based) fail.
 */
export function failEventWrites(
  mode: 'quota' | 'throw',
  fails: (n: number) => boolean = () => true,
): MockInstance {
  let n = 0;
  const realPut = IDBObjectStore.prototype.put;
  return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['put']>
  ) {
    if (this.name !== 'events' || !fails(n++)) return realPut.apply(this, args);
    if (mode === 'throw') throw new DOMException('The disk said no', 'UnknownError');
    const request = realPut.apply(this, args);
    const tx = this.transaction as IDBTransaction & { _abort(errorName: string): void };
    request.addEventListener('success', () => tx._abort('QuotaExceededError'));
    return request;
  });
}
