/** In-page frame runs for `npm run bench`: frames are composed in the page and fed to the worker. */
import type { Page } from 'playwright-core';
import type {} from '../../src/harness/harness.ts';

/** Median and 95th percentile of one stage, in milliseconds. */
export interface StageStats {
  median: number;
  p95: number;
}

/** One run's figures. */
export interface FrameRunResult {
  frames: number;
  detect: StageStats;
  crop: StageStats;
  classify: StageStats;
  total: StageStats;
  /** The same frames with the classifier skipped: the detector alone, our floor. */
  detectOnly: StageStats;
  /** Processed frames per second, one frame in flight. */
  fps: number;
}

/** What to run. `seconds` bounds the run by time instead of frames. */
export interface FrameRun {
  width: number;
  height: number;
  photos: string[];
  frames: number;
  seconds?: number;
  onProgress?: boolean;
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
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (q: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      return { median: at(0.5), p95: at(0.95) };
    };
    let timestamp = performance.now();
    const go = async (detectOnly: boolean, count: number, seconds?: number) => {
      const timings: { detectMs: number; cropMs: number; classifyMs: number; totalMs: number }[] = [];
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        if (seconds !== undefined && performance.now() - start > seconds * 1000) break;
        const frame = await createImageBitmap(template);
        timestamp += 33;
        const result = await window.maskGuardHarness.detectBitmap(frame, 'video', timestamp, detectOnly);
        if (result !== undefined) timings.push(result.timings);
      }
      return { timings, elapsed: performance.now() - start };
    };
    await go(false, 3); // warm-up: first frames pay for shader compilation and allocation
    const full = await go(false, run.frames, run.seconds);
    const floor = run.seconds === undefined ? await go(true, Math.min(run.frames, 30)) : { timings: [] };
    return {
      frames: full.timings.length,
      detect: stats(full.timings.map((t) => t.detectMs)),
      crop: stats(full.timings.map((t) => t.cropMs)),
      classify: stats(full.timings.map((t) => t.classifyMs)),
      total: stats(full.timings.map((t) => t.totalMs)),
      detectOnly: stats(floor.timings.map((t) => t.totalMs)),
      fps: (1000 * full.timings.length) / full.elapsed,
    };
  }, run);
}
