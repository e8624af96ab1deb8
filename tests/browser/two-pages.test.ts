/**
 * MaskGuard open twice (the installed app and a browser tab): only one page counts, because two would each
 * keep their own running shift and write over each other's. The second page says why it waits and takes
 * over by itself when the first is closed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchApp, type AppSession } from '../helpers/browser.ts';
import { deployCopy, type Deployment } from '../helpers/deployment.ts';
import { waitForServiceWorkerControl } from '../helpers/service-worker.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const status = 'mask-guard-app header > [role=status]';
const controls = 'mask-guard-app guard-controls';

describe('MaskGuard open in two pages at once', () => {
  let app: AppSession;
  let server: StaticServer | undefined;
  let nextVersion: Deployment | undefined;
  afterAll(async () => {
    await app?.close();
    await server?.close();
    nextVersion?.remove();
  });

  it('lets one page count; the other waits, says why, and starts when the first closes', async () => {
    app = await launchApp({ grantCamera: false });
    const first = await app.context.newPage();
    await first.goto(app.server.url);
    await first.locator(controls).waitFor({ timeout: 60_000 });

    const second = await app.context.newPage();
    await second.goto(app.server.url);
    await expect
      .poll(() => second.locator(status).textContent(), { timeout: 30_000 })
      .toContain('MaskGuard is already open in another tab or window.');
    // Waiting means nothing started: no controls, no camera, no shift log of its own.
    await second.waitForTimeout(2000);
    expect(await second.locator(controls).count()).toBe(0);
    expect(await second.locator(status).textContent()).toContain('already open');

    await first.close();
    await second.locator(controls).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => second.locator(status).textContent(), { timeout: 120_000 })
      .not.toContain('already open');
    expect(app.foreignRequests).toEqual([]);
  }, 240_000);

  // Now and then Chromium parks the update here (the new worker stays waiting); the counting page then reloads
  // after 10 s to finish it (see update-parked.test.ts), well within the 60 s the reload is waited for.
  it(
    'reloads the waiting page too when the counting page applies an update (it would run old code)',
    { timeout: 400_000 },
    async () => {
      await app?.close();
      await server?.close();
      server = await startStaticServer({ '/': DIST_DIR });
      app = await launchApp({ server, grantCamera: false });
      const first = await app.context.newPage();
      await first.goto(server.url);
      await waitForServiceWorkerControl(first);
      await first.getByText('Ready to work offline').waitFor({ timeout: 170_000 });
      const second = await app.context.newPage();
      await second.goto(server.url);
      await waitForServiceWorkerControl(second);
      await expect
        .poll(() => second.locator(status).textContent(), { timeout: 30_000 })
        .toContain('already open');
      await second.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

      // Deploy a new version; the counting page finds it and, with no shift running, applies it by itself.
      nextVersion?.remove();
      nextVersion = deployCopy();
      await server.close();
      server = await startStaticServer({ '/': nextVersion.dir }, server.port);
      const secondReloaded = second.waitForEvent('load', { timeout: 60_000 });
      await first.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      await secondReloaded;
      expect(await second.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
        undefined,
      );
      expect(app.foreignRequests).toEqual([]);
    },
  );
});
