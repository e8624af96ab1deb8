/**
 * Face tracking and people counting: the pure core between the worker's detections and the guard's tally.
 * See ./tracker.ts for the counting rule.
 */
export { FaceTracker } from './tracker';
export type { TrackerSnapshot } from './snapshot';
export {
  type Decision,
  type TrackerOptions,
  DEFAULT_TRACKER_OPTIONS,
  decideLabel,
  decisionConfidence,
  resolveTrackerOptions,
} from './options';
export type { LiveTrack, Observation, PersonCounted, TrackEnded, TrackerUpdate } from './types';
export { type Tally, EMPTY_TALLY, addToTally, tallyDecisions } from './tally';
