/**
 * The update prompt: when a new version is deployed, the installed app shows a banner and keeps running
 * the old version (no automatic reload in the middle of a shift) until the guard taps "Update now"; then
 * the new service worker takes over and the page reloads once.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_DIR, launchApp, type AppSession, type LaunchAppOptions } from '../helpers/browser.ts';
import { DEFAULT_DOOR_VIDEO, writeDoorVideo } from '../helpers/door-video.ts';
import { deployCopy, type Deployment } from '../helpers/deployment.ts';
import { waitForServiceWorkerControl } from '../helpers/service-worker.ts';
import { setDiskFull } from '../helpers/storage-full.ts';
import { tallyOf } from '../helpers/tally.ts';
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

/**
 * For one describe: the current build served on a port, a browser on it, and the next version ready to deploy
 * on the same port ({@link deploy}).
 */
function withNextVersion(launch: () => Omit<LaunchAppOptions, 'server'> = () => ({})) {
  const site = {} as { server: StaticServer; app: AppSession; nextVersion: Deployment };
  beforeAll(async () => {
    site.nextVersion = deployCopy();
    site.server = await startStaticServer({ '/': DIST_DIR });
    site.app = await launchApp({ ...launch(), server: site.server });
  });
  afterAll(async () => {
    await site.app?.close();
    await site.server?.close();
    site.nextVersion?.remove();
  });
  return {
    site,
    /** Deploys: the same origin (same port) now serves the next version. */
    async deploy(): Promise<void> {
      await site.server.close();
      site.server = await startStaticServer({ '/': site.nextVersion.dir }, site.server.port);
    },
  };
}

describe('update prompt', () => {
  const { site, deploy } = withNextVersion();
  let page: Page;

  it('first visit: the app is installed and offline-ready', async () => {
    page = await site.app.context.newPage();
    await page.goto(site.server.url);
    await waitForServiceWorkerControl(page);
    await page.getByText('Ready to work offline').waitFor(LONG);
    // A shift is running: the app must not apply an update by itself (with no shift it may, by design).
    await page.locator('mask-guard-app view-tabs button[data-view=shift]').click();
    await page.locator('mask-guard-app shift-panel button[name=start]').click();
    await page.locator('mask-guard-app shift-panel button[name=end]').waitFor(LONG);
  });

  it('a deployed update waits behind a banner; the page is not reloaded', async () => {
    await deploy();
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
    expect(site.app.foreignRequests).toEqual([]);
  });
});

describe('"Update now" with someone at the door', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-update-door-'));
  const video = join(dir, 'door.y4m');
  // One person standing in the doorway for a minute; written before the browser starts (hooks run in order).
  beforeAll(async () => {
    await writeDoorVideo(video, ['15-photo.jpg'], { ...DEFAULT_DOOR_VIDEO, leadSeconds: 1, showSeconds: 60 });
  });
  const { site, deploy } = withNextVersion(() => ({ fakeCameraY4m: video }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('waits while the person is in view (reloading would count them again), and says why', async () => {
    const page = await site.app.context.newPage();
    await page.goto(site.server.url);
    await waitForServiceWorkerControl(page);
    await page.getByText('Ready to work offline').waitFor(LONG);
    await page.locator('mask-guard-app face-overlay [data-face]').first().waitFor(LONG);
    // Counted and on disk (the tally is read from the log): a tap while the record is still being written is
    // held back for that reason instead ("a count is still being saved"), seen on a loaded machine.
    await expect.poll(() => tallyOf(page), LONG).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    await deploy();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await page.getByRole('button', { name: 'Update now' }).waitFor(LONG);
    // Still in view when the guard taps (the video shows them for a minute, then loops).
    await page.locator('mask-guard-app face-overlay [data-face]').first().waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Update now' }).click();
    // Any reason first, so that a failure says which one was given.
    const heldBack = page.getByText('Not updated yet:');
    await heldBack.waitFor(LONG);
    expect(await heldBack.textContent()).toContain('Not updated yet: someone is at the door');
    await page.waitForTimeout(3000);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: true });
    expect(site.app.foreignRequests).toEqual([]);
  });
});

describe('an update on a page the service worker does not control (opened by a hard reload)', () => {
  const { site, deploy } = withNextVersion();

  it('reloads onto the new version instead of saying "Updating…" for ever', async () => {
    const page = await site.app.context.newPage();
    await page.goto(site.server.url);
    await waitForServiceWorkerControl(page);
    await page.getByText('Ready to work offline').waitFor(LONG);
    // Shift+reload: the page loads from the network and no service worker controls it.
    const cdp = await site.app.context.newCDPSession(page);
    await cdp.send('Page.reload', { ignoreCache: true });
    await page.waitForLoadState('load');
    await page.locator('mask-guard-app h1').waitFor(LONG);
    expect((await serviceWorkerState(page)).controlled).toBe(false);
    // A new version is deployed and found; no shift runs, so the app applies it by itself.
    await deploy();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), LONG)
      .toBe(undefined);
    await page.locator('mask-guard-app h1').waitFor(LONG);
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: false });
    expect(site.app.foreignRequests).toEqual([]);
  }, 240_000);
});
