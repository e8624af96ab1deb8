/** In-page frame runs for `npm run bench`: frames are composed in the page and fed to the worker. */
import type { Page } from 'playwright-core';
import type {} from '../../src/harness/harness.ts';

/** Median and 95th percentile of one stage, in milliseconds. */
export interface StageStats {
  median: number;
  p95: number;
}

/** One run's figures. Times are spent in the worker (decode, transfer and messaging not included). */
export interface FrameRunResult {
  frames: number;
  /** Faces the pipeline found per frame (median): the faces composed in may not all be found. */
  facesFound: number;
  detect: StageStats;
  crop: StageStats;
  classify: StageStats;
  total: StageStats;
  /**
   * The same frame with the classifier skipped, alternated with the full frames (one detector-only frame
   * after each), so that both see the same moments of a noisy machine: the detector alone, our floor.
   */
  detectOnly: StageStats;
  /** Processed frames per second, one frame in flight, from submitting a frame to its result (full frames). */
  fps: number;
}

/** What to run. `seconds` bounds the run by time instead of frames. */
export interface FrameRun {
  width: number;
  height: number;
  photos: string[];
  frames: number;
  seconds?: number;
  /** Whether each frame is followed by a detector-only one (for detectOnly); default: when not timed. */
  paired?: boolean;
}

/** Composes a frame from door photos (side by side, on a grey doorway) and runs it `frames` times. */
export async function composeAndRun(page: Page, run: FrameRun): Promise<FrameRunResult> {
  return page.evaluate(async (run) => {
    const canvas = new OffscreenCanvas(run.width, run.height);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#5a6570';
    context.fillRect(0, 0, run.width, run.height);
    const cell = run.width / Math.max(1, Math.min(run.photos.length, 3));
    const rows = Math.ceil(run.photos.length / 3);
    const side = Math.min(cell, run.height / Math.max(1, rows)) * 0.95;
    for (const [i, photo] of run.photos.entries()) {
      const image = await createImageBitmap(
        await (await fetch(`/__shared/data/door-photos/images/${photo}`)).blob(),
      );
      context.drawImage(image, (i % 3) * cell + (cell - side) / 2, Math.floor(i / 3) * side, side, side);
      image.close();
    }
    const template = canvas.transferToImageBitmap();
    // Median (the mean of the middle two for an even count) and nearest-rank 95th percentile.
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const n = sorted.length;
      if (n === 0) return { median: Number.NaN, p95: Number.NaN };
      const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
      return { median, p95: sorted[Math.min(n - 1, Math.ceil(0.95 * n) - 1)]! };
    };
    type Timings = { detectMs: number; cropMs: number; classifyMs: number; totalMs: number };
    let timestamp = performance.now();
    const frame = async (detectOnly: boolean) => {
      const bitmap = await createImageBitmap(template);
      timestamp += 33;
      return window.maskGuardHarness.detectBitmap(bitmap, 'video', timestamp, detectOnly);
    };
    /** Full frames (each followed by a detector-only one when `paired`), for `count` frames or `seconds`. */
    const go = async (count: number, paired: boolean, seconds?: number) => {
      const full: Timings[] = [];
      const floor: Timings[] = [];
      const facesFound: number[] = [];
      let busyMs = 0;
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        if (seconds !== undefined && performance.now() - start > seconds * 1000) break;
        const t0 = performance.now();
        const result = await frame(false);
        busyMs += performance.now() - t0;
        if (result !== undefined) {
          full.push(result.timings);
          facesFound.push(result.faces.length);
        }
        if (paired) {
          const alone = await frame(true);
          if (alone !== undefined) floor.push(alone.timings);
        }
      }
      return { full, floor, facesFound, fps: (1000 * full.length) / busyMs };
    };
    await go(3, false); // warm-up: first frames pay for shader compilation and allocation
    const run_ = await go(run.frames, run.paired ?? run.seconds === undefined, run.seconds);
    return {
      frames: run_.full.length,
      facesFound: stats(run_.facesFound).median,
      detect: stats(run_.full.map((t) => t.detectMs)),
      crop: stats(run_.full.map((t) => t.cropMs)),
      classify: stats(run_.full.map((t) => t.classifyMs)),
      total: stats(run_.full.map((t) => t.totalMs)),
      detectOnly: stats(run_.floor.map((t) => t.totalMs)),
      fps: run_.fps,
    };
  }, run);
}
