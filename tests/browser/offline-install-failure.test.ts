/**
 * A first visit whose offline install fails (here: one precached file is missing from the server, as when
 * the connection drops during the download) must say so, not keep saying "Saving the app for offline use…"
 * while the guard walks off believing the app is on the phone.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, type AppSession } from '../helpers/browser.ts';
import { deployCopy, type Deployment } from '../helpers/deployment.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const LONG = { timeout: 170_000 };

describe('offline install failure', () => {
  let server: StaticServer;
  let app: AppSession;
  let broken: Deployment;

  beforeAll(async () => {
    // Precached, but not needed to start the page: the app itself still runs.
    broken = deployCopy((dir) => rmSync(join(dir, 'icons/maskable-512.png')));
    server = await startStaticServer({ '/': broken.dir });
    app = await launchApp({ server });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    broken?.remove();
  });

  it('tells the guard that the app could not be saved for offline use', async () => {
    const page = await app.context.newPage();
    await page.goto(server.url);
    await page.getByText('MaskGuard could not be saved for offline use').waitFor(LONG);
    expect(await page.getByText('Ready to work offline').count()).toBe(0);
    expect(await page.getByText('Saving the app for offline use…').count()).toBe(0);
  });
});
