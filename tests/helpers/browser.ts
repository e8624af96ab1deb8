import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';
import { startStaticServer, type StaticServer } from './static-server.ts';

/** The project root, the built app, and the read-only shared material (never copied into the repo). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const DIST_DIR = join(PROJECT_ROOT, 'dist');
export const SHARED_DIR = resolve(PROJECT_ROOT, '../shared');

/** Finds Debian's Chromium (or `CHROME_PATH`), or fails saying how to install it. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
  if (found === undefined) {
    throw new Error(
      "No Chromium found. Install Debian's package with `sudo apt-get update && sudo apt-get install -y chromium` " +
        '(or set CHROME_PATH to a Chromium binary). Never `npx playwright install`: it downloads from the web.',
    );
  }
  return found;
}

/** Options for {@link launchApp}. */
export interface LaunchAppOptions {
  /** Absolute path of a `.y4m` file that Chromium plays as the camera (it loops it). */
  fakeCameraY4m?: string;
  /** Grant camera permission without a prompt (default true when a fake camera is given). */
  grantCamera?: boolean;
  /** Serve this folder instead of `dist/`. */
  root?: string;
  /** Reuse a running server (e.g. to restart on the same origin). */
  server?: StaticServer;
  /** Extra Chromium switches. */
  extraArgs?: string[];
}

/** A Chromium with a fresh profile, the app's origin, and a record of requests to other origins. */
export interface AppSession {
  context: BrowserContext;
  server: StaticServer;
  /** Any request the browser made to a host other than the app's own origin. Tests assert it stays empty. */
  foreignRequests: string[];
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh user-data-dir and serves the built app on localhost.
 * Test-only mounts: `/__shared/` is `../shared` (test photos and data) and `/__node_modules/` is
 * `node_modules`, `/__fixtures/` is `tests/browser/fixtures`; the app itself never loads from them.
 */
export async function launchApp(options: LaunchAppOptions = {}): Promise<AppSession> {
  const server =
    options.server ??
    (await startStaticServer({
      '/': options.root ?? DIST_DIR,
      '/__shared/': SHARED_DIR,
      '/__node_modules/': join(PROJECT_ROOT, 'node_modules'),
      '/__fixtures/': join(PROJECT_ROOT, 'tests/browser/fixtures'),
    }));
  const userDataDir = mkdtempSync(join(tmpdir(), 'maskguard-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    ...(options.fakeCameraY4m !== undefined
      ? ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeCameraY4m}`]
      : []),
    ...(options.extraArgs ?? []),
  ];
  const launch: LaunchOptions = { executablePath: chromiumPath(), headless: true, args };
  const context = await chromium.launchPersistentContext(userDataDir, { ...launch, viewport: null });
  if (options.grantCamera ?? options.fakeCameraY4m !== undefined) {
    await context.grantPermissions(['camera'], { origin: server.url });
  }
  // Functions passed to page.evaluate are compiled by tsx (esbuild with keepNames), which wraps inner named
  // functions in a `__name` helper that exists in Node but not in the page.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const foreignRequests: string[] = [];
  const origin = new URL(server.url).origin;
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
  return {
    context,
    server,
    foreignRequests,
    async close() {
      await context.close();
      if (options.server === undefined) await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The header's status line ("Watching the door", "Camera off: …"), which tests read and wait on. */
export const APP_STATUS = 'mask-guard-app header > [role=status]';

/** Waits until the header says the app is watching the door: models loaded, camera (or file) running. */
export async function untilWatching(page: Page, timeout = 120_000): Promise<void> {
  await page.locator(APP_STATUS, { hasText: 'Watching the door' }).waitFor({ timeout });
}
