/**
 * "Stop camera": the guard stops watching (the shift is over, the phone goes in a pocket). Found by a UX
 * exploration: there was no way to stop short of leaving the app, and after "End shift" the camera went on
 * counting into a new shift, with the screen kept on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf } from '../helpers/tally.ts';

const status = 'mask-guard-app header > [role=status]';
const boxes = 'mask-guard-app face-overlay [data-face]';

/** Frames the page has sent to the detection worker so far. */
function framesSent(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as { __framesSent?: number }).__framesSent ?? 0);
}

describe('the guard stops the camera', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-stop-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    // One masked person standing in view for a minute.
    ({ app, page } = await watchOnePerson(
      dir,
      { leadSeconds: 0, showSeconds: 60, gapSeconds: 1 },
      (session) =>
        session.context.addInitScript(() => {
          const post = Worker.prototype.postMessage;
          Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
            if ((message as { type?: string } | null)?.type === 'frame') {
              const g = globalThis as { __framesSent?: number };
              g.__framesSent = (g.__framesSent ?? 0) + 1;
            }
            return (post as (...args: unknown[]) => void).call(this, message, ...rest);
          };
        }),
    ));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the person at the door', async () => {
    await expect
      .poll(() => tallyOf(page), { timeout: 30_000 })
      .toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  });

  it('stops checking frames, says so, and draws no box', async () => {
    await page.getByRole('button', { name: 'Stop camera' }).click();
    await expect.poll(() => page.locator(status).textContent()).toContain('Camera stopped');
    expect(await page.locator('mask-guard-app .problem').textContent()).toContain(
      'Nobody at the door is checked or counted until you tap "Start camera"',
    );
    expect(await page.locator(boxes).count()).toBe(0);
    const sent = await framesSent(page);
    await page.waitForTimeout(2000);
    expect(await framesSent(page)).toBe(sent);
    // The camera itself is released, not only unwatched.
    expect(
      await page.locator('mask-guard-app video').evaluate((v) => (v as HTMLVideoElement).srcObject),
    ).toBe(null);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  });

  it('watches again on "Start camera", without counting again the person still at the door', async () => {
    const sent = await framesSent(page);
    await page.getByRole('button', { name: 'Start camera' }).click();
    await expect
      .poll(() => page.locator(status).textContent(), { timeout: 30_000 })
      .toContain('Watching the door');
    await expect.poll(() => page.locator(boxes).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await framesSent(page)).toBeGreaterThan(sent);
    expect(await page.locator('mask-guard-app .problem').count()).toBe(0);
    // Long enough to have counted them again (5 frames) if their track had not been kept.
    await page.waitForTimeout(4000);
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(app.foreignRequests).toEqual([]);
  });
});
