/**
 * A phone held upright, as a guard holds it at a door: the camera gives portrait frames (taller than wide).
 * The whole path must not assume landscape: the overlay's picture, the boxes on the face, the count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { iou } from '../../src/shared/geometry.ts';
import { untilWatching, type AppSession } from '../helpers/browser.ts';
import { DEFAULT_DOOR_VIDEO, writeDoorVideo, type Appearance } from '../helpers/door-video.ts';
import { launchApp } from '../helpers/browser.ts';
import { tallyOf } from '../helpers/tally.ts';

const PORTRAIT = {
  ...DEFAULT_DOOR_VIDEO,
  width: 480,
  height: 640,
  leadSeconds: 1,
  showSeconds: 4,
  gapSeconds: 3,
};

describe('portrait camera (phone held upright)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-portrait-'));
  let app: AppSession;
  let page: Page;
  let person: Appearance;
  let viewBox = '';
  const boxes: number[][] = [];
  let final = { masked: 0, unmasked: 0, uncertain: 0 };

  beforeAll(async () => {
    const video = join(dir, 'portrait.y4m');
    // One masked person (the photo of the other camera tests), standing 4 s in a 480×640 picture.
    const { appearances } = await writeDoorVideo(video, ['15-photo.jpg'], PORTRAIT);
    person = appearances[0]!;
    app = await launchApp({ fakeCameraY4m: video });
    page = await app.context.newPage();
    await page.goto(app.server.url);
    await untilWatching(page);
    const start = Date.now();
    // Until the person has left (1 + 4 s) and their track has ended, well before the file loops (8 s).
    while (Date.now() - start < 7000) {
      const seen = await page
        .locator('mask-guard-app face-overlay [data-face]')
        .evaluateAll((elements) =>
          elements.map((e) => (e.getAttribute('data-box') ?? '').split(',').map(Number)),
        );
      boxes.push(...seen);
      viewBox ||=
        (await page
          .locator('mask-guard-app face-overlay svg')
          .getAttribute('viewBox')
          .catch(() => '')) ?? '';
      await page.waitForTimeout(100);
    }
    final = await tallyOf(page);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets portrait frames from the camera and draws them as such', () => {
    expect(viewBox).toBe(`0 0 ${PORTRAIT.width} ${PORTRAIT.height}`);
  });

  it('puts the boxes on the face', () => {
    expect(boxes.length).toBeGreaterThan(5);
    const onFace = boxes.filter(
      ([x, y, width, height]) => iou({ x: x!, y: y!, width: width!, height: height! }, person.face) >= 0.5,
    );
    // The person sways by 8 px; every box drawn is on them (nobody else is in the picture).
    expect(onFace.length, JSON.stringify({ face: person.face, boxes: boxes.slice(0, 5) })).toBe(boxes.length);
  });

  it('counts the person once, as masked', () => {
    expect(final).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  });

  it('held sideways, shows the tally and the mute button beside the picture, within the screen', async () => {
    // On a short landscape screen the buttons used to start below its edge, the page scrolled under the guard.
    for (const viewport of [
      { width: 740, height: 360 },
      { width: 844, height: 390 },
    ]) {
      await page.setViewportSize(viewport);
      const layout = await page.evaluate(() => {
        const root = document.querySelector('mask-guard-app')!.shadowRoot!;
        const rect = (e: Element) => e.getBoundingClientRect();
        const controls = root.querySelector('guard-controls')!.shadowRoot!;
        const mute = [...controls.querySelectorAll('button')].find((b) => /mute/i.test(b.textContent ?? ''));
        return {
          pageHeight: document.documentElement.scrollHeight,
          stage: rect(root.querySelector('.stage')!).toJSON() as DOMRect,
          tally: rect(root.querySelector('tally-board')!).toJSON() as DOMRect,
          mute: mute === undefined ? undefined : (rect(mute).toJSON() as DOMRect),
        };
      });
      expect(layout.pageHeight, JSON.stringify(viewport)).toBeLessThanOrEqual(viewport.height);
      expect(layout.tally.left).toBeGreaterThanOrEqual(layout.stage.right);
      expect(layout.tally.bottom).toBeLessThanOrEqual(viewport.height);
      expect(layout.mute, 'the mute button').toBeDefined();
      expect(layout.mute!.bottom, JSON.stringify(viewport)).toBeLessThanOrEqual(viewport.height);
      // The picture keeps most of the width.
      expect(layout.stage.right - layout.stage.left).toBeGreaterThan(viewport.width / 2);
    }
  });

  it('contacted no other host', () => {
    expect(app.foreignRequests).toEqual([]);
  });
});
