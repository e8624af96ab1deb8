/**
 * How fast the camera's frames are checked while someone is in view: the phone's own speed (the doorway pacing
 * slows the checks only while nobody is). On a slow phone a person who passes quickly is seen in too few frames
 * to be counted (the tracker needs at least 3 frames over 0.75 s, 5 at full speed), and the guard should know
 * rather than trust a tally that misses people (slow-phone exploration: at 1.4 checks a second, 1 of 4 unmasked
 * people shown 2 s each was never alerted for).
 */

/** Below this many checked frames a second, with someone in view, the guard is told. */
export const SLOW_CHECKS_PER_SECOND = 2;
/** ...and no longer once the checks are this fast again (a margin, so that the notice does not flicker). */
export const FAST_AGAIN_PER_SECOND = 2.5;
/** Intervals between checked frames that both had a face, over which the speed is measured (the latest). */
const INTERVALS = 5;
/** Fewest such intervals to go on: a person passing a slow phone is in 3 or 4 frames, so this spans people. */
const MIN_INTERVALS = 4;

/** Measures checked frames per second between frames that had a face in them. */
export class CheckRate {
  /** The last frame, if it had a face. */
  private previousMs: number | undefined;
  private intervals: number[] = [];
  /** The last speed measured under SLOW_CHECKS_PER_SECOND, until one at or over FAST_AGAIN_PER_SECOND. */
  private slowRate: number | undefined;

  /**
   * One checked frame at `timestampMs` (never earlier than the last); `inView`: it had a face. Only the time
   * between two frames that both had one is the phone's own pace: with nobody in view the checks are paced.
   */
  record(timestampMs: number, inView: boolean): void {
    if (!inView) {
      this.previousMs = undefined;
      return;
    }
    if (this.previousMs !== undefined) {
      this.intervals.push(timestampMs - this.previousMs);
      if (this.intervals.length > INTERVALS) this.intervals.shift();
    }
    this.previousMs = timestampMs;
    const rate = this.perSecond;
    if (rate === undefined) return;
    if (rate < SLOW_CHECKS_PER_SECOND || (this.slowRate !== undefined && rate < FAST_AGAIN_PER_SECOND))
      this.slowRate = rate;
    else this.slowRate = undefined;
  }

  /** Forgets everything (another camera, a file, the camera stopped). */
  reset(): void {
    this.previousMs = undefined;
    this.intervals = [];
    this.slowRate = undefined;
  }

  /** Checked frames per second between frames with a face (the latest few), once there are enough. */
  get perSecond(): number | undefined {
    if (this.intervals.length < MIN_INTERVALS) return undefined;
    const spanMs = this.intervals.reduce((sum, ms) => sum + ms, 0);
    return spanMs > 0 ? (1000 * this.intervals.length) / spanMs : undefined;
  }

  /**
   * The checks a second last measured while too slow to count everyone (see SLOW_CHECKS_PER_SECOND), kept while
   * nobody is in view (the phone is no faster then), else undefined.
   */
  get slow(): number | undefined {
    return this.slowRate;
  }
}
