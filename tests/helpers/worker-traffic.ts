import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

/** What a page told its workers and heard back, by page time (ms). */
export interface WorkerTraffic {
  /** When each 'frame' message was posted to a worker. */
  sent: number[];
  /** When each 'result' came back, and how many faces it held. */
  answers: { at: number; faces: number }[];
  /**
   * Every result as the counter got it: the detector's timestamp (ms) and each face as
   * [x, y, width, height, P(without_mask)], rounded, so that a failed scene can be replayed through the tracker.
   */
  results: { t: number; faces: number[][] }[];
  /**
   * Each result's faces' appearances (see src/shared/tracking/appearance.ts), same order as `results`: null for
   * a face without one. Kept only in the page's memory and in a failed scene's trace file (see
   * scripts/lib/tracker-trace.ts), never in the app.
   */
  appearances: (number[] | null)[][];
}

/**
 * Records, in every page of `context` from its next navigation, each 'frame' posted to a worker and each
 * 'result' a worker answers, by wrapping the page's Worker: the app's own traffic, with no hook in the app.
 */
export async function recordWorkerTraffic(context: BrowserContext): Promise<void> {
  await context.addInitScript({
    content: `
      globalThis.__workerTraffic = { sent: [], answers: [], results: [], appearances: [] };
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (message, ...rest) {
        if (message && message.type === 'frame') globalThis.__workerTraffic.sent.push(performance.now());
        return post.call(this, message, ...rest);
      };
      const PageWorker = Worker;
      globalThis.Worker = class extends PageWorker {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (event) => {
            const data = event.data;
            if (data && data.type === 'result') {
              globalThis.__workerTraffic.answers.push({ at: performance.now(), faces: data.faces.length });
              globalThis.__workerTraffic.results.push({
                t: Math.round(data.timestampMs * 10) / 10,
                faces: data.faces.map((f) => [
                  Math.round(f.box.x), Math.round(f.box.y), Math.round(f.box.width), Math.round(f.box.height),
                  Math.round(f.probs.without_mask * 1000) / 1000,
                ]),
              });
              globalThis.__workerTraffic.appearances.push(
                data.faces.map((f) => (f.appearance ? Array.from(f.appearance, (v) => Math.round(v * 1e5) / 1e5) : null)),
              );
            }
          });
        }
      };
    `,
  });
}

/** The traffic recorded so far in `page` (see {@link recordWorkerTraffic}). */
export function workerTraffic(page: Page): Promise<WorkerTraffic> {
  return page.evaluate(() => (globalThis as unknown as { __workerTraffic: WorkerTraffic }).__workerTraffic);
}

/** Where a scene with a wrong tally leaves its worker traffic (gitignored). */
const TRACE_DIR = join(import.meta.dirname, '../../.cache/traces');

/**
 * Writes `traffic` (with each face's appearance, which printed frames leave out) to a new file in .cache/traces
 * named after `scene`, and returns its path: `npx tsx scripts/replay-trace.ts FILE` replays it through the
 * tracker exactly as the page counted.
 */
export function writeTrace(scene: string, traffic: WorkerTraffic): string {
  mkdirSync(TRACE_DIR, { recursive: true });
  const file = join(TRACE_DIR, `${scene}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(traffic));
  return file;
}

/** One line per processed frame: its time and each face as x,y,w,h:P(without_mask). */
export function traceText(results: WorkerTraffic['results']): string {
  const lines = results.map(
    ({ t, faces }) => `${t} ${faces.map(([x, y, w, h, p]) => `${x},${y},${w},${h}:${p}`).join(' ')}`,
  );
  return `frames as the counter got them (ms, then x,y,w,h:P(without_mask) per face):\n${lines.join('\n')}`;
}
