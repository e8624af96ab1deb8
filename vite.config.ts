import { defineConfig } from 'vite';
import basicSsl from '@vitejs/plugin-basic-ssl';
import { VitePWA, type VitePWAOptions } from 'vite-plugin-pwa';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { detectorChecksums } from './scripts/face-detector-assets.ts';

/** The page's background; the manifest's theme and splash colours match it so the app opens without a flash. */
const BACKGROUND = '#0b1d2a';

/**
 * The service worker and the web app manifest. After one online visit the guard's phone must start, detect
 * and count with no network at all, so the service worker precaches everything the page and the detection
 * worker load: the app shell, the worker chunk, the tasks-vision wasm and its module loader, the tfjs wasm
 * binaries, the two face detector models and the mask classifier. Nothing comes from another origin.
 */
const pwa: Partial<VitePWAOptions> = {
  strategies: 'generateSW',
  // A waiting update is applied only when the guard accepts it (src/offline/service-worker.ts), never by an
  // automatic reload in the middle of a shift.
  registerType: 'prompt',
  // We register with workbox-window ourselves (src/offline/) to expose the state to the screens.
  injectRegister: false,
  // The public files the app needs are globbed below; the manifest's icons are added by the plugin.
  includeManifestIcons: true,
  workbox: {
    // Models by name: public/models/mask-classifier/ also holds the model card and training curves, which
    // document the model and are never loaded by the app.
    globPatterns: ['**/*.{html,js,css,wasm}', 'models/**/*.{tflite,bin}', 'models/**/model.json'],
    globIgnores: [
      // The test and benchmark page is not part of the guard's app.
      'harness.html',
      'assets/harness-*.js',
      // Source maps are for debugging; the tasks-vision and tfjs maps alone are tens of megabytes.
      '**/*.map',
      // tfjs only asks for the threaded SIMD binary when the page is cross-origin isolated
      // (SharedArrayBuffer); MaskGuard sends no COOP/COEP headers, so it never is, and the file would only
      // take space on the phone. Plain and SIMD are both kept: which one tfjs loads depends on the device.
      'assets/tfjs-backend-wasm-threaded-simd-*.wasm',
      // Store screenshots are read by the install dialog while online; the app never shows them.
      'screenshots/**',
    ],
    // The tasks-vision wasm is about 13 MB; the default limit (2 MiB) would silently leave it out.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    // Vite's assets carry a content hash in their name, so their URL is their revision. The other files
    // (models, vendor wasm, index.html) get a revision (an md5 of their bytes) from workbox. Workbox downloads
    // every entry at its plain URL (the revision lives only in its cache key), so the precache sends no
    // query string with any model or wasm request.
    dontCacheBustURLsMatching: /^assets\//,
    // No skipWaiting: an update waits for the guard (SKIP_WAITING message). clientsClaim makes the very first
    // visit controlled without a reload, so it can be trusted to work offline as soon as it says so.
    skipWaiting: false,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    navigateFallback: 'index.html',
    // The harness page and the test servers' mounts are not the app; navigations there go to the network.
    navigateFallbackDenylist: [/^\/harness/, /^\/__/],
    // Nothing is cached at run time: every request the app makes is either precached or not ours to keep.
    runtimeCaching: [],
  },
  manifest: {
    id: '/',
    name: 'MaskGuard',
    short_name: 'MaskGuard',
    description: 'Checks every face at the door for a mask, offline, and counts people for the shift.',
    lang: 'en',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    theme_color: BACKGROUND,
    background_color: BACKGROUND,
    categories: ['utilities', 'productivity'],
    // Drawn by scripts/icons.ts. The maskable icon keeps its glyph inside the central 80 % safe zone.
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    // Rendered from the built app by scripts/screenshots.ts.
    screenshots: [
      {
        src: 'screenshots/narrow.png',
        sizes: '540x960',
        type: 'image/png',
        form_factor: 'narrow',
        label: 'MaskGuard at the door',
      },
      {
        src: 'screenshots/wide.png',
        sizes: '960x540',
        type: 'image/png',
        form_factor: 'wide',
        label: 'MaskGuard on a tablet',
      },
    ],
  },
};

/**
 * `import sha256 from 'FILE?sha256'`: the SHA-256 (lowercase hex) of FILE's bytes at build time. The worker
 * checks the tfjs wasm binaries it loads against them (src/worker/mask-classifier.ts).
 */
function sha256Imports(): Plugin {
  const suffix = '?sha256';
  return {
    name: 'maskguard-sha256-imports',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith(suffix)) return null;
      const file = await this.resolve(source.slice(0, -suffix.length), importer, { skipSelf: true });
      return file === null ? null : `\0${file.id}${suffix}`;
    },
    load(id) {
      if (!id.startsWith('\0') || !id.endsWith(suffix)) return null;
      const bytes = readFileSync(id.slice(1, -suffix.length));
      return `export default ${JSON.stringify(createHash('sha256').update(bytes).digest('hex'))};`;
    },
  };
}

export default defineConfig(({ mode }) => ({
  define: {
    // The SHA-256 of the face detector's models and runtime, checked by the worker on every load
    // (src/worker/face-detector.ts).
    // In the worker's own chunk, whose name is its content hash, rather than in a file beside the models:
    // such a file could be damaged in the phone's cache as well, and then every good model would be refused.
    __DETECTOR_FILE_SHA256__: JSON.stringify(
      detectorChecksums(join(import.meta.dirname, 'public'), join(import.meta.dirname, 'node_modules')),
    ),
  },
  plugins: [
    // `npm run start:lan` serves over HTTPS with a self-signed certificate, because phone browsers only give
    // the camera to secure origins (localhost is the one exception, and a phone is not on localhost).
    ...(mode === 'lan' ? [basicSsl()] : []),
    VitePWA(pwa),
    // Here for the dev server, which serves the worker's modules through these plugins; a build bundles the
    // worker with `worker.plugins` below.
    sha256Imports(),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // harness.html drives the real worker for tests, `npm run bench` and `npm run eval:e2e`.
      input: { app: 'index.html', harness: 'harness.html' },
    },
  },
  worker: { format: 'es', plugins: () => [sha256Imports()] },
  preview: { port: 4173, strictPort: false },
}));
