/**
 * The tracker's tunable rules and the thresholds that turn an averaged probability into a decision.
 *
 * Defaults come from issue 4: identity kept through gaps up to 1 s, a label decided from at least 5 frames,
 * and an average P(without_mask) strictly between 0.35 and 0.65 counted as uncertain rather than forced.
 */

/** What a counted person was decided to be. `uncertain` means the averaged probability stayed between the thresholds. */
export type Decision = 'with_mask' | 'without_mask' | 'uncertain';

/** Rules of the face tracker. Every field has a default (see {@link DEFAULT_TRACKER_OPTIONS}). */
export interface TrackerOptions {
  /**
   * A track not observed for longer than this many milliseconds ends; a face seen after a longer gap starts a
   * new person. Measured in time, not frames, because the worker drops frames when it is busy. Default 1000.
   */
  maxGapMs: number;
  /**
   * Processed frames in which a track's face must be missed before the gap can end it. Time in which no frame
   * was processed (the detection worker restarting after a crash, one very slow frame) is blind time, not
   * absence: the person probably still stands there, and ending their track would count them a second time
   * when they are seen again. Integer ≥ 1. Default 2.
   */
  minMissedFrames: number;
  /**
   * Longest blind gap a track survives (ms). Beyond it the person may well have left and someone else come in
   * their place, so the track ends as after any gap. At least `maxGapMs`. Default 10000 (a worker restart
   * takes about 3 s from the cache; a hung frame is given up after 10 s, and the page then pauses the
   * counter, so that the hang does not count against this limit).
   */
  maxBlindMs: number;
  /**
   * Observations a track needs before it can be counted. A track that ends with fewer is never counted: it is
   * a detector false positive or a face glimpsed in passing. Integer ≥ 1. Default 5.
   */
  minFrames: number;
  /**
   * On a slow phone (a few processed frames a second) `minFrames` frames take longer than many people stand in
   * view, and they would never be counted nor alerted for. So a track is also eligible once it has at least
   * `minSlowFrames` observations spanning `minEvidenceMs` of time in view, with at most one processed frame
   * missing the face since it was first seen. From about 5 frames/s up this changes nothing (4 frames at 5/s
   * span 600 ms: it still takes 5); at 4 frames/s it takes 4 (0.75 s), at 2.5 frames/s 3 (0.8 s) instead of 5
   * (1.6 s). A glimpse or a false detection still needs 0.75 s of being seen in (almost) every frame, longer
   * than 5 frames at full speed. Integer ≥ 1 (at or above `minFrames` it changes nothing). Default 3.
   */
  minSlowFrames: number;
  /** See `minSlowFrames` (ms). Default 750. */
  minEvidenceMs: number;
  /**
   * Average P(without_mask) at or above which a person is counted `without_mask`. Default 0.65, a band
   * around 0.5 for a classifier that decides at 0.5; the app runs with a band around the shipped
   * classifier's 0.25 instead (0.15–0.40, TRACKER_THRESHOLDS in src/pipeline/door-counter.ts).
   */
  withoutMaskThreshold: number;
  /** Average P(without_mask) at or below which a person is counted `with_mask`. Default 0.35 (see above). */
  withMaskThreshold: number;
  /**
   * How long (ms since first seen) a track with enough frames may stay between the thresholds, waiting for
   * its average to settle, before it is counted `uncertain` while the person is still in view, so that the
   * guard sees the uncertain count while they can still look. `Infinity` waits until the track ends.
   * Default 3000.
   */
  maxUndecidedMs: number;
  /**
   * Largest distance between a track's (predicted or last) box centre and an observation's centre for the
   * two to be matched, in face sizes (the mean square root of the two box areas). Default 1.
   */
  maxCentreDistance: number;
  /**
   * How long a person whose face is hidden behind another face (someone in the queue stepping or walking in
   * front of them: the face in front covers at least a third of theirs) keeps their track, from when they
   * were last seen: time hidden so is not absence, so that the person is not counted again when they are
   * seen after it. Their first frames after it are checked as after a pause (rule 5). Default 3000.
   */
  maxHiddenMs: number;
  /**
   * Largest difference between a track's average P(without_mask) and a face's for the two to be matched
   * when the face is also more than `labelJumpDistance` face sizes from where the track's face should be.
   * The classifier's answer is the one thing the tracker knows about who a face is: a walker read as clearly
   * unmasked (0.95) is not the masked person (0.02) whose place their face crosses. Default 0.75.
   */
  maxLabelDifference: number;
  /**
   * See `maxLabelDifference`: how far (in face sizes) a face must be from a track's predicted or last box
   * for a label that much unlike the track's to rule the pair out. A face standing still wobbles by a
   * twentieth of its size from frame to frame. Default 0.15.
   */
  labelJumpDistance: number;
  /**
   * Weight, in the matching cost, of the difference between a track's average P(without_mask) and a face's:
   * of two tracks near a face, the one whose faces read like it is preferred. Default 2.
   */
  labelWeight: number;
  /**
   * An observation that matches no track but overlaps another observation of the same frame by at least this
   * IoU is taken as a duplicate detection of that face (e.g. two detectors merged badly) and starts no new
   * track, since a duplicate track would count the person twice. Default 0.5.
   */
  duplicateIou: number;
}

/** The defaults of every {@link TrackerOptions} field. */
export const DEFAULT_TRACKER_OPTIONS: Readonly<TrackerOptions> = Object.freeze({
  maxGapMs: 1000,
  minMissedFrames: 2,
  maxBlindMs: 10_000,
  minFrames: 5,
  minSlowFrames: 3,
  minEvidenceMs: 750,
  withoutMaskThreshold: 0.65,
  withMaskThreshold: 0.35,
  maxUndecidedMs: 3000,
  maxCentreDistance: 1,
  maxHiddenMs: 3000,
  maxLabelDifference: 0.75,
  labelJumpDistance: 0.15,
  labelWeight: 2,
  duplicateIou: 0.5,
});

/**
 * `options` merged over the defaults and checked.
 * @throws RangeError when a value is out of range, so that a bad setting fails at start-up, not mid-shift.
 */
export function resolveTrackerOptions(options: Partial<TrackerOptions> = {}): TrackerOptions {
  const resolved: TrackerOptions = { ...DEFAULT_TRACKER_OPTIONS };
  // Skip explicit `undefined`s so that `{ maxGapMs: undefined }` means "default", not NaN.
  for (const key of Object.keys(options) as (keyof TrackerOptions)[]) {
    const value = options[key];
    if (value !== undefined) resolved[key] = value;
  }
  const { maxGapMs, minFrames, withoutMaskThreshold, withMaskThreshold } = resolved;
  if (!(maxGapMs >= 0) || !Number.isFinite(maxGapMs))
    throw new RangeError(`maxGapMs must be ≥ 0, got ${maxGapMs}`);
  if (!Number.isInteger(resolved.minMissedFrames) || resolved.minMissedFrames < 1) {
    throw new RangeError(`minMissedFrames must be an integer ≥ 1, got ${resolved.minMissedFrames}`);
  }
  if (!(resolved.maxBlindMs >= maxGapMs) || !Number.isFinite(resolved.maxBlindMs)) {
    throw new RangeError(`maxBlindMs must be ≥ maxGapMs (${maxGapMs}), got ${resolved.maxBlindMs}`);
  }
  if (!Number.isInteger(minFrames) || minFrames < 1) {
    throw new RangeError(`minFrames must be an integer ≥ 1, got ${minFrames}`);
  }
  if (!Number.isInteger(resolved.minSlowFrames) || resolved.minSlowFrames < 1) {
    throw new RangeError(`minSlowFrames must be an integer ≥ 1, got ${resolved.minSlowFrames}`);
  }
  if (!(resolved.minEvidenceMs >= 0)) {
    throw new RangeError(`minEvidenceMs must be ≥ 0, got ${resolved.minEvidenceMs}`);
  }
  if (!(withMaskThreshold >= 0 && withMaskThreshold <= withoutMaskThreshold && withoutMaskThreshold <= 1)) {
    throw new RangeError(
      `need 0 ≤ withMaskThreshold ≤ withoutMaskThreshold ≤ 1, got ${withMaskThreshold} and ${withoutMaskThreshold}`,
    );
  }
  if (!(resolved.maxUndecidedMs >= 0)) {
    throw new RangeError(`maxUndecidedMs must be ≥ 0, got ${resolved.maxUndecidedMs}`);
  }
  if (!(resolved.maxCentreDistance >= 0) || !Number.isFinite(resolved.maxCentreDistance)) {
    throw new RangeError(`maxCentreDistance must be ≥ 0, got ${resolved.maxCentreDistance}`);
  }
  if (!(resolved.maxHiddenMs >= 0) || !Number.isFinite(resolved.maxHiddenMs)) {
    throw new RangeError(`maxHiddenMs must be ≥ 0, got ${resolved.maxHiddenMs}`);
  }
  if (!(resolved.maxLabelDifference > 0 && resolved.maxLabelDifference <= 1)) {
    throw new RangeError(`maxLabelDifference must be in (0, 1], got ${resolved.maxLabelDifference}`);
  }
  if (!(resolved.labelJumpDistance >= 0) || !Number.isFinite(resolved.labelJumpDistance)) {
    throw new RangeError(`labelJumpDistance must be ≥ 0, got ${resolved.labelJumpDistance}`);
  }
  if (!(resolved.labelWeight >= 0) || !Number.isFinite(resolved.labelWeight)) {
    throw new RangeError(`labelWeight must be ≥ 0, got ${resolved.labelWeight}`);
  }
  if (!(resolved.duplicateIou > 0 && resolved.duplicateIou <= 1)) {
    throw new RangeError(`duplicateIou must be in (0, 1], got ${resolved.duplicateIou}`);
  }
  return resolved;
}

/**
 * The label an averaged P(without_mask) supports, or `null` while it lies strictly between the thresholds
 * (the caller decides when "still between" becomes `uncertain`). The thresholds themselves belong to the
 * labels, so the default uncertain band is the open interval (0.35, 0.65).
 */
export function decideLabel(
  averageProbWithoutMask: number,
  thresholds: Pick<TrackerOptions, 'withMaskThreshold' | 'withoutMaskThreshold'>,
): 'with_mask' | 'without_mask' | null {
  if (averageProbWithoutMask >= thresholds.withoutMaskThreshold) return 'without_mask';
  if (averageProbWithoutMask <= thresholds.withMaskThreshold) return 'with_mask';
  return null;
}

/**
 * Confidence of `decision` given the averaged P(without_mask): the averaged probability of the decided class,
 * and for `uncertain` that of the more likely class (so it is always in [0.5, 1] for uncertain).
 */
export function decisionConfidence(decision: Decision, averageProbWithoutMask: number): number {
  switch (decision) {
    case 'without_mask':
      return averageProbWithoutMask;
    case 'with_mask':
      return 1 - averageProbWithoutMask;
    case 'uncertain':
      return Math.max(averageProbWithoutMask, 1 - averageProbWithoutMask);
  }
}
