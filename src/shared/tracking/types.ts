/**
 * What goes into the face tracker each frame and what comes out: live tracks for the overlay, one
 * {@link PersonCounted} event per person for the tally, alerts and storage, and {@link TrackEnded} when a
 * person leaves.
 */
import type { Box } from '../geometry';
import type { Decision } from './options';

/** One face found in a frame by the detector and scored by the mask classifier. */
export interface Observation {
  /** Face box in frame pixels. */
  readonly box: Box;
  /** Classifier probability that this face has no mask, in [0, 1]. */
  readonly probWithoutMask: number;
  /**
   * Detector score in [0, 1], if known. Only used to decide which of two overlapping duplicate detections
   * is kept (the higher score); a missing score counts as 0.
   */
  readonly detScore?: number;
  /**
   * The face's appearance, if known: the classifier's features of its crop, unit length (see ./appearance.ts).
   * Tells two people at one spot apart where place and label cannot (rule 5 of ./tracker.ts).
   */
  readonly appearance?: Float32Array;
}

/** A person currently tracked, as the overlay needs it to draw a box with a stable id. */
export interface LiveTrack {
  /** Identity of the track, unique within one tracker; never reused. Not shown: see `number`. */
  readonly id: number;
  /**
   * The person's number (see {@link PersonCounted.number}) once seen long enough to be counted (and so sure to
   * be, if still undecided), `null` before.
   */
  readonly number: number | null;
  /** Last observed box in frame pixels (not a prediction). */
  readonly box: Box;
  /** Whether the person was observed in the frame just given to `update`; false while inside a short gap. */
  readonly visible: boolean;
  /** Index into this update's `faces` of the face matched to this track, or `null` when not visible. */
  readonly observationIndex: number | null;
  /** Number of observations so far. */
  readonly frames: number;
  /** Mean P(without_mask) over all observations so far. */
  readonly averageProbWithoutMask: number;
  /** P(without_mask) of the latest observation. */
  readonly lastProbWithoutMask: number;
  /** The decision this person was counted with, or `null` while not yet counted. Never changes once set. */
  readonly decision: Decision | null;
  /** Timestamp (ms) of the first observation. */
  readonly firstSeenMs: number;
  /** Timestamp (ms) of the latest observation. */
  readonly lastSeenMs: number;
}

/**
 * Emitted exactly once per counted person, at the moment the decision is made (and once more, in `revised`,
 * for a person counted `uncertain` by `settle` and decided when seen again).
 */
export interface PersonCounted {
  /** The track's id (see {@link LiveTrack.id}). */
  readonly trackId: number;
  /**
   * The person's number, for the guard ("#7" on their box, alert and History row): one per person counted,
   * given when they have been seen long enough to be counted (a face glimpsed and never counted takes none, so
   * the numbers run on without gaps), and kept when a provisional count is revised.
   */
  readonly number: number;
  /** The decision the person is counted with. */
  readonly decision: Decision;
  /**
   * Averaged probability of the decided class over the frames seen so far; for `uncertain`, that of the more
   * likely class.
   */
  readonly confidence: number;
  /** Mean P(without_mask) over the frames seen so far. */
  readonly averageProbWithoutMask: number;
  /** Observations the decision was made from. */
  readonly frames: number;
  /**
   * `lastSeenMs − firstSeenMs` at the moment of counting, less time the input was paused (a person counted
   * early may stay longer).
   */
  readonly timeInViewMs: number;
  /** Timestamp (ms) of the track's first observation. */
  readonly firstSeenMs: number;
  /** Timestamp (ms) of the track's latest observation when it was counted. */
  readonly lastSeenMs: number;
  /** Timestamp (ms) of the update (or flush) that counted the person. */
  readonly countedAtMs: number;
}

/** Emitted once when a track ends (gap exceeded or flush), counted or not. */
export interface TrackEnded {
  /** The track's id. */
  readonly trackId: number;
  /** The decision it was counted with, or `null` if it was never counted (too few frames). */
  readonly decision: Decision | null;
  /** Total observations. */
  readonly frames: number;
  /** Mean P(without_mask) over all observations. */
  readonly averageProbWithoutMask: number;
  /** Timestamp (ms) of the first observation. */
  readonly firstSeenMs: number;
  /** Timestamp (ms) of the last observation. */
  readonly lastSeenMs: number;
}

/** Result of one `update` or `flush`. */
export interface TrackerUpdate {
  /** Every live track, visible or inside a short gap, ordered by id. Empty after `flush`. */
  readonly tracks: LiveTrack[];
  /** People counted by this call, ordered by track id. */
  readonly counted: PersonCounted[];
  /**
   * People counted `uncertain` by `settle` and decided after all by this call (see the tracker's rule 4):
   * their count changes class, it is not a new person. Ordered by track id.
   */
  readonly revised: PersonCounted[];
  /** Tracks that ended in this call, ordered by track id. */
  readonly ended: TrackEnded[];
}
