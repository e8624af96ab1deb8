/**
 * A first visit whose offline install fails (here: one precached file is missing from the server, as when
 * the connection drops during the download) must say so, not keep saying "Saving the app for offline use…"
 * while the guard walks off believing the app is on the phone.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchApp, type AppSession } from '../helpers/browser.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const LONG = { timeout: 170_000 };

describe('offline install failure', () => {
  let server: StaticServer;
  let app: AppSession;
  let broken: string;

  beforeAll(async () => {
    broken = mkdtempSync(join(tmpdir(), 'maskguard-broken-'));
    cpSync(DIST_DIR, broken, { recursive: true });
    // Precached, but not needed to start the page: the app itself still runs.
    rmSync(join(broken, 'icons/maskable-512.png'));
    server = await startStaticServer({ '/': broken });
    app = await launchApp({ server });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    rmSync(broken, { recursive: true, force: true });
  });

  it('tells the guard that the app could not be saved for offline use', async () => {
    const page = await app.context.newPage();
    await page.goto(server.url);
    await page.getByText('MaskGuard could not be saved for offline use').waitFor(LONG);
    expect(await page.getByText('Ready to work offline').count()).toBe(0);
    expect(await page.getByText('Saving the app for offline use…').count()).toBe(0);
  });
});
