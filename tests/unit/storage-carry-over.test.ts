/**
 * Records a page could not write (a full disk) are passed to the next page that counts through localStorage
 * and written by its ShiftLog.open: nothing counted is lost to a reload, nothing is written twice.
 */
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShiftLog, UNSAVED_OVER_RELOAD_KEY, type HandoverStorage } from '../../src/storage/index.ts';
import { readUnwritten, saveUnwritten } from '../../src/storage/carry-over.ts';
import { failEventWrites, jpeg, onDisk, person } from '../helpers/shift-log-fixtures.ts';

let name: string;
let clock: number;
let log: ShiftLog;
let tab: HandoverStorage & { items: Map<string, string> };

const open = () => ShiftLog.open({ name, now: () => clock, handoverStorage: tab });

/** Every put fails as over quota (the shift's start too, unlike failEventWrites). */
function failAllWrites() {
  const realPut = IDBObjectStore.prototype.put;
  return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['put']>
  ) {
    const request = realPut.apply(this, args);
    const tx = this.transaction as IDBTransaction & { _abort(errorName: string): void };
    request.addEventListener('success', () => tx._abort('QuotaExceededError'));
    return request;
  });
}

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

beforeEach(async () => {
  name = `carry-over-${crypto.randomUUID()}`;
  clock = Date.UTC(2024, 5, 3, 8);
  tab = memoryStorage();
  log = await open();
});

afterEach(async () => {
  vi.restoreAllMocks();
  log.close();
  await deleteDB(name);
});

describe('records kept in memory over a reload', () => {
  it('are written by the next page, once, with the shift they started, in the tally meanwhile', async () => {
    const full = failAllWrites();
    const shift = await log.startShift('North');
    await log.recordPerson(person('without_mask', { number: 3 }));
    const second = await log.recordPerson(person('with_mask', { number: 4 }));
    await log.removeLast(second.id); // a change not yet on disk goes too
    expect(log.pendingCount).toBe(2);
    expect(await onDisk(name, (db) => db.count('shifts'))).toBe(0); // the shift's start is not on disk either
    log.saveForReload(tab);
    log.close();
    // The next page, with the disk still full: the records are queued again and the shift runs on.
    log = await open();
    expect(tab.items.has(UNSAVED_OVER_RELOAD_KEY)).toBe(false); // read once
    expect(log.currentShift()?.id).toBe(shift.id);
    expect(log.status).toMatchObject({ state: 'pending', pending: 2, cause: 'quota' });
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ unmasked: 1, masked: 0, total: 1 });
    expect(log.nextPersonNumber).toBe(5);
    // Space is back.
    full.mockRestore();
    expect(await log.retry()).toBe(true);
    const stored = await onDisk(name, (db) => db.getAll('events'));
    expect(stored.map((e) => [e.number, e.decision, e.removed !== undefined]).sort()).toEqual([
      [3, 'without_mask', false],
      [4, 'with_mask', true],
    ]);
    expect(await onDisk(name, (db) => db.get('shifts', shift.id))).toEqual(shift);
  });

  it('stay in the tab storage when the next page cannot open its log, for the page after it', async () => {
    failAllWrites();
    await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    log.saveForReload(tab);
    log.close();
    vi.restoreAllMocks();
    // The shifts cannot be read this time (the database was closed under the page, say).
    const getAll = IDBIndex.prototype.getAll;
    const once = vi.spyOn(IDBIndex.prototype, 'getAll').mockImplementationOnce(() => {
      throw new DOMException('The database connection is closing.', 'InvalidStateError');
    });
    const closed = vi.spyOn(IDBDatabase.prototype, 'close');
    await expect(open()).rejects.toThrow('closing');
    expect(closed).toHaveBeenCalled(); // the failed page does not hold the database open
    closed.mockRestore();
    once.mockRestore();
    expect(IDBIndex.prototype.getAll).toBe(getAll);
    expect(tab.items.has(UNSAVED_OVER_RELOAD_KEY)).toBe(true);
    log = await open();
    expect(tab.items.has(UNSAVED_OVER_RELOAD_KEY)).toBe(false);
    expect(await log.tally({ shiftId: log.currentShift()!.id })).toMatchObject({ masked: 1 });
  });

  it('leave pictures behind (they do not fit in the tab storage)', async () => {
    await log.setSetting('keepThumbnails', true);
    failEventWrites('quota');
    await log.startShift('North');
    const counted = await log.recordPerson(person('without_mask', { thumbnail: jpeg(2000) }));
    expect(counted.thumbnailId).toBe(counted.id);
    log.saveForReload(tab);
    const carried = readUnwritten(tab);
    expect(carried).toHaveLength(1);
    const [eventWrite] = carried;
    expect(eventWrite).toEqual({ kind: 'event', event: { ...counted, thumbnailId: undefined } });
    expect(eventWrite?.kind === 'event' && 'thumbnailId' in eventWrite.event).toBe(false);
  });

  it("are nothing to pass on when everything is on disk: an older page's leftovers are cleared", async () => {
    tab.setItem(UNSAVED_OVER_RELOAD_KEY, '[]');
    await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    log.saveForReload(tab);
    expect(tab.items.has(UNSAVED_OVER_RELOAD_KEY)).toBe(false);
  });

  it('are read back only if well formed, one record at a time', () => {
    const shift = { id: 's1', start: 1, door: 'North' };
    const event = {
      id: 'e1',
      shiftId: 's1',
      time: 2,
      decision: 'with_mask',
      averageConfidence: 0.9,
      framesSeen: 5,
      timeInViewMs: 700,
      source: 'auto',
    };
    const good = [
      { kind: 'shift', shift },
      { kind: 'event', event },
    ];
    const bad = [
      { kind: 'event', event: { ...event, decision: 'maybe' } },
      { kind: 'event', event: { ...event, time: 'noon' } },
      { kind: 'event', event: { ...event, thumbnailId: 'e1' } }, // a picture that is not there
      { kind: 'event', event: { ...event, removed: { at: null } } },
      { kind: 'shift', shift: { ...shift, end: 'later' } },
      { kind: 'shift', shift: { ...shift, end: 0 } }, // before its start
      { kind: 'shift', shift: { ...shift, endReason: 'idle' } }, // ended how, without an end?
      { kind: 'event', event: { ...event, averageConfidence: 1.5 } },
      { kind: 'event', event: { ...event, framesSeen: -1 } },
      { kind: 'event', event: { ...event, number: 0 } },
      { kind: 'rumour' },
      null,
    ];
    tab.setItem(UNSAVED_OVER_RELOAD_KEY, JSON.stringify([...bad, ...good]));
    expect(readUnwritten(tab)).toEqual(good);
    tab.setItem(UNSAVED_OVER_RELOAD_KEY, '{not json');
    expect(readUnwritten(tab)).toEqual([]);
    // A storage that refuses to be written (full, or blocked) loses them, as before, without throwing.
    const refusing = {
      ...memoryStorage(),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(() => saveUnwritten(refusing, good as never)).not.toThrow();
  });
});
