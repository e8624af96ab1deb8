/**
 * Renders the manifest's screenshots from the built app in headless Chromium (the install dialog shows
 * them; Chromium's richer install UI wants a narrow and a wide one):
 *
 *   npx vite build && npx tsx scripts/screenshots.ts   → public/screenshots/{narrow,wide}.png
 *
 * They show a shift's history, with people added by hand: no face (see showShiftHistory). The PNGs are
 * quantized to a palette to stay well under 150 KB (install dialogs download them over the phone's network). Run again after the screen changes, then rebuild.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { DIST_DIR, chromiumPath } from '../tests/helpers/browser.ts';
import { tallyOf, total } from '../tests/helpers/tally.ts';
import { startStaticServer } from '../tests/helpers/static-server.ts';

const OUT_DIR = resolve(import.meta.dirname, '../public/screenshots');
const MAX_BYTES = 150 * 1024;

/** Viewport sizes in CSS pixels; they must match `sizes` of the manifest's screenshots (vite.config.ts). */
const SHOTS = [
  { file: 'narrow.png', width: 540, height: 960 },
  { file: 'wide.png', width: 960, height: 540 },
] as const;

/**
 * A shift with people in it, on the History view (chart, totals, list). Added by hand through the Shift
 * view, so no face appears: a screenshot is committed and shown in install dialogs, and the door photos in
 * ../shared are test data of real people that must not be copied into the repository.
 */
async function showShiftHistory(page: Page): Promise<void> {
  const tab = (view: string) => page.locator(`mask-guard-app view-tabs button[data-view=${view}]`);
  await tab('shift').click();
  await page.locator('mask-guard-app shift-panel input[name=door]').fill('Main entrance');
  await page.locator('mask-guard-app shift-panel button[name=start]').click();
  const people = ['with_mask', 'with_mask', 'without_mask', 'with_mask', 'with_mask', 'with_mask'];
  for (const [i, decision] of [...people, ...people, 'with_mask'].entries()) {
    await page.locator(`mask-guard-app shift-panel button[name=add-${decision}]`).click();
    // One tap at a time: the panel is busy while a person is recorded.
    while (total(await tallyOf(page, 'mask-guard-app shift-panel')) < i + 1) await page.waitForTimeout(50);
  }
  await tab('history').click();
  await page.locator('mask-guard-app history-view hourly-chart svg').waitFor();
  // The header as a guard sees it once the app has settled: models loaded, app stored for offline use.
  await page.getByText('Ready to work offline').waitFor({ timeout: 180_000 });
  const status = page.locator('mask-guard-app header > [role=status]');
  while (/Loading|Starting/.test((await status.textContent()) ?? '')) await page.waitForTimeout(200);
}

const server = await startStaticServer({ '/': DIST_DIR });
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
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('mask-guard-app h1').waitFor();
    await showShiftHistory(page);
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
