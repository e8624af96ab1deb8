/**
 * An update the browser parks: the new service worker is told to skip waiting but stays "installed" while the
 * old one goes on. Chromium does this now and then (src/offline/service-worker.ts, ACTIVATION_TIMEOUT_MS);
 * here the next version's worker ignores SKIP_WAITING messages, which leaves the page in the same state on
 * purpose. The app must then reload to finish the update, and after a bounded number of tries tell the guard
 * what to do instead of reloading for ever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DIST_DIR, launchApp, type AppSession } from '../helpers/browser.ts';
import { deployCopy, nextServiceWorker, type Deployment } from '../helpers/deployment.ts';
import { waitForServiceWorkerControl } from '../helpers/service-worker.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const LONG = { timeout: 170_000 };

/**
 * Service-worker code run before the generated worker: its message listeners ignore the first `times`
 * SKIP_WAITING messages, and the worker answers WHICH_VERSION with "next".
 */
function parkingWorker(times: number): string {
  return `(() => {
  const add = self.addEventListener.bind(self);
  let ignored = 0;
  self.addEventListener = (type, listener, options) => add(type, type !== 'message' ? listener : (event) => {
    if (event.data && event.data.type === 'WHICH_VERSION') return event.ports[0] && event.ports[0].postMessage('next');
    if (event.data && event.data.type === 'SKIP_WAITING' && ignored < ${times}) { ignored += 1; return; }
    return listener(event);
  }, options);
})();`;
}

/** "next" when the page's controller is the next version, else "old" (the build's worker does not answer). */
function controllerVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(String(event.data));
        navigator.serviceWorker.controller?.postMessage({ type: 'WHICH_VERSION' }, [channel.port2]);
        setTimeout(() => resolve('old'), 2000);
      }),
  );
}

const waitingWorker = (page: Page) =>
  page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting != null);

describe('an update the browser parks', () => {
  let server: StaticServer | undefined;
  let app: AppSession | undefined;
  let next: Deployment | undefined;
  afterEach(async () => {
    await app?.close();
    await server?.close();
    next?.remove();
  });

  /**
   * The app installed (no shift running, so it applies updates by itself), then a next version whose worker
   * ignores the first `times` SKIP_WAITING messages deployed and found; `checkParked` waits 3 s and checks
   * that it is parked.
   */
  async function installThenDeploy(
    times: number,
    checkParked = true,
  ): Promise<{ page: Page; loads: () => number }> {
    server = await startStaticServer({ '/': DIST_DIR });
    app = await launchApp({ server, grantCamera: false });
    const page = await app.context.newPage();
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    await page.getByText('Ready to work offline').waitFor(LONG);
    let loads = 0;
    page.on('load', () => (loads += 1));
    next = deployCopy(nextServiceWorker(parkingWorker(times)));
    await server.close();
    server = await startStaticServer({ '/': next.dir }, server.port);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    // Applied (no shift is running) and parked: "Updating…", the new worker still waiting.
    await page.getByRole('button', { name: 'Updating…' }).waitFor(LONG);
    if (checkParked) {
      await page.waitForTimeout(3000);
      expect(await waitingWorker(page)).toBe(true);
      expect(loads).toBe(0);
    }
    return { page, loads: () => loads };
  }

  // Retried: with the machine loaded (two busy cores), 2 runs in 5 hung in the reload itself (the page
  // navigated, its load event never came, for 300 s), the same kind of stall as the parked update; a retry
  // starts from a fresh browser and server. Without load it passed every time.
  it('reloads to finish it, and then runs the new version', { retry: 2, timeout: 150_000 }, async () => {
    const { page, loads } = await installThenDeploy(1);
    // One reload to finish the update (the old worker lets go, the SKIP_WAITING sent again is taken), then
    // the usual reload once the new version has taken control.
    await expect.poll(() => waitingWorker(page).catch(() => true), { timeout: 90_000 }).toBe(false);
    await page.locator('mask-guard-app h1').waitFor(LONG);
    expect(await controllerVersion(page)).toBe('next');
    await expect.poll(loads, { timeout: 30_000 }).toBe(2);
    await page.getByText('Ready to work offline').waitFor(LONG);
    expect(await page.getByText('A new version of MaskGuard is ready.').count()).toBe(0);
    // Nothing of the finished update is left to apply a later one without asking.
    expect(await page.evaluate(() => sessionStorage.getItem('maskguard-update-parked'))).toBeNull();
    expect(app!.foreignRequests).toEqual([]);
  });

  it('does not reload for an update the app applied by itself once a shift has started', async () => {
    // No pause after "Updating…": the shift must start within the 10 s the update has to take control.
    const { page, loads } = await installThenDeploy(Infinity, false);
    // The guard starts a shift while the update is parked (the app applied it: no shift was running).
    await page.locator('mask-guard-app view-tabs button[data-view=shift]').click();
    await page.locator('mask-guard-app shift-panel button[name=start]').click();
    await page.locator('mask-guard-app shift-panel button[name=end]').waitFor(LONG);
    // Past the 10 s the update had to take control: no reload, and the banner asks the guard again.
    await page.getByRole('button', { name: 'Update now' }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3000);
    expect(loads()).toBe(0);
    expect(await page.locator('mask-guard-app shift-panel button[name=end]').count()).toBe(1);
    expect(await page.evaluate(() => sessionStorage.getItem('maskguard-update-parked'))).toBeNull();
  }, 300_000);

  it('after two reloads that did not finish it, tells the guard to close and reopen the app', async () => {
    const { page, loads } = await installThenDeploy(Infinity);
    await page
      .getByText('The update could not finish. Close every MaskGuard window, then open MaskGuard again.')
      .waitFor(LONG);
    expect(loads()).toBe(2);
    // No more reloads; the old version keeps working, and the guard can try again.
    await page.waitForTimeout(15_000);
    expect(loads()).toBe(2);
    expect(await controllerVersion(page)).toBe('old');
    expect(await page.getByRole('button', { name: 'Update now' }).isEnabled()).toBe(true);
    expect(app!.foreignRequests).toEqual([]);
  }, 300_000);
});
