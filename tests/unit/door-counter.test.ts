/**
 * DoorCounter against a real ShiftLog (fake-indexeddb): people seen in synthetic frame sequences are
 * alerted for and recorded once each, in counting order, with thumbnails only when opted in; pauses keep
 * people, a stop counts them.
 */
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Box } from '../../src/shared/geometry.ts';
import { face } from '../helpers/faces.ts';
import type { FaceResult } from '../../src/shared/protocol.ts';
import {
  ALERT_VISIBLE_MS,
  DoorCounter,
  TRACKS_OVER_RELOAD_KEY,
  alertsOnScreen,
  type FaceTrack,
  type PersonAlert,
} from '../../src/pipeline/door-counter.ts';
import { FRAME_TIMEOUT_MS } from '../../src/pipeline/detection-client.ts';
import { DEFAULT_TRACKER_OPTIONS } from '../../src/shared/tracking/index.ts';
import { IDLE_SHIFT_END_MS, ShiftLog } from '../../src/storage/index.ts';
import { failEventWrites, jpeg } from '../helpers/shift-log-fixtures.ts';

let name: string;
let log: ShiftLog;
let clock: number;
/** The shift log's wall clock (epoch ms), apart from the counting clock. */
let wall: number;
let rings: number;
let alerts: PersonAlert[];
let snapshots: Box[];
/** The frame each picture was taken from, and the frame being observed when it was asked for. */
let snapshotFrames: { frame: ImageBitmap; observing: ImageBitmap | undefined }[];
/** The frame passed to the observe() call running now. */
let observing: ImageBitmap | undefined;
let problems: string[];
/** Calls of the host's `recorded` (each makes the screen read the tally again). */
let recordedCalls = 0;
let counter: DoorCounter;

beforeEach(async () => {
  name = `door-counter-${crypto.randomUUID()}`;
  wall = Date.now();
  log = await ShiftLog.open({ name, now: () => wall });
  clock = 1000;
  rings = 0;
  alerts = [];
  snapshots = [];
  snapshotFrames = [];
  problems = [];
  counter = newCounter();
});

/** A counter on the test's log and clock (a page's; a reload makes another). */
function newCounter(): DoorCounter {
  return new DoorCounter(log, {
    ring: () => void (rings += 1),
    alert: (alert) => void alerts.push(alert),
    door: () => 'Side door',
    snapshot: async (box, frame) => {
      snapshots.push(box);
      snapshotFrames.push({ frame, observing: observing });
      return jpeg(500);
    },
    recorded: (problem) => {
      recordedCalls += 1;
      if (problem !== undefined) problems.push(problem);
    },
    now: () => clock,
  });
}

/** The origin's localStorage, where a page leaves the people at the door for the next one. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

afterEach(async () => {
  vi.restoreAllMocks();
  log.close();
  await deleteDB(name);
});

/** A stand-in for the frame a result is for (the counter only hands it on to the host). */
const frameAt = (ms: number) => ({ ms }) as unknown as ImageBitmap;

/** `frames` frames at 10 fps, each showing `faces`; returns the last frame's tracks (and numbers). */
function watch(frames: number, ...faces: FaceResult[]): (FaceTrack | undefined)[] {
  let ids: (FaceTrack | undefined)[] = [];
  for (let i = 0; i < frames; i += 1) {
    clock += 100;
    observing = frameAt(clock);
    ids = counter.observe(clock, faces, observing);
    observing = undefined;
  }
  return ids;
}

const decisions = async () => {
  const shift = log.currentShift();
  return shift === undefined ? [] : (await log.events(shift.id)).map((e) => e.decision);
};

describe('DoorCounter', () => {
  it("records each person with the number their box and alert showed, above the running shift's on a new page", async () => {
    watch(30, face(200, 0.98));
    await counter.settled();
    const shift = log.currentShift()!;
    const [first] = await log.events(shift.id);
    expect(alerts.map((a) => a.number)).toEqual([first!.number]);
    expect(first!.number).toBeGreaterThanOrEqual(1);
    // The page is opened again (no tracks carried over): its numbers go on above the shift's, never from 1.
    log.close();
    log = await ShiftLog.open({ name, now: () => wall });
    expect(log.nextPersonNumber).toBe(first!.number! + 1);
    counter = newCounter();
    clock += 60_000;
    const [track] = watch(30, face(200, 0.02));
    expect(track?.number).toBe(first!.number! + 1);
    await counter.settled();
    expect((await log.events(shift.id)).map((e) => e.number)).toEqual([first!.number, first!.number! + 1]);
  });

  it('records a person standing in view once, starting a shift at the configured door', async () => {
    const ids = watch(100, face(200, 0.02));
    expect(ids).toEqual([{ trackId: expect.any(Number), number: expect.any(Number) }]);
    expect(counter.peopleInView).toBe(1);
    await counter.settled();
    expect(log.currentShift()?.door).toBe('Side door');
    expect(await decisions()).toEqual(['with_mask']);
    expect({ rings, alerts: alerts.length, inFlight: counter.recordsInFlight }).toEqual({
      rings: 0,
      alerts: 0,
      inFlight: 0,
    });
  });

  it('numbers people on from where it was after the input changes, so no number names two people', async () => {
    const [first] = watch(10, face(200, 0.95));
    counter.end();
    clock += 5000;
    const [second] = watch(10, face(200, 0.95));
    await counter.settled();
    expect(first?.number).toBeDefined();
    expect(second?.number).toBe(first!.number! + 1);
    expect(alerts.map((a) => a.number)).toEqual([first!.number, second!.number]);
  });

  it('rings and alerts for each unmasked person; two counted in one frame are both recorded in one shift', async () => {
    watch(8, face(50, 0.95), face(400, 0.9));
    await counter.settled();
    expect(await decisions()).toEqual(['without_mask', 'without_mask']);
    expect((await log.shifts()).length).toBe(1);
    expect(rings).toBe(2);
    expect(alerts.map((a) => a.decision)).toEqual(['without_mask', 'without_mask']);
  });

  it('alerts for a doubtful person beside a fresh unmasked one (the screen shows both), ringing for the unmasked one only', async () => {
    watch(6, face(50, 0.95));
    // A second person whose average stays in the uncertain band until the tracker gives up on deciding.
    watch(40, face(50, 0.95), face(400, 0.3));
    await counter.settled();
    expect(await decisions()).toEqual(['without_mask', 'uncertain']);
    expect(alerts.map((a) => a.decision)).toEqual(['without_mask', 'uncertain']);
    expect(rings).toBe(1);
  });

  it('takes a thumbnail only of unmasked people and only when the guard opted in', async () => {
    watch(8, face(50, 0.95), face(400, 0.01));
    await counter.settled();
    expect(snapshots).toEqual([]);
    await log.setSetting('keepThumbnails', true);
    counter.end();
    watch(8, face(50, 0.95), face(400, 0.01));
    await counter.settled();
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ x: 50 });
    expect(await log.thumbnailCount()).toBe(1);
  });

  it('starts a new shift for a person counted 12 hours after the last one, and keeps the notice', async () => {
    watch(8, face(50, 0.01));
    await counter.settled();
    const first = log.currentShift()!;
    const firstCount = (await log.events(first.id))[0]!.time;
    counter.end();
    wall += IDLE_SHIFT_END_MS + 60_000;
    watch(8, face(50, 0.01));
    await counter.settled();
    const second = log.currentShift()!;
    expect(second.id).not.toBe(first.id);
    expect(log.endedIdle).toMatchObject({ ...first, end: firstCount, endReason: 'idle' });
    expect(log.endedIdle?.endedByAppAt).toBeGreaterThanOrEqual(firstCount + IDLE_SHIFT_END_MS);
    expect(await log.events(first.id)).toHaveLength(1);
    expect(await log.events(second.id)).toHaveLength(1);
  });

  it('takes the picture from the frame the person was counted in, while that frame is observed', async () => {
    await log.setSetting('keepThumbnails', true);
    watch(8, face(50, 0.95));
    await counter.settled();
    expect(snapshotFrames).toHaveLength(1);
    expect(snapshotFrames[0]!.frame).toBe(snapshotFrames[0]!.observing);
    // Without the frame (none kept), no picture: never one of whatever is on screen later.
    counter.end();
    for (let i = 0; i < 8; i += 1) {
      clock += 100;
      counter.observe(clock, [face(400, 0.95)]);
    }
    await counter.settled();
    expect(snapshotFrames).toHaveLength(1);
    expect(await log.events(log.currentShift()!.id)).toHaveLength(2);
  });

  it('keeps people over a pause (no second count) and counts the undecided when input stops', async () => {
    watch(10, face(200, 0.02));
    counter.pause();
    // Still someone a reload would cut short: a resume within the blind limit continues their track.
    expect({ inView: counter.peopleInView, paused: counter.paused }).toEqual({ inView: 1, paused: true });
    clock += 3000;
    watch(10, face(205, 0.02));
    expect(counter.paused).toBe(false);
    // Someone seen for 6 frames but undecided is counted uncertain; someone glimpsed for 3 is never counted.
    watch(6, face(205, 0.02), face(500, 0.3));
    watch(3, face(205, 0.02), face(900, 0.99));
    counter.end();
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask', 'uncertain']);
    expect(counter.peopleInView).toBe(0);
  });

  it('holds a paused person as in view for as long as a resume would continue their track', async () => {
    watch(10, face(200, 0.02));
    counter.pause();
    clock += DEFAULT_TRACKER_OPTIONS.maxBlindMs;
    counter.pause(); // pausing again (hidden, then the camera lost) does not restart the wait
    expect(counter.peopleInView).toBe(1);
    clock += 1;
    expect(counter.peopleInView).toBe(0);
  });

  it('records undecided people as uncertain on a pause, silently, and alerts once they stay so when seen on', async () => {
    watch(6, face(200, 0.3));
    counter.pause();
    expect(counter.peopleInView).toBe(1); // recorded, and still kept for a resume
    await counter.settled();
    expect(await decisions()).toEqual(['uncertain']);
    expect(alerts).toEqual([]);
    clock += 2000;
    watch(40, face(200, 0.3));
    counter.end();
    await counter.settled();
    expect(await decisions()).toEqual(['uncertain']);
    // Confirmed uncertain after 3 s in view (the pause left out): the amber alert then, and the record
    // now holds every frame it was decided from.
    expect(alerts.map((a) => a.decision)).toEqual(['uncertain']);
    const [event] = await log.events(log.currentShift()!.id);
    expect(event!.framesSeen).toBeGreaterThan(30);
  });

  it('alerts for and revises (never adds) a person counted uncertain on hiding who turns out unmasked', async () => {
    watch(6, face(200, 0.3));
    counter.pause();
    await counter.settled();
    expect(await decisions()).toEqual(['uncertain']);
    expect(alerts).toEqual([]);
    clock += 2000;
    watch(20, face(200, 0.99));
    await counter.settled();
    expect(await decisions()).toEqual(['without_mask']);
    expect(await log.tally({ shiftId: log.currentShift()!.id })).toMatchObject({
      unmasked: 1,
      uncertain: 0,
      total: 1,
    });
    expect(rings).toBe(1);
    expect(alerts.map((a) => a.decision)).toEqual(['without_mask']);
  });

  /** The page goes and the next one of the tab opens `afterMs` later: a new log, counter and clock. */
  async function reload(storage: ReturnType<typeof memoryStorage>, afterMs: number): Promise<void> {
    log.close(); // what the old page kept in memory goes with it
    wall += afterMs;
    vi.spyOn(Date, 'now').mockReturnValue(wall);
    log = await ShiftLog.open({ name, now: () => wall });
    clock = 100;
    counter = newCounter();
    counter.resumeAfterReload(storage);
  }

  it('does not count again a person who stands at the door through a page reload', async () => {
    const [id] = watch(10, face(200, 0.02));
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask']);
    // The page goes (pagehide): paused, its tracks kept for the next page of the tab.
    const storage = memoryStorage();
    counter.pause();
    counter.saveForReload(storage);
    // The next page, 3 s later: its own counter, its clock starting again.
    await reload(storage, 3000);
    expect(storage.getItem(TRACKS_OVER_RELOAD_KEY)).toBeNull(); // read once
    const [again] = watch(30, face(204, 0.02));
    expect(again).toEqual(id);
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask']);
    // A newcomer is counted, under the next number.
    const [, newcomer] = watch(10, face(204, 0.02), face(600, 0.02));
    expect(newcomer?.number).toBe(id!.number! + 1);
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask', 'with_mask']);
  });

  it('numbers people above those the page before passed on, even when its tracks are not carried on', async () => {
    const [first] = watch(10, face(200, 0.02));
    await counter.settled();
    // A second person, seen long enough but undecided, when the page goes: recorded uncertain on the pause,
    // the record still on its way, so it is passed on with its number.
    const [, second] = watch(6, face(200, 0.02), face(600, 0.3));
    // Seen long enough to be counted, still undecided: their box shows the number they will be counted under.
    expect(second?.number).toBe(first!.number! + 1);
    expect(counter.decisionOf(second!.trackId)).toBeUndefined();
    const storage = memoryStorage();
    counter.pause();
    counter.saveForReload(storage);
    // The next page opens after the tracker's blind time: no tracks carried on, the record written.
    await reload(storage, 11_000);
    const [newcomer] = watch(10, face(400, 0.02));
    await counter.settled();
    // The second person was counted on the pause under that number; the newcomer took the one after.
    expect(newcomer?.number).toBe(first!.number! + 2);
    const numbers = (await log.events(log.currentShift()!.id)).map((e) => e.number);
    expect(numbers).toEqual([first!.number, first!.number! + 1, first!.number! + 2]);
  });

  it('revises, not adds, a person undecided at a reload and decided after it; ignores an old save', async () => {
    watch(6, face(200, 0.3));
    const storage = memoryStorage();
    counter.pause(); // recorded as uncertain, provisionally
    counter.saveForReload(storage);
    await counter.settled();
    expect(await decisions()).toEqual(['uncertain']);
    await reload(storage, 2000);
    watch(20, face(200, 0.99));
    await counter.settled();
    expect(await decisions()).toEqual(['without_mask']);
    expect(alerts.map((a) => a.decision)).toEqual(['without_mask']);
    // A save older than the blind time is not used: whoever stands there may be someone else.
    counter.pause();
    counter.saveForReload(storage);
    await reload(storage, 11_000);
    watch(10, face(200, 0.99));
    await counter.settled();
    expect(await decisions()).toEqual(['without_mask', 'without_mask']);
  });

  it('writes on the next page a person counted just before a reload whose record never reached the disk', async () => {
    const disk = failEventWrites('quota'); // the disk takes no person record
    const [id] = watch(10, face(200, 0.02));
    const storage = memoryStorage();
    counter.pause();
    counter.saveForReload(storage);
    await counter.settled();
    disk.mockRestore();
    await reload(storage, 2000);
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask']);
    // Still at the door: the same person, not counted again.
    const [again] = watch(20, face(202, 0.02));
    expect(again).toEqual(id);
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask']);
  });

  it('writes a record passed on into the shift it was counted in, also when the app is opened after that ended', async () => {
    const shiftA = (await log.startShift('Side door')).id;
    const disk = failEventWrites('quota'); // the record is still on its way when the app is closed
    watch(10, face(200, 0.02));
    const storage = memoryStorage();
    counter.pause();
    counter.saveForReload(storage);
    await counter.settled();
    disk.mockRestore();
    // Opened again the next morning: shift A is ended at open (nobody counted in it for 12 hours).
    await reload(storage, IDLE_SHIFT_END_MS + 3_600_000);
    await counter.settled();
    expect(log.currentShift()).toBeUndefined(); // no new shift started by yesterday's person
    expect(await log.shifts()).toHaveLength(1);
    expect((await log.events(shiftA)).map((e) => e.decision)).toEqual(['with_mask']);
  });

  it('records once a person undecided at a reload with no shift yet, who then leaves undecided', async () => {
    const disk = failEventWrites('quota');
    watch(6, face(200, 0.3));
    const storage = memoryStorage();
    counter.pause(); // recorded as uncertain, provisionally: the record starts the shift, but stays in memory
    counter.saveForReload(storage);
    await counter.settled();
    disk.mockRestore();
    await reload(storage, 1500);
    watch(3, face(200, 0.3));
    clock += 3000;
    watch(20); // gone
    counter.end();
    await counter.settled();
    expect(await decisions()).toEqual(['uncertain']);
    expect(alerts).toEqual([]);
  });

  it('writes the records passed on even when the tracks do not carry over, and again after a second reload', async () => {
    const disk = failEventWrites('quota');
    watch(10, face(200, 0.02));
    const storage = memoryStorage();
    counter.pause();
    counter.saveForReload(storage);
    await counter.settled();
    // The next page goes too before writing it (a second reload at once)...
    await reload(storage, 500);
    counter.pause();
    counter.saveForReload(storage);
    await counter.settled();
    disk.mockRestore();
    // ... and the third comes 11 s later: too late for the tracks, not for the record.
    await reload(storage, 11_000);
    const calls = recordedCalls;
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask']);
    expect(recordedCalls).toBeGreaterThan(calls); // the screen reads the tally again
  });

  it('revises in its own shift a provisional record when the guard ended that shift before a reload', async () => {
    watch(6, face(200, 0.3));
    counter.pause(); // uncertain, provisionally, in shift A
    await counter.settled();
    const shiftA = log.currentShift()!.id;
    await log.endShift(); // the guard ends A; the person is still at the door
    const storage = memoryStorage();
    counter.saveForReload(storage);
    await reload(storage, 1000);
    watch(20, face(200, 0.99));
    await counter.settled();
    expect((await log.events(shiftA)).map((e) => e.decision)).toEqual(['without_mask']);
    expect(log.currentShift()).toBeUndefined(); // no second record started a shift B
  });

  it('passes on the decision made of a person recorded uncertain, when the page goes before writing it', async () => {
    watch(6, face(200, 0.3));
    counter.pause(); // hidden: recorded uncertain, provisionally
    await counter.settled();
    clock += 2000;
    // Shown again: decided unmasked at once (alert and box say so), and the page goes (pagehide) before the
    // revision is written.
    const [id] = watch(3, face(200, 0.99));
    expect(alerts.map((a) => a.decision)).toEqual(['without_mask']);
    const storage = memoryStorage();
    counter.pause();
    counter.saveForReload(storage);
    await reload(storage, 1000);
    const [again] = watch(30, face(200, 0.99));
    await counter.settled();
    expect(again?.trackId).toBe(id?.trackId);
    // One person, as the alert and the box said: the record is revised, not left uncertain, nor added to.
    expect(await decisions()).toEqual(['without_mask']);
    expect(counter.decisionOf(again!.trackId)).toBe('without_mask');
  });

  it('passes on a revision made just after a reload, while the record carried over is being checked', async () => {
    watch(6, face(200, 0.3));
    counter.pause(); // recorded uncertain, provisionally
    await counter.settled();
    const first = memoryStorage();
    counter.saveForReload(first);
    await reload(first, 1000);
    // The next page: the person is decided at once, and the revision's write is slow (a busy disk).
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const revise = log.revisePerson.bind(log);
    vi.spyOn(log, 'revisePerson').mockImplementation(async (...args) => {
      await slow;
      return revise(...args);
    });
    watch(3, face(200, 0.99));
    expect(alerts.map((a) => a.decision)).toEqual(['without_mask']);
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    // That page goes too, the revision still waiting.
    counter.pause();
    const second = memoryStorage();
    counter.saveForReload(second);
    release();
    vi.restoreAllMocks();
    await reload(second, 1000);
    await counter.settled();
    expect(await decisions()).toEqual(['without_mask']);
  });

  it('starts normally from anything else left in the tab storage', async () => {
    for (const text of [
      'null',
      '[5]',
      '{"wallMs":1}',
      'not json',
      JSON.stringify({ wallMs: Date.now(), clockMs: 0, provisional: [5], unwritten: [], tracker: {} }),
    ]) {
      const storage = memoryStorage();
      storage.setItem(TRACKS_OVER_RELOAD_KEY, text);
      counter = newCounter();
      expect(() => counter.resumeAfterReload(storage)).not.toThrow();
      expect(storage.getItem(TRACKS_OVER_RELOAD_KEY)).toBeNull();
    }
    watch(10, face(200, 0.02));
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask']);
  });

  it("shows a person's counted decision for their box, but not a provisional one nobody was alerted for", async () => {
    const [id] = watch(8, face(200, 0.99));
    expect(counter.decisionOf(id!.trackId)).toBe('without_mask');
    const [other] = watch(1, face(200, 0.99), face(600, 0.3));
    expect(other).toEqual(id);
    const [, doubtful] = watch(6, face(200, 0.99), face(600, 0.3));
    expect(counter.decisionOf(doubtful!.trackId)).toBeUndefined(); // still deciding
    counter.pause(); // counted uncertain, provisionally, without an alert
    await counter.settled();
    clock += 2000;
    const [, again] = watch(1, face(200, 0.99), face(600, 0.99));
    expect(again?.trackId).toBe(doubtful?.trackId);
    expect(counter.decisionOf(again!.trackId)).toBeUndefined();
    watch(20, face(200, 0.99), face(600, 0.99));
    expect(counter.decisionOf(again!.trackId)).toBe('without_mask'); // revised, with its alert
    await counter.settled();
    // The doubtful person took the next number when counted on the pause, and kept it when decided.
    expect(alerts.map((a) => [a.number, a.decision])).toEqual([
      [id!.number, 'without_mask'],
      [id!.number! + 1, 'without_mask'],
    ]);
  });

  it('revises a person counted uncertain on hiding in their own shift, even once the guard has ended it', async () => {
    watch(6, face(200, 0.3));
    counter.pause();
    await counter.settled();
    const shift = log.currentShift()!;
    await log.endShift();
    clock += 2000;
    watch(20, face(200, 0.99));
    await counter.settled();
    expect((await log.events(shift.id)).map((e) => e.decision)).toEqual(['without_mask']);
    // Still one person, in the shift they were counted in: no new shift for them.
    expect(log.currentShift()).toBeUndefined();
    expect(await log.shifts()).toHaveLength(1);
    expect(rings).toBe(1);
  });

  it('counts a person once across a hung frame and the restart after it, thanks to the pause at the restart', async () => {
    // What the guard controller does on the detection client's "restart": the counter pauses.
    const hangThenRestart = (pause: boolean) => {
      clock += FRAME_TIMEOUT_MS; // no frame answered until the client gives up on it
      if (pause) counter.pause();
      clock += 3000; // the new worker loads its models
    };
    watch(20, face(200, 0.02));
    hangThenRestart(true);
    watch(20, face(200, 0.02));
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask']);
    // Without the pause the blind time outlasts the tracker's limit and the same person counts again.
    hangThenRestart(false);
    watch(20, face(200, 0.02));
    await counter.settled();
    expect(await decisions()).toEqual(['with_mask', 'with_mask']);
  });

  it('leaves a person the disk refuses in the shift log (kept in memory), and goes on counting', async () => {
    watch(8, face(50, 0.01));
    await counter.settled();
    failEventWrites('quota');
    watch(8, face(50, 0.01), face(600, 0.99));
    await counter.settled();
    expect(problems).toEqual([]);
    expect(counter.recordsInFlight).toBe(0);
    expect(log.status.state).toBe('pending');
    expect(await log.tally({ shiftId: log.currentShift()!.id })).toMatchObject({ masked: 1, unmasked: 1 });
  });
});

describe('alertsOnScreen', () => {
  const at = (number: number, atMs: number, decision: PersonAlert['decision']): PersonAlert => ({
    number,
    atMs,
    decision,
  });

  it('keeps the alerts still within their time beside the new one, oldest first', () => {
    const shown = [at(1, 0, 'without_mask'), at(2, 1000, 'without_mask')];
    expect(alertsOnScreen(shown, at(3, ALERT_VISIBLE_MS + 500, 'uncertain'), 3).map((a) => a.number)).toEqual(
      [2, 3],
    );
  });

  it('lets doubtful alerts make way before an unmasked one when there are too many', () => {
    let shown: PersonAlert[] = [at(1, 0, 'without_mask')];
    for (const [id, t] of [
      [2, 100],
      [3, 200],
      [4, 300],
    ])
      shown = alertsOnScreen(shown, at(id!, t!, 'uncertain'), 3);
    expect(shown.map((a) => a.number)).toEqual([1, 3, 4]);
    // With only unmasked ones, the oldest goes.
    shown = [at(1, 0, 'without_mask'), at(2, 10, 'without_mask'), at(3, 20, 'without_mask')];
    expect(alertsOnScreen(shown, at(4, 30, 'without_mask'), 3).map((a) => a.number)).toEqual([2, 3, 4]);
  });
});
