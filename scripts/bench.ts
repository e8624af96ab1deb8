/**
 * `npm run bench [-- --json FILE] [--frames N] [--quick]`
 *
 * Builds and serves the production app, drives headless Chromium through the real detection worker
 * (dist/harness.html) and prints: model load time cold and warm (service worker cache), time from page
 * open to the first result, per-frame latency (median, p95) per stage for 0/1/3/6 faces at 640×480 and
 * 1280×720 with the near and far detectors (and auto), with the faces actually found, sustained frames per
 * second with one frame in flight, the ratio of total to detector-only time (detector-only frames alternated
 * with the full ones), the backend, live tensors and the worker's JS heap after 100 and N frames of one fresh
 * worker (`--frames`, default 3,000; 300 with `--quick`), and bytes precached; it checks that the warm load
 * fetched no model or runtime file from the server. Frames are door photos composed onto frames of the tested
 * size, in the page. Last, the whole app on an empty doorway (a fake 30 fps camera): frames checked per second
 * and the browser's CPU use (`--doorway-seconds`, default 30; 5 with `--quick`).
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import type { DetectionRange } from '../src/shared/protocol.ts';
import { DIST_DIR, launchApp } from '../tests/helpers/browser.ts';
import { readPrecacheManifest } from '../tests/helpers/precache-manifest.ts';
import { startStaticServer, type StaticServer } from '../tests/helpers/static-server.ts';
import { SHARED_DIR } from '../tests/helpers/browser.ts';
import { composeAndRun, type FrameRunResult } from './lib/bench-page.ts';
import { measureEmptyDoorway, type EmptyDoorwayReport } from './lib/empty-doorway.ts';
import { workerHeapBytes } from './lib/worker-heap.ts';

/** Single-face door photos used to compose frames. */
const PHOTOS = ['1-photo.jpg', '15-photo.jpg', '2-photo.jpg', '17-photo.jpg', '3-photo.jpg', '21-photo.jpg'];
/** Frames composeAndRun runs before measuring (bench-page.ts). */
const WARM_UP_FRAMES = 3;

/** One latency row. */
export interface LatencyRow extends FrameRunResult {
  range: DetectionRange;
  size: string;
  faces: number;
}

/** Everything `npm run bench` measures. */
export interface BenchReport {
  machine: string;
  date: string;
  backend: string;
  detectorDelegate: string;
  load: {
    coldMs: number;
    warmMs: number | null;
    firstResultColdMs: number;
    firstResultWarmMs: number | null;
  };
  latency: LatencyRow[];
  sustainedFps: { size: string; range: DetectionRange; fps: number };
  memory: {
    /** Frames the worker had processed (since it started) when each reading was taken. */
    framesA: number;
    framesB: number;
    tensorsA: number;
    tensorsB: number;
    /**
     * The worker's used JS heap after a garbage collection (read through CDP: workers lack performance.memory).
     * JS objects only: WebAssembly memory (MediaPipe, tfjs-wasm) is not in it; the live tensor count covers
     * tfjs's memory.
     */
    heapA: number | null;
    heapB: number | null;
  };
  precache: { totalBytes: number; assets: { url: string; bytes: number }[] };
  /** The whole app on an empty doorway (fake camera), or null when it could not be measured. */
  emptyDoorway: EmptyDoorwayReport | null;
  /** Model and runtime files the warm load fetched from the server instead of the service worker (must be none). */
  warmLoadFetched: string[];
  /** Requests to any other origin during the run (must be none). */
  foreignRequests: string[];
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function openHarness(server: StaticServer, viaServiceWorker: boolean) {
  const app = await launchApp({ server });
  const page = await app.context.newPage();
  if (viaServiceWorker) {
    // First visit to the app: the service worker installs and precaches everything, then controls pages.
    await page.goto(server.url);
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready) !== null, null, {
      timeout: 180_000,
    });
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  }
  await page.goto(`${server.url}harness.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return { app, page };
}

/** The detection worker's used JS heap in bytes, or null when Chromium does not report it. */
async function heapOf(page: Page): Promise<number | null> {
  try {
    const heaps = await workerHeapBytes(page);
    return heaps.length === 1 ? heaps[0]! : null;
  } catch (error) {
    log(`worker heap not measured: ${String(error)}`);
    return null;
  }
}

/** Time from navigation to models ready, and to the first result on one door photo. */
async function measureLoad(page: Page, range: DetectionRange) {
  return page.evaluate(async (range) => {
    const t0 = performance.now();
    await window.maskGuardHarness.start({ range });
    const readyMs = performance.now();
    await window.maskGuardHarness.detectUrl('/__shared/data/door-photos/images/1-photo.jpg', 'image');
    return { loadMs: readyMs - t0, firstResultMs: performance.now() };
  }, range);
}

/** What {@link runBench} measures, and how much. */
export interface BenchOptions {
  /** Frames per latency configuration (after warm-up). */
  framesPerConfig: number;
  /** Frames for the memory comparison (tensors after 100 frames vs after this many). */
  memoryFrames: number;
  /** Seconds of the sustained-fps run. */
  sustainedSeconds: number;
  /** Seconds of the empty-doorway run. */
  doorwaySeconds: number;
  /** Only near range at 640×480 with 0 and 1 face (for the tests of this command). */
  tiny?: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      frames: { type: 'string' },
      'doorway-seconds': { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const frames = values.frames ?? (values.quick ? '300' : '3000');
  const memoryFrames = Number(frames);
  if (!Number.isInteger(memoryFrames) || memoryFrames < 200)
    throw new Error(`--frames must be a whole number of at least 200, not "${frames}"`);
  const doorwaySeconds = Number(values['doorway-seconds'] ?? (values.quick ? '5' : '30'));
  if (!(doorwaySeconds >= 1))
    throw new Error(`--doorway-seconds must be at least 1, not "${values['doorway-seconds']}"`);
  const report = await runBench({
    framesPerConfig: values.quick ? 5 : 30,
    memoryFrames,
    sustainedSeconds: values.quick ? 2 : 10,
    doorwaySeconds,
  });
  console.log(formatBench(report));
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(report, null, 1));
}

/** Runs the benchmark on the built app in `dist/`. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const perConfig = options.framesPerConfig;
  const memoryFrames = options.memoryFrames;
  const server = await startStaticServer({ '/': DIST_DIR, '/__shared/': SHARED_DIR });
  try {
    log('cold load (fresh profile, no service worker)…');
    const cold = await openHarness(server, false);
    const coldLoad = await measureLoad(cold.page, 'auto');
    const ready = await cold.page.evaluate(() => window.maskGuardHarness.start({ range: 'auto' }));
    const latency: LatencyRow[] = [];
    for (const range of options.tiny ? (['near'] as const) : (['near', 'far', 'auto'] as const)) {
      await cold.page.evaluate((range) => window.maskGuardHarness.start({ range }), range);
      for (const [width, height] of [
        [640, 480],
        [1280, 720],
      ] as const) {
        for (const faces of options.tiny ? [0, 1] : [0, 1, 3, 6]) {
          if ((range === 'auto' || options.tiny) && width !== 640) continue;
          log(`latency: ${range} ${width}×${height}, ${faces} faces…`);
          const result = await composeAndRun(cold.page, {
            width,
            height,
            photos: PHOTOS.slice(0, faces),
            frames: perConfig,
          });
          latency.push({ range, size: `${width}x${height}`, faces, ...result });
        }
      }
    }
    log(`sustained fps (auto, 640×480, 1 face, ${options.sustainedSeconds} s)…`);
    await cold.page.evaluate(() => window.maskGuardHarness.start({ range: 'auto' }));
    const sustained = await composeAndRun(cold.page, {
      width: 640,
      height: 480,
      photos: PHOTOS.slice(0, 1),
      frames: Number.MAX_SAFE_INTEGER,
      seconds: options.sustainedSeconds,
    });
    // A fresh worker, so that its frame count starts at 0 and the readings are after 100 and N frames.
    log(`memory: ${memoryFrames} frames on a fresh worker…`);
    await cold.page.evaluate(() => window.maskGuardHarness.start({ range: 'auto' }));
    const reading = async () => ({
      ...(await cold.page.evaluate(() => window.maskGuardHarness.stats())),
      heapBytes: await heapOf(cold.page),
    });
    const memoryRun = (frames: number) =>
      composeAndRun(cold.page, {
        width: 640,
        height: 480,
        photos: PHOTOS.slice(0, 1),
        frames,
        paired: false,
      });
    await memoryRun(100 - WARM_UP_FRAMES);
    const statsA = await reading();
    for (let done = statsA.framesProcessed, before = -1; done < memoryFrames;) {
      // Frames that keep failing are not processed: stop rather than loop for ever.
      if (done === before) throw new Error(`the worker stopped processing frames at ${done}`);
      before = done;
      await memoryRun(Math.max(1, Math.min(500, memoryFrames - done) - WARM_UP_FRAMES));
      done = (await cold.page.evaluate(() => window.maskGuardHarness.stats())).framesProcessed;
      log(`  ${done} / ${memoryFrames} frames`);
    }
    const statsB = await reading();
    const foreignRequests = [...cold.app.foreignRequests];
    await cold.app.close();

    log('warm load (from the service worker cache)…');
    let warm: { loadMs: number; firstResultMs: number } | null = null;
    const warmLoadFetched: string[] = [];
    try {
      const w = await openHarness(server, true);
      const before = server.requests.length;
      warm = await measureLoad(w.page, 'auto');
      warmLoadFetched.push(
        ...server.requests.slice(before).filter((path) => /\/(models|vendor)\/|\.wasm$/.test(path)),
      );
      if (warmLoadFetched.length > 0)
        log(`warning: the warm load fetched ${warmLoadFetched.join(', ')} from the server`);
      foreignRequests.push(...w.app.foreignRequests);
      await w.app.close();
    } catch (error) {
      log(`warm load not measured: ${String(error)}`);
    }
    let precache: BenchReport['precache'] = { totalBytes: 0, assets: [] };
    try {
      const assets = readPrecacheManifest().map((e) => ({
        url: e.url,
        bytes: statSync(join(DIST_DIR, e.url)).size,
      }));
      precache = {
        totalBytes: assets.reduce((s, a) => s + a.bytes, 0),
        assets: assets.sort((a, b) => b.bytes - a.bytes),
      };
    } catch (error) {
      log(`precache not measured: ${String(error)}`);
    }
    log(`empty doorway (the whole app, fake 30 fps camera, ${options.doorwaySeconds} s)…`);
    let emptyDoorway: EmptyDoorwayReport | null = null;
    try {
      emptyDoorway = await measureEmptyDoorway(server, options.doorwaySeconds);
    } catch (error) {
      log(`empty doorway not measured: ${String(error)}`);
    }
    const report: BenchReport = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${process.platform}, headless Chromium (software WebGL)`,
      date: new Date().toISOString(),
      backend: ready.classifierBackend,
      detectorDelegate: ready.detectorDelegate,
      load: {
        coldMs: coldLoad.loadMs,
        warmMs: warm?.loadMs ?? null,
        firstResultColdMs: coldLoad.firstResultMs,
        firstResultWarmMs: warm?.firstResultMs ?? null,
      },
      latency,
      sustainedFps: { size: '640x480', range: 'auto', fps: sustained.fps },
      memory: {
        framesA: statsA.framesProcessed,
        framesB: statsB.framesProcessed,
        tensorsA: statsA.liveTensors,
        tensorsB: statsB.liveTensors,
        heapA: statsA.heapBytes,
        heapB: statsB.heapBytes,
      },
      precache,
      emptyDoorway,
      warmLoadFetched,
      foreignRequests,
    };
    return report;
  } finally {
    await server.close();
  }
}

const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}`);
const mb = (v: number | null) => (v === null ? 'n/a' : `${(v / 1e6).toFixed(1)} MB`);

/** The report as Markdown tables (pasted into BENCHMARKS.md). */
export function formatBench(r: BenchReport): string {
  const rows = r.latency.map(
    (l) =>
      `| ${l.range} | ${l.size} | ${l.faces} | ${l.facesFound} | ${l.frames} | ${ms(l.detect.median)} / ${ms(l.detect.p95)} | ${ms(l.crop.median)} / ${ms(l.crop.p95)} | ${ms(l.classify.median)} / ${ms(l.classify.p95)} | ${ms(l.total.median)} / ${ms(l.total.p95)} | ${ms(l.detectOnly.median)} | ${(l.total.median / l.detectOnly.median).toFixed(2)} |`,
  );
  return [
    `Machine: ${r.machine}; ${r.date}`,
    `Classifier backend: ${r.backend}; detector delegate: ${r.detectorDelegate}`,
    '',
    '| load | ms |',
    '|---|---|',
    `| models, cold (first visit) | ${ms(r.load.coldMs)} |`,
    `| models, warm (service worker cache) | ${ms(r.load.warmMs)} |`,
    `| page open → first result, cold | ${ms(r.load.firstResultColdMs)} |`,
    `| page open → first result, warm | ${ms(r.load.firstResultWarmMs)} |`,
    '',
    '| range | frame | faces shown | found | n | detect ms (median / p95) | crop | classify | total | detector-only total (median) | total ÷ detector-only |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Sustained: ${r.sustainedFps.fps.toFixed(1)} processed frames/s (${r.sustainedFps.range}, ${r.sustainedFps.size}, 1 face, one frame in flight)`,
    `Memory (one worker): live tensors ${r.memory.tensorsA} after ${r.memory.framesA} frames, ${r.memory.tensorsB} after ${r.memory.framesB}; worker JS heap ${mb(r.memory.heapA)} → ${mb(r.memory.heapB)}`,
    r.emptyDoorway === null
      ? 'Empty doorway: not measured'
      : `Empty doorway (whole app, ${r.emptyDoorway.cameraFps} fps camera, ${r.emptyDoorway.seconds.toFixed(0)} s): ${r.emptyDoorway.framesPerSecond.toFixed(1)} frames checked/s, browser CPU ${r.emptyDoorway.cpuCores === null ? 'n/a' : `${r.emptyDoorway.cpuCores.toFixed(2)} cores`}`,
    `Warm load fetched from the server: ${r.warmLoadFetched.length === 0 ? 'nothing (all from the service worker cache)' : r.warmLoadFetched.join(', ')}`,
    '',
    `Precached: ${mb(r.precache.totalBytes)} in ${r.precache.assets.length} files`,
    ...r.precache.assets.map((a) => `- ${a.url}: ${(a.bytes / 1024).toFixed(0)} KiB`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
