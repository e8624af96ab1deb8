/**
 * Rule 5 of ./tracker.ts: once a counted person's place may hold someone else (after a pause, frames that saw
 * nobody there, a second face, a face much smaller, or one that looks like someone else), the frames from then
 * are summed apart from the person's own. Enough of them decide whether this is still the person counted: a
 * firm label other than theirs, or a look plainly not theirs (see ./appearance.ts), makes a newcomer.
 */
import { APPEARANCE_CHANGE_DISTANCE, cosineDistance, unit } from './appearance';
import type { Observation } from './types';

/**
 * A face matched to a track whose box has less than this share of the track's last box area may be someone
 * who stood behind that person, hidden, and is in view now that the person in front left (ducked out, turned
 * away): at the same spot, a face behind looks smaller (someone 0.5 m behind a person 1.5 m from the camera:
 * 0.56 of the area), and matching by place alone hands them the front person's track (approach exploration:
 * 11 of 20 people walking right behind another were never counted). The detector's box of one face can also
 * jump this much between frames, so such a face is not taken for someone else outright: the track goes on
 * probation (rule 5), and only a firmly other label makes it a newcomer.
 */
export const SHRINK_AREA = 0.6;
/**
 * Frames hidden in a row before probation (rule 5): one missed detection beside someone (hands at the face
 * while putting a mask on) is not a time in which someone else could have taken the place.
 */
export const HIDDEN_FRAMES_FOR_PROBATION = 2;
/**
 * Frames in a row that missed a counted person before probation (rule 5) when a face is matched to them
 * again: in a queue the next person steps into the place of the one who left, a fraction of a second later,
 * and matching by place hands them the track (groups exploration: 8 people at one spot, 0.3 s apart, counted
 * as 1 masked person, none of the 4 unmasked alerted for). One missed detection, as for hidden frames, is not
 * a time in which someone else could have taken the place.
 */
export const MISSED_FRAMES_FOR_PROBATION = 2;
/**
 * ... or one frame, on a slow phone, when the person was last seen at least this long ago (ms): at 2.5 frames/s
 * one missed frame is 0.8 s in which the next in a queue can step in (0.3 s apart in the groups exploration).
 * Below it (one missed frame at 5 frames/s or more), as above, a missed detection is not such a time.
 */
export const ABSENCE_FOR_PROBATION_MS = 400;

/** The observations of a track since its probation started. */
export interface Probation {
  frames: number;
  sumProbWithoutMask: number;
  /** Sum of the appearances of its clear frames (see clearOfOthers in ./appearance.ts), and how many there were. */
  sumAppearance?: Float32Array;
  appearanceFrames: number;
  /** The first of them (undefined until one is seen). */
  firstSeenMs?: number;
}

/** A probation with no frames yet. */
export function newProbation(): Probation {
  return { frames: 0, sumProbWithoutMask: 0, appearanceFrames: 0 };
}

/**
 * Adds `face`, seen at `timestampMs`, to `probation`; its appearance only when its crop is `clear` of other
 * faces (a crop holding part of another head shows a mix of two people).
 */
export function addToProbation(
  probation: Probation,
  face: Observation,
  timestampMs: number,
  clear: boolean,
): void {
  probation.frames += 1;
  probation.sumProbWithoutMask += face.probWithoutMask;
  probation.firstSeenMs ??= timestampMs;
  if (face.appearance === undefined || !clear) return;
  const sum = (probation.sumAppearance ??= new Float32Array(face.appearance.length));
  if (sum.length !== face.appearance.length) return;
  for (let i = 0; i < sum.length; i++) sum[i]! += face.appearance[i]!;
  probation.appearanceFrames += 1;
}

/**
 * Clear frames on probation needed to judge a face by its appearance: fewer say too little, and the label
 * alone decides (as for faces without appearances).
 */
const MIN_APPEARANCE_FRAMES = 3;

/** The mean appearance of the probation's clear frames; undefined with fewer than MIN_APPEARANCE_FRAMES. */
export function probationAppearance(probation: Probation): Float32Array | undefined {
  if (probation.sumAppearance === undefined || probation.appearanceFrames < MIN_APPEARANCE_FRAMES)
    return undefined;
  return unit(probation.sumAppearance);
}

/**
 * Whether `appearance` (a clear frame of a track on probation) lies far from the probation's clear frames so
 * far while they still look like `look`, the track's look before it: the person counted was still there when
 * the probation started and someone else stepped in during it, so it should start afresh from this frame.
 * Frames so far that already look unlike the person are the newcomer's: one frame of theirs lying far from
 * their first one or two is the noise of single frames (a check of "farther from the person than the frames
 * so far", which a noisy frame nearly always is, restarted probations on it until the newcomer was gone:
 * scripts/tracker-sim.ts --looks 0.4, unmasked person 0.3 s after a masked one, 14 of 300 runs uncounted at
 * 4 frames/s, none with labels only).
 */
export function lookChangedOnProbation(
  look: Float32Array | undefined,
  probation: Probation,
  appearance: Float32Array,
): boolean {
  if (look === undefined || probation.sumAppearance === undefined) return false;
  if (probation.sumAppearance.length !== appearance.length || look.length !== appearance.length) return false;
  const sofar = unit(probation.sumAppearance);
  return (
    sofar !== undefined &&
    cosineDistance(sofar, appearance) >= APPEARANCE_CHANGE_DISTANCE &&
    cosineDistance(look, sofar) < APPEARANCE_CHANGE_DISTANCE
  );
}
