/**
 * Changing any person of the running shift from History (not only the last one, which the shift panel
 * changes): over a real ShiftLog (fake-indexeddb) with a stand-in for the guard controller.
 */
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_SHIFT_END_MS, ShiftLog, type PersonEvent } from '../../src/storage/index.ts';
import { ShiftHistory } from '../../src/pipeline/shift-history.ts';
import type { GuardController } from '../../src/pipeline/guard-controller.ts';
import { person } from '../helpers/shift-log-fixtures.ts';
import { parseCsv } from '../helpers/csv.ts';

// No download in Node: the files the history model would download are kept here instead.
const downloads = vi.hoisted(() => [] as { file: string; parts: readonly (string | Blob)[] }[]);
vi.mock('../../src/pipeline/csv-download.ts', () => ({
  csvFileName: (door: string) => `${door}.csv`,
  shiftCsvFileName: () => 'file.csv',
  downloadCsv: (file: string, parts: readonly (string | Blob)[]) => void downloads.push({ file, parts }),
  loadCsvDialect: () => 'comma',
  saveCsvDialect: () => {},
}));

let name: string;
let log: ShiftLog;
let wall: number;
let history: ShiftHistory;
let tallyReloads: number;
let people: PersonEvent[];

beforeEach(async () => {
  name = `history-changes-${crypto.randomUUID()}`;
  wall = Date.UTC(2024, 5, 3, 8);
  log = await ShiftLog.open({ name, now: () => wall });
  tallyReloads = 0;
  const controller = Object.assign(new EventTarget(), {
    state: { tally: {} },
    reloadTally: async () => void (tallyReloads += 1),
  }) as unknown as GuardController;
  history = new ShiftHistory(log, controller);
  await log.startShift('North');
  people = [];
  for (const [i, decision] of (['without_mask', 'with_mask', 'with_mask'] as const).entries()) {
    wall += 1000;
    people.push(await log.recordPerson(person(decision, { number: i + 1 })));
  }
  await history.refresh();
});

afterEach(async () => {
  log.close();
  await deleteDB(name);
});

describe('changing a person of the running shift from History', () => {
  it('offers the running shift for changes', () => {
    expect(history.state.runningShiftId).toBe(log.currentShift()!.id);
  });

  it('corrects a person counted before the last one, and the tally and the list follow', async () => {
    await history.changePerson(people[0]!.id, 'with_mask');
    expect(history.state.message).toBeUndefined();
    expect(history.state.tally).toMatchObject({ masked: 3, unmasked: 0 });
    expect(history.state.events[0]).toMatchObject({
      id: people[0]!.id,
      decision: 'with_mask',
      corrected: { from: 'without_mask' },
    });
    expect(tallyReloads).toBe(1);
  });

  it('takes a person out of the count and puts them back with another decision', async () => {
    await history.changePerson(people[1]!.id, 'removed');
    expect(history.state.tally).toMatchObject({ masked: 1, unmasked: 1, total: 2 });
    expect(history.state.events[1]?.removed).toBeDefined();
    await history.changePerson(people[1]!.id, 'uncertain');
    expect(history.state.tally).toMatchObject({ masked: 1, unmasked: 1, uncertain: 1, total: 3 });
    expect(history.state.events[1]).toMatchObject({
      decision: 'uncertain',
      corrected: { from: 'with_mask' },
    });
    expect(history.state.events[1]?.removed).toBeUndefined();
    // Put back as they were: no correction recorded.
    await history.changePerson(people[2]!.id, 'removed');
    await history.changePerson(people[2]!.id, 'with_mask');
    expect(history.state.events[2]?.corrected).toBeUndefined();
    expect(history.state.events[2]?.removed).toBeUndefined();
  });

  it('changes nobody of a shift that has ended, and says so', async () => {
    await log.endShift();
    await history.changePerson(people[0]!.id, 'with_mask');
    expect(history.state.message).toBe('That person can no longer be changed: their shift has ended.');
    expect(history.state.runningShiftId).toBeUndefined();
    expect(history.state.events[0]).toMatchObject({ decision: 'without_mask' });
    expect(history.state.busy).toBe(false);
  });

  it('changes nobody of a shift left running 12 hours with nobody counted: it is ended', async () => {
    wall += IDLE_SHIFT_END_MS + 60_000;
    await history.changePerson(people[0]!.id, 'removed');
    expect(history.state.message).toBe('That shift had ended: nobody was counted in it for 12 hours.');
    expect(history.state.events.every((e) => e.removed === undefined)).toBe(true);
  });
});

describe('the shift shown in History', () => {
  it('falls back to the newest shift, and says so, when the one shown is deleted by the days kept', async () => {
    const old = log.currentShift()!;
    await log.endShift();
    wall += 10 * 86_400_000;
    const current = await log.startShift('South');
    wall += 1000;
    await log.recordPerson(person('with_mask', { number: 9 }));
    await history.chooseShift(old.id);
    expect(history.state.events).toHaveLength(3);
    expect(await log.prune(wall, 5)).toBe(1);
    await history.refresh();
    expect(history.state.scope).toEqual({ kind: 'shift', shiftId: current.id });
    expect(history.state.shifts.map((s) => s.id)).toEqual([current.id]);
    expect(history.state.events.map((e) => e.number)).toEqual([9]);
    expect(history.state.message).toMatch(/no longer kept/);
  });
});

describe('exporting every shift kept', () => {
  it('writes the people of every shift in one file, oldest first, without those removed from the count', async () => {
    const first = log.currentShift()!;
    await history.changePerson(people[1]!.id, 'removed');
    await log.endShift();
    wall += 86_400_000;
    const second = await log.startShift('South');
    wall += 1000;
    await log.recordPerson(person('uncertain', { number: 1 }));
    downloads.length = 0;
    await history.exportAll();
    expect(downloads.map((d) => d.file)).toEqual(['all shifts.csv']);
    const text = await new Blob([...downloads[0]!.parts]).text();
    const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
    const cell = (row: string[], column: string) => row[header!.indexOf(column)];
    expect(rows.map((r) => [cell(r, 'shift_id'), cell(r, 'door'), cell(r, 'decision')])).toEqual([
      [first.id, 'North', 'without_mask'],
      [first.id, 'North', 'with_mask'],
      [second.id, 'South', 'uncertain'],
    ]);
    expect(history.state.message).toBe(
      "Exported 3 people as all shifts.csv (look in the phone's downloads).",
    );
  });
});

describe('a prune while History is shown', () => {
  it('re-reads the shifts by itself: the prune opening starts may end after History read them', async () => {
    const old = log.currentShift()!;
    await log.endShift();
    wall += 10 * 86_400_000;
    const current = await log.startShift('South');
    history.shown = true;
    await history.chooseShift(old.id);
    expect(history.state.shifts).toHaveLength(2);
    expect(await log.prune(wall, 5)).toBe(1);
    await vi.waitFor(() => expect(history.state.shifts.map((s) => s.id)).toEqual([current.id]));
    expect(history.state.scope).toEqual({ kind: 'shift', shiftId: current.id });
    expect(history.state.message).toMatch(/no longer kept/);
  });
});

describe('counts while History is not shown', () => {
  it('are read when it is shown, not at every person while the guard is on another screen', async () => {
    const controller = Object.assign(new EventTarget(), {
      state: { tally: {} },
      reloadTally: async () => {},
    });
    const hidden = new ShiftHistory(log, controller as unknown as GuardController);
    await hidden.refresh();
    let reads = 0;
    const events = log.events.bind(log);
    log.events = (shiftId: string) => {
      reads += 1;
      return events(shiftId);
    };
    /** The camera counts a person: the controller replaces its tally. */
    const count = async () => {
      wall += 1000;
      await log.recordPerson(person('with_mask'));
      controller.state = { tally: {} };
      controller.dispatchEvent(new Event('change'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await count();
    expect(reads).toBe(0);
    expect(hidden.state.events).toHaveLength(3);
    // Shown: the app re-reads it, and each count is read as it comes.
    hidden.shown = true;
    await hidden.refresh();
    expect(hidden.state.events).toHaveLength(4);
    await count();
    expect(hidden.state.events).toHaveLength(5);
    expect(reads).toBe(2);
  });
});

describe('History shown before the first shift', () => {
  it("shows the shift the camera's first person starts, without leaving the screen", async () => {
    const emptyName = `history-empty-${crypto.randomUUID()}`;
    const empty = await ShiftLog.open({ name: emptyName, now: () => wall });
    try {
      const controller = Object.assign(new EventTarget(), {
        state: { tally: {} },
        reloadTally: async () => {},
      });
      const shown = new ShiftHistory(empty, controller as unknown as GuardController);
      shown.shown = true;
      await shown.refresh();
      expect(shown.state.shifts).toEqual([]);
      // The camera counts someone: a shift starts with them, and the controller replaces its tally.
      await empty.startShift('North');
      await empty.recordPerson(person('without_mask', { number: 1 }));
      controller.state = { tally: {} };
      controller.dispatchEvent(new Event('change'));
      await vi.waitFor(() => expect(shown.state.shifts).toHaveLength(1));
      expect(shown.state.scope).toEqual({ kind: 'shift', shiftId: empty.currentShift()!.id });
      expect(shown.state.events.map((e) => e.number)).toEqual([1]);
    } finally {
      empty.close();
      await deleteDB(emptyName);
    }
  });
});
