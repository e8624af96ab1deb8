/**
 * One track's state and what happens to it frame by frame, for ./tracker.ts: sums, not lists, so memory
 * stays constant however long a person stands at the door.
 */
import { type Box, boxCentre, translateBox } from '../geometry';
import { blend } from './appearance';
import type { Decision } from './options';
import { type Probation, addToProbation, newProbation } from './probation';
import type { LiveTrack, Observation } from './types';

/**
 * Weight of the newest motion measurement in a track's smoothed velocity: 0.5 follows a walker within a few
 * frames yet halves the effect of one jittery detector box on the prediction.
 */
const VELOCITY_SMOOTHING = 0.5;

/** Mutable state of one track. Sums, not lists, so memory stays constant however long a person stands. */
export interface TrackState {
  readonly id: number;
  /**
   * The person's number (see {@link PersonCounted.number}), given when first seen long enough to be counted;
   * undefined before. A numbered track is always counted (see awaitsDecision).
   */
  number?: number;
  box: Box;
  /** Smoothed velocity of the box centre in pixels per millisecond. */
  vx: number;
  vy: number;
  readonly firstSeenMs: number;
  lastSeenMs: number;
  /**
   * Where the absence clock starts: `lastSeenMs`, or the end of a pause when the face was last seen before
   * it (the camera was off, so time in the pause says nothing about whether the person left).
   */
  absentSinceMs: number;
  /** Processed frames since the face was last observed: the frames in which the tracker looked and missed it. */
  missedFrames: number;
  /** Time in pauses since the first observation: not time in view (rule 3 and `timeInViewMs` leave it out). */
  pausedMs: number;
  frames: number;
  sumProbWithoutMask: number;
  lastProbWithoutMask: number;
  decision: Decision | null;
  /** Counted `uncertain` by `settle` before rules 2 and 3 had their say: may still be revised (rule 4). */
  provisional: boolean;
  /** Rule 5: the frames since the track was carried over a pause, while on probation; undefined otherwise. */
  probation?: Probation;
  /**
   * The face's running appearance (see ./appearance.ts) over its clear frames, those on probation left out;
   * undefined until one is seen, and in a snapshot (never stored).
   */
  appearance?: Float32Array;
  /** Processed frames in a row in which the face was hidden behind someone in front (see maxHiddenMs). */
  hiddenFrames?: number;
  /** Processed frames that missed the face since it was first seen, hidden ones aside (see minSlowFrames). */
  missedTotal?: number;
  /**
   * Whether a frame that missed the face since it was last seen came after blind time: after a pause, or over
   * `maxGapMs` after the frame before it (a detector restart, one very slow frame). Only a gap with blind time
   * in it is bridged by the `minMissedFrames` allowance; missed frames that came at the usual pace, however
   * slow, are time spent looking.
   */
  blindSinceSeen?: boolean;
}

/** A new track, numbered `id`, for `face` first seen at `timestampMs`. */
export function newTrackState(id: number, face: Observation, timestampMs: number): TrackState {
  return {
    id,
    box: face.box,
    vx: 0,
    vy: 0,
    firstSeenMs: timestampMs,
    lastSeenMs: timestampMs,
    absentSinceMs: timestampMs,
    missedFrames: 0,
    pausedMs: 0,
    frames: 1,
    sumProbWithoutMask: face.probWithoutMask,
    lastProbWithoutMask: face.probWithoutMask,
    decision: null,
    provisional: false,
  };
}
/** Time from the first observation to the latest, less the pauses in between. */
export function timeInView(track: TrackState): number {
  return track.lastSeenMs - track.firstSeenMs - track.pausedMs;
}

/** Counted with a firm label (neither `uncertain` nor still undecided): whom rule 5 puts on probation. */
export function firmlyDecided(track: TrackState): boolean {
  return track.decision === 'with_mask' || track.decision === 'without_mask';
}

/** Rule 5: the frames from now are averaged apart, to tell whether this is still the person counted. */
export function startProbation(track: TrackState): void {
  track.probation = newProbation();
}

/**
 * The track's absence clock starts (again) at `timestampMs`: the face was seen then, or counts as in view
 * (hidden behind someone, or in view when a pause began), so no frame has missed it since.
 */
export function absenceStartsAt(track: TrackState, timestampMs: number): void {
  track.absentSinceMs = timestampMs;
  track.missedFrames = 0;
  track.blindSinceSeen = false;
}

/** The mean P(without_mask) over all the track's observations. */
export function average(track: TrackState): number {
  return track.sumProbWithoutMask / track.frames;
}

/** Where the track's box should be at `timestampMs` if the face kept its smoothed velocity. */
export function predictBox(track: TrackState, timestampMs: number): Box {
  const dt = timestampMs - track.lastSeenMs;
  return translateBox(track.box, track.vx * dt, track.vy * dt);
}

/**
 * `face`, seen at `timestampMs`, is the track's: its box, motion, absence clock and average move on; its
 * appearance joins the track's when its crop is `clear` of other faces, or the probation's while on probation.
 */
export function observe(track: TrackState, face: Observation, timestampMs: number, clear: boolean): void {
  const dt = timestampMs - track.lastSeenMs;
  // Two updates with the same timestamp carry no motion information (and would divide by zero).
  if (dt > 0) {
    const before = boxCentre(track.box);
    const after = boxCentre(face.box);
    track.vx = VELOCITY_SMOOTHING * ((after.x - before.x) / dt) + (1 - VELOCITY_SMOOTHING) * track.vx;
    track.vy = VELOCITY_SMOOTHING * ((after.y - before.y) / dt) + (1 - VELOCITY_SMOOTHING) * track.vy;
  }
  track.box = face.box;
  track.lastSeenMs = timestampMs;
  absenceStartsAt(track, timestampMs);
  track.hiddenFrames = 0;
  track.frames += 1;
  track.sumProbWithoutMask += face.probWithoutMask;
  track.lastProbWithoutMask = face.probWithoutMask;
  if (track.probation !== undefined) addToProbation(track.probation, face, timestampMs, clear);
  // A look on probation may be someone else's: it becomes the track's only if the probation keeps the person.
  else if (face.appearance !== undefined && clear)
    track.appearance = track.appearance ? blend(track.appearance, face.appearance) : face.appearance;
}

/** What the page is shown of a track; `observationIndex` is its face in this frame (null when unseen). */
export function liveTrack(track: TrackState, observationIndex: number | null): LiveTrack {
  return {
    id: track.id,
    number: track.number ?? null,
    box: track.box,
    visible: observationIndex !== null,
    observationIndex,
    frames: track.frames,
    averageProbWithoutMask: average(track),
    lastProbWithoutMask: track.lastProbWithoutMask,
    decision: track.decision,
    firstSeenMs: track.firstSeenMs,
    lastSeenMs: track.lastSeenMs,
  };
}
