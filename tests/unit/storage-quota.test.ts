/**
 * Failed writes: a full disk (or any write failure) must not lose a counted person, must say so, must be
 * retried, and a retry must never store a person twice. Also checks that people are written strictly.
 */
import 'fake-indexeddb/auto';
import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShiftLog, type CountedPerson, type Decision, type StorageStatus } from '../../src/storage/index.ts';
import type { MaskGuardDB } from '../../src/storage/schema.ts';
import { failEventWrites } from '../helpers/shift-log-fixtures.ts';

let name: string;
let log: ShiftLog;
let statuses: StorageStatus[];

const person = (decision: Decision, extra: Partial<CountedPerson> = {}): CountedPerson => ({
  decision,
  averageConfidence: 0.8,
  framesSeen: 10,
  timeInViewMs: 900,
  ...extra,
});

async function storedEvents() {
  const db = await openDB<MaskGuardDB>(name);
  const events = await db.getAll('events');
  db.close();
  return events;
}

beforeEach(async () => {
  name = `quota-${crypto.randomUUID()}`;
  log = await ShiftLog.open({ name, retryMs: 60_000 });
  statuses = [];
  log.addEventListener('status', () => statuses.push(log.status));
});

afterEach(async () => {
  vi.restoreAllMocks();
  log.close();
  await deleteDB(name);
});

describe('a full disk', () => {
  it('keeps people in memory, says so, counts them, and writes each exactly once after a retry', async () => {
    const shift = await log.startShift('North');
    const first = await log.recordPerson(person('with_mask'));
    const full = failEventWrites('quota');
    const queued = [];
    for (const decision of ['without_mask', 'with_mask', 'uncertain'] as const) {
      queued.push(await log.recordPerson(person(decision))); // resolves: counting goes on
    }
    expect(log.pendingCount).toBe(3);
    expect(log.status).toEqual({
      state: 'pending',
      pending: 3,
      cause: 'quota',
      message: 'Storage is full: 3 people kept in memory, will retry',
    });
    expect(statuses.map((s) => s.message)).toEqual([
      'Storage is full: 1 person kept in memory, will retry',
      'Storage is full: 2 people kept in memory, will retry',
      'Storage is full: 3 people kept in memory, will retry',
    ]);
    expect((await storedEvents()).map((e) => e.id)).toEqual([first.id]);
    // The tally the guard sees still has everyone.
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 2, unmasked: 1, uncertain: 1 });

    expect(await log.retry()).toBe(false); // still full
    full.mockRestore();
    expect(await log.retry()).toBe(true);
    expect(await log.retry()).toBe(true); // a second retry writes nothing new

    const stored = await storedEvents();
    expect(stored.map((e) => e.id).sort()).toEqual([first, ...queued].map((e) => e.id).sort());
    expect(stored).toEqual(expect.arrayContaining(queued));
    expect(log.pendingCount).toBe(0);
    expect(log.status).toEqual({ state: 'saved', pending: 0, message: 'All counts saved' });
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 4 });
  });

  it('retries the queue on the next write, oldest first', async () => {
    await log.startShift('North');
    const full = failEventWrites('quota');
    const a = await log.recordPerson(person('with_mask'));
    const b = await log.recordPerson(person('without_mask'));
    full.mockRestore();
    const c = await log.recordPerson(person('uncertain'));
    expect(log.pendingCount).toBe(0);
    expect((await storedEvents()).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
  });

  it('retries on a timer', async () => {
    log.close();
    log = await ShiftLog.open({ name, retryMs: 20 });
    await log.startShift('North');
    const full = failEventWrites('quota');
    const a = await log.recordPerson(person('with_mask'));
    expect(log.pendingCount).toBe(1);
    full.mockRestore();
    await vi.waitFor(async () => expect((await storedEvents()).map((e) => e.id)).toEqual([a.id]), {
      timeout: 2000,
      interval: 10,
    });
    expect(log.status.state).toBe('saved');
  });

  it('gives thumbnails up to save the people', async () => {
    await log.setSetting('keepThumbnails', true);
    await log.startShift('North');
    const full = failEventWrites('quota');
    const event = await log.recordPerson(
      person('without_mask', { thumbnail: new Blob([new Uint8Array(4000)], { type: 'image/jpeg' }) }),
    );
    expect(event.thumbnailId).toBe(event.id);
    full.mockRestore();
    await log.retry();
    const [stored] = await storedEvents();
    expect(stored).toMatchObject({ id: event.id, decision: 'without_mask' });
    expect(stored).not.toHaveProperty('thumbnailId');
    expect(await log.thumbnail(event.id)).toBeUndefined();
  });
});

describe('any write failure', () => {
  it('is reported as such and retried the same way', async () => {
    await log.startShift('North');
    const broken = failEventWrites('throw');
    const a = await log.recordPerson(person('with_mask'));
    expect(log.status).toMatchObject({
      cause: 'error',
      message: 'Could not save: 1 person kept in memory, will retry',
    });
    broken.mockRestore();
    expect(await log.retry()).toBe(true);
    expect(await storedEvents()).toEqual([a]);
  });

  it('never loses or doubles anyone when every other write fails', async () => {
    const shift = await log.startShift('North');
    const flaky = failEventWrites('quota', (n) => n % 2 === 1);
    const recorded = [];
    for (let i = 0; i < 10; i++)
      recorded.push(await log.recordPerson(person(i % 3 ? 'with_mask' : 'without_mask')));
    // Retries racing each other and a new write.
    await Promise.all([log.retry(), log.retry(), log.addManual('uncertain').then((e) => recorded.push(e))]);
    flaky.mockRestore();
    await log.retry();
    const stored = await storedEvents();
    expect(stored).toHaveLength(11);
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(recorded.map((e) => e.id)));
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 6, unmasked: 4, uncertain: 1 });
  });

  it('writes a correction of a person still in memory once, in its corrected form', async () => {
    const shift = await log.startShift('North');
    const full = failEventWrites('quota');
    const a = await log.recordPerson(person('uncertain'));
    const corrected = await log.correctLast('with_mask');
    expect(corrected).toMatchObject({ id: a.id, decision: 'with_mask', corrected: { from: 'uncertain' } });
    expect(log.pendingCount).toBe(1);
    full.mockRestore();
    await log.retry();
    expect(await storedEvents()).toEqual([corrected]);
    expect(await log.events(shift.id)).toEqual([corrected]);
  });

  it('says a change kept in memory is a change, not a person at risk, and a new person stays one', async () => {
    await log.startShift('North');
    const saved = await log.recordPerson(person('uncertain'));
    const full = failEventWrites('quota');
    await log.correctLast('with_mask', saved.id);
    expect(log.pendingCount).toBe(0);
    expect(log.status.message).toBe('Storage is full: 1 change to the count kept in memory, will retry');
    await log.removeLast(saved.id);
    expect(log.status.message).toBe('Storage is full: 1 change to the count kept in memory, will retry');
    // A person not on disk yet, then corrected: still a person who would be lost.
    const fresh = await log.addManual('without_mask');
    await log.correctLast('uncertain', fresh.id);
    expect(log.pendingCount).toBe(1);
    // Both named: the change to the person on disk still waits too.
    expect(log.status.message).toBe(
      'Storage is full: 1 person and 1 change to the count kept in memory, will retry',
    );
    full.mockRestore();
    expect(await log.retry()).toBe(true);
    expect(log.status.message).toBe('All counts saved');
  });

  it('keeps a shift start that failed to save, and says so', async () => {
    const full = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const shift = await log.startShift('North');
    expect(log.status.message).toBe('Storage is full: the shift is kept in memory, will retry');
    expect(await log.shifts()).toEqual([shift]);
    full.mockRestore();
    await log.retry();
    expect(log.status.state).toBe('saved');
  });
});

describe('pictures never cost a person', () => {
  const jpeg = (bytes: number) => new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' });

  it('records an unmasked person without the picture when the stored pictures cannot be measured', async () => {
    const shift = await log.startShift('North');
    await log.setSetting('keepThumbnails', true);
    const realOpenCursor = IDBObjectStore.prototype.openCursor;
    vi.spyOn(IDBObjectStore.prototype, 'openCursor').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['openCursor']>
    ) {
      if (this.name === 'thumbnails') throw new DOMException('The disk said no', 'UnknownError');
      return realOpenCursor.apply(this, args);
    });
    const counted = await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    expect(counted.thumbnailId).toBeUndefined();
    expect((await storedEvents()).map((e) => e.id)).toEqual([counted.id]);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ unmasked: 1 });
  });

  it('retries a person whose picture the browser refused without it, and the people after them', async () => {
    await log.startShift('North');
    await log.setSetting('keepThumbnails', true);
    // Every write of an event with a picture fails (as a browser that cannot store Blobs does).
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'events' && (args[0] as { thumbnailId?: string }).thumbnailId !== undefined)
        throw new DOMException('Blobs are not supported here', 'DataCloneError');
      return realPut.apply(this, args);
    });
    const unmasked = await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    expect(log.pendingCount).toBe(1);
    // The next write retries the queue, oldest first: the refused person goes without the picture.
    const later = await log.recordPerson(person('with_mask'));
    expect(log.pendingCount).toBe(0);
    const stored = await storedEvents();
    expect(stored.map((e) => [e.id, e.thumbnailId])).toEqual([
      [unmasked.id, undefined],
      [later.id, undefined],
    ]);
    expect(log.status.state).toBe('saved');
  });
});

describe('durability', () => {
  it("writes each counted person in its own transaction with durability 'strict'", async () => {
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    await log.recordPerson(person('without_mask'));
    await log.addManual('uncertain');
    await log.correctLast('with_mask');
    const eventWrites = transaction.mock.calls.filter(
      ([stores, mode]) => [stores].flat().includes('events') && mode === 'readwrite',
    );
    expect(eventWrites).toHaveLength(4);
    for (const [, , options] of eventWrites) expect(options).toEqual({ durability: 'strict' });
    // The option reached the transaction itself (fake-indexeddb records it like a browser does).
    const results = transaction.mock.results.filter((_, i) =>
      eventWrites.includes(transaction.mock.calls[i]!),
    );
    for (const result of results) expect((result.value as IDBTransaction).durability).toBe('strict');
  });
});
