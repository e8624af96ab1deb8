/**
 * The door's name, typed on the Shift screen while the camera already watches: the camera starts the shift
 * with the first person it counts, maybe while the guard is still typing. Found by a UX exploration: the
 * field went away mid-typing (the shift started with the name before, "Main door"), what was typed was lost,
 * and a running shift could not be renamed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf } from '../helpers/tally.ts';

const panel = 'mask-guard-app shift-panel';
const door = `${panel} input[name=door]`;

describe('the door named while the camera starts the shift', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-door-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    // The doorway empty for 8 s, then one masked person.
    ({ app, page } = await watchOnePerson(dir, { leadSeconds: 8, showSeconds: 30, gapSeconds: 1 }));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the field, what is typed and its focus when the shift starts, and names the shift so', async () => {
    await page.locator('mask-guard-app view-tabs button[data-view=shift]').click();
    expect(await page.locator(`${panel} [data-shift]`).count()).toBe(0);
    await page.locator(door).click();
    await page.locator(door).fill('');
    await page.keyboard.type('North entr');
    // The camera counts the person and starts the shift while the guard is still typing.
    await expect.poll(() => page.locator(`${panel} [data-shift]`).count(), { timeout: 30_000 }).toBe(1);
    expect(await tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await page.locator(door).inputValue()).toBe('North entr');
    expect(
      await page.locator(door).evaluate((e) => e === (e.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);
    await page.keyboard.type('ance');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`${panel} [data-shift] b`).textContent()).toBe('North entrance');
  });

  it('renames the running shift, kept on disk: after a reload, with its people', async () => {
    await page.locator(door).fill('Side door');
    await page.locator(`${panel} button[name=rename]`).click();
    await expect.poll(() => page.locator(`${panel} [data-shift] b`).textContent()).toBe('Side door');
    const shiftId = await page.locator(`${panel} [data-shift]`).getAttribute('data-shift');
    await page.reload();
    await page.locator('mask-guard-app view-tabs').waitFor({ timeout: 60_000 });
    await page.locator('mask-guard-app view-tabs button[data-view=shift]').click();
    await expect.poll(() => page.locator(`${panel} [data-shift] b`).textContent()).toBe('Side door');
    expect(await page.locator(`${panel} [data-shift]`).getAttribute('data-shift')).toBe(shiftId);
    expect(await tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    // The next shift is at that door too.
    expect(await page.locator(door).inputValue()).toBe('Side door');
    expect(app.foreignRequests).toEqual([]);
  });
});
