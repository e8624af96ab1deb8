/**
 * The phone's text made large (Android's font size, a setting many guards use; emulated by the page's root
 * font size at 200 %) on a 360 × 740 phone held upright: every screen stays within the screen's width. The
 * tabs ran off its edge (Settings out of reach), the tally's compliance too, and History's Save of a change
 * was pushed out of sight by its choice.
 */
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchApp, type AppSession } from '../helpers/browser.ts';
import { tallyOf } from '../helpers/tally.ts';

const root = 'mask-guard-app';

/**
 * What is drawn past the right edge of the screen (text and controls, through the shadow roots), leaving out
 * what is meant to be out of sight: anything under an element clipped to nothing (the narrow History's column
 * headers, read by screen readers only) or inside a box that scrolls (its content is reached by scrolling it).
 */
function pastTheEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    const hidden = (e: Element) => {
      const style = getComputedStyle(e);
      return style.clipPath.startsWith('inset') || style.visibility === 'hidden' || style.display === 'none';
    };
    const visit = (e: Element) => {
      if (hidden(e)) return;
      const box = e.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5) {
        const text = (e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        found.push(`${e.tagName.toLowerCase()} "${text}" ends at ${Math.round(box.right)} px`);
      }
      const overflow = getComputedStyle(e).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return;
      for (const child of e.shadowRoot?.children ?? []) visit(child);
      for (const child of e.children) visit(child);
    };
    visit(document.body);
    return found;
  });
}

describe('the app with the phone text at 200 %', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  it('keeps every screen within a 360 px phone, tabs, tally and the Save of a change included', async () => {
    app = await launchApp({ grantCamera: false });
    const page = await app.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.addInitScript(() => {
      addEventListener('DOMContentLoaded', () => {
        const style = document.createElement('style');
        style.textContent = 'html { font-size: 200% !important; }';
        document.head.append(style);
      });
    });
    await page.goto(app.server.url);
    await page.locator(`${root} view-tabs`).waitFor({ timeout: 60_000 });
    const tab = (view: string) => page.locator(`${root} view-tabs button[data-view=${view}]`);
    // Every tab can be reached on the screen.
    for (const view of ['live', 'shift', 'history', 'settings']) {
      const box = (await tab(view).boundingBox())!;
      expect(box.x + box.width, view).toBeLessThanOrEqual(360);
    }
    expect(await pastTheEdge(page)).toEqual([]);
    await tab('shift').click();
    await page.locator(`${root} shift-panel button[name=start]`).click();
    await page.locator(`${root} shift-panel button[name=add-with_mask]`).click();
    await expect
      .poll(() => tallyOf(page, `${root} shift-panel`))
      .toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await pastTheEdge(page)).toEqual([]);
    await tab('history').click();
    const save = page.locator(`${root} history-view event-list button[name=apply-change]`);
    await save.waitFor();
    expect(await pastTheEdge(page)).toEqual([]);
    await save.scrollIntoViewIfNeeded();
    const saveBox = (await save.boundingBox())!;
    expect(saveBox.x).toBeGreaterThanOrEqual(0);
    expect(saveBox.x + saveBox.width).toBeLessThanOrEqual(360);
    await tab('settings').click();
    await page.locator(`${root} settings-view input[name=retention]`).waitFor();
    expect(await pastTheEdge(page)).toEqual([]);
    await tab('live').click();
    await page.locator(`${root} guard-controls`).waitFor();
    expect(await pastTheEdge(page)).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
    await page.close();
  }, 120_000);

  it('keeps the four tally columns on one line at the usual text size, in the sheets too', async () => {
    // The switch to two by two follows the text size, not the narrower sheets (the Shift and History screens
    // give the tally 316 px of a 360 px phone).
    const page = await app.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(app.server.url);
    await page.locator(`${root} view-tabs`).waitFor({ timeout: 60_000 });
    const rows = (scope: string) =>
      page
        .locator(`${scope} tally-board`)
        .evaluate(
          (board) =>
            new Set(
              [...board.shadowRoot!.querySelectorAll('.board > div')].map(
                (d) => d.getBoundingClientRect().top,
              ),
            ).size,
        );
    expect(await rows(`${root} .live-panel`)).toBe(1);
    await page.locator(`${root} view-tabs button[data-view=shift]`).click();
    expect(await rows(`${root} shift-panel`)).toBe(1);
  }, 120_000);
});
