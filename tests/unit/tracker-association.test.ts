import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/shared/geometry';
import { type Match, associate, matchCost } from '../../src/shared/tracking/association';

const box = (x: number, y: number, size = 100) => ({ x, y, width: size, height: size });

/** Best (most pairs, then lowest total cost) assignment by trying every one; fine for a few boxes. */
function bruteForce(tracks: Box[], faces: Box[], gate: number): { pairs: number; cost: number } {
  let best = { pairs: 0, cost: 0 };
  const visit = (track: number, used: Set<number>, pairs: number, cost: number): void => {
    if (track === tracks.length) {
      if (pairs > best.pairs || (pairs === best.pairs && cost < best.cost - 1e-9)) best = { pairs, cost };
      return;
    }
    visit(track + 1, used, pairs, cost);
    faces.forEach((face, index) => {
      const pairCost = matchCost(tracks[track], face, gate);
      if (used.has(index) || pairCost === Infinity) return;
      visit(track + 1, new Set(used).add(index), pairs + 1, cost + pairCost);
    });
  };
  visit(0, new Set(), 0, 0);
  return best;
}

function totalCost(matches: Match[], tracks: Box[], faces: Box[], gate: number): number {
  return matches.reduce(
    (sum, m) => sum + matchCost(tracks[m.trackIndex], faces[m.observationIndex], gate),
    0,
  );
}

describe('matchCost', () => {
  it('is 0 for the same box and grows with distance', () => {
    expect(matchCost(box(0, 0), box(0, 0), 1)).toBe(0);
    const near = matchCost(box(0, 0), box(10, 0), 1);
    const far = matchCost(box(0, 0), box(50, 0), 1);
    expect(near).toBeGreaterThan(0);
    expect(far).toBeGreaterThan(near);
  });

  it('measures distance in face sizes, so small far faces and large near faces follow the same rule', () => {
    expect(matchCost(box(0, 0, 20), box(10, 0, 20), 1)).toBeCloseTo(matchCost(box(0, 0), box(50, 0), 1), 12);
  });

  it('gates out a pair whose centres are more than maxCentreDistance face sizes apart', () => {
    expect(matchCost(box(0, 0), box(100, 0), 1)).toBeLessThan(Infinity);
    expect(matchCost(box(0, 0), box(101, 0), 1)).toBe(Infinity);
    expect(matchCost(box(0, 0), box(150, 0), 2)).toBeLessThan(Infinity);
  });

  it('never matches empty boxes', () => {
    expect(matchCost(box(0, 0, 0), box(0, 0, 0), 1)).toBe(Infinity);
  });
});

describe('associate', () => {
  it('matches as many tracks as possible before taking the single cheapest pair', () => {
    // Track 0 sits between faces 0 and 1, nearer face 1; track 1 can only take face 1. Cheapest-pair-first
    // would give face 1 to track 0 and lose track 1; the optimal assignment keeps both.
    const matches = associate([[box(0, 0)], [box(80, 0)]], [box(-40, 0), box(20, 0)], 1);
    expect(matches).toEqual([
      { trackIndex: 0, observationIndex: 0 },
      { trackIndex: 1, observationIndex: 1 },
    ]);
  });

  it('minimises the total cost when every pairing is allowed', () => {
    // Two tracks and two faces, each face a few pixels from one track: the crossed pairing costs more.
    const tracks = [[box(0, 0)], [box(60, 0)]];
    expect(associate(tracks, [box(58, 0), box(3, 0)], 1)).toEqual([
      { trackIndex: 0, observationIndex: 1 },
      { trackIndex: 1, observationIndex: 0 },
    ]);
  });

  it('leaves extra tracks or extra faces unmatched, and never matches across the gate', () => {
    expect(associate([[box(0, 0)], [box(1000, 0)], [box(300, 0)]], [box(305, 0), box(2, 0)], 1)).toEqual([
      { trackIndex: 0, observationIndex: 1 },
      { trackIndex: 2, observationIndex: 0 },
    ]);
    expect(associate([[box(0, 0)]], [box(500, 0), box(-4, 0), box(90, 0)], 1)).toEqual([
      { trackIndex: 0, observationIndex: 1 },
    ]);
    expect(associate([[box(0, 0)]], [box(500, 0)], 1)).toEqual([]);
  });

  it('uses the cheapest of a track’s hypotheses', () => {
    const matches = associate([[box(500, 0), box(0, 0)]], [box(5, 0)], 1);
    expect(matches).toEqual([{ trackIndex: 0, observationIndex: 0 }]);
  });

  it('agrees with brute force on random crowded scenes', () => {
    let state = 7;
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const scene = (count: number) =>
      Array.from({ length: count }, () => box(random() * 300, random() * 100, 60 + random() * 60));
    for (let trial = 0; trial < 300; trial += 1) {
      const tracks = scene(1 + Math.floor(random() * 5));
      const faces = scene(1 + Math.floor(random() * 5));
      const matches = associate(
        tracks.map((track) => [track]),
        faces,
        1,
      );
      const best = bruteForce(tracks, faces, 1);
      expect(new Set(matches.map((m) => m.observationIndex)).size).toBe(matches.length);
      expect(matches.length, `trial ${trial}`).toBe(best.pairs);
      expect(totalCost(matches, tracks, faces, 1), `trial ${trial}`).toBeCloseTo(best.cost, 9);
    }
  });

  it('weighs how alike the classifier reads a face and a track, and rules out a face that jumped and reads unlike', () => {
    const labels = (track: number[], faces: number[]) => ({
      tracks: track,
      observations: faces,
      maxDifference: 0.75,
      jumpDistance: 0.3,
      weight: 1,
    });
    // A masked person's track (0.03): an unmasked face (0.95) half a face away is someone else …
    expect(associate([[box(0, 0)]], [box(50, 0)], 1, labels([0.03], [0.95]))).toEqual([]);
    // … but the same face where the track's face was is that person's label flickering or the mask coming off,
    expect(associate([[box(0, 0)]], [box(10, 0)], 1, labels([0.03], [0.95]))).toEqual([
      { trackIndex: 0, observationIndex: 0 },
    ]);
    // and a borderline reading half a face away is still them.
    expect(associate([[box(0, 0)]], [box(50, 0)], 1, labels([0.03], [0.6]))).toEqual([
      { trackIndex: 0, observationIndex: 0 },
    ]);
    // Of two tracks near a face, the one that reads like it takes it, though the other's box is nearer.
    expect(associate([[box(0, 0)], [box(90, 0)]], [box(30, 0)], 1, labels([0.03, 0.9], [0.93]))).toEqual([
      { trackIndex: 1, observationIndex: 0 },
    ]);
    expect(associate([[box(0, 0)], [box(90, 0)]], [box(30, 0)], 1)).toEqual([
      { trackIndex: 0, observationIndex: 0 },
    ]);
  });

  it('gives a face to the track whose box is its size rather than to a much larger box nearer it', () => {
    // Frames of the fake-camera queue: a person stepping left in front of another (their box last frame) and
    // a stray box the detector gave where the two overlapped; the person's face this frame is 0.42 face sizes
    // from their box, 0.35 from the stray box's centre, but the stray box is 1.75 times its side.
    const person = { x: 495, y: 198, width: 98, height: 140 };
    const stray = { x: 339, y: 161, width: 190, height: 268 };
    const face = { x: 438, y: 197, width: 108, height: 154 };
    expect(associate([[stray], [person]], [face], 1)).toEqual([{ trackIndex: 1, observationIndex: 0 }]);
    // Sizes only rank pairs: a face of another size within the gate is still matched when nothing else is.
    expect(associate([[stray]], [face], 1)).toEqual([{ trackIndex: 0, observationIndex: 0 }]);
    expect(matchCost(box(0, 0, 100), box(0, 0, 300), 1)).toBeLessThan(Infinity);
  });

  it('takes a gate per track when given one', () => {
    // 2.5 face sizes from the first track, 1.5 from the second: only the first's wider gate lets it match.
    expect(associate([[box(0, 0)], [box(1000, 0)]], [box(250, 0), box(1150, 0)], [3, 1])).toEqual([
      { trackIndex: 0, observationIndex: 0 },
    ]);
  });

  it('never matches a pair its allowed test rules out, and gives the face to the next track that may have it', () => {
    // The face sits on the first track and 0.3 face sizes from the second.
    const tracks = [[box(0, 0)], [box(30, 0)]];
    expect(associate(tracks, [box(0, 0)], 1)).toEqual([{ trackIndex: 0, observationIndex: 0 }]);
    expect(associate(tracks, [box(0, 0)], 1, undefined, (track) => track !== 0)).toEqual([
      { trackIndex: 1, observationIndex: 0 },
    ]);
    expect(associate(tracks, [box(0, 0)], 1, undefined, () => false)).toEqual([]);
  });

  it('matches nothing when there are no tracks or no faces', () => {
    expect(associate([], [box(0, 0)], 1)).toEqual([]);
    expect(associate([[box(0, 0)]], [], 1)).toEqual([]);
  });
});
