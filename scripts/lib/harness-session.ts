/**
 * Drives the built app's pipeline harness (`dist/harness.html`: the live screen's worker and client) in
 * headless Chromium, for `npm run eval:e2e` and `npm run bench`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DetectionClientOptions } from '../../src/pipeline/detection-client.ts';
// Brings in the page's `window.maskGuardHarness` declaration.
import type {} from '../../src/harness/harness.ts';
import type { FrameMode, ReadyMessage, ResultMessage, StatsMessage } from '../../src/shared/protocol.ts';
import {
  DIST_DIR,
  PROJECT_ROOT,
  SHARED_DIR,
  launchApp,
  type AppSession,
} from '../../tests/helpers/browser.ts';
import { startStaticServer } from '../../tests/helpers/static-server.ts';

/** A harness page with its worker started. */
export interface HarnessSession {
  app: AppSession;
  page: Page;
  ready: ReadyMessage;
  detectUrl(path: string, mode?: FrameMode, timestampMs?: number): Promise<ResultMessage | undefined>;
  stats(): Promise<StatsMessage>;
  close(): Promise<void>;
}

/** Serves dist/ plus `mounts`, opens harness.html and starts the worker with `options`. */
export async function openHarness(
  mounts: Record<string, string>,
  options: Omit<DetectionClientOptions, 'createWorker'> = {},
): Promise<HarnessSession> {
  if (!existsSync(join(DIST_DIR, 'harness.html')))
    throw new Error('dist/harness.html is missing: run `npm run build` first');
  const server = await startStaticServer({
    '/': DIST_DIR,
    '/__shared/': SHARED_DIR,
    '/__node_modules/': join(PROJECT_ROOT, 'node_modules'),
    ...mounts,
  });
  const app = await launchApp({ server });
  const page = await app.context.newPage();
  await page.goto(`${server.url}harness.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const ready = await page.evaluate((o) => window.maskGuardHarness.start(o), options);
  return {
    app,
    page,
    ready,
    detectUrl: (path, mode = 'image', timestampMs) =>
      page.evaluate(([p, m, t]) => window.maskGuardHarness.detectUrl(p, m, t), [
        path,
        mode,
        timestampMs,
      ] as const),
    stats: () => page.evaluate(() => window.maskGuardHarness.stats()),
    async close() {
      await app.close();
      await server.close();
      // MaskGuard sends nothing off the device; a measurement that saw a foreign request is not valid.
      if (app.foreignRequests.length > 0) {
        throw new Error(`requests to other origins: ${app.foreignRequests.join(', ')}`);
      }
    },
  };
}
