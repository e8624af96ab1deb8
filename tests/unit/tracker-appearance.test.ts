/**
 * Appearances in the tracker (rule 5): the next person in a queue, with the same label as the one who left,
 * stepping into their place within the second a face may vanish, is a person of their own; the same person
 * seen again is not counted twice. Appearances are synthetic unit vectors at chosen cosine distances.
 */
import { describe, expect, it } from 'vitest';
import {
  APPEARANCE_SPLIT_DISTANCE,
  blend,
  cosineDistance,
  unit,
  unitRows,
} from '../../src/shared/tracking/appearance';
import { FaceTracker } from '../../src/shared/tracking/tracker';
import { lookAt } from '../../scripts/lib/tracker-sim.ts';
import type { Observation, PersonCounted, TrackerUpdate } from '../../src/shared/tracking/types';

const N = 64;

/** A unit vector at cosine distance `distance` from `base`, towards axis `axis`. */
function at(base: Float32Array, distance: number, axis = 7): Float32Array {
  const towards = new Float32Array(N);
  towards[axis] = 1;
  return lookAt(base, distance, towards);
}

const personA = unit(Float32Array.from({ length: N }, (_, i) => Math.cos(i)))!;

function face(probWithoutMask: number, appearance?: Float32Array, cx = 300, size = 80): Observation {
  return { box: { x: cx - size / 2, y: 200, width: size, height: size }, probWithoutMask, appearance };
}

function counted(updates: TrackerUpdate[]): PersonCounted[] {
  return updates.flatMap((update) => [...update.counted, ...update.revised]);
}

/**
 * Person A at the door for 1.5 s (a frame every 100 ms), two frames with nobody there (0.2 s), then a face at
 * the same spot for 1.5 s: `next` gives its appearance in each frame.
 */
function queue(
  next: (frame: number) => Observation,
  first: (frame: number) => Observation = () => face(0.02, personA),
) {
  const tracker = new FaceTracker();
  const updates: TrackerUpdate[] = [];
  let t = 0;
  for (let i = 0; i < 15; i++, t += 100) updates.push(tracker.update(t, [first(i)]));
  for (let i = 0; i < 2; i++, t += 100) updates.push(tracker.update(t, []));
  for (let i = 0; i < 15; i++, t += 100) updates.push(tracker.update(t, [next(i)]));
  updates.push(tracker.flush(t));
  return counted(updates);
}

describe('appearance helpers', () => {
  it('measures cosine distance of unit vectors and builds the test vectors right', () => {
    expect(cosineDistance(personA, personA)).toBeCloseTo(0, 6);
    expect(cosineDistance(personA, at(personA, 0.3))).toBeCloseTo(0.3, 5);
    expect(() => cosineDistance(personA, new Float32Array(3))).toThrow(RangeError);
  });

  it('scales batch rows to unit length and leaves out rows with nothing in them', () => {
    const rows = unitRows(Float32Array.from([3, 4, 0, 0, Number.NaN, 1]), 3);
    expect(Array.from(rows[0]!)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(rows[1]).toBeUndefined();
    expect(rows[2]).toBeUndefined();
    expect(unitRows(undefined, 2)).toEqual([]);
    expect(() => unitRows(new Float32Array(5), 2)).toThrow(RangeError);
  });

  it('blends a running appearance towards a new one and keeps it unit length', () => {
    const other = at(personA, 0.5);
    const mixed = blend(personA, other, 0.3);
    expect(Math.hypot(...mixed)).toBeCloseTo(1, 5);
    expect(cosineDistance(mixed, personA)).toBeLessThan(cosineDistance(mixed, other));
    expect(blend(personA, new Float32Array(3))).toBe(personA);
  });
});

describe('FaceTracker with appearances (rule 5)', () => {
  it('counts the next masked person who stepped into a masked person’s place as a second person', () => {
    const personB = at(personA, APPEARANCE_SPLIT_DISTANCE + 0.1);
    const people = queue(() => face(0.03, personB));
    expect(people.map((p) => [p.number, p.decision])).toEqual([
      [1, 'with_mask'],
      [2, 'with_mask'],
    ]);
  });

  it('alerts for the next unmasked person after an unmasked one, by a count of their own', () => {
    const personB = at(personA, 0.6);
    const people = queue(
      () => face(0.97, personB),
      () => face(0.98, personA),
    );
    expect(people.map((p) => p.decision)).toEqual(['without_mask', 'without_mask']);
  });

  it('counts the next person who stepped in before a frame could miss the one who left', () => {
    const personB = at(personA, 0.55);
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let i = 0; i < 30; i++)
      updates.push(tracker.update(i * 100, [face(0.02, i < 15 ? personA : personB)]));
    updates.push(tracker.flush(3000));
    expect(counted(updates).map((p) => [p.number, p.decision])).toEqual([
      [1, 'with_mask'],
      [2, 'with_mask'],
    ]);
  });

  it('counts the next person who stepped in just after the one who left was put on probation', () => {
    // A's box shrinks in its last frame (stepping away): probation starts with A's own frame. B then lies 0.48
    // from A in the first frame, 0.55 after: B's frames are judged alone, not averaged with A's.
    const personB = at(personA, 0.55);
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    let t = 0;
    for (let i = 0; i < 15; i++, t += 100) updates.push(tracker.update(t, [face(0.02, personA)]));
    updates.push(tracker.update(t, [face(0.02, at(personA, 0.04, 9), 300, 58)]));
    t += 100;
    updates.push(tracker.update(t, [face(0.03, at(personA, 0.48))]));
    for (let i = 0; i < 15; i++) updates.push(tracker.update((t += 100), [face(0.03, personB)]));
    updates.push(tracker.flush(t));
    expect(counted(updates).map((p) => [p.number, p.decision])).toEqual([
      [1, 'with_mask'],
      [2, 'with_mask'],
    ]);
  });

  it('counts the same person seen again after the same gap once, however their look varies a little', () => {
    const people = queue((i) => face(0.03, at(personA, 0.15 + 0.02 * (i % 3), 7 + (i % 5))));
    expect(people.map((p) => p.decision)).toEqual(['with_mask']);
  });

  it('counts once a person who looks different for a frame or two (a glance aside) and then as before', () => {
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let i = 0; i < 30; i++) {
      const look = i === 15 || i === 16 ? at(personA, 0.7) : at(personA, 0.05 * (i % 2), 11);
      updates.push(tracker.update(i * 100, [face(0.02, look)]));
    }
    updates.push(tracker.flush(3000));
    expect(counted(updates)).toHaveLength(1);
  });

  it('counts one person when the faces carry no appearances (as before)', () => {
    const people = queue(
      () => face(0.03),
      () => face(0.02),
    );
    expect(people).toHaveLength(1);
  });

  it('judges by appearance only with enough clear frames: a crop with another head in it is left out', () => {
    const personB = at(personA, 0.6);
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    let t = 0;
    for (let i = 0; i < 15; i++, t += 100) updates.push(tracker.update(t, [face(0.02, personA)]));
    for (let i = 0; i < 2; i++, t += 100) updates.push(tracker.update(t, []));
    // The face at A's place shows B's look in every frame, but with another head inside its crop: those
    // frames mix two people and say nothing about who this is, and the second face is far behind (small).
    for (let i = 0; i < 15; i++, t += 100)
      updates.push(tracker.update(t, [face(0.03, personB), face(0.03, at(personA, 0.8, 9), 362, 30)]));
    updates.push(tracker.flush(t));
    const people = counted(updates);
    // A and the small face behind: B's frames never judged by appearance, so B stays A.
    expect(people.filter((p) => p.trackId === 1)).toHaveLength(1);
    expect(people).toHaveLength(2);
  });

  it('counts once a person whose look differs after a pause (a camera opened again adjusts its picture)', () => {
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let i = 0; i < 15; i++) updates.push(tracker.update(i * 100, [face(0.02, personA)]));
    updates.push(tracker.pause(1500));
    // Back after 2 s: the same person, darker in the first frames, then in other colours for good.
    for (let i = 0; i < 20; i++)
      updates.push(
        tracker.update(3500 + i * 100, [face(0.02, at(personA, i < 3 ? 0.8 : 0.6, 9 + (i < 3 ? 0 : 2)))]),
      );
    updates.push(tracker.flush(6000));
    expect(counted(updates)).toHaveLength(1);
  });

  it('judges the next person on probation from their own frames, however much one of them differs from the first', () => {
    // A masked at 4 frames/s, then at once an unmasked B (0.45 from A) for 5 frames, 1 s: each frame of B lies
    // 0.25 from B's look in a direction of its own, as single frames of one face do (99th percentile 0.245).
    const lookB = at(personA, 0.45, 9);
    const framesOfB = [20, 30, 40, 50, 60].map((axis) => at(lookB, 0.25, axis));
    const sum = framesOfB[0]!.map((x, i) => x + framesOfB[1]![i]!);
    // B's third frame lies beyond the 0.3 line from B's first two: the noise that restarted the probation.
    expect(cosineDistance(unit(sum)!, framesOfB[2]!)).toBeGreaterThanOrEqual(0.3);
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let t = 0; t < 3000; t += 250) updates.push(tracker.update(t, [face(0.02, personA)]));
    framesOfB.forEach((look, i) => updates.push(tracker.update(3000 + 250 * i, [face(0.95, look)])));
    for (let t = 4250; t < 6000; t += 250) updates.push(tracker.update(t, []));
    updates.push(tracker.flush(6000));
    expect(counted(updates).map((p) => p.decision)).toEqual(['with_mask', 'without_mask']);
  });

  /**
   * A frame every 250 ms (4 frames/s): person A for 2 s, nobody in the frames at 2000-2750 (A last seen at
   * 1750, so 1.25 s unseen by 3000: past the 1-s gap, though A may have been gone only 0.75 s), then a face at
   * A's place with look `back` until 5000.
   */
  function lookAway(back: Float32Array, probWithoutMask = 0.02, seen = (t: number) => t < 2000 || t >= 3000) {
    const tracker = new FaceTracker();
    const updates: TrackerUpdate[] = [];
    for (let t = 0; t < 5000; t += 250)
      updates.push(
        tracker.update(
          t,
          seen(t) ? [face(t < 2000 ? 0.02 : probWithoutMask, t < 2000 ? personA : back)] : [],
        ),
      );
    updates.push(tracker.flush(5000));
    return counted(updates);
  }

  it('counts once a person who looked away and is back with their look in the frame just past the gap', () => {
    expect(lookAway(at(personA, 0.1))).toHaveLength(1);
  });

  it('counts apart someone else in that place in the frame just past the gap, by look or by label', () => {
    // Two men in black masks on the door photos lie 0.28-0.53 apart.
    expect(lookAway(at(personA, 0.3)).map((p) => p.decision)).toEqual(['with_mask', 'with_mask']);
    expect(lookAway(at(personA, 0.1), 0.97).map((p) => p.decision)).toEqual(['with_mask', 'without_mask']);
    // Without appearances (place and label alone), as before: two people.
    expect(lookAway(undefined as unknown as Float32Array)).toHaveLength(2);
  });

  it('counts apart a person back two frames past the gap, however alike', () => {
    // Nobody at 2000-3000: the frame at 3000 already saw A missing for 1.25 s, longer than the gap.
    expect(lookAway(at(personA, 0.1), 0.02, (t) => t < 2000 || t >= 3250)).toHaveLength(2);
  });

  it('keeps appearances out of a snapshot (never stored)', () => {
    const tracker = new FaceTracker();
    for (let i = 0; i < 6; i++) tracker.update(i * 100, [face(0.02, personA)]);
    const snapshot = JSON.parse(JSON.stringify(tracker.snapshot(700))) as { tracks: object[] };
    expect(snapshot.tracks).toHaveLength(1);
    expect(snapshot.tracks[0]).not.toHaveProperty('appearance');
  });
});
