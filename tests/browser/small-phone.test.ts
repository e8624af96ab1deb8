/**
 * Phones held upright, their cameras giving portrait frames: 390 × 844 CSS px, and the budget phones many
 * guards have, 360 × 640 (320 × 568 for the smallest still in use). Found by an exploratory run: at 390 px,
 * where the picture fills the screen's width, a box's label near its right edge ran off the screen; the live
 * controls took four rows at 360 px, leaving the camera's picture a third of the screen (216 px of 640), and
 * at 320 × 568 the last button ended below the screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { untilWatching, type AppSession } from '../helpers/browser.ts';
import { DEFAULT_DOOR_VIDEO, writeDoorVideo } from '../helpers/door-video.ts';
import { launchApp } from '../helpers/browser.ts';

const VIDEO = {
  ...DEFAULT_DOOR_VIDEO,
  width: 480,
  height: 640,
  leadSeconds: 1,
  showSeconds: 6,
  gapSeconds: 2,
  photoHeight: 220,
  align: 'right' as const,
};

/** The live controls' rectangles on screen, with their text. */
function controlRects(page: Page) {
  return page
    .locator('mask-guard-app guard-controls')
    .locator('button, select')
    .evaluateAll((elements) =>
      elements.map((e) => {
        const r = e.getBoundingClientRect();
        return {
          text: (e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30),
          right: r.right,
          bottom: r.bottom,
        };
      }),
    );
}

describe('a small phone held upright', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-small-phone-'));
  let app: AppSession;
  let page: Page;
  const labels: { text: string; left: number; right: number }[] = [];
  let picture = { width: 0, height: 0 };

  beforeAll(async () => {
    const video = join(dir, 'right-edge.y4m');
    // An unmasked person standing against the picture's right edge (face box x 354–472 of 480).
    await writeDoorVideo(video, ['4-photo.jpg'], VIDEO);
    app = await launchApp({ fakeCameraY4m: video });
    page = await app.context.newPage();
    // 390 × 844 first (a common phone): there the picture fills the screen's width, edge to edge.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(app.server.url);
    await untilWatching(page);
    const start = Date.now();
    while (Date.now() - start < 7000) {
      labels.push(
        ...(await page.locator('mask-guard-app face-overlay [data-face] text').evaluateAll((elements) =>
          elements.map((e) => {
            const r = e.getBoundingClientRect();
            return { text: e.textContent ?? '', left: r.left, right: r.right };
          }),
        )),
      );
      await page.waitForTimeout(100);
    }
    await page.setViewportSize({ width: 360, height: 640 });
    await page.waitForTimeout(300);
    // The picture as `object-fit: contain` shows it in the stage.
    picture = await page.locator('mask-guard-app .stage').evaluate((stage, frame) => {
      const r = stage.getBoundingClientRect();
      const fit = Math.min(r.width / frame.width, r.height / frame.height);
      return { width: frame.width * fit, height: frame.height * fit };
    }, VIDEO);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the label of a face at the right edge on the screen', () => {
    // Before and after the person is counted ("NO MASK 9x%", "NO MASK 9x% · #1", then "#1 NO MASK").
    expect(labels.length).toBeGreaterThan(10);
    expect(new Set(labels.map((l) => l.text.replace(/[0-9]+%/, '%'))).size).toBeGreaterThan(1);
    const off = labels.filter((l) => l.left < -0.5 || l.right > 390.5);
    expect(off, JSON.stringify(off.slice(0, 3))).toEqual([]);
  });

  it('gives the camera picture at least 45 % of a 360 × 640 screen, with every control on it', async () => {
    expect(picture.height).toBeGreaterThanOrEqual(0.45 * 640);
    const controls = await controlRects(page);
    expect(controls.length).toBeGreaterThanOrEqual(4);
    const outside = controls.filter((c) => c.right > 360.5 || c.bottom > 640.5);
    expect(outside).toEqual([]);
  });

  it('keeps every control on a 320 × 568 screen without scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 568 });
    await page.waitForTimeout(300);
    const controls = await controlRects(page);
    expect(controls.length).toBeGreaterThanOrEqual(4);
    const outside = controls.filter((c) => c.right > 320.5 || c.bottom > 568.5);
    expect(outside).toEqual([]);
  });
});
