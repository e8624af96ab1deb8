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
/** Frames in a row with someone in view over which the speed is measured. */
const WINDOW = 6;

/** Measures checked frames per second over the last frames in a row that had a face in them. */
export class CheckRate {
  private times: number[] = [];
  /** The last speed measured under SLOW_CHECKS_PER_SECOND, until one at or over FAST_AGAIN_PER_SECOND. */
  private slowRate: number | undefined;

  /**
   * One checked frame at `timestampMs` (never earlier than the last); `inView`: it had a face. A frame without
   * one starts the measure afresh, since the checks are paced while nobody is in view.
   */
  record(timestampMs: number, inView: boolean): void {
    if (!inView) {
      this.times = [];
      return;
    }
    this.times.push(timestampMs);
    if (this.times.length > WINDOW) this.times.shift();
    const rate = this.perSecond;
    if (rate === undefined) return;
    if (rate < SLOW_CHECKS_PER_SECOND || (this.slowRate !== undefined && rate < FAST_AGAIN_PER_SECOND))
      this.slowRate = rate;
    else this.slowRate = undefined;
  }

  /** Forgets everything (another camera, a file, the camera stopped). */
  reset(): void {
    this.times = [];
    this.slowRate = undefined;
  }

  /** Checked frames per second over the last frames in a row with a face, once there are enough of them. */
  get perSecond(): number | undefined {
    if (this.times.length < WINDOW) return undefined;
    const spanMs = this.times[this.times.length - 1]! - this.times[0]!;
    return spanMs > 0 ? (1000 * (this.times.length - 1)) / spanMs : undefined;
  }

  /**
   * The checks a second last measured while too slow to count everyone (see SLOW_CHECKS_PER_SECOND), kept while
   * nobody is in view (the phone is no faster then), else undefined.
   */
  get slow(): number | undefined {
    return this.slowRate;
  }
}
