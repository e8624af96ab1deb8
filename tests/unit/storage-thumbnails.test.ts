/**
 * Deleting the opt-in thumbnails (what turning the opt-in off does): every picture goes, the events lose only
 * their reference to it, the tally stays, the size cap starts afresh, queued pictures never reach the disk,
 * and pictures left behind with the opt-in off are deleted when the log opens. Against fake-indexeddb; each
 * test opens a fresh database and deletes it afterwards.
 */
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ShiftLog,
  THUMBNAIL_MAX_BYTES,
  THUMBNAIL_TOTAL_MAX_BYTES,
  type PersonEvent,
} from '../../src/storage/index.ts';
import { jpeg, onDisk, person } from '../helpers/shift-log-fixtures.ts';

let name: string;
let log: ShiftLog;
const realPut = IDBObjectStore.prototype.put;

const open = () => ShiftLog.open({ name, retryMs: 60_000 });
/** `event` as it should be after the deletion: the same, less the thumbnail reference. */
function withoutThumbnail(event: PersonEvent): PersonEvent {
  const copy = { ...event };
  delete copy.thumbnailId;
  return copy;
}

beforeEach(async () => {
  name = `thumbnails-${crypto.randomUUID()}`;
  log = await open();
});

afterEach(async () => {
  vi.restoreAllMocks();
  log.close();
  await deleteDB(name);
});

/**
 * Two shifts with three pictures between them, among people without one: counted before the opt-in, masked,
 * corrected to unmasked, refused for size, and added by hand.
 */
async function peopleWithPictures(): Promise<{ shifts: string[]; events: PersonEvent[] }> {
  const events: PersonEvent[] = [];
  const first = await log.startShift('North');
  events.push(await log.recordPerson(person('without_mask', { thumbnail: jpeg(2000) }))); // opt-in still off
  await log.setSetting('keepThumbnails', true);
  events.push(await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) })));
  events.push(await log.recordPerson(person('with_mask', { thumbnail: jpeg(3000) })));
  events.push(await log.recordPerson(person('uncertain', { thumbnail: jpeg(3000) })));
  events[3] = (await log.correctLast('without_mask'))!; // no picture: it was not unmasked when counted
  await log.endShift();
  const second = await log.startShift('South');
  events.push(await log.recordPerson(person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES + 1) })));
  events.push(await log.recordPerson(person('without_mask', { thumbnail: jpeg(4000) })));
  events.push(await log.addManual('without_mask'));
  events.push(await log.recordPerson(person('without_mask', { thumbnail: jpeg(1000) })));
  return { shifts: [first.id, second.id], events };
}

describe('deleting every thumbnail', () => {
  it('empties the store, strips only thumbnailId from the events, and keeps the tally', async () => {
    const { shifts, events } = await peopleWithPictures();
    const withPicture = events.filter((e) => e.thumbnailId !== undefined);
    expect(withPicture.map((e) => events.indexOf(e))).toEqual([1, 5, 7]);
    expect(await log.thumbnailCount()).toBe(3);
    const tallies = await Promise.all(shifts.map((shiftId) => log.tally({ shiftId })));
    const day = await log.tally({ day: events[0]!.time });

    expect(await log.deleteThumbnails()).toBe(3);

    expect(await onDisk(name, (db) => db.count('thumbnails'))).toBe(0);
    expect(await log.thumbnailCount()).toBe(0);
    for (const event of withPicture) expect(await log.thumbnail(event.id)).toBeUndefined();
    const stored = await onDisk(name, (db) => db.getAll('events'));
    expect(stored).toHaveLength(events.length);
    for (const event of events) {
      expect(stored.find((e) => e.id === event.id)).toStrictEqual(withoutThumbnail(event));
    }
    expect(await Promise.all(shifts.map((shiftId) => log.tally({ shiftId })))).toEqual(tallies);
    expect(await log.tally({ day: events[0]!.time })).toEqual(day);
    expect(tallies[1]).toMatchObject({ unmasked: 4, total: 4 });
  });

  it('survives a reload as it was left, and deletes nothing when there is nothing', async () => {
    await peopleWithPictures();
    await log.deleteThumbnails();
    log.close();
    log = await open();
    expect(await log.thumbnailCount()).toBe(0);
    expect((await onDisk(name, (db) => db.getAll('events'))).filter((e) => 'thumbnailId' in e)).toEqual([]);
    expect(await log.deleteThumbnails()).toBe(0);
  });

  it('says so with an event, and reads the pictures of a list of events in one go', async () => {
    const { events } = await peopleWithPictures();
    const pictures = await log.thumbnailsOf(events);
    expect([...pictures.keys()].sort()).toEqual([events[1]!.id, events[5]!.id, events[7]!.id].sort());
    expect(pictures.get(events[5]!.id)?.size).toBe(4000);
    let fired = 0;
    log.addEventListener('thumbnails-deleted', () => fired++);
    await log.deleteThumbnails();
    expect(fired).toBe(1);
    expect((await log.thumbnailsOf(events)).size).toBe(0);
  });

  it('frees the total size cap at once: pictures kept after the deletion start from zero bytes', async () => {
    await log.setSetting('keepThumbnails', true);
    await log.startShift('North');
    const fit = Math.floor(THUMBNAIL_TOTAL_MAX_BYTES / THUMBNAIL_MAX_BYTES);
    for (let i = 0; i < fit; i++) {
      await log.recordPerson(person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES) }));
    }
    const full = await log.recordPerson(person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES) }));
    expect(full.thumbnailId).toBeUndefined();

    expect(await log.deleteThumbnails()).toBe(fit);
    for (let i = 0; i < fit; i++) {
      const kept = await log.recordPerson(person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES) }));
      expect(kept.thumbnailId, `picture ${i} after the deletion`).toBe(kept.id);
    }
    const over = await log.recordPerson(person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES) }));
    expect(over.thumbnailId).toBeUndefined();
    expect(await log.thumbnailCount()).toBe(fit);
  });

  it('drops pictures still queued in memory, so none reaches the disk after the deletion', async () => {
    await log.setSetting('keepThumbnails', true);
    const shift = await log.startShift('North');
    const stored = await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    // Event writes fail (not for lack of space, which would drop the pictures anyway): people wait in memory.
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'events') throw new DOMException('The disk said no', 'UnknownError');
      return realPut.apply(this, args);
    });
    const queued = await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    expect(queued.thumbnailId).toBe(queued.id);
    expect(log.pendingCount).toBe(1);
    vi.restoreAllMocks();

    await log.setSetting('keepThumbnails', false);
    expect(await log.deleteThumbnails()).toBe(1); // the one on disk; the queued one never got there
    expect(await log.retry()).toBe(true);
    expect(await onDisk(name, (db) => db.count('thumbnails'))).toBe(0);
    const events = await onDisk(name, (db) => db.getAllFromIndex('events', 'byShift', shift.id));
    expect(events.map((e) => e.id)).toEqual([stored.id, queued.id]);
    expect(events.filter((e) => 'thumbnailId' in e)).toEqual([]);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ unmasked: 2, total: 2 });
  });

  it('leaves no picture of a person being recorded while the opt-in is turned off', async () => {
    await log.setSetting('keepThumbnails', true);
    const shift = await log.startShift('North');
    // The picture was taken while the opt-in was on; its person is recorded while the guard turns it off.
    const counting = log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    await log.setSetting('keepThumbnails', false);
    await log.deleteThumbnails();
    await counting;
    expect(await onDisk(name, (db) => db.count('thumbnails'))).toBe(0);
    const [event] = await onDisk(name, (db) => db.getAllFromIndex('events', 'byShift', shift.id));
    expect(event).toMatchObject({ decision: 'without_mask' });
    expect(event).not.toHaveProperty('thumbnailId');
  });
});

describe('opening with the opt-in off', () => {
  it('deletes pictures left behind (the page closed before deleting them), keeping the people', async () => {
    const { events } = await peopleWithPictures();
    await log.endShift();
    // The opt-in is turned off and the page ends before deleting: only the setting reached the disk.
    await log.setSetting('keepThumbnails', false);
    log.close();
    log = await open();
    expect(await onDisk(name, (db) => db.count('thumbnails'))).toBe(0);
    const stored = await onDisk(name, (db) => db.getAll('events'));
    for (const event of events) {
      expect(stored.find((e) => e.id === event.id)).toStrictEqual(withoutThumbnail(event));
    }
  });

  it('keeps the pictures while the opt-in is on', async () => {
    await peopleWithPictures();
    log.close();
    log = await open();
    expect(await log.thumbnailCount()).toBe(3);
  });
});
