/**
 * Reads frames from the `<video>` the screen shows (camera or video file) into the detection worker, one in
 * flight, stamped on the counting clock. What becomes of a result is the guard controller's business.
 */
import type { ResultMessage } from '../shared/protocol.ts';
import type { DetectionClient, FrameOutcome } from './detection-client.ts';

/** See the module comment. */
export class FrameCapture {
  private running = false;
  /** Bumped by every loop started: pending video-frame callbacks survive a change of source, older loops end. */
  private generation = 0;
  /**
   * Time the counting clock stood still ({@link clock}): while a video file waits in the background, its
   * people are not leaving, so that time must not count as their absence.
   */
  private stoppedMs = 0;
  private stoppedAt: number | undefined;
  /** Frames the loop started last has sent to the detector (answered or not). */
  framesSent = 0;

  /**
   * @param onResult called with each frame's result while the loop that sent the frame still runs; what
   *   it throws is passed to `onRefused` (a result that cannot be used must never pass in silence). With
   *   it comes a copy of the frame the result is for, when `keepFrame` asked for one; the copy is closed
   *   when onResult returns.
   * @param keepFrame whether to keep a copy of each frame sent (the worker gets the frame itself), asked
   *   per frame: only while the guard keeps pictures of unmasked people, which must show the face the
   *   result found, not the picture on screen by the time it came back.
   * @param minInterval least time (ms, on the counting clock) from one frame sent to the next, asked at each
   *   video frame: 0 checks every frame the detector is free for (see DoorwayPacing).
   */
  constructor(
    private readonly video: HTMLVideoElement,
    private readonly client: DetectionClient,
    private readonly onResult: (result: ResultMessage, frame?: ImageBitmap) => void,
    private readonly onRefused: (error: unknown) => void,
    private readonly keepFrame: () => boolean = () => false,
    private readonly minInterval: (nowMs: number) => number = () => 0,
  ) {}

  /** Starts reading frames (ending any loop before it). */
  start(): void {
    this.running = true;
    const generation = ++this.generation;
    this.framesSent = 0;
    const current = () => this.running && generation === this.generation;
    const next = () => {
      if (!current()) return;
      if ('requestVideoFrameCallback' in this.video)
        this.video.requestVideoFrameCallback(() => void onFrame());
      else requestAnimationFrame(() => void onFrame());
    };
    let pending = false;
    let lastSentMs = Number.NEGATIVE_INFINITY;
    const onFrame = async () => {
      next();
      if (pending || !this.client.idle || this.video.readyState < 2 || this.video.videoWidth === 0) return;
      const now = this.clock();
      if (now - lastSentMs < this.minInterval(now)) return;
      lastSentMs = now;
      pending = true;
      let copy: ImageBitmap | undefined;
      try {
        let result: FrameOutcome;
        try {
          const bitmap = await createImageBitmap(this.video);
          if (this.keepFrame()) {
            try {
              copy = await createImageBitmap(bitmap);
            } catch (error) {
              bitmap.close();
              throw error;
            }
          }
          // Stopped while the picture was grabbed (the detector given up, another source chosen): sending it
          // would start a worker the screen says is stopped.
          if (!current()) {
            bitmap.close();
            return;
          }
          this.framesSent += 1;
          result = await this.client.submit(bitmap, this.clock(), 'video');
        } catch {
          // A frame that cannot be grabbed (the source just stopped) is skipped.
          return;
        }
        if (result === undefined || !current()) return;
        try {
          this.onResult(result, copy);
        } catch (error) {
          this.onRefused(error);
        }
      } finally {
        copy?.close();
        pending = false;
      }
    };
    next();
  }

  /** Stops reading frames; a result still on its way is dropped. The clock runs again. */
  stop(): void {
    this.running = false;
    this.runClock();
  }

  /**
   * The counting clock (ms): the page's, less the time it stood still. Frame timestamps and the counter's
   * pauses use it, so it never goes backwards.
   */
  clock(): number {
    return (this.stoppedAt ?? performance.now()) - this.stoppedMs;
  }

  /** Stops the clock (a video file waits in the background) until {@link runClock} or {@link stop}. */
  holdClock(): void {
    this.stoppedAt ??= performance.now();
  }

  runClock(): void {
    if (this.stoppedAt === undefined) return;
    this.stoppedMs += performance.now() - this.stoppedAt;
    this.stoppedAt = undefined;
  }
}
