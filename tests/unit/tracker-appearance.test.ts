/**
 * Rule 5 by look: the next person in a queue, with the same label, stepping into the place of the one who left
 * a moment ago is told apart by what their face looks like to the classifier (Observation.appearance); the
 * same person back after the same moment is not counted again.
 */
import { describe, expect, it } from 'vitest';
import { FaceTracker } from '../../src/shared/tracking/tracker';
import type { Observation, TrackerUpdate } from '../../src/shared/tracking/types';

const SIZE = 64;

/** A look: a unit-ish vector along `axis`, nudged by `wobble` along the next axis (frame-to-frame change). */
function look(axis: number, wobble = 0): number[] {
  const v = new Array<number>(SIZE).fill(0.05);
  v[axis] = 1;
  v[(axis + 1) % SIZE] += wobble;
  return v;
}

function face(probWithoutMask: number, appearance?: number[]): Observation {
  return { box: { x: 260, y: 200, width: 80, height: 80 }, probWithoutMask, appearance };
}

/**
 * One person (look `first`) for 1.5 s, nobody for 0.3 s (3 processed frames), then someone (look `second`)
 * at the same spot for 1.5 s, and nobody for 2 s; 10 frames/s. Returns every update.
 */
function queue(tracker: FaceTracker, p: number, first?: number, second?: number): TrackerUpdate[] {
  const updates: TrackerUpdate[] = [];
  let t = 0;
  const frame = (faces: Observation[]) => {
    updates.push(tracker.update(t, faces));
    t += 100;
  };
  for (let i = 0; i < 15; i++) frame([face(p, first === undefined ? undefined : look(first, (i % 3) * 0.1))]);
  for (let i = 0; i < 3; i++) frame([]);
  for (let i = 0; i < 15; i++)
    frame([face(p, second === undefined ? undefined : look(second, (i % 3) * 0.1))]);
  for (let i = 0; i < 20; i++) frame([]);
  return updates;
}

const counted = (updates: TrackerUpdate[]) => updates.flatMap((u) => u.counted);

describe('FaceTracker rule 5 by look', () => {
  it('counts two masked people one after the other at one spot as two, when they look unalike', () => {
    const people = counted(queue(new FaceTracker(), 0.02, 0, 7));
    expect(people.map((p) => [p.number, p.decision])).toEqual([
      [1, 'with_mask'],
      [2, 'with_mask'],
    ]);
    // The second person is counted from their own frames only (at their fifth, not the first person's 15 + 5).
    expect(people[1]!.frames).toBe(5);
  });

  it('counts two unmasked people so, each alerted for under their own number', () => {
    const people = counted(queue(new FaceTracker(), 0.97, 3, 11));
    expect(people.map((p) => [p.number, p.decision])).toEqual([
      [1, 'without_mask'],
      [2, 'without_mask'],
    ]);
  });

  it('counts one person who looked away for 0.3 s once: their face looks as before', () => {
    expect(counted(queue(new FaceTracker(), 0.02, 5, 5)).map((p) => p.decision)).toEqual(['with_mask']);
  });

  it('counts as before, by place and label only, when faces come without a look or the rule is off', () => {
    expect(counted(queue(new FaceTracker(), 0.02))).toHaveLength(1);
    expect(counted(queue(new FaceTracker({ minAppearanceSimilarity: -1 }), 0.02, 0, 7))).toHaveLength(1);
  });

  it('compares the means over frames: one odd frame among the newcomer’s does not keep them the first person', () => {
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let i = 0; i < 15; i++) updates.push(tracker.update(i * 100, [face(0.02, look(0))]));
    for (let i = 15; i < 18; i++) updates.push(tracker.update(i * 100, []));
    // The newcomer's first frame happens to look like the first person (a blurred frame); the rest do not.
    for (let i = 18; i < 33; i++) updates.push(tracker.update(i * 100, [face(0.02, look(i === 18 ? 0 : 9))]));
    for (let i = 33; i < 53; i++) updates.push(tracker.update(i * 100, []));
    expect(counted(updates)).toHaveLength(2);
  });

  it('keeps no look in a snapshot (faces are not stored), and a restored track is judged by label as before', () => {
    const tracker = new FaceTracker();
    for (let i = 0; i < 10; i++) tracker.update(i * 100, [face(0.02, look(0))]);
    const snapshot = tracker.snapshot(1000);
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain('look');
    expect(snapshot.tracks).toHaveLength(1);
    const restored = FaceTracker.restore({}, JSON.parse(text), 0)!;
    const updates: TrackerUpdate[] = [];
    // Back 0.5 s later; faces look other than before the reload, which the restored tracker cannot know.
    for (let i = 0; i < 10; i++) updates.push(restored.update(1500 + i * 100, [face(0.02, look(9))]));
    expect(counted(updates)).toEqual([]);
    expect(updates.at(-1)!.tracks.map((t) => t.number)).toEqual([1]);
  });

  it('rejects a look with a non-finite value and a threshold out of range', () => {
    const bad = look(0);
    bad[3] = Number.NaN;
    expect(() => new FaceTracker().update(0, [face(0.5, bad)])).toThrow(RangeError);
    expect(() => new FaceTracker({ minAppearanceSimilarity: 1.5 })).toThrow(RangeError);
  });
});
