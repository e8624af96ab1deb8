/**
 * Renders the manifest's screenshots from the built app in headless Chromium (the install dialog shows
 * them; Chromium's richer install UI wants a narrow and a wide one):
 *
 *   npx vite build && npx tsx scripts/screenshots.ts   → public/screenshots/{narrow,wide}.png
 *
 * When the app has its photo input, a door photo from ../shared is checked first so the picture shows
 * real boxes and decisions. The PNGs are quantized to a palette to stay well under 150 KB (install
 * dialogs download them over the phone's network). Run again after the screen changes, then rebuild.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { DIST_DIR, SHARED_DIR, chromiumPath } from '../tests/helpers/browser.ts';
import { startStaticServer } from '../tests/helpers/static-server.ts';

const OUT_DIR = resolve(import.meta.dirname, '../public/screenshots');
/** A door photo with two people, one masked and one not (see its annotation). */
const PHOTO = join(SHARED_DIR, 'data/door-photos/images/62-photo.jpg');
const MAX_BYTES = 150 * 1024;

/** Viewport sizes in CSS pixels; they must match `sizes` of the manifest's screenshots (vite.config.ts). */
const SHOTS = [
  { file: 'narrow.png', width: 540, height: 960 },
  { file: 'wide.png', width: 960, height: 540 },
] as const;

async function showDoorPhoto(page: Page): Promise<void> {
  const input = page.locator('mask-guard-app input[type=file][name=photo]');
  if ((await input.count()) === 0) {
    console.log('no photo input yet: the screenshot shows the start screen');
    return;
  }
  // Let the models load first (the status line says "Ready…"), so the photo is not turned away as busy.
  await page
    .getByText(/^Ready/)
    .waitFor({ timeout: 180_000 })
    .catch(() => {});
  const faces = page.locator('mask-guard-app [data-face]');
  // A photo chosen while the models still load may be turned away as "busy": choose it again.
  for (let attempt = 1; (await faces.count()) === 0; attempt++) {
    if (attempt > 6) throw new Error('the app found no face in the door photo');
    await input.setInputFiles(PHOTO);
    await faces
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(() => {});
  }
}

const server = await startStaticServer({ '/': DIST_DIR });
// Service workers blocked: the screenshot should not wait for (or depend on) the precache.
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  headless: true,
  args: ['--no-sandbox'],
});
try {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const shot of SHOTS) {
    const context = await browser.newContext({
      viewport: { width: shot.width, height: shot.height },
      deviceScaleFactor: 1,
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('mask-guard-app h1').waitFor();
    await showDoorPhoto(page);
    const raw = await page.screenshot({ type: 'png' });
    const png = await sharp(raw).png({ palette: true, quality: 90, compressionLevel: 9 }).toBuffer();
    if (png.length > MAX_BYTES) throw new Error(`${shot.file} is ${png.length} bytes (limit ${MAX_BYTES})`);
    writeFileSync(join(OUT_DIR, shot.file), png);
    console.log(`${shot.file}: ${shot.width}×${shot.height}, ${png.length} bytes`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
