/**
 * An unmasked person counted while the guard is on another screen (Settings, at 360 × 640): the alert shows,
 * over the page's title and status line, not over the screen's own controls (it hid the days-kept field for
 * its 4 s at every unmasked person, UX exploration), and taps still reach what it covers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSession } from '../helpers/browser.ts';
import { watchOnePerson } from '../helpers/one-person.ts';

type Rect = { left: number; top: number; right: number; bottom: number };

const rectOf = (page: Page, selector: string): Promise<Rect[]> =>
  page.locator(selector).evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }),
  );

const overlaps = (a: Rect, b: Rect) =>
  Math.min(a.right, b.right) > Math.max(a.left, b.left) &&
  Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top);

describe('an alert while the guard is on the Settings screen of a small phone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-alert-over-'));
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    // The unmasked person (2-photo) comes into view 4 s after the camera starts: time to open Settings.
    ({ app, page } = await watchOnePerson(
      dir,
      { leadSeconds: 4, showSeconds: 20, gapSeconds: 1 },
      undefined,
      '2-photo.jpg',
    ));
    await page.setViewportSize({ width: 360, height: 640 });
    await page.locator('mask-guard-app view-tabs button[data-view=settings]').click();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says so over the title, clear of every control of the screen', async () => {
    const alert = page.locator('mask-guard-app .alerts .alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('Person #1 without a mask');
    expect(await alert.getAttribute('role')).toBe('alert');
    const [shown] = await rectOf(page, 'mask-guard-app .alerts .alert');
    const [header] = await rectOf(page, 'mask-guard-app header');
    // Within the title's band (the page's top, above the screen's tabs) ...
    expect(shown!.top).toBeGreaterThanOrEqual(header!.top);
    expect(shown!.bottom).toBeLessThanOrEqual(header!.bottom + 0.5);
    // ... and over none of the Settings screen's controls, nor the tabs.
    const controls = await rectOf(
      page,
      'mask-guard-app settings-view button, mask-guard-app settings-view input, mask-guard-app view-tabs button',
    );
    expect(controls.length).toBeGreaterThan(4);
    expect(controls.filter((c) => overlaps(c, shown!))).toEqual([]);
    // Only here: not also over the (hidden) picture behind the screen.
    expect(await page.locator('mask-guard-app .stage .alert').count()).toBe(0);
    expect(app.foreignRequests).toEqual([]);
  }, 60_000);
});
