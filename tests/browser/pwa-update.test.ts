/**
 * The update prompt: when a new version is deployed, the installed app shows a banner and keeps running
 * the old version (no automatic reload in the middle of a shift) until the guard taps "Update now"; then
 * the new service worker takes over and the page reloads once.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchApp, type AppSession } from '../helpers/browser.ts';
import { deployCopy, type Deployment } from '../helpers/deployment.ts';
import { waitForServiceWorkerControl } from '../helpers/service-worker.ts';
import { setDiskFull } from '../helpers/storage-full.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const LONG = { timeout: 170_000 };

/** The scriptURL of the page's controller and whether its registration has a waiting worker. */
function serviceWorkerState(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      controlled: navigator.serviceWorker.controller !== null,
      waiting: registration?.waiting != null,
    };
  });
}

describe('update prompt', () => {
  let server: StaticServer;
  let app: AppSession;
  let page: Page;
  let nextVersion: Deployment;

  beforeAll(async () => {
    nextVersion = deployCopy();
    server = await startStaticServer({ '/': DIST_DIR });
    app = await launchApp({ server });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    nextVersion?.remove();
  });

  it('first visit: the app is installed and offline-ready', async () => {
    page = await app.context.newPage();
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    await page.getByText('Ready to work offline').waitFor(LONG);
    // A shift is running: the app must not apply an update by itself (with no shift it may, by design).
    await page.locator('mask-guard-app view-tabs button[data-view=shift]').click();
    await page.locator('mask-guard-app shift-panel button[name=start]').click();
    await page.locator('mask-guard-app shift-panel button[name=end]').waitFor(LONG);
  });

  it('a deployed update waits behind a banner; the page is not reloaded', async () => {
    // Deploy: the same origin (same port) now serves the next version.
    await server.close();
    server = await startStaticServer({ '/': nextVersion.dir }, server.port);
    // A mark that a reload would wipe out.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect.poll(async () => (await serviceWorkerState(page)).waiting, LONG).toBe(true);
    await page.getByText('A new version of MaskGuard is ready.').waitFor(LONG);
    // Give an (unwanted) automatic reload time to happen.
    await page.waitForTimeout(3000);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: true });
  });

  it('"Update now" waits while a counted person is only in memory (storage full), and says why', async () => {
    // The phone is full (IndexedDB writes abort at commit); the guard adds a person by hand.
    await setDiskFull(page, true);
    await page.locator('mask-guard-app shift-panel button[name=add-with_mask]').click();
    await page.getByRole('button', { name: 'Update now' }).click();
    await page.getByText('Not updated yet: Storage is full: 1 person kept in memory').waitFor(LONG);
    await page.waitForTimeout(3000);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: true });
    // Space is back: the person is saved (the shift log retries), then the next tap below updates.
    await setDiskFull(page, false);
    await page.locator('mask-guard-app view-tabs button[data-view=settings]').click();
    await page.locator('mask-guard-app settings-view').getByText('All counts saved').waitFor(LONG);
  });

  it('"Update now" activates the new version and reloads the page once', async () => {
    const reloaded = page.waitForEvent('load', LONG);
    await page.getByRole('button', { name: 'Update now' }).click();
    await reloaded;
    await page.locator('mask-guard-app h1').waitFor(LONG);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      undefined,
    );
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: false });
    await page.getByText('Ready to work offline').waitFor(LONG);
    expect(await page.getByText('A new version of MaskGuard is ready.').count()).toBe(0);
  });

  it('contacted no other host', () => {
    expect(app.foreignRequests).toEqual([]);
  });
});

describe('an update on a page the service worker does not control (opened by a hard reload)', () => {
  let server: StaticServer;
  let app: AppSession;
  let nextVersion: Deployment;

  beforeAll(async () => {
    nextVersion = deployCopy();
    server = await startStaticServer({ '/': DIST_DIR });
    app = await launchApp({ server });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    nextVersion?.remove();
  });

  it('reloads onto the new version instead of saying "Updating…" for ever', async () => {
    const page = await app.context.newPage();
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    await page.getByText('Ready to work offline').waitFor(LONG);
    // Shift+reload: the page loads from the network and no service worker controls it.
    const cdp = await app.context.newCDPSession(page);
    await cdp.send('Page.reload', { ignoreCache: true });
    await page.waitForLoadState('load');
    await page.locator('mask-guard-app h1').waitFor(LONG);
    expect((await serviceWorkerState(page)).controlled).toBe(false);
    // A new version is deployed and found; no shift runs, so the app applies it by itself.
    await server.close();
    server = await startStaticServer({ '/': nextVersion.dir }, server.port);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), LONG)
      .toBe(undefined);
    await page.locator('mask-guard-app h1').waitFor(LONG);
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: false });
    expect(app.foreignRequests).toEqual([]);
  }, 240_000);
});
