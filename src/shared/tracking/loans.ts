/**
 * Loans (see {@link Loan}): how a walker whose face fell on a counted person's place for one frame gets that
 * frame back for their own track, for ./tracker.ts. Also the gate of a face seen once ({@link firstStepGate}).
 */
import type { Box } from '../geometry';
import { distanceInFaces } from './association';
import type { TrackerOptions } from './options';
import { type TrackState, firmlyDecided } from './track-state';
import type { Observation } from './types';

/**
 * How fast (face sizes a second) a face seen only once may have moved by the next frame (see
 * FaceTracker.gateOf): a brisk walk across the view. Faces and steps shrink alike with distance, so in face
 * sizes a walk is about the same near and far: 1.4 m/s over a face box about 0.17 m is some 8 a second; 6 takes
 * most walks across (the fake-camera walker goes 4) and keeps the gate from spanning the picture.
 */
export const FIRST_STEP_FACES_PER_S = 6;

/**
 * A counted person's face of the previous frame that read the other label from all their frames before it: most
 * likely someone passing in front of them, whose face fell on their place (queue walker in a CI run at 3
 * frames/s: the walker's second of five frames went to the masked person's track, the other three were too few
 * to be counted, and the unmasked walker was never counted nor alerted for). A new face in this frame that
 * continues it (within a first step of it, reading the same way) starts its track from it. The person's track
 * keeps the frame too: it was counted already, and one frame cannot count it again.
 */
export interface Loan {
  readonly lender: TrackState;
  readonly box: Box;
  readonly probWithoutMask: number;
  readonly atMs: number;
}

/**
 * How far (face sizes) from its place a face seen once may be found `sinceMs` later: the plain gate plus a
 * brisk walk for the time since (see {@link FIRST_STEP_FACES_PER_S}).
 */
export function firstStepGate(sinceMs: number, options: Pick<TrackerOptions, 'maxCentreDistance'>): number {
  return options.maxCentreDistance + (FIRST_STEP_FACES_PER_S * Math.max(0, sinceMs)) / 1000;
}

/**
 * The {@link Loan}s on offer this frame: each counted track's face of the frame at `previousFrameMs` that read
 * the other label (by more than `maxLabelDifference`) from the average of all its frames before it.
 */
export function loansOnOffer(
  tracks: readonly TrackState[],
  previousFrameMs: number,
  options: Pick<TrackerOptions, 'maxLabelDifference'>,
): Loan[] {
  return tracks.flatMap((track) => {
    if (!firmlyDecided(track) || track.frames < 2 || track.lastSeenMs !== previousFrameMs) return [];
    const before = (track.sumProbWithoutMask - track.lastProbWithoutMask) / (track.frames - 1);
    if (Math.abs(track.lastProbWithoutMask - before) <= options.maxLabelDifference) return [];
    const { box, lastProbWithoutMask: probWithoutMask, lastSeenMs: atMs } = track;
    return [{ lender: track, box, probWithoutMask, atMs }];
  });
}

/**
 * The nearest of `loans` that a new `face` continues: it reads like the loan's face (within
 * `maxLabelDifference`) and lies within the step a face seen once may take (see firstStepGate).
 */
export function loanFor(
  face: Observation,
  loans: readonly Loan[],
  timestampMs: number,
  options: Pick<TrackerOptions, 'maxLabelDifference' | 'maxCentreDistance'>,
): Loan | undefined {
  let best: Loan | undefined;
  let bestDistance = Infinity;
  for (const loan of loans) {
    if (Math.abs(face.probWithoutMask - loan.probWithoutMask) > options.maxLabelDifference) continue;
    const distance = distanceInFaces(loan.box, face.box);
    if (distance <= firstStepGate(timestampMs - loan.atMs, options) && distance < bestDistance) {
      best = loan;
      bestDistance = distance;
    }
  }
  return best;
}
