/**
 * Reads frames from the `<video>` the screen shows (camera or video file) into the detection worker, one in
 * flight, stamped on the counting clock. What becomes of a result is the guard controller's business.
 *
 * A camera's picture does not wait: a frame that comes while one is in flight is dropped. A video file's
 * does: it stands still (and the counting clock with it) from each frame sent until that frame's answer,
 * so every person in the file is checked as often as in the recording, however slow the phone or however
 * long the models take to load when the file is chosen; the file then plays slower than it was recorded.
 * (Played at its own speed, a file chosen during a slow first load, or on a slow phone, went past people
 * before their first answer, and "Finished" it with nobody counted.)
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
  /** Why the counting clock stands still: the page hidden, a video file's frame awaiting its answer. */
  private readonly clockHolds = new Set<'hidden' | 'answer'>();
  /** The video file stands still until the frame in flight is answered (see the module comment). */
  private awaitingAnswer = false;
  /** ... and then plays on (not while the page is hidden, nor after the file was paused meanwhile). */
  private playWhenAnswered = false;
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
   * @param waitForAnswers whether the video stands still while its frame is checked, asked per frame: true
   *   for a video file, false for a camera (see the module comment).
   */
  constructor(
    private readonly video: HTMLVideoElement,
    private readonly client: DetectionClient,
    private readonly onResult: (result: ResultMessage, frame?: ImageBitmap) => void,
    private readonly onRefused: (error: unknown) => void,
    private readonly keepFrame: () => boolean = () => false,
    private readonly minInterval: (nowMs: number) => number = () => 0,
    private readonly waitForAnswers: () => boolean = () => false,
  ) {}

  /** Starts reading frames (ending any loop before it). */
  start(): void {
    this.running = true;
    // A frame of the loop before, still in flight, holds nothing of this one's.
    this.awaitingAnswer = this.playWhenAnswered = false;
    this.runClock('answer');
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
      // From the last frame sent, not the last one decided on: grabbing a picture takes a variable time.
      if (now - lastSentMs < this.minInterval(now)) return;
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
          lastSentMs = this.clock();
          if (this.waitForAnswers() && !this.video.paused) {
            this.video.pause();
            this.awaitingAnswer = this.playWhenAnswered = true;
            this.holdClock('answer');
          }
          result = await this.client.submit(bitmap, lastSentMs, 'video');
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
        if (this.awaitingAnswer && current()) this.answered();
      }
    };
    next();
  }

  /** The video file's frame in flight is answered (or skipped): the file plays on, if it was to. */
  private answered(): void {
    this.awaitingAnswer = false;
    this.runClock('answer');
    if (this.playWhenAnswered && !this.clockHolds.has('hidden')) void this.video.play().catch(() => {});
    this.playWhenAnswered = false;
  }

  /** Whether the video file plays, or stands still only until its frame in flight is answered. */
  get filePlaying(): boolean {
    return (!this.video.paused || (this.awaitingAnswer && this.playWhenAnswered)) && !this.video.ended;
  }

  /** Pauses the video file (the page is hidden), also if it stood still only for an answer. */
  pauseFile(): void {
    this.playWhenAnswered = false;
    this.video.pause();
    this.holdClock('hidden');
  }

  /** Plays the video file again after {@link pauseFile}: now, or once the frame in flight is answered. */
  async resumeFile(play: boolean): Promise<void> {
    this.runClock('hidden');
    if (!play) return;
    if (this.awaitingAnswer) this.playWhenAnswered = true;
    else await this.video.play().catch(() => {});
  }

  /** Stops reading frames; a result still on its way is dropped. The clock runs again. */
  stop(): void {
    this.running = false;
    this.awaitingAnswer = this.playWhenAnswered = false;
    this.runClock('hidden');
    this.runClock('answer');
  }

  /**
   * The counting clock (ms): the page's, less the time it stood still. Frame timestamps and the counter's
   * pauses use it, so it never goes backwards.
   */
  clock(): number {
    return (this.stoppedAt ?? performance.now()) - this.stoppedMs;
  }

  /** Stops the clock for `reason` until {@link runClock} for it or {@link stop}. */
  private holdClock(reason: 'hidden' | 'answer'): void {
    this.clockHolds.add(reason);
    this.stoppedAt ??= performance.now();
  }

  /** Ends the hold for `reason`; the clock runs again when no other holds it. */
  private runClock(reason: 'hidden' | 'answer'): void {
    this.clockHolds.delete(reason);
    if (this.clockHolds.size > 0 || this.stoppedAt === undefined) return;
    this.stoppedMs += performance.now() - this.stoppedAt;
    this.stoppedAt = undefined;
  }
}
