/**
 * Simulated doorways for the tracker (see scripts/tracker-sim.ts): one place at the door, people in it and out
 * of it on a known schedule, frames at a given rate with jittered times and randomly missed detections, and
 * each face's P(without_mask) with noise. Labels only, no appearances: what the tracker must get right from
 * place and label alone (appearances help the app further where faces look different). Runs are seeded, so a
 * figure can be reproduced and a change compared run for run.
 */
import { TRACKER_THRESHOLDS } from '../../src/pipeline/door-counter.ts';
import { FaceTracker } from '../../src/shared/tracking/tracker.ts';
import { unit } from '../../src/shared/tracking/appearance.ts';
import type { Decision, Observation } from '../../src/shared/tracking/index.ts';

/** Deterministic random numbers in [0, 1) (a linear congruential generator). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** Who stands in the place at time `t` (ms): their P(without_mask) before noise, or null for nobody. */
type Schedule = (t: number) => number | null;

/** One simulated case: a schedule, how long it runs, and whether the tally it gave is right. */
export interface Scenario {
  readonly name: string;
  /** What a wrong result is, for the table ("counted twice", "merged", ...). */
  readonly wrong: string;
  /** The schedule, given when its events start (drawn per run, so frames fall differently each time). */
  readonly schedule: (random: () => number) => {
    who: Schedule;
    endMs: number;
    /** Which person (0, 1, ...) stands there at `t`, for their look (see {@link SimOptions}); default 0. */
    person?: (t: number) => number;
  };
  readonly right: (counted: readonly Decision[]) => boolean;
  /** Share of frames whose face the detector misses (default 0.05). */
  readonly missRate?: number;
  /** Spread of a face's P(without_mask) around the person's (default 0.08, uniform). */
  readonly labelNoise?: number;
}

const MASKED = 0.03;
const UNMASKED = 0.95;
const twoPeople = (first: number, second: number, gapS: number, staysS: number) => (random: () => number) => {
  const leave = 3000 + random() * 500;
  const back = leave + gapS * 1000;
  return {
    who: (t: number) => (t < leave ? first : t < back ? null : t < back + staysS * 1000 ? second : null),
    person: (t: number) => (t < leave ? 0 : 1),
    endMs: back + staysS * 1000 + 2000,
  };
};

/** The cases the table reports: looking away, the next in a queue, a flickering label. */
export const SCENARIOS: readonly Scenario[] = [
  ...[0.5, 0.7, 0.9].map((awayS): Scenario => ({
    name: `masked person looks away ${awayS} s`,
    wrong: 'not counted once',
    schedule: (random) => {
      const away = 3000 + random() * 500;
      return { who: (t) => (t >= away && t < away + awayS * 1000 ? null : MASKED), endMs: 7000 };
    },
    right: (counted) => counted.length === 1,
  })),
  ...(
    [
      [0.3, 1.5],
      [0.6, 1.5],
      [0.9, 1.5],
      [0.6, 3],
    ] as const
  ).map(([gapS, staysS]): Scenario => ({
    name: `unmasked person ${gapS} s after a masked one, stays ${staysS} s`,
    wrong: 'not counted apart',
    schedule: twoPeople(MASKED, UNMASKED, gapS, staysS),
    right: (counted) => counted.join() === 'with_mask,without_mask',
  })),
  ...[1.0, 1.1, 1.3].map((gapS): Scenario => ({
    name: `masked person ${gapS} s after a masked one, stays 5 s`,
    wrong: 'not counted apart',
    schedule: twoPeople(MASKED, MASKED, gapS, 5),
    right: (counted) => counted.length === 2,
  })),
  {
    name: 'masked person 10 s, label flickering (P 0.1 ± 0.25), 15 % missed',
    wrong: 'not counted once',
    schedule: () => ({ who: () => 0.1, endMs: 10_000 }),
    right: (counted) => counted.length === 1,
    missRate: 0.15,
    labelNoise: 0.5,
  },
];

/** How the simulated faces look; without it faces carry no appearance (place and label alone). */
export interface SimOptions {
  /**
   * Cosine distance between two people's looks (three men in black masks on the door photos lie 0.28-0.53
   * apart; see src/shared/tracking/appearance.ts). Each frame's look then lies 0.02-0.22 from the person's
   * (the same face a moment later: median 0.095, 99th percentile 0.245).
   */
  readonly lookApart: number;
}

const LOOK_SIZE = 64;

/** A random unit vector of LOOK_SIZE numbers (a direction uniform on the sphere, near enough). */
function randomDirection(random: () => number): Float32Array {
  const v = Float32Array.from({ length: LOOK_SIZE }, () => random() + random() + random() - 1.5);
  return unit(v)!;
}

/**
 * The unit vector at cosine distance `distance` (0 to 1) from unit vector `base`, towards `towards` (not parallel
 * to it). Also builds the synthetic looks of tests/unit/tracker-appearance.test.ts.
 */
export function lookAt(base: Float32Array, distance: number, towards: Float32Array): Float32Array {
  const dot = towards.reduce((sum, x, i) => sum + x * base[i]!, 0);
  const orthogonal = unit(towards.map((x, i) => x - dot * base[i]!))!;
  const c = 1 - distance;
  const s = Math.sqrt(Math.max(0, 1 - c * c));
  return base.map((x, i) => c * x + s * orthogonal[i]!);
}

/**
 * Runs `scenario` once at `framesPerS` (frame times jittered ±20 %) through a tracker with the app's
 * thresholds, and returns what it counted, in order.
 */
export function simulate(
  scenario: Scenario,
  framesPerS: number,
  random: () => number,
  options?: SimOptions,
): Decision[] {
  const stepMs = 1000 / framesPerS;
  const { who, endMs, person } = scenario.schedule(random);
  // Drawn only with looks, so that the runs without them stay the same run for run.
  let looks: Float32Array[] = [];
  if (options !== undefined) {
    const first = randomDirection(random);
    looks = [first, lookAt(first, options.lookApart, randomDirection(random))];
  }
  const missRate = scenario.missRate ?? 0.05;
  const noise = scenario.labelNoise ?? 0.08;
  const tracker = new FaceTracker(TRACKER_THRESHOLDS);
  const counted: Decision[] = [];
  let t = random() * stepMs;
  while (t < endMs) {
    const p = who(t);
    const faces: Observation[] = [];
    if (p !== null && random() >= missRate) {
      faces.push({
        box: { x: 260 + 6 * (random() - 0.5), y: 200 + 6 * (random() - 0.5), width: 80, height: 80 },
        probWithoutMask: Math.min(1, Math.max(0, p + noise * (random() - 0.5))),
        appearance:
          options === undefined
            ? undefined
            : lookAt(looks[person?.(t) ?? 0]!, 0.02 + 0.2 * random(), randomDirection(random)),
      });
    }
    counted.push(...tracker.update(t, faces).counted.map((person) => person.decision));
    t += stepMs * (0.8 + 0.4 * random());
  }
  counted.push(...tracker.flush(t).counted.map((person) => person.decision));
  return counted;
}

/** How many of `runs` runs of `scenario` at `framesPerS` went wrong. */
export function wrongRuns(
  scenario: Scenario,
  framesPerS: number,
  runs: number,
  seed: number,
  options?: SimOptions,
): number {
  const random = seededRandom(seed);
  let wrong = 0;
  for (let run = 0; run < runs; run += 1)
    if (!scenario.right(simulate(scenario, framesPerS, random, options))) wrong += 1;
  return wrong;
}
