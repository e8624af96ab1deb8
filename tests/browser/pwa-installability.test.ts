/**
 * The built app is installable: Chromium's own check (DevTools protocol `Page.getInstallabilityErrors`)
 * finds nothing wrong, the manifest says what the guard's phone needs, and its icons and screenshots load
 * at their declared sizes. The maskable icon keeps its glyph inside the safe zone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, launchApp, type AppSession } from '../helpers/browser.ts';

/** The fields of the web app manifest this test reads. */
interface Manifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  start_url: string;
  scope: string;
  display: string;
  orientation: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
  screenshots: { src: string; sizes: string; type: string; form_factor?: string; label?: string }[];
}

const BACKGROUND = '#0b1d2a';
const manifest = JSON.parse(readFileSync(join(DIST_DIR, 'manifest.webmanifest'), 'utf8')) as Manifest;

/** Loads `src` in the page and returns its HTTP status, content type and decoded size. */
async function loadImage(page: Page, src: string) {
  return page.evaluate(async (src) => {
    const response = await fetch(src);
    const bitmap = await createImageBitmap(await response.blob());
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return { status: response.status, type: response.headers.get('content-type'), ...size };
  }, src);
}

describe('installable PWA', () => {
  let app: AppSession;
  let page: Page;
  beforeAll(async () => {
    app = await launchApp();
    page = await app.context.newPage();
    await page.goto(app.server.url);
    await page.locator('mask-guard-app h1').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('Chromium reports no installability errors and parses the manifest cleanly', async () => {
    const cdp = await app.context.newCDPSession(page);
    // The manifest is fetched and checked asynchronously after load; poll until Chromium has it.
    await expect
      .poll(async () => ((await cdp.send('Page.getAppManifest')) as { url: string }).url, { timeout: 60_000 })
      .toBe(new URL('manifest.webmanifest', app.server.url).href);
    const { errors } = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[] };
    expect(errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  });

  it('declares what the guard needs from an installed app', () => {
    expect(manifest).toMatchObject({
      id: '/',
      name: 'MaskGuard',
      short_name: 'MaskGuard',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      orientation: 'portrait',
      theme_color: BACKGROUND,
      background_color: BACKGROUND,
    });
    expect(manifest.description.length).toBeGreaterThan(20);
    const icon = (size: string, purpose: string) =>
      manifest.icons.find((i) => i.sizes === size && (i.purpose ?? 'any').split(' ').includes(purpose));
    expect(icon('192x192', 'any')).toBeDefined();
    expect(icon('512x512', 'any')).toBeDefined();
    expect(icon('512x512', 'maskable')).toBeDefined();
    expect(manifest.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
  });

  it('links the manifest from the page', async () => {
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('/manifest.webmanifest');
    expect(await page.locator('meta[name=theme-color]').getAttribute('content')).toBe(BACKGROUND);
  });

  it('serves every icon and screenshot as a PNG of its declared size', async () => {
    for (const image of [...manifest.icons, ...manifest.screenshots]) {
      const loaded = await loadImage(page, image.src);
      expect(loaded.status, image.src).toBe(200);
      expect(loaded.type, image.src).toBe('image/png');
      expect(`${loaded.width}x${loaded.height}`, image.src).toBe(image.sizes);
    }
    for (const shot of manifest.screenshots) {
      const [width, height] = shot.sizes.split('x').map(Number);
      expect(shot.form_factor === 'wide' ? width! > height! : height! > width!, shot.src).toBe(true);
      // Install dialogs download screenshots over the phone's network.
      expect(readFileSync(join(DIST_DIR, shot.src)).length, shot.src).toBeLessThan(150 * 1024);
    }
  });

  it('keeps the maskable glyph inside the safe zone, on an opaque full-bleed background', async () => {
    const src = manifest.icons.find((i) => i.purpose === 'maskable')!.src;
    const { data, info } = await sharp(join(DIST_DIR, src))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(BACKGROUND.slice(i, i + 2), 16));
    const centre = info.width / 2;
    // Launchers may crop anything outside the central circle of radius 40 % (W3C app manifest, icon masks).
    const safeRadius = 0.4 * info.width;
    let outside = 0;
    let glyphOutside = 0;
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if (Math.hypot(x + 0.5 - centre, y + 0.5 - centre) <= safeRadius) continue;
        outside++;
        const i = (y * info.width + x) * 4;
        const isBackground =
          Math.abs(data[i]! - r!) <= 2 &&
          Math.abs(data[i + 1]! - g!) <= 2 &&
          Math.abs(data[i + 2]! - b!) <= 2 &&
          data[i + 3] === 255;
        if (!isBackground) glyphOutside++;
      }
    }
    expect(outside).toBeGreaterThan(0);
    expect(glyphOutside).toBe(0);
  });

  it('contacted no other host', () => {
    expect(app.foreignRequests).toEqual([]);
  });
});
