/**
 * Migrations: a database left by every earlier release opens with the current code, keeps its data, and ends
 * up with the same layout as a database created fresh.
 */
import 'fake-indexeddb/auto';
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShiftLog } from '../../src/storage/index.ts';
import { DB_VERSION, type MaskGuardDBV1, type PersonEventV1, type Shift } from '../../src/storage/schema.ts';

let name: string;
let log: ShiftLog | undefined;

beforeEach(() => {
  name = `migrations-${crypto.randomUUID()}`;
});

afterEach(async () => {
  log?.close();
  log = undefined;
  await deleteDB(name);
});

/**
 * The v1 schema exactly as release v1 created it, written out by hand rather than through `migrate`: if
 * someone edits the v1 step of `migrate`, real v1 databases still look like this, and the test says so.
 */
async function createV1(shifts: Shift[], events: PersonEventV1[]): Promise<void> {
  const db = await openDB<MaskGuardDBV1>(name, 1, {
    upgrade(db) {
      db.createObjectStore('shifts', { keyPath: 'id' }).createIndex('byStart', 'start');
      db.createObjectStore('events', { keyPath: 'id' }).createIndex('byShift', 'shiftId');
    },
  });
  const tx = db.transaction(['shifts', 'events'], 'readwrite');
  await Promise.all([
    ...shifts.map((shift) => tx.objectStore('shifts').put(shift)),
    ...events.map((event) => tx.objectStore('events').put(event)),
    tx.done,
  ]);
  db.close();
}

/** Store names, key paths and indexes (name, key path, unique) of a database, for comparison. */
function layout(db: IDBPDatabase<unknown>): unknown {
  const tx = db.transaction([...db.objectStoreNames]);
  return [...db.objectStoreNames].map((storeName) => {
    const store = tx.objectStore(storeName);
    const indexes = [...store.indexNames].map((index) => {
      const { keyPath, unique, multiEntry } = store.index(index);
      return { index, keyPath, unique, multiEntry };
    });
    return { storeName, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes };
  });
}

const now = new Date(2024, 5, 3, 12, 0).getTime();
const v1Shifts: Shift[] = [
  {
    id: 'shift-a',
    start: new Date(2024, 5, 1, 8, 0).getTime(),
    end: new Date(2024, 5, 1, 16, 0).getTime(),
    door: 'North',
  },
  { id: 'shift-b', start: new Date(2024, 5, 3, 8, 0).getTime(), door: 'South' },
];
const v1Events: PersonEventV1[] = [
  {
    id: 'e1',
    shiftId: 'shift-a',
    time: new Date(2024, 5, 1, 9, 5).getTime(),
    decision: 'with_mask',
    averageConfidence: 0.93,
    framesSeen: 40,
    timeInViewMs: 2500,
  },
  {
    id: 'e2',
    shiftId: 'shift-a',
    time: new Date(2024, 5, 1, 9, 40).getTime(),
    decision: 'without_mask',
    averageConfidence: 0.88,
    framesSeen: 31,
    timeInViewMs: 1900,
  },
  {
    id: 'e3',
    shiftId: 'shift-b',
    time: new Date(2024, 5, 3, 10, 15).getTime(),
    decision: 'uncertain',
    averageConfidence: 0.55,
    framesSeen: 12,
    timeInViewMs: 800,
  },
];

describe('schema migrations', () => {
  it('is at version 2, so that there is an earlier version to migrate from', () => {
    expect(DB_VERSION).toBe(2);
  });

  it('v1 → current: keeps shifts and events, back-fills source, adds the new stores and index', async () => {
    await createV1(v1Shifts, v1Events);
    log = await ShiftLog.open({ name, now: () => now });

    expect(await log.shifts()).toEqual([v1Shifts[1], v1Shifts[0]]);
    expect(await log.events('shift-a')).toEqual([
      { ...v1Events[0], source: 'auto' },
      { ...v1Events[1], source: 'auto' },
    ]);
    // The running v1 shift is running again after the upgrade.
    expect(log.currentShift()).toEqual(v1Shifts[1]);
    // The new byTime index serves the day view over migrated events.
    expect((await log.eventsOfDay(now)).map((e) => e.id)).toEqual(['e3']);
    expect(await log.tally({ shiftId: 'shift-a' })).toMatchObject({
      masked: 1,
      unmasked: 1,
      compliancePercent: 50,
    });
    // The new settings store works and starts from the defaults.
    expect(log.getSetting('retentionDays')).toBe(90);
    await log.setSetting('keepThumbnails', true);
    log.close();
    log = undefined;

    const db = await openDB(name);
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['events', 'settings', 'shifts', 'thumbnails']);
    expect([...db.transaction('events').store.indexNames].sort()).toEqual(['byShift', 'byTime']);
    expect(await db.get('settings', 'keepThumbnails')).toEqual({ key: 'keepThumbnails', value: true });
    db.close();
  });

  it('v1 → current gives the same layout as a fresh database (v0 → current)', async () => {
    await createV1(v1Shifts, v1Events);
    log = await ShiftLog.open({ name, now: () => now });
    log.close();
    log = undefined;
    const migrated = await openDB(name);
    const migratedLayout = layout(migrated);
    migrated.close();
    await deleteDB(name);

    log = await ShiftLog.open({ name, now: () => now });
    log.close();
    log = undefined;
    const fresh = await openDB(name);
    expect(fresh.version).toBe(DB_VERSION);
    expect(layout(fresh)).toEqual(migratedLayout);
    expect(migratedLayout).toContainEqual(
      expect.objectContaining({ storeName: 'thumbnails', keyPath: 'eventId' }),
    );
    fresh.close();
  });

  it('reopening a current database changes nothing', async () => {
    log = await ShiftLog.open({ name, now: () => now });
    const shift = await log.startShift('East');
    const event = await log.recordPerson({
      decision: 'with_mask',
      averageConfidence: 0.9,
      framesSeen: 9,
      timeInViewMs: 700,
    });
    log.close();
    log = await ShiftLog.open({ name, now: () => now });
    expect(log.currentShift()).toEqual(shift);
    expect(await log.events(shift.id)).toEqual([event]);
  });
});
