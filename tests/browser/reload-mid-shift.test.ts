/**
 * The guard reloads the page (or the phone does) while a person stands at the door: the page that replaces it
 * carries on with the people the old one was tracking, so that person is not counted a second time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf } from '../helpers/tally.ts';

const status = 'mask-guard-app header > [role=status]';
const boxes = 'mask-guard-app face-overlay [data-face]';

/** The person's number on their box ("#3 MASK"). */
async function personNumber(page: import('playwright-core').Page): Promise<number | undefined> {
  const text = (await page.locator(boxes).first().textContent()) ?? '';
  const match = /#(\d+)/.exec(text);
  return match === null ? undefined : Number(match[1]);
}

describe('a reload while someone stands at the door', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-reload-'));
  let app: AppSession | undefined;
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the person once, under the same number', async () => {
    // One masked person in view from the start for a minute (the fake camera starts its file again when the
    // reloaded page opens it: the person is still there, as at a real door).
    const session = await watchOnePerson(dir, { leadSeconds: 0, showSeconds: 60, gapSeconds: 1 });
    app = session.app;
    const page = session.page;
    await expect
      .poll(() => tallyOf(page), { timeout: 30_000 })
      .toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    await expect.poll(() => personNumber(page), { timeout: 10_000 }).toBeDefined();
    const before = await personNumber(page);
    await page.reload();
    await page.locator(status, { hasText: 'Watching the door' }).waitFor({ timeout: 60_000 });
    // Seen again on the new page, under the same number; given time, never counted again.
    await expect.poll(() => personNumber(page), { timeout: 15_000 }).toBe(before);
    await page.waitForTimeout(5000);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await personNumber(page)).toBe(before);
    expect(app.foreignRequests).toEqual([]);
  }, 180_000);
});
