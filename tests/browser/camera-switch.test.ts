/**
 * The guard switches to the other camera and back while a person stands at the door (a mis-tap put right at
 * once), in the real app with a fake camera. The fake device is one camera, so the "front" view shows the same
 * person; the person seen in it may be counted as that view's own (as the front camera would count whoever it
 * sees), but back on the rear camera the person at the door is the one counted first, under the same number:
 * before, every switch ended the view's people and each tap counted the person (and rang) again. The fake
 * device is also the only camera the browser lists, so these tests list a second one (see listSecondCamera);
 * the last test shows the switch button gone with one camera and back when a second is plugged in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { untilWatching, type AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf, total } from '../helpers/tally.ts';

/**
 * An init script that makes `navigator.mediaDevices.enumerateDevices()` list a second camera besides the
 * fake one while `globalThis.__secondCamera` is true (its initial value given here). Opening a camera still
 * opens the one fake device: only the list of cameras, which decides whether the app offers a switch, is
 * doubled.
 */
function listSecondCamera(initially: boolean): string {
  return `globalThis.__secondCamera = ${initially};
    const devices = navigator.mediaDevices;
    const listed = devices.enumerateDevices.bind(devices);
    devices.enumerateDevices = async () => {
      const found = await listed();
      const second = { kind: 'videoinput', deviceId: 'second', groupId: 'second', label: 'Second camera' };
      return globalThis.__secondCamera ? [...found, second] : found;
    };`;
}

const switchButton = (page: Page) => page.getByRole('button', { name: /^Use (front|rear) camera$/ });

/** The person numbers on the face boxes on screen ("#3 MASK"). */
async function numbersOnScreen(page: Page): Promise<number[]> {
  const texts = await page
    .locator('mask-guard-app face-overlay [data-face]')
    .evaluateAll((elements) => elements.map((e) => e.textContent ?? ''));
  return texts.flatMap((text) => {
    const match = /#(\d+)/.exec(text);
    return match === null ? [] : [Number(match[1])];
  });
}

describe('switching to the other camera and back while someone stands at the door', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-switch-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    ({ app, page } = await watchOnePerson(
      dir,
      { leadSeconds: 0, showSeconds: 60, gapSeconds: 1 },
      (session) => session.context.addInitScript({ content: listSecondCamera(true) }),
    ));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the person counted once, under the same number, when back on the first camera', async () => {
    await expect
      .poll(() => tallyOf(page), { timeout: 30_000 })
      .toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    await expect.poll(() => numbersOnScreen(page), { timeout: 10_000 }).toHaveLength(1);
    const [number] = await numbersOnScreen(page);
    await page.getByRole('button', { name: 'Use front camera' }).click();
    await untilWatching(page, 20_000);
    await page.getByRole('button', { name: 'Use rear camera' }).click();
    await untilWatching(page, 20_000);
    // Back on the rear camera: the person keeps their number, and nobody more is counted while they stand.
    await expect.poll(() => numbersOnScreen(page), { timeout: 15_000 }).toEqual([number]);
    const afterSwitches = await tallyOf(page);
    // At most the front view's own sighting of the person besides the first count.
    expect(total(afterSwitches)).toBeLessThanOrEqual(2);
    await page.waitForTimeout(4000);
    expect(await tallyOf(page)).toEqual(afterSwitches);
    expect(await numbersOnScreen(page)).toEqual([number]);
    expect(app.foreignRequests).toEqual([]);
  }, 120_000);
});

describe('a device with one camera', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-one-camera-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    ({ app, page } = await watchOnePerson(
      dir,
      { leadSeconds: 0, showSeconds: 10, gapSeconds: 1 },
      (session) => session.context.addInitScript({ content: listSecondCamera(false) }),
    ));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers no switch to another camera, until a second camera is plugged in', async () => {
    // The buttons beside it are there (the camera is on): only the switch, which would reopen the same
    // camera and count the person at the door as another view's, is left out.
    await page.getByRole('button', { name: 'Stop camera' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => switchButton(page).count(), { timeout: 10_000 }).toBe(0);
    await page.evaluate(() => {
      (globalThis as { __secondCamera?: boolean }).__secondCamera = true;
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    });
    await expect.poll(() => switchButton(page).count(), { timeout: 10_000 }).toBe(1);
    expect(app.foreignRequests).toEqual([]);
  }, 60_000);
});
