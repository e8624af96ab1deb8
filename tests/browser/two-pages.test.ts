/**
 * MaskGuard open twice (the installed app and a browser tab): only one page counts, because two would each
 * keep their own running shift and write over each other's. The second page says why it waits and takes
 * over by itself when the first is closed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { launchApp, type AppSession } from '../helpers/browser.ts';

const status = 'mask-guard-app header > [role=status]';
const controls = 'mask-guard-app guard-controls';

describe('MaskGuard open in two pages at once', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  it('lets one page count; the other waits, says why, and starts when the first closes', async () => {
    app = await launchApp({ grantCamera: false });
    const first = await app.context.newPage();
    await first.goto(app.server.url);
    await first.locator(controls).waitFor({ timeout: 60_000 });

    const second = await app.context.newPage();
    await second.goto(app.server.url);
    await expect
      .poll(() => second.locator(status).textContent(), { timeout: 30_000 })
      .toContain('MaskGuard is already open in another tab or window.');
    // Waiting means nothing started: no controls, no camera, no shift log of its own.
    await second.waitForTimeout(2000);
    expect(await second.locator(controls).count()).toBe(0);
    expect(await second.locator(status).textContent()).toContain('already open');

    await first.close();
    await second.locator(controls).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => second.locator(status).textContent(), { timeout: 120_000 })
      .not.toContain('already open');
    expect(app.foreignRequests).toEqual([]);
  }, 240_000);
});
