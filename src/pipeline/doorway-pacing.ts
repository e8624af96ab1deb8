/**
 * How often the camera's frames go to the detector. A guard's phone watches the door for a whole shift, and
 * most of that time the doorway is empty: checking every frame then (the detector's four passes and the
 * classifier as fast as the phone runs them, one core busy without a break) drains the battery and heats the
 * phone until it slows itself down, for nothing. While nobody has been in view for {@link IDLE_AFTER_MS},
 * a frame goes at most every {@link IDLE_FRAME_INTERVAL_MS}; the first face brings back every frame.
 *
 * What the wait costs: a person walking in is first seen up to {@link IDLE_FRAME_INTERVAL_MS} later, and
 * from then on at the full rate, so their decision (several frames, see TRACKER_THRESHOLDS) and an alert
 * come at most that much later. People in view, counted or not, and people just out of view whose tracks
 * the tracker still holds (a person turning away for a moment) are always checked at the full rate: pacing
 * never changes how a person is tracked, only how soon an empty doorway notices the next one.
 *
 * Pure: the times are on the counting clock (FrameCapture.clock), the same as the frames' timestamps.
 */

/** Nobody in view for this long (ms) makes the doorway empty. Longer than a blink of the detector. */
export const IDLE_AFTER_MS = 2000;

/** Least time (ms) between two frames sent while the doorway is empty: two frames a second. */
export const IDLE_FRAME_INTERVAL_MS = 500;

/** See the module comment. */
export class DoorwayPacing {
  /** When someone was last in view (or the source started), on the counting clock. */
  private lastInViewMs = Number.NEGATIVE_INFINITY;

  /**
   * A source (re)started at `nowMs`: full rate at first, so that whoever is at the door is seen at once and
   * tracks held over the pause meet their faces on the next frames.
   */
  start(nowMs: number): void {
    this.lastInViewMs = nowMs;
  }

  /**
   * A frame's result: `faces` found in it, `peopleHeld` tracks the counter holds after it (people in view
   * and people briefly out of view).
   */
  observed(timestampMs: number, faces: number, peopleHeld: number): void {
    if (faces > 0 || peopleHeld > 0) this.lastInViewMs = Math.max(this.lastInViewMs, timestampMs);
  }

  /** Whether nobody has been in view for {@link IDLE_AFTER_MS} at `nowMs`. */
  idle(nowMs: number): boolean {
    return nowMs - this.lastInViewMs >= IDLE_AFTER_MS;
  }

  /** Least time (ms) from the last frame sent to the next at `nowMs`: 0 (every frame) unless idle. */
  minInterval(nowMs: number): number {
    return this.idle(nowMs) ? IDLE_FRAME_INTERVAL_MS : 0;
  }
}
