/**
 * The service worker built into dist/ precaches everything the app and its detection worker load, and
 * nothing it must not (source maps, the test harness, the threaded tfjs binary, store screenshots).
 * Reads the real dist/sw.js, so run `npx vite build` first (the browser project does).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_DIR } from '../helpers/browser.ts';
import { readPrecacheManifest } from '../helpers/precache-manifest.ts';

const entries = readPrecacheManifest();
const urls = entries.map((e) => e.url);

/** Every file under dist/, as a path relative to it with `/` separators. */
function distFiles(dir: string = DIST_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? distFiles(path) : [relative(DIST_DIR, path).split('\\').join('/')];
  });
}

/** Files that are built but deliberately not precached, each with the reason (see vite.config.ts). */
const NOT_PRECACHED: [RegExp, string][] = [
  [/\.map$/, 'source map'],
  [/^harness\.html$/, 'test harness page'],
  [/^assets\/harness-[\w-]+\.js$/, 'test harness chunk'],
  [/^assets\/tfjs-backend-wasm-threaded-simd-[\w-]+\.wasm$/, 'needs cross-origin isolation, never loaded'],
  [/^sw\.js$/, 'the service worker itself'],
  [/^workbox-[\w-]+\.js$/, "the service worker's runtime, cached by the browser with sw.js"],
  [/^screenshots\//, 'install dialog only'],
  [/^icons\/icon\.svg$/, 'the artwork the PNG icons are rendered from'],
  [/^models\/mask-classifier\/(?!model\.json$)[\w.-]+\.(?:md|json|png)$/, 'model card and training curves'],
];

function workerChunk(): string {
  const name = urls.find((u) => /^assets\/detection\.worker-[\w-]+\.js$/.test(u));
  expect(name, 'the detection worker chunk is precached').toBeDefined();
  return readFileSync(join(DIST_DIR, name!), 'utf8');
}

describe('precache manifest in dist/sw.js', () => {
  it('holds the app shell, the worker, the models and the wasm the app loads', () => {
    for (const pattern of [
      /^index\.html$/,
      /^manifest\.webmanifest$/,
      /^assets\/app-[\w-]+\.js$/,
      /^assets\/detection\.worker-[\w-]+\.js$/,
      /^assets\/tfjs-backend-wasm-[\w-]{8}\.wasm$/,
      /^assets\/tfjs-backend-wasm-simd-[\w-]+\.wasm$/,
      /^vendor\/mediapipe\/vision_wasm_module_internal\.js$/,
      /^vendor\/mediapipe\/vision_wasm_module_internal\.wasm$/,
      /^models\/face-detector-short-range\.tflite$/,
      /^models\/face-detector-full-range\.tflite$/,
      /^models\/mask-classifier\/model\.json$/,
      /^icons\/icon-192\.png$/,
      /^icons\/icon-512\.png$/,
      /^icons\/maskable-512\.png$/,
    ]) {
      expect(
        urls.some((u) => pattern.test(u)),
        `${pattern} is precached`,
      ).toBe(true);
    }
  });

  it("holds every weight shard named by the classifier's model.json", () => {
    const modelJson = join(DIST_DIR, 'models/mask-classifier/model.json');
    const model = JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest: { paths: string[] }[] };
    const shards = model.weightsManifest.flatMap((group) => group.paths);
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) expect(urls).toContain(`models/mask-classifier/${shard}`);
  });

  it('holds every model, wasm and asset file the worker chunk names, except the threaded binary', () => {
    const chunk = workerChunk();
    const named = new Set(
      [...chunk.matchAll(/(?:assets|models|vendor)\/[\w./-]+\.(?:tflite|json|js|wasm|bin)/g)].map(
        (m) => m[0],
      ),
    );
    // The worker names the detector models, the classifier, the tasks-vision files and the tfjs binaries.
    expect(named.size).toBeGreaterThanOrEqual(7);
    for (const path of named) {
      if (/tfjs-backend-wasm-threaded-simd/.test(path)) expect(urls).not.toContain(path);
      else expect(urls, `${path} (named by the worker)`).toContain(path);
    }
  });

  it('leaves out source maps, the harness, the threaded tfjs binary and the screenshots', () => {
    for (const url of urls) {
      const excluded = NOT_PRECACHED.find(([pattern]) => pattern.test(url));
      expect(excluded, `${url} is precached but should not be (${excluded?.[1]})`).toBeUndefined();
    }
  });

  it('misses no built file: each one is precached or left out on purpose', () => {
    const missing = distFiles().filter(
      (file) => !urls.includes(file) && !NOT_PRECACHED.some(([pattern]) => pattern.test(file)),
    );
    expect(missing).toEqual([]);
  });

  it('uses plain same-origin paths, and a revision wherever the name carries no content hash', () => {
    expect(new Set(urls).size).toBe(urls.length);
    for (const { url, revision } of entries) {
      expect(url, 'no other origin, no query string').toMatch(/^[\w./-]+$/);
      if (!url.startsWith('assets/')) expect(revision, `${url} has a revision`).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('reports the precache size', () => {
    const sizes = urls.map((url) => ({ url, bytes: statSync(join(DIST_DIR, url)).size }));
    const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
    console.log(
      [...sizes.sort((a, b) => b.bytes - a.bytes), { url: 'total', bytes: total }]
        .map((s) => `${(s.bytes / 1024).toFixed(1).padStart(10)} KiB  ${s.url}`)
        .join('\n'),
    );
    // A phone downloads all of it on the first visit; a large jump means something slipped in.
    expect(total).toBeLessThan(40 * 1024 * 1024);
  });
});
