/**
 * The simulated doorways of scripts/tracker-sim.ts: seeded (the same table twice), able to fail, and holding
 * the queue cases this tracker was changed for.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS, seededRandom, simulate, wrongRuns } from '../../scripts/lib/tracker-sim.ts';

const scenario = (name: string) => {
  const found = SCENARIOS.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no scenario "${name}"`);
  return found;
};

describe('tracker simulation', () => {
  it('is seeded: the same seed gives the same runs, another seed other runs', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Array.from({ length: 5 }, seededRandom(8))).not.toEqual(first);
    const flicker = scenario('masked person 10 s, label flickering (P 0.1 ± 0.25), 15 % missed');
    expect(wrongRuns(flicker, 2.5, 40, 3)).toBe(wrongRuns(flicker, 2.5, 40, 3));
  });

  it('counts a person who stays in view once, masked', () => {
    const lookAway = scenario('masked person looks away 0.5 s');
    expect(simulate(lookAway, 10, seededRandom(1))).toEqual(['with_mask']);
    expect(wrongRuns(lookAway, 10, 40, 1)).toBe(0);
  });

  it('reports wrong runs: a 0.9-s absence at 2.5 frames/s is always over the 1-s gap, counted twice', () => {
    expect(wrongRuns(scenario('masked person looks away 0.9 s'), 2.5, 40, 1)).toBe(40);
  });

  it('counts apart the unmasked person who steps into a masked person’s place on a slow phone', () => {
    // Before the probation after one missed frame (0.4 s unseen) and its slow judgement: 120 of 300 wrong at
    // 2.5 frames/s, 210 of 300 at 4 frames/s for the 0.3-s case (scripts/tracker-sim.ts, seed 1).
    expect(
      wrongRuns(scenario('unmasked person 0.6 s after a masked one, stays 3 s'), 2.5, 40, 1),
    ).toBeLessThanOrEqual(2);
    expect(
      wrongRuns(scenario('unmasked person 0.3 s after a masked one, stays 1.5 s'), 4, 40, 1),
    ).toBeLessThanOrEqual(2);
  });

  it('keeps a person who looked away 0.7 s at 4 frames/s by their look, and people of the same label a second apart apart', () => {
    // Labels only, the gap timed from the last sighting counts them twice in about a third of runs; the frame
    // just past the gap decides by look (scripts/tracker-sim.ts --looks 0.4: 121 of 300 -> 6).
    const lookAway = scenario('masked person looks away 0.7 s');
    expect(wrongRuns(lookAway, 4, 40, 1)).toBeGreaterThanOrEqual(8);
    expect(wrongRuns(lookAway, 4, 40, 1, { lookApart: 0.4 })).toBeLessThanOrEqual(3);
    // Two men in black masks lie 0.28-0.53 apart on the door photos: at 0.3 apart, a second apart, still two.
    const next = scenario('masked person 1 s after a masked one, stays 5 s');
    expect(wrongRuns(next, 2.5, 40, 1, { lookApart: 0.3 })).toBeLessThanOrEqual(2);
  });
});
