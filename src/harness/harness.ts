/**
 * A page for the tests, `npm run bench` and `npm run eval:e2e`: it drives the same detection worker as the
 * live screen through the same client, and exposes it as `window.maskGuardHarness`. Not part of the
 * guard's app (not precached, not linked).
 */
import { DetectionClient, type DetectionClientOptions } from '../pipeline/detection-client.ts';
import type { FrameMode, ReadyMessage, ResultMessage, StatsMessage } from '../shared/protocol.ts';

/** What the harness page exposes to Playwright. */
export interface MaskGuardHarness {
  start(options?: DetectionClientOptions): Promise<ReadyMessage>;
  /** Decodes an image file fetched from `url` and runs it through the worker. */
  detectUrl(url: string, mode: FrameMode, timestampMs?: number): Promise<ResultMessage | undefined>;
  detectBitmap(
    bitmap: ImageBitmap,
    mode: FrameMode,
    timestampMs: number,
    detectOnly?: boolean,
  ): Promise<ResultMessage | undefined>;
  stats(): Promise<StatsMessage>;
  stop(): void;
  /** Progress messages seen since start. */
  progress: unknown[];
}

let client: DetectionClient | undefined;
/** The worker's error reports (frames it could not check) during the current detectUrl, for its message. */
const frameErrors: { message?: string; detail?: string }[] = [];
const harness: MaskGuardHarness = {
  progress: [],
  start(options = {}) {
    client?.stop();
    client = new DetectionClient(options);
    client.addEventListener('progress', (e) => harness.progress.push((e as CustomEvent).detail));
    client.addEventListener('error', (e) =>
      frameErrors.push((e as CustomEvent).detail as (typeof frameErrors)[number]),
    );
    return client.start();
  },
  async detectUrl(url, mode, timestampMs = performance.now()) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const bitmap = await createImageBitmap(await response.blob());
    frameErrors.length = 0;
    const result = await harness.detectBitmap(bitmap, mode, timestampMs);
    // A photo is never skipped for being busy, so no result means the worker failed on it: say why.
    const failure = frameErrors.at(-1);
    if (result === undefined && mode === 'image' && failure !== undefined)
      throw new Error(`the detector failed on it: ${failure.message ?? ''} ${failure.detail ?? ''}`.trim());
    return result;
  },
  detectBitmap(bitmap, mode, timestampMs, detectOnly = false) {
    if (client === undefined) throw new Error('call start() first');
    return client.submit(bitmap, timestampMs, mode, detectOnly);
  },
  stats() {
    if (client === undefined) throw new Error('call start() first');
    return client.stats();
  },
  stop() {
    client?.stop();
    client = undefined;
  },
};

declare global {
  interface Window {
    maskGuardHarness: MaskGuardHarness;
  }
}
window.maskGuardHarness = harness;
document.body.dataset.ready = 'true';
