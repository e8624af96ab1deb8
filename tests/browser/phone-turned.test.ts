/**
 * The guard turns the phone between upright and sideways while someone stands at the door: the browser turns
 * the camera's picture with the phone (720 × 1280 becomes 1280 × 720), and the person's face, still in the
 * same place in the world, is somewhere else in the picture. Found by a rotation exploration: one unmasked
 * person standing still was counted, and alerted for, three times over two turns.
 *
 * Chromium's fake camera cannot change size mid-stream, so the camera here is a canvas (captureStream) that
 * draws a door photo at the middle of the picture and changes its size on request, as the exploration did.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DIR, launchApp, untilWatching, type AppSession } from '../helpers/browser.ts';
import { tallyOf } from '../helpers/tally.ts';

const PHOTO = join(SHARED_DIR, 'data/door-photos/images/4-photo.jpg');

/** The page's camera: a canvas picture of one unmasked person, upright until `__turn(w, h)` changes it. */
function cameraScript(jpegBase64: string): string {
  return `(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 720;
    canvas.height = 1280;
    let photo;
    const bytes = Uint8Array.from(atob('${jpegBase64}'), (c) => c.charCodeAt(0));
    createImageBitmap(new Blob([bytes], { type: 'image/jpeg' })).then((b) => (photo = b));
    const draw = () => {
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#5a6570';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      // 300 px tall, a little sway, at the middle of the picture whichever way it is turned.
      const sway = 6 * Math.sin(performance.now() / 500);
      if (photo) ctx.drawImage(photo, canvas.width / 2 - 150 + sway, canvas.height / 2 - 150, 300, 300);
    };
    setInterval(draw, 1000 / 15);
    globalThis.__turn = (width, height) => { canvas.width = width; canvas.height = height; draw(); };
    navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(15);
    navigator.mediaDevices.enumerateDevices = async () => [
      { kind: 'videoinput', deviceId: 'canvas', groupId: 'canvas', label: 'Back camera', toJSON() { return this; } },
    ];
  })();`;
}

/** Turns the phone: the camera's picture and the screen. */
async function turn(page: Page, width: number, height: number): Promise<void> {
  await page.evaluate(
    ([w, h]) => (globalThis as { __turn?: (w: number, h: number) => void }).__turn?.(w!, h!),
    [width, height],
  );
  await page.setViewportSize(width > height ? { width: 844, height: 390 } : { width: 390, height: 844 });
}

describe('the phone turned with a person at the door', () => {
  let app: AppSession;
  let page: Page;
  const alerts = new Set<string>();

  /** Watches for `ms`, noting every alert shown and the picture's size in the overlay. */
  async function watch(ms: number): Promise<string[]> {
    const viewBoxes: string[] = [];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      for (const text of await page.locator('mask-guard-app .stage .alert').allTextContents())
        alerts.add(text.trim());
      viewBoxes.push(
        (await page
          .locator('mask-guard-app face-overlay svg')
          .getAttribute('viewBox', { timeout: 1000 })
          .catch(() => '')) ?? '',
      );
      await page.waitForTimeout(150);
    }
    return viewBoxes;
  }

  beforeAll(async () => {
    app = await launchApp({ grantCamera: true });
    await app.context.addInitScript({ content: cameraScript(readFileSync(PHOTO).toString('base64')) });
    page = await app.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(app.server.url);
    await untilWatching(page);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('counts the person once, and alerts once, over a turn to sideways and back', async () => {
    await expect
      .poll(() => tallyOf(page), { timeout: 30_000 })
      .toEqual({ masked: 0, unmasked: 1, uncertain: 0 });
    await watch(500);
    await turn(page, 1280, 720);
    const sideways = await watch(3500);
    await turn(page, 720, 1280);
    const upright = await watch(3500);
    // The turns reached the app: it drew the picture sideways, then upright again.
    expect(sideways).toContain('0 0 1280 720');
    expect(upright.at(-1)).toBe('0 0 720 1280');
    expect(await tallyOf(page)).toEqual({ masked: 0, unmasked: 1, uncertain: 0 });
    expect([...alerts]).toEqual(['⚠ Person #1 without a mask']);
    // Still followed as that person: the box says what they were counted as, under their number.
    expect(await page.locator('mask-guard-app face-overlay [data-face]').first().textContent()).toContain(
      '#1 NO MASK',
    );
    expect(app.foreignRequests).toEqual([]);
  });
});
