/**
 * ShiftLog against fake-indexeddb: shifts, counts derived from events, corrections, manual adds, thumbnails,
 * settings and retention. Each test opens a fresh database and deletes it afterwards.
 */
import 'fake-indexeddb/auto';
import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ShiftLog,
  THUMBNAIL_MAX_BYTES,
  THUMBNAIL_TOTAL_MAX_BYTES,
  type Decision,
  type PersonEvent,
} from '../../src/storage/index.ts';
import type { MaskGuardDB } from '../../src/storage/schema.ts';
import { failEventWrites, jpeg, onDisk, person } from '../helpers/shift-log-fixtures.ts';
import { parseCsv } from '../helpers/csv.ts';
import { CSV_COLUMNS, toCsv } from '../../src/shared/csv.ts';
import { correctedFrom } from '../../src/shared/corrections.ts';

const DAY = 86_400_000;
let name: string;
let clock: number;
let log: ShiftLog;

const at = (h: number, m = 0, day = 3) => new Date(2024, 5, day, h, m).getTime();
const open = () => ShiftLog.open({ name, now: () => clock });

beforeEach(async () => {
  name = `shift-log-${crypto.randomUUID()}`;
  clock = at(8);
  log = await open();
});

afterEach(async () => {
  log.close();
  await deleteDB(name);
});

describe('shifts', () => {
  it('starts, ends, and refuses a second running shift or counting outside a shift', async () => {
    await expect(log.recordPerson(person('with_mask'))).rejects.toThrow('No shift is running');
    const shift = await log.startShift('  North entrance ');
    expect(shift).toMatchObject({ start: at(8), door: 'North entrance' });
    expect(shift.end).toBeUndefined();
    await expect(log.startShift('South')).rejects.toThrow('already running');
    clock = at(16);
    expect(await log.endShift()).toEqual({ ...shift, end: at(16) });
    expect(log.currentShift()).toBeUndefined();
    expect(await onDisk(name, (db) => db.get('shifts', shift.id))).toEqual({ ...shift, end: at(16) });
  });

  it('survives a reload without ending: the running shift and its people come back', async () => {
    const shift = await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    await log.recordPerson(person('without_mask'));
    log.close(); // no endShift, as when the page is killed
    log = await open();
    expect(log.currentShift()).toEqual(shift);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 1, unmasked: 1, total: 2 });
  });
});

describe('the save status', () => {
  it('never says a count failed when nothing failed: a person queued behind a write in progress', async () => {
    await log.startShift('North');
    const seen: string[] = [];
    log.addEventListener('status', () => seen.push(`${log.status.state}: ${log.status.message}`));
    // The second person is queued while the first is being written: another connection holds the events
    // store, so the first write waits until the second person is queued too.
    const other = await openDB<MaskGuardDB>(name);
    const held = other.transaction('events', 'readwrite');
    let holding = true;
    const hold = (async () => {
      while (holding) await held.store.count();
    })();
    const first = log.recordPerson(person('with_mask'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.hasUnsaved).toBe(true);
    const second = log.addManual('without_mask');
    await new Promise((resolve) => setTimeout(resolve, 20));
    holding = false;
    await hold;
    await held.done;
    other.close();
    await Promise.all([first, second]);
    expect(seen.filter((line) => !line.startsWith('saved'))).toEqual([]);
    expect(log.status.state).toBe('saved');
    expect(log.hasUnsaved).toBe(false);
  });
});

describe('a shift left running', () => {
  it('is ended at its last count when the app opens 12 hours after it, not before', async () => {
    const shift = await log.startShift('North');
    clock = at(9);
    await log.recordPerson(person('with_mask'));
    log.close();
    // 11 h 59 min after the last count: the same shift goes on.
    clock = at(20, 59);
    log = await open();
    expect(log.currentShift()).toEqual(shift);
    expect(log.endedIdle).toBeUndefined();
    log.close();
    // The next morning: ended at 09:00, its person kept; the guard is told which shift it was.
    clock = at(7, 0, 4);
    log = await open();
    const ended = { ...shift, end: at(9), endReason: 'idle', endedByAppAt: at(7, 0, 4) };
    expect(log.currentShift()).toBeUndefined();
    expect(log.endedIdle).toEqual(ended);
    expect(await onDisk(name, (db) => db.get('shifts', shift.id))).toEqual(ended);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 1, total: 1 });
    // The notice stays while the next shift runs, also over a reload, and goes once the guard ends a shift.
    const next = await log.startShift('North');
    expect(log.endedIdle).toEqual(ended);
    log.close();
    log = await open();
    expect(log.currentShift()).toEqual(next);
    expect(log.endedIdle).toEqual(ended);
    await log.endShift();
    expect(log.endedIdle).toBeUndefined();
    expect((await onDisk(name, (db) => db.get('shifts', next.id)))?.endReason).toBeUndefined();
    log.close();
    log = await open();
    expect(log.endedIdle).toBeUndefined();
  });

  it('is kept for the retention days from when the app ended it, then goes with its notice', async () => {
    // Kept for 1 day. Counted on Friday evening; nobody ends the shift; the app is opened on Monday.
    await log.setSetting('retentionDays', 1);
    const shift = await log.startShift('North');
    clock = at(18, 0, 7);
    await log.recordPerson(person('without_mask'));
    log.close();
    clock = at(8, 0, 10);
    log = await open();
    // Ended at Friday's count, days before the cutoff, yet kept, with its person, for the guard to see.
    const ended = { ...shift, end: at(18, 0, 7), endReason: 'idle', endedByAppAt: at(8, 0, 10) };
    expect(log.endedIdle).toEqual(ended);
    expect(await onDisk(name, (db) => db.get('shifts', shift.id))).toEqual(ended);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ unmasked: 1 });
    log.close();
    // Over a day after that: deleted on open, and the notice with it.
    clock = at(9, 0, 11);
    log = await open();
    // Not told of while the prune that opening started deletes it.
    expect(log.endedIdle).toBeUndefined();
    expect(await log.pruning).toBe(1);
    expect(await onDisk(name, (db) => db.get('shifts', shift.id))).toBeUndefined();
  });

  it('has no notice once retention set in Settings deletes it', async () => {
    const shift = await log.startShift('North');
    clock = at(21);
    await log.endIdleShift();
    expect(log.endedIdle?.id).toBe(shift.id);
    clock = at(9, 0, 5);
    expect(await log.prune(clock, 1)).toBe(1);
    expect(log.endedIdle).toBeUndefined();
  });

  it('is ended when the next person comes 12 hours after its last count, also without a reload', async () => {
    const shift = await log.startShift('North');
    expect(await log.endIdleShift()).toBeUndefined();
    // A shift that started 12 hours ago with nobody counted since is over too.
    clock = at(20);
    expect(await log.endIdleShift()).toEqual({
      ...shift,
      end: at(8),
      endReason: 'idle',
      endedByAppAt: at(20),
    });
    expect(log.currentShift()).toBeUndefined();
    // Counting by hand keeps a shift going: 12 hours from the last person, not from the start.
    const second = await log.startShift('North');
    clock = at(7, 0, 4);
    await log.addManual('without_mask');
    clock = at(18, 59, 4);
    expect(await log.endIdleShift()).toBeUndefined();
    expect(log.currentShift()).toEqual(second);
  });
});

describe('counts derived from events', () => {
  it('tallies a shift from its events and follows the events when they change on disk', async () => {
    const shift = await log.startShift('North');
    const decisions: Decision[] = [
      'with_mask',
      'with_mask',
      'without_mask',
      'uncertain',
      'with_mask',
      'uncertain',
    ];
    const events: PersonEvent[] = [];
    for (const decision of decisions) events.push(await log.recordPerson(person(decision)));
    expect(await log.tally({ shiftId: shift.id })).toEqual({
      masked: 3,
      unmasked: 1,
      uncertain: 2,
      total: 6,
      compliancePercent: 75,
    });
    // No count is stored anywhere: deleting an event record changes the tally. The running shift's people are
    // kept in memory by the one page that writes (see ShiftLog.onDisk), so the next page to open sees the
    // deletion; a day is read from the disk each time, so the open log sees it at once.
    await onDisk(name, (db) => db.delete('events', events[2]!.id));
    const after = { unmasked: 0, total: 5, compliancePercent: 100 };
    expect(await log.tally({ day: at(8) })).toMatchObject(after);
    log.close();
    log = await open();
    expect(await log.tally({ shiftId: shift.id })).toMatchObject(after);
  });

  it('buckets a shift per local hour, empty hours included, across midnight', async () => {
    const shift = await log.startShift('Night door');
    for (const [time, decision] of [
      [at(22, 10), 'with_mask'],
      [at(22, 50), 'without_mask'],
      [at(23, 59), 'uncertain'],
      [at(1, 5, 4), 'with_mask'],
    ] as const) {
      await log.recordPerson(person(decision, { time }));
    }
    expect(await log.hourly({ shiftId: shift.id })).toEqual([
      { start: at(22), masked: 1, unmasked: 1, uncertain: 0 },
      { start: at(23), masked: 0, unmasked: 0, uncertain: 1 },
      { start: at(0, 0, 4), masked: 0, unmasked: 0, uncertain: 0 },
      { start: at(1, 0, 4), masked: 1, unmasked: 0, uncertain: 0 },
    ]);
  });

  it('tallies a local day over all its shifts and nothing of the next day', async () => {
    await log.startShift('North');
    await log.recordPerson(person('with_mask', { time: at(9) }));
    await log.endShift();
    await log.startShift('South');
    await log.recordPerson(person('without_mask', { time: at(14) }));
    await log.recordPerson(person('with_mask', { time: at(0, 30, 4) }));
    expect(await log.tally({ day: at(12) })).toMatchObject({ masked: 1, unmasked: 1, total: 2 });
    expect(await log.tally({ day: at(12, 0, 4) })).toMatchObject({ masked: 1, total: 1 });
    expect((await log.hourly({ day: at(12) })).map((b) => b.start)).toEqual(
      [9, 10, 11, 12, 13, 14].map((h) => at(h)),
    );
  });
});

describe('guard corrections', () => {
  it('changes the last decision, keeps the first one in corrected.from, and persists it', async () => {
    const shift = await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    const last = await log.recordPerson(person('uncertain'));
    clock = at(9);
    expect(await log.correctLast('without_mask')).toMatchObject({
      id: last.id,
      decision: 'without_mask',
      corrected: { from: 'uncertain', at: at(9) },
    });
    clock = at(10);
    await log.correctLast('with_mask');
    log.close();
    log = await open();
    const events = await log.events(shift.id);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ decision: 'with_mask', corrected: { from: 'uncertain', at: at(10) } });
    expect(events[0]!.corrected).toBeUndefined();
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 2, uncertain: 0 });
  });

  it('shows no change for a person changed back to their first decision, but keeps them decided by the guard', async () => {
    const shift = await log.startShift('North');
    const counted = await log.recordPerson(person('uncertain'));
    clock = at(9);
    await log.correct(counted.id, 'with_mask');
    clock = at(10);
    await log.correct(counted.id, 'without_mask');
    clock = at(11);
    await log.correct(counted.id, 'uncertain');
    log.close();
    log = await open();
    const [event] = await log.events(shift.id);
    expect(event).toMatchObject({ id: counted.id, decision: 'uncertain' });
    // Nothing changed to show, in History or the export…
    expect(correctedFrom(event!)).toBeUndefined();
    expect(parseCsv(toCsv([shift], [event!], 'comma'))[1]![CSV_COLUMNS.indexOf('corrected_from')]).toBe('');
    // …but the guard's "uncertain" stands: the camera seeing the person again does not overwrite it.
    expect(await log.revisePerson(counted, person('without_mask'))).toBeUndefined();
    expect((await log.events(shift.id))[0]).toMatchObject({ decision: 'uncertain' });
  });

  it('adds a person by hand as manual, and a correction then applies to that person', async () => {
    const shift = await log.startShift('North');
    await log.recordPerson(person('with_mask', { time: at(8) }));
    clock = at(8, 5);
    const manual = await log.addManual('without_mask');
    expect(manual).toMatchObject({
      source: 'manual',
      averageConfidence: null,
      framesSeen: 0,
      time: at(8, 5),
    });
    expect(await onDisk(name, (db) => db.get('events', manual.id))).toEqual(manual);
    expect((await log.correctLast('with_mask'))?.id).toBe(manual.id);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 2, unmasked: 0 });
  });

  it('changes nobody when the latest person is not the one the guard looked at', async () => {
    const shift = await log.startShift('North');
    const seen = await log.recordPerson(person('with_mask'));
    // The camera counts someone else between the guard's look and the tap.
    const next = await log.recordPerson(person('with_mask'));
    expect(await log.correctLast('without_mask', seen.id)).toBeUndefined();
    expect((await log.events(shift.id)).map((e) => [e.id, e.decision])).toEqual([
      [seen.id, 'with_mask'],
      [next.id, 'with_mask'],
    ]);
    expect(await log.correctLast('without_mask', next.id)).toMatchObject({
      id: next.id,
      decision: 'without_mask',
    });
  });

  it('revises what the tracker recorded of a person, unless the guard corrected them by hand', async () => {
    const shift = await log.startShift('North');
    const first = await log.recordPerson(person('uncertain'));
    const second = await log.recordPerson(person('uncertain'));
    expect(
      await log.revisePerson(first, person('without_mask', { framesSeen: 40, averageConfidence: 0.97 })),
    ).toMatchObject({ id: first.id, decision: 'without_mask', framesSeen: 40, averageConfidence: 0.97 });
    await log.correctLast('with_mask', second.id);
    expect(await log.revisePerson(second, person('without_mask'))).toBeUndefined();
    expect(
      await log.revisePerson({ ...first, id: 'no-such-person' }, person('without_mask')),
    ).toBeUndefined();
    log.close();
    log = await open();
    expect((await log.events(shift.id)).map((e) => [e.id, e.decision, e.corrected?.from])).toEqual([
      [first.id, 'without_mask', undefined],
      [second.id, 'with_mask', 'uncertain'],
    ]);
  });

  it("never overwrites a guard's correction made while a revision was on its way", async () => {
    await log.setSetting('keepThumbnails', true);
    log.close();
    log = await open(); // the stored pictures' size is not known yet: the revision waits to read it
    const shift = await log.startShift('North');
    const counted = await log.recordPerson(person('uncertain'));
    const revision = log.revisePerson(counted, person('without_mask', { thumbnail: jpeg(3000) }));
    const correction = log.correctLast('with_mask', counted.id);
    expect(await correction).toMatchObject({ decision: 'with_mask' });
    expect(await revision).toBeUndefined();
    expect((await log.events(shift.id)).map((e) => [e.decision, e.corrected?.from])).toEqual([
      ['with_mask', 'uncertain'],
    ]);
  });

  it('does nothing without a running shift or a person, or when the decision is unchanged', async () => {
    expect(await log.correctLast('with_mask')).toBeUndefined();
    await log.startShift('North');
    expect(await log.correctLast('with_mask')).toBeUndefined();
    await log.recordPerson(person('with_mask'));
    expect((await log.correctLast('with_mask'))?.corrected).toBeUndefined();
  });
});

describe("the running shift's people in memory", () => {
  /** The shift's people as this log reads them, and as a second connection reads them from the disk. */
  const both = async (shiftId: string) => ({
    log: await log.events(shiftId),
    disk: (await onDisk(name, (db) => db.getAllFromIndex('events', 'byShift', shiftId))).sort(
      (a, b) => a.time - b.time || (a.id < b.id ? -1 : 1),
    ),
  });

  it('are what is on disk after every kind of write, and what a reopened log reads', async () => {
    await log.setSetting('keepThumbnails', true);
    const shift = await log.startShift('North');
    const steps: (() => Promise<unknown>)[] = [
      () => log.recordPerson(person('with_mask')),
      () => log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) })),
      () => log.recordPerson(person('uncertain', { number: 7 })),
      () => log.addManual('without_mask'),
      () => log.correctLast('with_mask'),
      () => log.removeLast(),
      async () => log.restore((await log.events(shift.id)).at(-1)!.id),
      async () => log.revisePerson((await log.events(shift.id))[2]!, person('without_mask')),
      async () => log.correct((await log.events(shift.id))[1]!.id, 'uncertain'),
      () => log.recordPerson(person('without_mask', { thumbnail: jpeg(2000) })),
      () => log.deleteThumbnails(),
    ];
    for (const [i, step] of steps.entries()) {
      clock += 60_000;
      await step();
      const { log: read, disk } = await both(shift.id);
      expect(read, `after step ${i}`).toEqual(disk);
    }
    const { log: read } = await both(shift.id);
    expect(read).toHaveLength(5);
    expect(read.some((e) => e.thumbnailId !== undefined)).toBe(false);
    log.close();
    log = await open();
    expect(await log.events(shift.id)).toEqual(read);
  });

  it('are what is on disk after a full disk drops a picture and the retry writes the person', async () => {
    await log.setSetting('keepThumbnails', true);
    const shift = await log.startShift('North');
    await log.recordPerson(person('with_mask'));
    const full = failEventWrites('quota');
    await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    // Counted while only in memory; not on disk.
    expect((await log.events(shift.id)).map((e) => e.decision)).toEqual(['with_mask', 'without_mask']);
    expect((await both(shift.id)).disk).toHaveLength(1);
    full.mockRestore();
    expect(await log.retry()).toBe(true);
    const { log: read, disk } = await both(shift.id);
    expect(read).toEqual(disk);
    expect(read[1]).not.toHaveProperty('thumbnailId');
  });

  it('are read without reading the shift back from the disk, also after a reload', async () => {
    const shift = await log.startShift('North');
    for (let i = 0; i < 20; i++) await log.recordPerson(person(i % 3 === 0 ? 'without_mask' : 'with_mask'));
    const reads = vi.spyOn(IDBIndex.prototype, 'getAll');
    try {
      await log.recordPerson(person('uncertain'));
      expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 21, uncertain: 1, unmasked: 7 });
      expect(reads).not.toHaveBeenCalled();
      log.close();
      log = await open();
      reads.mockClear();
      await log.recordPerson(person('with_mask'));
      expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 22 });
      expect(reads).not.toHaveBeenCalled();
      // An ended shift other than the latest is read from the disk.
      await log.endShift();
      const next = await log.startShift('South');
      expect(await log.tally({ shiftId: next.id })).toMatchObject({ total: 0 });
      expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 22 });
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });
});

describe('person numbers', () => {
  it("stores the number a person was shown with, and starts a new page above the latest shift's", async () => {
    expect(log.nextPersonNumber).toBe(1);
    const shift = await log.startShift('North');
    await log.recordPerson(person('with_mask', { number: 12 }));
    await log.recordPerson(person('with_mask', { number: 4 }));
    const manual = await log.addManual('without_mask');
    expect(manual.number).toBeUndefined();
    log.close();
    log = await open();
    expect((await log.events(shift.id)).map((e) => e.number)).toEqual([12, 4, undefined]);
    expect(log.nextPersonNumber).toBe(13);
    // Numbers go on from the last shift once it has ended, as on a page left open (not from 1 again) ...
    await log.endShift();
    log.close();
    log = await open();
    expect(log.nextPersonNumber).toBe(13);
    // ... also past a shift with no numbers (started by hand and left empty, or with hand counts only).
    await log.startShift('North');
    await log.addManual('with_mask');
    await log.endShift();
    log.close();
    log = await open();
    expect(log.nextPersonNumber).toBe(13);
  });
});

describe('removing a person counted by mistake', () => {
  it('takes the last person out of every tally and chart, keeps the record, and puts it back', async () => {
    const shift = await log.startShift('North');
    const first = await log.recordPerson(person('with_mask', { time: at(8, 10) }));
    const second = await log.recordPerson(person('without_mask', { time: at(9, 20) }));
    clock = at(9, 30);
    expect(await log.removeLast(second.id)).toMatchObject({ id: second.id, removed: { at: at(9, 30) } });
    log.close();
    log = await open();
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 1, unmasked: 0, total: 1 });
    expect(await log.tally({ day: at(12) })).toMatchObject({ masked: 1, unmasked: 0, total: 1 });
    // The removed person's hour is no longer in the chart: the only one left is 8 o'clock's.
    expect(await log.hourly({ shiftId: shift.id })).toEqual([
      { start: at(8), masked: 1, unmasked: 0, uncertain: 0 },
    ]);
    // Still listed (History shows it), with the decision it had.
    expect((await log.events(shift.id)).map((e) => [e.id, e.decision, e.removed?.at])).toEqual([
      [first.id, 'with_mask', undefined],
      [second.id, 'without_mask', at(9, 30)],
    ]);
    expect(await log.restore(second.id)).toMatchObject({ id: second.id, decision: 'without_mask' });
    const restored = await onDisk(name, (db) => db.get('events', second.id));
    expect(restored).toEqual({ ...second });
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 1, unmasked: 1, total: 2 });
  });

  it('then treats the person before as the last one: a correction or a second removal goes to them', async () => {
    const shift = await log.startShift('North');
    const first = await log.recordPerson(person('uncertain'));
    const mistake = await log.addManual('without_mask');
    await log.removeLast(mistake.id);
    expect(await log.correctLast('with_mask', mistake.id)).toBeUndefined();
    expect(await log.correctLast('with_mask', first.id)).toMatchObject({
      id: first.id,
      decision: 'with_mask',
    });
    expect(await log.removeLast(first.id)).toMatchObject({ id: first.id });
    expect(await log.removeLast()).toBeUndefined(); // nobody left in the count
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 0 });
    expect(await log.hourly({ shiftId: shift.id })).toEqual([]);
  });

  it('removes nobody when the latest person is not the one the guard looked at', async () => {
    const shift = await log.startShift('North');
    const seen = await log.recordPerson(person('with_mask'));
    await log.recordPerson(person('with_mask'));
    expect(await log.removeLast(seen.id)).toBeUndefined();
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 2 });
  });

  it('puts back only a removed person of the running shift', async () => {
    expect(await log.restore('anyone')).toBeUndefined();
    const shift = await log.startShift('North');
    const counted = await log.recordPerson(person('with_mask'));
    expect(await log.restore(counted.id)).toBeUndefined(); // not removed
    await log.removeLast(counted.id);
    await log.endShift();
    await log.startShift('North');
    expect(await log.restore(counted.id)).toBeUndefined(); // its shift has ended
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 0 });
  });

  it("deletes a removed person's kept picture", async () => {
    await log.setSetting('keepThumbnails', true);
    await log.startShift('North');
    const counted = await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    expect(counted.thumbnailId).toBe(counted.id);
    expect(await log.thumbnailCount()).toBe(1);
    const removed = await log.removeLast(counted.id);
    expect(removed?.thumbnailId).toBeUndefined();
    expect(await log.thumbnailCount()).toBe(0);
    expect((await log.restore(counted.id))?.thumbnailId).toBeUndefined();
  });

  it('revises a removed person as the tracker decides, still out of the count and without a picture', async () => {
    await log.setSetting('keepThumbnails', true);
    const shift = await log.startShift('North');
    const provisional = await log.recordPerson(person('uncertain'));
    await log.removeLast(provisional.id);
    const revised = await log.revisePerson(provisional, person('without_mask', { thumbnail: jpeg(3000) }));
    expect(revised).toMatchObject({ decision: 'without_mask', removed: { at: clock } });
    expect(revised?.thumbnailId).toBeUndefined();
    expect(await log.thumbnailCount()).toBe(0);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 0 });
    // Put back, they are counted as the camera finally decided.
    await log.restore(provisional.id);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ unmasked: 1, total: 1 });
  });

  it("frees a removed person's picture's share of the pictures' size limit", async () => {
    await log.setSetting('keepThumbnails', true);
    await log.startShift('North');
    const perPicture = THUMBNAIL_MAX_BYTES;
    const fits = Math.floor(THUMBNAIL_TOTAL_MAX_BYTES / perPicture);
    let last: PersonEvent | undefined;
    for (let i = 0; i < fits; i += 1)
      last = await log.recordPerson(person('without_mask', { thumbnail: jpeg(perPicture) }));
    expect(await log.thumbnailCount()).toBe(fits);
    // Full: the next one gets no picture ...
    const noRoom = await log.recordPerson(person('without_mask', { thumbnail: jpeg(perPicture) }));
    expect(noRoom.thumbnailId).toBeUndefined();
    await log.removeLast(noRoom.id);
    await log.removeLast(last!.id);
    expect(await log.thumbnailCount()).toBe(fits - 1);
    // ... and once a pictured person is removed, the next one does.
    const next = await log.recordPerson(person('without_mask', { thumbnail: jpeg(perPicture) }));
    expect(next.thumbnailId).toBe(next.id);
  });

  /** A shift with a person counted at 09:00, a "+ Person" tapped by mistake at 09:30 and removed at 10:00. */
  async function countThenRemoveAMistake() {
    const shift = await log.startShift('North');
    clock = at(9);
    await log.addManual('with_mask');
    clock = at(9, 30);
    const mistake = await log.addManual('with_mask');
    clock = at(10);
    await log.removeLast(mistake.id);
    return shift;
  }

  it("runs a shift's idle clock from a removal (the guard at work), not from the mistaken record", async () => {
    const shift = await countThenRemoveAMistake();
    clock = at(21, 59); // 12 hours after the last count, not after the removal: still running
    expect(await log.endIdleShift()).toBeUndefined();
    clock = at(22, 1);
    expect(await log.endIdleShift()).toMatchObject({ id: shift.id, end: at(10), endReason: 'idle' });
  });

  it('reads the last activity the same before and after a reload once a removed person is put back', async () => {
    clock = at(6);
    const shift = await log.startShift('North');
    clock = at(7);
    const counted = await log.addManual('with_mask');
    clock = at(18);
    await log.removeLast(counted.id);
    await log.restore(counted.id);
    clock = at(19, 1);
    // As a page opened now would read it: the last count, 07:00 (the removal's time went with it).
    expect(await log.endIdleShift()).toMatchObject({ id: shift.id, end: at(7), endReason: 'idle' });
  });

  it('reads a removal as the last activity when the app opens', async () => {
    const shift = await countThenRemoveAMistake();
    log.close();
    clock = at(21, 59);
    log = await open();
    expect(log.currentShift()?.id).toBe(shift.id);
    log.close();
    clock = at(22, 1);
    log = await open(); // opening ends a shift left idle
    expect((await log.shifts()).find((s) => s.id === shift.id)).toMatchObject({
      end: at(10),
      endReason: 'idle',
    });
  });

  it('never ends a shift as idle by removing its last person, however long ago the one before was', async () => {
    const shift = await log.startShift('North');
    clock = at(9);
    const mistake = await log.addManual('without_mask'); // a tap by mistake
    clock = at(21, 1); // noticed 12 hours later: removing it is the guard at work, not idleness
    await log.removeLast(mistake.id);
    expect(await log.endIdleShift()).toBeUndefined();
    expect(await log.restore(mistake.id)).toMatchObject({ id: mistake.id });
    expect(log.currentShift()?.id).toBe(shift.id);
  });
});

describe('thumbnails', () => {
  it('keeps no image by default', async () => {
    const shift = await log.startShift('North');
    const event = await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    expect(event.thumbnailId).toBeUndefined();
    expect(await onDisk(name, (db) => db.count('thumbnails'))).toBe(0);
    expect(await log.events(shift.id)).toHaveLength(1);
  });

  it('when opted in, keeps unmasked people only, within the per-image cap, and drops it on correction', async () => {
    await log.setSetting('keepThumbnails', true);
    await log.startShift('North');
    const masked = await log.recordPerson(person('with_mask', { thumbnail: jpeg(3000) }));
    const tooBig = await log.recordPerson(
      person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES + 1) }),
    );
    const kept = await log.recordPerson(person('without_mask', { thumbnail: jpeg(3000) }));
    expect(masked.thumbnailId).toBeUndefined();
    expect(tooBig.thumbnailId).toBeUndefined();
    expect(kept.thumbnailId).toBe(kept.id);
    expect((await log.thumbnail(kept.id))?.size).toBe(3000);
    expect(await onDisk(name, (db) => db.count('thumbnails'))).toBe(1);

    await log.correctLast('with_mask');
    expect(await log.thumbnail(kept.id)).toBeUndefined();
    expect(await onDisk(name, (db) => db.get('events', kept.id))).not.toHaveProperty('thumbnailId');
  });

  it('stops keeping thumbnails once the total cap is reached', async () => {
    await log.setSetting('keepThumbnails', true);
    await log.startShift('North');
    const fit = Math.floor(THUMBNAIL_TOTAL_MAX_BYTES / THUMBNAIL_MAX_BYTES);
    for (let i = 0; i < fit; i++)
      await log.recordPerson(person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES) }));
    const over = await log.recordPerson(person('without_mask', { thumbnail: jpeg(THUMBNAIL_MAX_BYTES) }));
    expect(over.thumbnailId).toBeUndefined();
    expect(await onDisk(name, (db) => db.count('thumbnails'))).toBe(fit);
    expect(await onDisk(name, (db) => db.count('events'))).toBe(fit + 1);
  });
});

describe('settings', () => {
  it('has defaults, persists changes, and ignores a stored value of the wrong type', async () => {
    expect(log.getSetting('retentionDays')).toBe(90);
    expect(log.getSetting('keepThumbnails')).toBe(false);
    await log.setSetting('retentionDays', 30);
    await onDisk(name, (db) =>
      db.put('settings', { key: 'keepThumbnails', value: 'yes' as unknown as boolean }),
    );
    log.close();
    log = await open();
    expect(log.getSetting('retentionDays')).toBe(30);
    expect(log.getSetting('keepThumbnails')).toBe(false);
  });
});

describe('every person kept (the export of all shifts)', () => {
  it('reads in batches what one read gives, oldest first, with a person counted meanwhile once', async () => {
    const first = await log.startShift('North');
    for (let i = 0; i < 7; i++) {
      clock += 60_000;
      await log.recordPerson(person(i % 2 === 0 ? 'with_mask' : 'without_mask'));
    }
    await log.endShift();
    clock += 3_600_000;
    await log.startShift('South');
    for (let i = 0; i < 3; i++) {
      clock += 60_000;
      await log.recordPerson(person('uncertain'));
    }
    clock += 60_000;
    const [batched, late] = await Promise.all([log.allEvents(2), log.recordPerson(person('with_mask'))]);
    const whole = await log.allEvents(1_000);
    expect(batched).toEqual(whole);
    expect(batched).toHaveLength(11);
    expect(batched.filter((e) => e.id === late.id)).toHaveLength(1);
    expect(batched.filter((e) => e.shiftId === first.id)).toHaveLength(7);
    expect(batched.map((e) => e.time)).toEqual([...batched.map((e) => e.time)].sort((a, b) => a - b));
  });
});

describe('retention', () => {
  /** A finished shift of one person (with a thumbnail) that ended `daysAgo` days before `now`. */
  async function shiftEnded(now: number, daysAgo: number): Promise<string> {
    clock = now - daysAgo * DAY - 3_600_000;
    const shift = await log.startShift(`ended ${daysAgo} days ago`);
    await log.recordPerson(person('without_mask', { thumbnail: jpeg(2000) }));
    clock = now - daysAgo * DAY;
    await log.endShift();
    return shift.id;
  }

  it('deletes shifts that ended more than retentionDays ago, with their events and thumbnails', async () => {
    await log.setSetting('keepThumbnails', true);
    const now = at(12, 0, 20);
    const old = await shiftEnded(now, 91);
    const recent = await shiftEnded(now, 89);
    clock = now - 200 * DAY;
    const running = await log.startShift('running for ages');
    clock = now;

    expect(await log.prune(now)).toBe(1);
    expect((await log.shifts()).map((s) => s.id).sort()).toEqual([recent, running.id].sort());
    expect(await log.events(old)).toEqual([]);
    expect(await log.events(recent)).toHaveLength(1);
    expect(await onDisk(name, (db) => db.getAllFromIndex('thumbnails', 'byShift', old))).toEqual([]);
    expect(await onDisk(name, (db) => db.getAllFromIndex('thumbnails', 'byShift', recent))).toHaveLength(1);
    expect(log.currentShift()?.id).toBe(running.id);
  });

  it('writes a person counted meanwhile between two shifts, not after all of them', async () => {
    const now = at(12, 0, 20);
    for (let days = 20; days > 15; days--) await shiftEnded(now, days);
    clock = now;
    const running = await log.startShift('Now');
    const pruning = log.prune(now, 7);
    await log.recordPerson(person('with_mask'));
    // Once the person is on disk some old shifts are still there: before, the whole prune went first (a days
    // kept setting that deleted 24 shifts of 1,500 people held every count back for a minute on a phone).
    const left = await onDisk(name, (db) => db.count('shifts'));
    expect(left).toBeGreaterThan(1);
    expect(await pruning).toBe(5);
    expect((await log.shifts()).map((s) => s.id)).toEqual([running.id]);
    expect(await log.tally({ shiftId: running.id })).toMatchObject({ masked: 1 });
    expect(await onDisk(name, (db) => db.count('events'))).toBe(1);
  });

  it('counts a shift deleted by two prunes at once only once', async () => {
    const now = at(12, 0, 20);
    await shiftEnded(now, 20);
    await shiftEnded(now, 19);
    clock = now;
    expect((await Promise.all([log.prune(now, 7), log.prune(now, 7)])).reduce((a, b) => a + b)).toBe(2);
    expect(await log.shifts()).toEqual([]);
  });

  describe('a phone whose clock lost the date', () => {
    /** The log as the app opens it: no clock reading before `earliest` is believed. */
    const earliest = at(0, 0, 1);
    const openChecked = () => ShiftLog.open({ name, now: () => clock, earliestTrueTime: earliest });
    /** 1 January 1970, 08:00 local time, and a few hours on: where a phone with a flat battery may wake up. */
    const reset = (hours = 0) => new Date(1970, 0, 1, 8 + hours).getTime();

    it('keeps a shift recorded meanwhile for the days kept from when it really ended at the earliest', async () => {
      log.close();
      log = await openChecked();
      const honest = await shiftEnded(at(16), 0);
      // The clock falls back to 1970; the guard works a shift, then the clock is put right two days later.
      clock = reset();
      const meanwhile = await log.startShift('North');
      await log.recordPerson(person('without_mask'));
      clock = reset(8);
      const ended = await log.endShift();
      expect(ended).toMatchObject({ start: reset(), end: reset(8), notBefore: at(16) });
      clock = at(8, 0, 5);
      log.close();
      log = await openChecked();
      // Before, the shift looked 56 years old and the prune at this start deleted it with its person.
      expect(await log.pruning).toBe(0);
      expect((await log.shifts()).map((s) => s.id).sort()).toEqual([honest, meanwhile.id].sort());
      expect(await log.events(meanwhile.id)).toHaveLength(1);
      // Kept the days set from the last true time, then deleted like the shift that ended then.
      expect(await log.prune(at(16) + 89 * DAY)).toBe(0);
      expect(await log.prune(at(16) + 91 * DAY)).toBe(2);
      expect(await log.shifts()).toEqual([]);
    });

    it('knows the last true time after a reload, and leaves shifts of a right clock unmarked', async () => {
      log.close();
      log = await openChecked();
      clock = at(9);
      const honest = await log.startShift('North');
      await log.recordPerson(person('with_mask'));
      clock = at(11);
      await log.recordPerson(person('with_mask'));
      const ended = await log.endShift();
      expect(ended).not.toHaveProperty('notBefore');
      log.close();
      clock = reset();
      log = await openChecked();
      // Started with the clock reset and ended after it was put right: marked from its start, kept by either.
      const shift = await log.startShift('South');
      expect(shift.notBefore).toBe(at(11));
      clock = at(12);
      expect(await log.endShift()).toMatchObject({ start: reset(), end: at(12), notBefore: at(11) });
      expect((await log.shifts()).map((s) => s.id)).toContain(honest.id);
    });

    it('believes every reading when the log is opened without an earliest true time', async () => {
      clock = reset();
      await log.startShift('North');
      clock = reset(8);
      expect(await log.endShift()).not.toHaveProperty('notBefore');
      clock = at(8, 0, 5);
      expect(await log.prune()).toBe(1);
    });
  });

  describe('a long silence, or a clock far ahead', () => {
    /** Two shifts ended, the later one at `lastEnd`; the days kept: 90 (the default). */
    async function twoShiftsUntil(lastEnd: number): Promise<string[]> {
      return [await shiftEnded(lastEnd, 3), await shiftEnded(lastEnd, 0)];
    }

    it('asks instead of deleting every shift when nothing was recorded for longer than the days kept', async () => {
      const lastEnd = at(16, 0, 20);
      const ids = await twoShiftsUntil(lastEnd);
      log.close();
      // The phone's clock jumped five years ahead (or the phone lay in a drawer): every shift is over 90 days.
      clock = lastEnd + 5 * 365 * DAY;
      log = await open();
      expect(await log.pruning).toBe(0);
      expect(log.heldPrune).toEqual({ shifts: 2, lastRecordedAt: lastEnd });
      expect((await log.shifts()).map((s) => s.id).sort()).toEqual([...ids].sort());
      expect(await onDisk(name, (db) => db.count('events'))).toBe(2);
      // Counting goes on meanwhile, and the guard's "delete them" is the prune.
      const running = await log.startShift('North');
      expect(await log.prune()).toBe(2);
      expect(log.heldPrune).toBeUndefined();
      expect((await log.shifts()).map((s) => s.id)).toEqual([running.id]);
    });

    it('keeps them the days set from now when the guard says so, and asks again after as long', async () => {
      const lastEnd = at(16, 0, 20);
      const ids = await twoShiftsUntil(lastEnd);
      log.close();
      clock = lastEnd + 5 * 365 * DAY;
      log = await open();
      const heard: string[] = [];
      log.addEventListener('status', () => heard.push('status'));
      expect(await log.keepHeldShifts()).toBe(2);
      expect(log.heldPrune).toBeUndefined();
      expect(heard.length).toBeGreaterThan(0);
      for (const id of ids) {
        expect(await onDisk(name, (db) => db.get('shifts', id))).toMatchObject({ notBefore: clock });
      }
      // Opened again the next day: nothing held, nothing deleted.
      log.close();
      clock += DAY;
      log = await open();
      expect(log.heldPrune).toBeUndefined();
      expect(await log.pruning).toBe(0);
      expect(await log.shifts()).toHaveLength(2);
      // Then left unused past the days kept from the guard's answer: asked again, not deleted.
      log.close();
      clock += 90 * DAY;
      log = await open();
      expect(log.heldPrune).toMatchObject({ shifts: 2 });
      expect(await log.pruning).toBe(0);
      expect(await log.shifts()).toHaveLength(2);
    });

    it('prunes without asking when a shift is still within the days kept, or the silence is short', async () => {
      const lastEnd = at(16, 0, 20);
      await twoShiftsUntil(lastEnd);
      // The days kept are 2: 25 days of silence delete both shifts, under the 30 that make the app ask.
      await log.setSetting('retentionDays', 2);
      log.close();
      clock = lastEnd + 25 * DAY;
      log = await open();
      expect(log.heldPrune).toBeUndefined();
      expect(await log.pruning).toBe(2);
      // Days kept 90, one shift ended 200 days ago and one yesterday: the old one goes at open, as always.
      await log.setSetting('retentionDays', 90);
      const now = clock;
      await shiftEnded(now, 200);
      const recent = await shiftEnded(now, 1);
      log.close();
      clock = now;
      log = await open();
      expect(log.heldPrune).toBeUndefined();
      expect(await log.pruning).toBe(1);
      expect((await log.shifts()).map((s) => s.id)).toEqual([recent]);
    });
  });

  it('follows the retention setting, and prunes when the log opens', async () => {
    const now = at(12, 0, 20);
    await shiftEnded(now, 8);
    const kept = await shiftEnded(now, 6);
    await log.setSetting('retentionDays', 7);
    log.close();
    clock = now;
    log = await open();
    // Opening does not wait for it (a phone not opened for weeks said "Starting…" for most of a minute).
    expect(await log.pruning).toBe(1);
    expect((await log.shifts()).map((s) => s.id)).toEqual([kept]);
    expect(await onDisk(name, (db) => db.count('events'))).toBe(1);
  });
});
