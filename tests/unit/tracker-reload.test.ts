/**
 * A page that reloads while someone stands at the door: the tracker's snapshot, carried across the reload as
 * JSON, lets the next page's tracker continue the same tracks (and numbers) on its own clock, so the person is
 * not counted a second time; a reload that outlasts the blind time starts afresh, and a damaged snapshot is
 * refused.
 */
import { describe, expect, it } from 'vitest';
import { FaceTracker } from '../../src/shared/tracking/tracker';
import type { Observation } from '../../src/shared/tracking/types';

const face = (cx: number, probWithoutMask: number): Observation => ({
  box: { x: cx - 40, y: 100, width: 80, height: 80 },
  probWithoutMask,
});

/**
 * Frames every 100 ms from `fromMs`, each with `faces`; the counted people of all of them, and the number of
 * each face's person in the last frame (null while not counted).
 */
function frames(tracker: FaceTracker, fromMs: number, count: number, ...faces: Observation[]) {
  const counted = [];
  let numbers: (number | null | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const update = tracker.update(fromMs + 100 * i, faces);
    counted.push(...update.counted);
    numbers = faces.map((_, index) => update.tracks.find((t) => t.observationIndex === index)?.number);
  }
  return { counted, numbers };
}

/** Old page's clock at the reload; the new page's clock starts again near 0. */
const RELOAD_AT = 50_000;

function reloaded(tracker: FaceTracker, reloadMs: number, newPageNow: number) {
  const saved = JSON.parse(JSON.stringify(tracker.snapshot(RELOAD_AT))) as unknown;
  // The moment of the reload on the new page's clock: now, less the time the reload took.
  return FaceTracker.restore({}, saved, newPageNow - reloadMs - RELOAD_AT);
}

describe('FaceTracker across a page reload', () => {
  it('continues the track of a person counted before a 3 s reload: not counted again, same number', () => {
    const before = new FaceTracker({}, 7);
    const first = frames(before, RELOAD_AT - 2000, 10, face(200, 0.02));
    expect(first.counted.map((p) => [p.number, p.decision])).toEqual([[7, 'with_mask']]);
    const after = reloaded(before, 3000, 1500)!;
    const next = frames(after, 1500, 30, face(204, 0.03));
    expect(next.counted).toEqual([]);
    expect(next.numbers).toEqual([7]);
    // A new person gets the next number, not 1 again.
    const other = frames(after, 5000, 10, face(204, 0.03), face(600, 0.97));
    expect(other.counted.map((p) => [p.number, p.decision])).toEqual([[8, 'without_mask']]);
    expect(other.counted[0]!.trackId).not.toBe(first.counted[0]!.trackId);
  });

  it("carries on from a snapshot saved before numbers were given when counted: a track's id was its number", () => {
    const before = new FaceTracker({});
    frames(before, RELOAD_AT - 2000, 10, face(200, 0.02));
    const saved = JSON.parse(JSON.stringify(before.snapshot(RELOAD_AT))) as Record<string, unknown>;
    // What an older page saved: no next number, no number on the tracks, ids from 5 (its numbers).
    const old = {
      ...saved,
      nextNumber: undefined,
      nextId: 6,
      tracks: (saved.tracks as Record<string, unknown>[]).map((t) => ({ ...t, id: 5, number: undefined })),
    };
    const after = FaceTracker.restore({}, JSON.parse(JSON.stringify(old)), 1500 - 3000 - RELOAD_AT)!;
    expect(frames(after, 1500, 30, face(204, 0.03)).numbers).toEqual([5]);
    const other = frames(after, 5000, 10, face(204, 0.03), face(600, 0.97));
    expect(other.counted.map((p) => p.number)).toEqual([6]);
  });

  it('decides once a person undecided at the reload, with the frames from before it', () => {
    const before = new FaceTracker({});
    frames(before, RELOAD_AT - 300, 3, face(200, 0.99));
    const after = reloaded(before, 2000, 800)!;
    const next = frames(after, 800, 10, face(200, 0.99));
    expect(next.counted.map((p) => [p.number, p.decision, p.frames])).toEqual([[1, 'without_mask', 5]]);
  });

  it('starts afresh after a reload longer than the blind time (whoever stands there may be new)', () => {
    const before = new FaceTracker({ maxBlindMs: 10_000 });
    frames(before, RELOAD_AT - 1000, 10, face(200, 0.02));
    const after = reloaded(before, 12_000, 2000)!;
    const next = frames(after, 2000, 10, face(200, 0.02));
    expect(next.counted.map((p) => [p.number, p.decision])).toEqual([[2, 'with_mask']]);
  });

  it('refuses a damaged or foreign snapshot', () => {
    const tracker = new FaceTracker({});
    frames(tracker, 0, 6, face(200, 0.02));
    const good = JSON.parse(JSON.stringify(tracker.snapshot(1000))) as Record<string, unknown>;
    expect(FaceTracker.restore({}, good, 0)).toBeInstanceOf(FaceTracker);
    for (const bad of [
      null,
      'x',
      { ...good, nextId: 0 },
      { ...good, nextNumber: 0 },
      { ...good, nextNumber: 1 }, // below the counted person's number
      { ...good, tracks: [{ ...(good.tracks as object[])[0], number: undefined }] }, // counted, no number
      { ...good, pausedAtMs: 'soon' },
      { ...good, tracks: [{ ...(good.tracks as object[])[0], frames: Number.NaN }] },
      { ...good, tracks: [{ ...(good.tracks as object[])[0], id: 99 }] },
      { ...good, tracks: [{ ...(good.tracks as object[])[0], decision: 'maybe' }] },
    ]) {
      expect(FaceTracker.restore({}, bad, 0)).toBeUndefined();
    }
    expect(FaceTracker.restore({}, good, Number.NaN)).toBeUndefined();
    // An uncounted track with a number is not one this tracker saved either.
    const undecided = new FaceTracker({});
    frames(undecided, 0, 2, face(200, 0.02));
    const early = JSON.parse(JSON.stringify(undecided.snapshot(1000))) as Record<string, unknown>;
    expect(FaceTracker.restore({}, early, 0)).toBeInstanceOf(FaceTracker);
    expect(
      FaceTracker.restore({}, { ...early, tracks: [{ ...(early.tracks as object[])[0], number: 1 }] }, 0),
    ).toBeUndefined();
    // Paused later than the saving page's clock said it was, or a track seen after the pause: refused (the
    // tracker would take every frame for one going back in time).
    expect(FaceTracker.restore({}, good, 0, (good.pausedAtMs as number) - 1)).toBeUndefined();
    const track = (good.tracks as Record<string, number>[])[0]!;
    expect(
      FaceTracker.restore(
        {},
        { ...good, tracks: [{ ...track, lastSeenMs: (good.pausedAtMs as number) + 5 }] },
        0,
      ),
    ).toBeUndefined();
  });
});
