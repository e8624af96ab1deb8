/**
 * ShiftActions against a real ShiftLog (fake-indexeddb) and a real DoorCounter, with a stand-in for the
 * guard controller (the page's camera is not needed to start and end shifts).
 */
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { face } from '../helpers/faces.ts';
import { DoorCounter } from '../../src/pipeline/door-counter.ts';
import type { GuardController } from '../../src/pipeline/guard-controller.ts';
import { ShiftActions } from '../../src/pipeline/shift-actions.ts';
import { IDLE_SHIFT_END_MS, ShiftLog } from '../../src/storage/index.ts';
import { jpeg } from '../helpers/shift-log-fixtures.ts';

// The service worker side (workbox-window) has no place in Node; ending a shift only asks it to update.
vi.mock('../../src/offline/index.ts', () => ({ offline: { applyUpdateIfAllowed: () => {} } }));

let name: string;
let log: ShiftLog;
let clock: number;
/** The shift log's wall clock (epoch ms). */
let wall: number;
let counter: DoorCounter;
let actions: ShiftActions;
let controller: GuardController;
/** The opt-in picture of an unmasked person, held back until the test lets it go. */
let releasePicture: (() => void) | undefined;
/** Times the live tally was re-read from the log. */
let tallyReloads: number;
/** Runs while the live tally is read again (what the camera does meanwhile). */
let duringReload: (() => Promise<void>) | undefined;

beforeEach(async () => {
  name = `shift-actions-${crypto.randomUUID()}`;
  wall = Date.now();
  log = await ShiftLog.open({ name, now: () => wall });
  clock = 1000;
  tallyReloads = 0;
  duringReload = undefined;
  counter = new DoorCounter(log, {
    ring: () => {},
    alert: () => {},
    door: () => 'Side door',
    snapshot: () => new Promise((resolve) => (releasePicture = () => resolve(jpeg(500)))),
    recorded: () => {},
    now: () => clock,
  });
  const controllerStandIn = Object.assign(new EventTarget(), {
    state: { tally: undefined, preferences: { door: 'Side door' } },
    counter,
    setDoor: () => {},
    reloadTally: async () => {
      tallyReloads += 1;
      await duringReload?.();
    },
  });
  controller = controllerStandIn as unknown as GuardController;
  actions = new ShiftActions(log, controller);
});

afterEach(async () => {
  log.close();
  await deleteDB(name);
});

describe('ShiftActions', () => {
  it('ends the shift with everyone the camera counted before the guard confirmed, not in a new shift', async () => {
    await actions.startShift();
    const shift = log.currentShift()!;
    await log.setSetting('keepThumbnails', true);
    // An unmasked and a masked person counted; the first record waits for its picture, the second behind it.
    for (let i = 0; i < 8; i += 1) {
      clock += 100;
      // With the frame, as while pictures are kept (the counter only hands it to the host's snapshot).
      counter.observe(clock, [face(50, 0.99), face(600, 0.01)], {} as ImageBitmap);
    }
    expect(counter.recordsInFlight).toBe(2);
    const ended = actions.endShift();
    await vi.waitFor(() => expect(releasePicture).toBeDefined());
    releasePicture!();
    await ended;
    await counter.settled();
    expect(log.currentShift()).toBeUndefined();
    const shifts = await log.shifts();
    expect(shifts.map((s) => s.id)).toEqual([shift.id]);
    expect(shifts[0]!.end).toBeDefined();
    expect((await log.events(shift.id)).map((e) => e.decision).sort()).toEqual(['with_mask', 'without_mask']);
    // The live tally is back to zero: the panel says what the shift came to.
    expect(actions.state.ended).toEqual({
      shiftId: shift.id,
      text: expect.stringMatching(
        /^Shift( at .+)? ended at .+: 1 masked, 1 without a mask, 0 uncertain\. It is in History\.$/,
      ),
    });
    expect(actions.state.message).toBeUndefined();
  });

  it('keeps what an ended shift came to beside the next one, until the guard dismisses it or ends another', async () => {
    await actions.startShift();
    const first = log.currentShift()!;
    await actions.addManual('with_mask');
    await actions.endShift();
    expect(actions.state.ended).toMatchObject({
      shiftId: first.id,
      text: expect.stringMatching(/: 1 masked/),
    });
    // The camera counts the next person a second later (a busy door): a new shift runs, the summary stays.
    for (let i = 0; i < 8; i += 1) {
      clock += 100;
      counter.observe(clock, [face(600, 0.01)]);
    }
    await counter.settled();
    await actions.refresh();
    const second = actions.state.running!;
    expect(second.id).not.toBe(first.id);
    expect(actions.state.ended).toMatchObject({ shiftId: first.id });
    // Ending that one says what it came to instead.
    await actions.endShift();
    expect(actions.state.ended).toMatchObject({
      shiftId: second.id,
      text: expect.stringMatching(/: 1 masked/),
    });
    actions.dismissEnded();
    expect(actions.state.ended).toBeUndefined();
  });

  it('keeps the summary also when the camera starts the next shift while the end is being said', async () => {
    await actions.startShift();
    await actions.addManual('with_mask');
    // The camera counts the next person right after the shift ended, before the panel has read it all again.
    duringReload = async () => {
      duringReload = undefined;
      await log.startShift('Side door');
      await log.recordPerson({
        decision: 'with_mask',
        averageConfidence: 0.9,
        framesSeen: 6,
        timeInViewMs: 600,
      });
    };
    await actions.endShift();
    await vi.waitFor(() => expect(actions.state.running).toBeDefined());
    expect(actions.state.ended?.text).toMatch(/: 1 masked/);
    expect(actions.state.message).toBeUndefined();
  });

  it('does not add a hand count to a shift left running overnight: it is ended and the guard told', async () => {
    await actions.startShift();
    const shift = log.currentShift()!;
    await actions.addManual('with_mask');
    wall += IDLE_SHIFT_END_MS + 60_000;
    await actions.addManual('with_mask');
    expect(actions.state.message).toBe('Start a shift first.');
    expect(actions.state.running).toBeUndefined();
    expect(actions.state.endedIdle?.id).toBe(shift.id);
    expect(await log.events(shift.id)).toHaveLength(1);
  });

  it('does not end a new shift the camera started after the confirmed one was ended as idle', async () => {
    await actions.startShift();
    const confirmed = log.currentShift()!;
    wall += IDLE_SHIFT_END_MS + 60_000;
    // The camera counts a person (the idle shift ends, a new one starts) while the guard confirms the end.
    for (let i = 0; i < 8; i += 1) {
      clock += 100;
      counter.observe(clock, [face(600, 0.01)]);
    }
    await actions.endShift(confirmed.id);
    const running = log.currentShift();
    expect(running).toBeDefined();
    expect(running!.id).not.toBe(confirmed.id);
    expect(actions.state.message).toContain('That shift had already ended');
    expect(await log.events(running!.id)).toHaveLength(1);
  });

  it('ends a shift left idle at its last count, as idle, when the guard ends it hours later', async () => {
    await actions.startShift();
    const shift = log.currentShift()!;
    await actions.addManual('without_mask');
    const lastCount = (await log.events(shift.id))[0]!.time;
    wall += IDLE_SHIFT_END_MS + 3_600_000;
    await actions.endShift(shift.id);
    expect(actions.state.message).toBeUndefined();
    const [ended] = await log.shifts();
    expect(ended).toMatchObject({ id: shift.id, end: lastCount, endReason: 'idle' });
  });

  it('removes the last person counted by mistake, one after another, and puts them back in reverse order', async () => {
    await actions.startShift();
    const shift = log.currentShift()!;
    await actions.addManual('with_mask');
    wall += 1000;
    await actions.addManual('without_mask');
    const [first, second] = await log.events(shift.id);
    expect(actions.state.lastPerson?.id).toBe(second!.id);
    const reloads = tallyReloads;
    wall += 1000;
    await actions.removeLast(second!.id);
    expect(tallyReloads).toBe(reloads + 1); // the live tally is read again
    expect(actions.state).toMatchObject({ lastPerson: { id: first!.id }, removed: { id: second!.id } });
    wall += 1000;
    await actions.removeLast(first!.id);
    expect(actions.state.lastPerson).toBeUndefined();
    expect(actions.state.removed?.id).toBe(first!.id);
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ total: 0 });
    // A stale tap (the panel showed someone who is no longer the last) changes nothing.
    await actions.removeLast(second!.id);
    expect(actions.state.message).toBe('Someone else was counted meanwhile: check the last person again.');
    // The removals are read from the log: a new panel (a reloaded page) can put them back too.
    const reopened = new ShiftActions(log, controller);
    await reopened.refresh();
    expect(reopened.state.removed?.id).toBe(first!.id);
    await reopened.restoreRemoved();
    expect(reopened.state).toMatchObject({ lastPerson: { id: first!.id }, removed: { id: second!.id } });
    await reopened.restoreRemoved();
    expect(reopened.state.lastPerson?.id).toBe(second!.id);
    expect(reopened.state.removed).toBeUndefined();
    expect(reopened.state.message).toBeUndefined();
    expect(await log.tally({ shiftId: shift.id })).toMatchObject({ masked: 1, unmasked: 1 });
  });

  it('removes or puts back nobody in a shift left running 12 hours with nobody counted: it is ended', async () => {
    await actions.startShift();
    const shift = log.currentShift()!;
    await actions.addManual('with_mask');
    await actions.addManual('with_mask');
    const [, second] = await log.events(shift.id);
    await actions.removeLast(second!.id);
    const removedAt = wall;
    wall += IDLE_SHIFT_END_MS + 60_000;
    await actions.restoreRemoved();
    expect(actions.state.message).toBe('That shift had ended: nobody was counted in it for 12 hours.');
    expect(actions.state.running).toBeUndefined();
    // Ended at the guard's last action in it, the removal.
    expect((await log.shifts())[0]).toMatchObject({ id: shift.id, end: removedAt, endReason: 'idle' });
    expect((await log.events(shift.id)).map((e) => e.removed !== undefined)).toEqual([false, true]);
    // Nor is the last person removed from such a shift.
    await actions.startShift();
    const next = log.currentShift()!;
    await actions.addManual('with_mask');
    wall += IDLE_SHIFT_END_MS + 60_000;
    await actions.removeLast((await log.events(next.id))[0]!.id);
    expect(actions.state.message).toBe('That shift had ended: nobody was counted in it for 12 hours.');
    expect((await log.events(next.id))[0]?.removed).toBeUndefined();
  });

  it('offers no removed person of a shift that has ended to put back', async () => {
    await actions.startShift();
    const shift = log.currentShift()!;
    await actions.addManual('with_mask');
    await actions.removeLast((await log.events(shift.id))[0]!.id);
    const stale = actions.state.removed;
    await log.endShift();
    await log.startShift('Side door');
    await actions.refresh();
    expect(stale).toBeDefined();
    expect(actions.state.removed).toBeUndefined(); // only the running shift's removals are offered
  });

  it('re-reads the live tally when the panel ends a shift left idle (the app stayed open)', async () => {
    await actions.startShift();
    await actions.addManual('without_mask');
    await actions.refresh();
    const before = tallyReloads;
    wall += IDLE_SHIFT_END_MS + 60_000;
    await actions.refresh();
    expect(actions.state.running).toBeUndefined();
    expect(tallyReloads).toBe(before + 1);
  });
});
