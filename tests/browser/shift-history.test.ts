/**
 * The shift, history and settings screens of the built app, driven through their own buttons (no camera):
 * a shift is started at a door with a non-ASCII name, people are added by hand and the last one corrected;
 * then the history must chart, total and list exactly those people, and its CSV download must hold them.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvDialectFor } from '../../src/shared/csv.ts';
import { focused, whenReady } from '../helpers/focus.ts';
import { launchApp, type AppSession } from '../helpers/browser.ts';
import { tallyOf } from '../helpers/tally.ts';
import { parseCsv } from '../helpers/csv.ts';
import { SETTLE_MS } from '../../src/components/settle.ts';
import { ROWS_AT_FIRST, ROWS_AT_MOST } from '../../src/components/event-list-rows.ts';

/** Comma and quotes test the CSV escaping; "é" tests the BOM and the file name. */
const DOOR = 'Entrée Nord, "B"';

async function showTab(page: Page, view: string): Promise<void> {
  await page.locator(`mask-guard-app view-tabs button[data-view=${view}]`).click();
}

/** A new page of the app, once its tabs are there. */
async function openApp(app: AppSession): Promise<Page> {
  const page = await app.context.newPage();
  await page.goto(app.server.url);
  await page.locator('mask-guard-app view-tabs').waitFor({ timeout: 60_000 });
  return page;
}

/** Pages opened from now on see a clock `ms` ahead (the app opened that much later). */
async function openedLater(app: AppSession, ms: number): Promise<void> {
  await app.context.addInitScript((ms) => {
    const real = Date.now;
    Date.now = () => real() + ms;
  }, ms);
}

describe('shift panel, history and settings', () => {
  let app: AppSession;
  let page: Page;
  const pageErrors: string[] = [];
  const panel = 'mask-guard-app shift-panel';
  const history = 'mask-guard-app history-view';

  beforeAll(async () => {
    app = await launchApp({ grantCamera: false });
    page = await app.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(app.server.url);
    await page.locator('mask-guard-app view-tabs').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('starts a shift at the typed door, adds people by hand and corrects the last one', async () => {
    await showTab(page, 'shift');
    await page.locator(`${panel} input[name=door]`).fill(DOOR);
    await page.locator(`${panel} button[name=start]`).click();
    await expect.poll(() => page.locator(`${panel} [data-shift] b`).textContent()).toBe(DOOR);
    // "End shift…" took the place of "Start shift", and focus with it (not dropped to the page).
    await expect.poll(() => focused(page)).toMatchObject({ name: 'end' });
    const adds = ['with_mask', 'with_mask', 'without_mask', 'with_mask'];
    for (const [i, decision] of adds.entries()) {
      await page.locator(`${panel} button[name=add-${decision}]`).click();
      await expect
        .poll(async () => Object.values(await tallyOf(page, panel)).reduce((a, b) => a + b))
        .toBe(i + 1);
      // The button pressed keeps focus while the person is recorded and after.
      expect(await focused(page)).toMatchObject({ name: `add-${decision}` });
    }
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 3, unmasked: 1, uncertain: 0 });
    // From the keyboard: the pressed button becomes the current decision and keeps focus (it used to be
    // disabled, which dropped focus to the page).
    await (await whenReady(page.locator(`${panel} button[name=correct-without_mask]`))).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator(`${panel} [data-last]`).getAttribute('data-decision'))
      .toBe('without_mask');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'correct-without_mask' });
    expect(
      await page.locator(`${panel} button[name=correct-without_mask]`).getAttribute('aria-pressed'),
    ).toBe('true');
    // Pressing the current decision again changes nothing.
    await page.keyboard.press('Enter');
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
  });

  it('removes a person added by mistake from the count, puts them back, and removes them again', async () => {
    await page.locator(`${panel} button[name=add-without_mask]`).click();
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 2, unmasked: 3, uncertain: 0 });
    const mistake = await page.locator(`${panel} [data-last]`).getAttribute('data-last');
    // From the keyboard: focus goes to "Put back" (left on "Remove", a second Enter would remove the person
    // before), then back to "Remove".
    await (await whenReady(page.locator(`${panel} button[name=remove-last]`))).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
    await expect.poll(() => focused(page)).toMatchObject({ name: 'restore-removed' });
    // Said to a screen reader: the line is in a live region.
    expect(await page.locator(`${panel} [role=status] [data-removed]`).count()).toBe(1);
    // The panel says who was removed, and the last person is the one before (the corrected one).
    expect(await page.locator(`${panel} [data-removed]`).getAttribute('data-removed')).toBe(mistake);
    expect(await page.locator(`${panel} [data-last]`).getAttribute('data-decision')).toBe('without_mask');
    expect(await page.locator(`${panel} [data-last]`).getAttribute('data-last')).not.toBe(mistake);
    await whenReady(page.locator(`${panel} button[name=restore-removed]`));
    await page.keyboard.press('Enter');
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 2, unmasked: 3, uncertain: 0 });
    await expect.poll(() => focused(page)).toMatchObject({ name: 'remove-last' });
    await expect.poll(() => page.locator(`${panel} [data-last]`).getAttribute('data-last')).toBe(mistake);
    // Said to a screen reader too (the removal's line goes, saying nothing): the person put back. The line
    // shown is no live region (the camera counting under this screen would have it speak at every person).
    await expect
      .poll(() => page.locator(`${panel} .spoken[role=status]`).textContent())
      .toMatch(/^Last person.*: No mask \(added by hand\)$/);
    expect(await page.locator(`${panel} [role=status] [data-last]`).count()).toBe(0);
    expect(await page.locator(`${panel} [data-removed]`).count()).toBe(0);
    await (await whenReady(page.locator(`${panel} button[name=remove-last]`))).click();
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
    // Kept across a reload: the tally read from the log, and the removal can still be undone.
    await page.reload();
    await showTab(page, 'shift');
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
    await expect
      .poll(() => page.locator(`${panel} [data-removed]`).getAttribute('data-removed'))
      .toBe(mistake);
  });

  it('charts, totals and lists exactly those people in the history', async () => {
    await showTab(page, 'history');
    await expect.poll(() => tallyOf(page, history)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
    const bars = await page
      .locator(`${history} hourly-chart rect[data-kind]`)
      .evaluateAll((rects) =>
        rects.map((r) => [r.getAttribute('data-kind'), Number(r.getAttribute('data-value'))]),
      );
    const sum = (kind: string) => bars.filter(([k]) => k === kind).reduce((a, [, v]) => a + (v as number), 0);
    expect(sum('masked')).toBe(2);
    expect(sum('unmasked')).toBe(2);
    const chart = page.locator(`${history} hourly-chart svg[role=img]`);
    expect(await chart.getAttribute('aria-label')).toContain('2 masked and 2 without a mask');
    const rows = await page.locator(`${history} event-list tbody tr`).evaluateAll((trs) =>
      trs.map((tr) => ({
        decision: tr.getAttribute('data-decision'),
        source: tr.getAttribute('data-source'),
        from: tr.getAttribute('data-corrected-from'),
        removed: tr.hasAttribute('data-removed'),
      })),
    );
    // The person removed from the count is still listed, marked removed.
    expect(rows).toEqual([
      { decision: 'with_mask', source: 'manual', from: '', removed: false },
      { decision: 'with_mask', source: 'manual', from: '', removed: false },
      { decision: 'without_mask', source: 'manual', from: '', removed: false },
      { decision: 'without_mask', source: 'manual', from: 'with_mask', removed: false },
      { decision: 'without_mask', source: 'manual', from: '', removed: true },
    ]);
    // People added by hand were not decided on by the camera: no frames nor time to decide (not "0").
    const decided = await page
      .locator(`${history} event-list tbody td[data-label$="to decide"]`)
      .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim()));
    expect(decided).toEqual(Array<string>(10).fill('–'));
    expect(await page.locator(`${history} event-list tr[data-removed] td`).nth(2).innerText()).toMatch(
      /^No mask\s+removed \d\d:\d\d:\d\d/,
    );
    expect(await page.locator(`${history} button[name=export]`).textContent()).toMatch(
      /Export CSV \(4 people\)/,
    );
  });

  it('downloads the shift as CSV with a BOM, one row per person (not the removed one), the door escaped', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.locator(`${history} button[name=export]`).click(),
    ]);
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    // The shift's start time in the name, and that it was still running.
    const name = download.suggestedFilename();
    expect(name).toMatch(new RegExp(`^maskguard-Entrée-Nord-B-${today}-[0-2][0-9][0-5][0-9]-running\\.csv$`));
    // Said on screen too: what was exported, under which name.
    await expect
      .poll(() => page.locator(`${history} .message`).textContent())
      .toBe(`Exported 4 people as ${name} (look in the phone's downloads).`);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toContain(',"Entrée Nord, ""B""",');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    const column = (name: string) => rows.map((r) => r[CSV_COLUMNS.indexOf(name as never)]);
    expect(column('door')).toEqual(Array(4).fill(DOOR));
    expect(column('decision')).toEqual(['with_mask', 'with_mask', 'without_mask', 'without_mask']);
    expect(column('source')).toEqual(Array(4).fill('manual'));
    expect(column('corrected_from')).toEqual(['', '', '', 'with_mask']);
  });

  it('downloads every shift kept in one file', async () => {
    const all = page.locator(`${history} button[name=export-all]`);
    expect((await all.textContent())?.trim()).toBe('Export the 1 kept shift');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), all.click()]);
    expect(download.suggestedFilename()).toMatch(/^maskguard-all-shifts-\d{4}-\d\d-\d\d\.csv$/);
    const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8').slice(1));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows.map((r) => r[CSV_COLUMNS.indexOf('decision')])).toEqual([
      'with_mask',
      'with_mask',
      'without_mask',
      'without_mask',
    ]);
  });

  it('writes semicolons and decimal commas once the guard picks "1,5", and keeps that choice', async () => {
    // Before any choice: what the browser's language writes (en-US here: commas).
    const dialect = page.locator(`${history} select[name=csv-dialect]`);
    const language = await page.evaluate(() => navigator.language);
    expect(await dialect.inputValue(), language).toBe(csvDialectFor(language));
    await dialect.selectOption('semicolon');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.locator(`${history} button[name=export]`).click(),
    ]);
    const text = readFileSync(await download.path(), 'utf8').slice(1);
    const [header, ...rows] = parseCsv(text, ';');
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows.map((r) => r[CSV_COLUMNS.indexOf('door')])).toEqual(Array(4).fill(DOOR));
    // People added by hand were in view 0 s: a decimal comma.
    expect(rows.map((r) => r[CSV_COLUMNS.indexOf('time_in_view_s')])).toEqual(Array(4).fill('0,0'));
    expect(await page.evaluate(() => localStorage.getItem('maskguard.csv-dialect'))).toBe('semicolon');
    await showTab(page, 'live');
    await showTab(page, 'history');
    expect(await dialect.inputValue()).toBe('semicolon');
  });

  it('shows the same people for today chosen as a day', async () => {
    const today = await page.evaluate(() => new Date().toLocaleDateString('sv')); // sv: YYYY-MM-DD
    await page.locator(`${history} input[name=day]`).fill(today);
    await expect.poll(() => page.locator(`${history} h3[data-scope]`).getAttribute('data-scope')).toBe('day');
    await expect.poll(() => tallyOf(page, history)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
    // The four counted and the one removed from the count.
    expect(await page.locator(`${history} event-list tbody tr`).count()).toBe(5);
    expect(await page.locator(`${history} event-list tbody tr[data-removed]`).count()).toBe(1);
  });

  it('changes a person counted before the last one from the list, and puts them back', async () => {
    const first = page.locator(`${history} event-list tbody tr`).first();
    const choice = first.locator('select[name=change]');
    const save = first.locator('button[name=apply-change]');
    expect(await choice.getAttribute('aria-label')).toMatch(/^Person at \d\d:\d\d:\d\d/);
    // Choosing alone changes nothing (arrow keys step through every choice): "Save" does.
    await choice.selectOption('uncertain');
    await choice.selectOption('removed');
    await page.waitForTimeout(300);
    expect(await tallyOf(page, history)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
    await save.click();
    await expect.poll(() => tallyOf(page, history)).toEqual({ masked: 1, unmasked: 2, uncertain: 0 });
    expect(await first.getAttribute('data-corrected-from')).toBe(''); // not changed to uncertain on the way
    await expect.poll(() => first.getAttribute('data-removed')).not.toBeNull();
    // The live tally and the shift panel follow (the panel's last person is not this one).
    await showTab(page, 'shift');
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 2, uncertain: 0 });
    await showTab(page, 'history');
    await choice.selectOption('with_mask');
    await save.click();
    await expect.poll(() => tallyOf(page, history)).toEqual({ masked: 2, unmasked: 2, uncertain: 0 });
    expect(await first.getAttribute('data-removed')).toBeNull();
    expect(await first.getAttribute('data-corrected-from')).toBe(''); // back as it was
    expect(await choice.inputValue()).toBe('with_mask');
  });

  it('lists each person as a block on a phone held upright, with the change and its Save in sight', async () => {
    // As a table the list was over 1,100 px wide: Save was reached by scrolling sideways, off its row's time.
    // The page as it was (a second page of the app would not be the counting one); its size is put back after.
    const phone = page;
    const size = await page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    await phone.setViewportSize({ width: 360, height: 740 });
    try {
      const first = phone.locator(`${history} event-list tbody tr`).first();
      await first.locator('button[name=apply-change]').waitFor({ timeout: 30_000 });
      const layout = await first.evaluate((row) => {
        const list = (row.getRootNode() as ShadowRoot).host;
        const box = (e: Element | null) => e!.getBoundingClientRect().toJSON() as DOMRect;
        return {
          scrolls: list.scrollWidth > list.clientWidth,
          row: box(row),
          time: box(row.querySelector('td:nth-child(2)')),
          save: box(row.querySelector('button[name=apply-change]')),
          choice: box(row.querySelector('select[name=change]')),
        };
      });
      expect(layout.scrolls).toBe(false);
      expect(layout.save.right).toBeLessThanOrEqual(360);
      expect(layout.choice.left).toBeGreaterThanOrEqual(0);
      // Save is on the person's own block, below their time.
      expect(layout.save.top).toBeGreaterThanOrEqual(layout.time.bottom);
      expect(layout.save.bottom).toBeLessThanOrEqual(layout.row.bottom);
      // The details keep their names, as the column headers are out of sight.
      expect(
        await first.locator('td.confidence').evaluate((td) => getComputedStyle(td, '::before').content),
      ).toContain('"Confidence: "');
      expect(await phone.locator(`${history} event-list table`).getAttribute('role')).toBe('table');
    } finally {
      await phone.setViewportSize(size);
    }
  });

  it('moves focus into the end-of-shift question and back to "End shift…", for keyboard users', async () => {
    await showTab(page, 'shift');
    const end = page.locator(`${panel} button[name=end]`);
    const dialog = page.locator(`${panel} [role=alertdialog]`);
    await end.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ name: 'cancel-end', inDialog: true });
    // Enter answers on the focused "Keep counting": the question closes and focus is back where it opened.
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ name: 'end', inDialog: false });
    expect(await page.locator(`${panel} [data-shift]`).count()).toBe(1);
    // Escape closes it as "Keep counting" does, also from "Yes, end shift"; it says how many were counted.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect((await dialog.textContent())?.replace(/\s+/g, ' ')).toContain(' people counted.');
    await page.keyboard.press('Tab');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'confirm-end', inDialog: true });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ name: 'end', inDialog: false });
    expect(await page.locator(`${panel} [data-shift]`).count()).toBe(1);
  });

  it('ends the shift only after the guard confirms in the page', async () => {
    await showTab(page, 'shift');
    await page.locator(`${panel} button[name=end]`).click();
    const dialog = page.locator(`${panel} [role=alertdialog]`);
    await dialog.waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ name: 'cancel-end', inDialog: true });
    await dialog.locator('button[name=cancel-end]').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ name: 'end', inDialog: false });
    expect(await page.locator(`${panel} [data-shift]`).count()).toBe(1);
    await page.locator(`${panel} button[name=end]`).click();
    await dialog.locator('button[name=confirm-end]').click();
    // The door's field stays (it renames a running shift); the running shift's line goes.
    await expect.poll(() => page.locator(`${panel} [data-shift]`).count()).toBe(0);
    await page.locator(`${panel} button[name=start]`).waitFor();
    // "Start shift" stands where "End shift…" was; focus goes to it once the shift has ended.
    await expect.poll(() => focused(page)).toMatchObject({ name: 'start', inDialog: false });
    // The tally is back to zero for the next shift; the panel says what this one came to (a status, read out),
    // until the guard taps OK (the next shift starting does not take it away: a unit test shows that).
    const summary = page.locator(`${panel} .ended-summary`);
    expect(await summary.getAttribute('role')).toBe('status');
    expect(await summary.locator('p').textContent()).toMatch(
      new RegExp(
        `^Shift at ${DOOR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ended at .+: 2 masked, 2 without a mask, 0 uncertain\\. It is in History\\.$`,
      ),
    );
    expect(await page.locator(`${panel} .message`).count()).toBe(0);
    await summary.locator('button[name=dismiss-ended]').click();
    await expect.poll(() => summary.count()).toBe(0);
    // Focus is on the screen's heading, not dropped to the page's start.
    expect(await page.locator(panel).evaluate((el) => el.shadowRoot?.activeElement?.tagName)).toBe('H2');
    await showTab(page, 'history');
    // History re-reads the shifts when shown: the list drawn before that may still call it running.
    const options = () =>
      page.locator(`${history} select[name=shift] option[value]:not([value=""])`).allTextContents();
    await expect.poll(async () => (await options()).some((o) => o.includes('running'))).toBe(false);
    expect(await options()).toHaveLength(1);
    expect((await options())[0]).toContain(DOOR);
  });

  it('shows persistence, the estimate and the save status, and keeps settings across a reload', async () => {
    await showTab(page, 'settings');
    const settings = 'mask-guard-app settings-view';
    await expect
      .poll(() => page.locator(`${settings} [data-estimate]`).textContent())
      .toMatch(/Storage use: .+ of .+/);
    const persisted = page.locator(`${settings} [data-persisted]`);
    if ((await persisted.getAttribute('data-persisted')) !== 'true') {
      await page.locator(`${settings} button[name=persist]`).click();
      // Either answer is the browser's to give; the screen must show that it was asked and what it said.
      await expect
        .poll(
          async () => `${await persisted.getAttribute('data-persisted')} ${await persisted.textContent()}`,
        )
        .toMatch(/^true |^false .*\(the browser declined\)/);
    }
    // Said as well as shown: the answer is in a live region.
    expect(await persisted.getAttribute('role')).toBe('status');
    expect(await page.locator(`${settings} [data-state]`).getAttribute('data-state')).toBe('saved');
    expect(await page.locator(`${settings} button[name=retry]`).getAttribute('aria-disabled')).toBe('true');
    const thumbnails = page.locator(`${settings} input[name=thumbnails]`);
    expect(await thumbnails.isChecked()).toBe(false);
    await page.locator(`${settings} input[name=retention]`).fill('30');
    await page.locator(`${settings} input[name=retention]`).press('Tab');
    await expect.poll(() => page.locator(`${settings} .message`).textContent()).toContain('kept for 30 days');
    // From the keyboard: the checkbox keeps focus while the setting is saved and after (it was disabled
    // while saving, which dropped focus to the page).
    await thumbnails.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator(`${settings} .message`).textContent()).toContain('will be kept');
    expect(await thumbnails.isChecked()).toBe(true);
    expect(await focused(page)).toMatchObject({ name: 'thumbnails' });

    await page.reload();
    await page.locator('mask-guard-app view-tabs').waitFor({ timeout: 60_000 });
    await showTab(page, 'settings');
    expect(await page.locator(`${settings} input[name=retention]`).inputValue()).toBe('30');
    expect(await page.locator(`${settings} input[name=thumbnails]`).isChecked()).toBe(true);
  });

  it('raised no page error and contacted no other host', () => {
    expect(pageErrors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });
});

describe('a double tap on a button that acts on one person', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  /**
   * Taps `name` in the page as soon as `changed` (a selector) matches, i.e. as soon as the panel shows that
   * the person the button acts on changed: both in one evaluation, so no test-runner delay comes between
   * (a guard's double tap is 100 to 400 ms apart). Resolves to how long after the change the tap came (ms),
   * and whether the button was shown unavailable then.
   */
  const tapAsSoonAs = (page: Page, name: string, changed: string) =>
    page.evaluate(
      ({ name, changed }) =>
        new Promise<{ late: number; dimmed: boolean }>((resolve) => {
          const root = document
            .querySelector('mask-guard-app')!
            .shadowRoot!.querySelector('shift-panel')!.shadowRoot!;
          const poll = () => {
            if (root.querySelector(changed) === null) return void requestAnimationFrame(poll);
            const seen = performance.now();
            const button = root.querySelector<HTMLButtonElement>(`button[name=${name}]`)!;
            button.click();
            resolve({
              late: performance.now() - seen,
              dimmed: button.getAttribute('aria-disabled') === 'true',
            });
          };
          poll();
        }),
      { name, changed },
    );

  it('removes one person, not the one before too, and puts back one', async () => {
    app = await launchApp({ grantCamera: false });
    const page = await openApp(app);
    const panel = 'mask-guard-app shift-panel';
    await showTab(page, 'shift');
    await page.locator(`${panel} button[name=start]`).click();
    for (const [i, decision] of ['with_mask', 'without_mask', 'with_mask'].entries()) {
      await page.locator(`${panel} button[name=add-${decision}]`).click();
      await expect.poll(() => page.locator(`${panel} [data-last]`).count()).toBe(1);
      await expect
        .poll(async () => Object.values(await tallyOf(page, panel)).reduce((a, b) => a + b))
        .toBe(i + 1);
    }
    const third = (await page.locator(`${panel} [data-last]`).getAttribute('data-last'))!;
    await (await whenReady(page.locator(`${panel} button[name=remove-last]`))).click();
    // The second tap lands on "Remove", which now names the person before.
    const tap = await tapAsSoonAs(page, 'remove-last', `[data-removed="${third}"]`);
    expect(tap.late).toBeLessThan(SETTLE_MS / 2);
    expect(tap.dimmed).toBe(true);
    await page.waitForTimeout(SETTLE_MS + 500);
    expect(await tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 1, uncertain: 0 });
    // Settled, the button takes presses again: a deliberate second removal works.
    const second = (await page.locator(`${panel} [data-last]`).getAttribute('data-last'))!;
    await (await whenReady(page.locator(`${panel} button[name=remove-last]`))).click();
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    // A double tap on "Put back" puts back one person (the newest removal), not the one before too.
    await (await whenReady(page.locator(`${panel} button[name=restore-removed]`))).click();
    await tapAsSoonAs(page, 'restore-removed', `[data-last="${second}"]`);
    await page.waitForTimeout(SETTLE_MS + 500);
    expect(await tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 1, uncertain: 0 });
    expect(await page.locator(`${panel} [data-removed]`).getAttribute('data-removed')).toBe(third);
    expect(app.foreignRequests).toEqual([]);
  }, 120_000);
});

describe('the tally on a narrow phone', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  it('keeps its height when the first uncertain person comes, and says whom compliance covers', async () => {
    app = await launchApp({ grantCamera: false });
    const page = await openApp(app);
    await page.setViewportSize({ width: 360, height: 740 });
    const panel = 'mask-guard-app shift-panel';
    const board = page.locator(`${panel} tally-board`);
    const covers = () => board.locator('.compliance small').textContent();
    await showTab(page, 'shift');
    await page.locator(`${panel} button[name=start]`).click();
    expect((await covers())?.trim()).toBe('');
    const empty = (await board.boundingBox())!.height;
    for (const decision of ['with_mask', 'without_mask', 'with_mask'])
      await page.locator(`${panel} button[name=add-${decision}]`).click();
    await expect.poll(covers).toBe('of 3 people');
    const decided = (await board.boundingBox())!.height;
    await (await whenReady(page.locator(`${panel} button[name=correct-uncertain]`))).click();
    await expect.poll(covers).toBe('of 2 decided');
    expect(await tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 1, uncertain: 1 });
    // "compliance of the 2 decided" wrapped to three lines here, and the picture on the live screen jumped.
    expect((await board.boundingBox())!.height).toBe(decided);
    expect(decided).toBe(empty);
    expect(app.foreignRequests).toEqual([]);
  }, 120_000);
});

describe('a shift left running overnight', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  it('is ended at its last count when the app opens 13 hours later, and the shift panel says so', async () => {
    app = await launchApp({ grantCamera: false });
    const panel = 'mask-guard-app shift-panel';
    const openShiftPanel = async () => {
      const page = await openApp(app);
      await showTab(page, 'shift');
      return page;
    };
    let page = await openShiftPanel();
    await page.locator(`${panel} button[name=start]`).click();
    await page.locator(`${panel} button[name=add-with_mask]`).click();
    await expect.poll(() => tallyOf(page, panel)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    expect(await page.locator(`${panel} .ended-idle`).count()).toBe(0);
    await page.close();
    // The guard forgot to end it; the app is opened again 13 hours later.
    await openedLater(app, 13 * 3_600_000);
    page = await openShiftPanel();
    // As the guard reads it (the markup's line breaks are spaces on screen).
    const notice = async () =>
      ((await page.locator(`${panel} .ended-idle`).textContent()) ?? '').replace(/\s+/g, ' ');
    await expect.poll(notice).toContain('was ended at');
    expect(await notice()).toContain(
      'nobody was counted in it after that for 12 hours. Its people are in History.',
    );
    expect(await page.locator(`${panel} p`, { hasText: 'No shift is running' }).count()).toBe(1);
    expect(await tallyOf(page, panel)).toEqual({ masked: 0, unmasked: 0, uncertain: 0 });
    // The notice is kept on the phone, not in the page: after a reload (an app update, say) it is still there.
    await page.reload();
    await page.locator('mask-guard-app view-tabs').waitFor({ timeout: 60_000 });
    await showTab(page, 'shift');
    await expect.poll(notice).toContain('was ended at');
    // History names the shift as one the app ended.
    await showTab(page, 'history');
    const option = page.locator('mask-guard-app history-view select[name=shift] option', {
      hasText: 'ended by the app: 12 h with nobody counted',
    });
    await expect.poll(() => option.count()).toBe(1);
    expect(app.foreignRequests).toEqual([]);
  }, 120_000);
});

describe('the people listed in History', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });
  const panel = 'mask-guard-app shift-panel';
  const history = 'mask-guard-app history-view';

  /** Adds `n` people by hand in the shift panel, each once the one before is in the tally. */
  async function addPeople(page: Page, decision: string, n: number): Promise<void> {
    const total = async () => Object.values(await tallyOf(page, panel)).reduce((a, b) => a + b);
    const before = await total();
    for (let i = 1; i <= n; i++) {
      await page.locator(`${panel} button[name=add-${decision}]`).click();
      await expect.poll(total).toBe(before + i);
    }
  }

  it('keeps a choice not saved yet on its own person when the list changes, never on another', async () => {
    // The rows used to be drawn by position: switching from the day to the shift moved the choice made on
    // the day's third person onto the shift's third, and its Save changed that other person.
    app = await launchApp({ grantCamera: false });
    const page = await openApp(app);
    await showTab(page, 'shift');
    await page.locator(`${panel} button[name=start]`).click();
    await addPeople(page, 'without_mask', 2);
    await page.locator(`${panel} button[name=end]`).click();
    await page.locator(`${panel} button[name=confirm-end]`).click();
    await page.locator(`${panel} button[name=start]`).click();
    await addPeople(page, 'with_mask', 3);
    await showTab(page, 'history');
    const today = await page.evaluate(() => new Date().toLocaleDateString('sv'));
    await page.locator(`${history} input[name=day]`).fill(today);
    const rows = page.locator(`${history} event-list tbody tr`);
    await expect.poll(() => rows.count()).toBe(5);
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event')!));
    const row = (id: string) => page.locator(`${history} event-list tbody tr[data-event="${id}"]`);
    // The running shift's first person (the day's third), chosen "No mask", not saved.
    await row(ids[2]!).locator('select[name=change]').selectOption('without_mask');
    const running = await page.locator(`${history} select[name=shift] option`).nth(1).getAttribute('value');
    await page.locator(`${history} select[name=shift]`).selectOption(running!);
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event')))).toEqual(
      ids.slice(2),
    );
    expect(await row(ids[4]!).locator('select[name=change]').inputValue()).toBe('with_mask');
    expect(await row(ids[2]!).locator('select[name=change]').inputValue()).toBe('without_mask');
    // Save on the shift's third row changes nobody; on the first, the person chosen.
    await row(ids[4]!).locator('button[name=apply-change]').click();
    await row(ids[2]!).locator('button[name=apply-change]').click();
    await expect.poll(() => tallyOf(page, history)).toEqual({ masked: 2, unmasked: 1, uncertain: 0 });
    expect(await row(ids[2]!).getAttribute('data-decision')).toBe('without_mask');
    expect(await row(ids[4]!).getAttribute('data-decision')).toBe('with_mask');
    expect(app.foreignRequests).toEqual([]);
  }, 120_000);

  it('draws the newest people of a long list, and earlier ones on request', async () => {
    // Drawing every person of a busy shift froze the page (the counting too) for seconds at every count.
    const page = app.context.pages().at(-1)!;
    await showTab(page, 'shift');
    const extra = ROWS_AT_FIRST + 20 - 3;
    await addPeople(page, 'with_mask', extra);
    await showTab(page, 'history');
    const rows = page.locator(`${history} event-list tbody tr`);
    const earlier = page.locator(`${history} event-list .earlier`);
    await expect.poll(() => rows.count()).toBe(ROWS_AT_FIRST);
    // All are counted and exported; the list draws the newest, the last row being the last person counted.
    await expect.poll(() => tallyOf(page, history)).toEqual({ masked: 2 + extra, unmasked: 1, uncertain: 0 });
    expect((await earlier.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      `The latest ${ROWS_AT_FIRST} of ${ROWS_AT_FIRST + 20} people. Show 20 earlier people`,
    );
    await showTab(page, 'shift');
    const last = await page.locator(`${panel} [data-last]`).getAttribute('data-last');
    await showTab(page, 'history');
    expect(await rows.last().getAttribute('data-event')).toBe(last);
    // One tap brings the newest person (the one an alert just named) into view, focus on their change.
    await page.locator(`${history} button[name=to-newest]`).click();
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'select', name: 'change' });
    const inView = await rows.last().evaluate((row) => {
      const r = row.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    });
    expect(inView).toBe(true);
    // From the keyboard: the button goes once all are drawn, and focus moves to the list, not to the page.
    await earlier.locator('button[name=show-earlier]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(ROWS_AT_FIRST + 20);
    expect(await earlier.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'table' });
    // Another list (the day, with the shift before) starts again at the newest.
    const today = await page.evaluate(() => new Date().toLocaleDateString('sv'));
    await page.locator(`${history} input[name=day]`).fill(today);
    await expect.poll(() => rows.count()).toBe(ROWS_AT_FIRST);
    expect((await earlier.textContent())?.replace(/\s+/g, ' ').trim()).toContain(
      `The latest ${ROWS_AT_FIRST} of ${ROWS_AT_FIRST + 22} people.`,
    );
    expect(app.foreignRequests).toEqual([]);
  }, 180_000);
});

describe('a busy shift in History', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });
  const history = 'mask-guard-app history-view';
  const SEEDED = 700;

  /**
   * Writes `n` people (#1 to #n, masked, a millisecond apart from the shift's start) into the running shift, as
   * a page that counted them would have: from another page of the origin while the app is closed (the app keeps
   * the running shift's people in memory, and reads them when it opens). Counting 700 at the door would take a
   * test minutes.
   */
  async function seedRunningShift(n: number): Promise<void> {
    const page = await app.context.newPage();
    // A page of the origin that is not the app (a 404 of the test server; the service worker leaves /__ alone).
    await page.goto(`${app.server.url}__seed`);
    await page.evaluate(async (n) => {
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        const request = indexedDB.open('maskguard');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const read = db.transaction('shifts').objectStore('shifts').getAll();
      const shifts: { id: string; start: number; end?: number }[] = await new Promise((resolve) => {
        read.onsuccess = () => resolve(read.result);
      });
      const shift = shifts.find((s) => s.end === undefined)!;
      const tx = db.transaction('events', 'readwrite');
      for (let i = 1; i <= n; i++) {
        tx.objectStore('events').put({
          id: `seeded-${String(i).padStart(6, '0')}`,
          shiftId: shift.id,
          time: shift.start + i,
          decision: 'with_mask',
          averageConfidence: 0.9,
          framesSeen: 6,
          timeInViewMs: 800,
          source: 'auto',
          number: i,
        });
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, n);
    await page.close();
  }

  it('draws a bounded window of thousands of people, earlier, later, and around the person asked for', async () => {
    // With every person of a busy shift drawn (3,000: 51,000 elements), a count took 0.8 s to show and a
    // correction 3 s at a phone's speed, the camera's frames held up meanwhile.
    app = await launchApp({ grantCamera: false });
    let page = await openApp(app);
    await showTab(page, 'shift');
    await page.locator('mask-guard-app shift-panel button[name=start]').click();
    await expect.poll(() => page.locator('mask-guard-app shift-panel button[name=end]').count()).toBe(1);
    await page.close();
    await seedRunningShift(SEEDED);
    page = await openApp(app);
    await showTab(page, 'history');
    const rows = page.locator(`${history} event-list tbody tr`);
    const earlier = page.locator(`${history} event-list .earlier`);
    const later = page.locator(`${history} event-list button[name=show-later]`);
    const numbers = () => rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-number'))));
    const text = async () => (await earlier.textContent())?.replace(/\s+/g, ' ').trim();
    await expect.poll(() => tallyOf(page, history)).toEqual({ masked: SEEDED, unmasked: 0, uncertain: 0 });
    await expect.poll(() => rows.count()).toBe(ROWS_AT_FIRST);
    expect(await text()).toBe(`The latest ${ROWS_AT_FIRST} of ${SEEDED} people. Show 200 earlier people`);

    // Back through the shift: never more than ROWS_AT_MOST drawn, always consecutive people.
    const button = earlier.locator('button[name=show-earlier]');
    await button.click();
    await expect.poll(() => rows.count()).toBe(ROWS_AT_MOST);
    expect(await later.count()).toBe(0);
    await button.click();
    await expect.poll(numbers).toEqual(Array.from({ length: ROWS_AT_MOST }, (_, i) => 201 + i));
    expect(await text()).toBe(`People 201–500 of ${SEEDED}, oldest first. Show 200 earlier people`);
    expect((await later.textContent())?.trim()).toBe('Show 200 later people');

    // "Go to person #": the person is drawn, brought into view, with focus on their change.
    const go = async (typed: string) => {
      await page.locator(`${history} input[name=person-number]`).fill(typed);
      await page.locator(`${history} input[name=person-number]`).press('Enter');
    };
    await go('#5');
    await expect.poll(numbers).toEqual(Array.from({ length: ROWS_AT_MOST }, (_, i) => 1 + i));
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'select', name: 'change' });
    const five = rows.and(page.locator('[data-number="5"]'));
    expect(await five.evaluate((row) => row.getBoundingClientRect().top >= 0)).toBe(true);
    // A change made there is to that person, and the list stays where it is.
    await five.locator('select[name=change]').selectOption('without_mask');
    await five.locator('button[name=apply-change]').click();
    await expect
      .poll(() => tallyOf(page, history))
      .toEqual({ masked: SEEDED - 1, unmasked: 1, uncertain: 0 });
    expect(await five.getAttribute('data-decision')).toBe('without_mask');
    expect((await numbers())[0]).toBe(1);
    await go('9999');
    await expect
      .poll(() => page.locator(`${history} p[role=status]`).textContent())
      .toBe('Nobody in this list is #9999.');

    // Later, a step at a time, back to the newest; then the button goes.
    let steps = 0;
    while ((await later.count()) > 0 && steps++ < 10) {
      await later.click();
      await expect.poll(() => rows.count()).toBe(ROWS_AT_MOST);
    }
    expect((await numbers()).at(-1)).toBe(SEEDED);
    expect(await text()).toBe(`The latest ${ROWS_AT_MOST} of ${SEEDED} people. Show 200 earlier people`);
    expect(await focused(page)).toMatchObject({ tag: 'table' });

    // From far back, "Go to the newest person" draws the newest again.
    await go('300');
    await expect.poll(async () => (await numbers()).includes(300)).toBe(true);
    expect((await numbers()).at(-1)).toBeLessThan(SEEDED);
    await page.locator(`${history} button[name=to-newest]`).click();
    await expect.poll(async () => (await numbers()).at(-1)).toBe(SEEDED);
    expect(await rows.count()).toBeLessThanOrEqual(ROWS_AT_MOST);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'select', name: 'change' });
    expect(app.foreignRequests).toEqual([]);
  }, 180_000);
});

describe('the hourly chart of a shift through the night', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  it('names the day under its first hour and under midnight, and its hour labels never touch', async () => {
    app = await launchApp({ grantCamera: false });
    const panel = 'mask-guard-app shift-panel';
    // People counted at 20:00 (the next 20:00, local time, as the browser's clock reads it), 11 hours later and
    // 22 hours later (each within the 12 h that keep a shift running): from one evening to the next.
    const evening = new Date();
    evening.setHours(20, 0, 0, 0);
    if (evening.getTime() <= Date.now()) evening.setDate(evening.getDate() + 1);
    await openedLater(app, evening.getTime() - Date.now());
    for (const hoursLater of [0, 11, 22]) {
      if (hoursLater > 0) await openedLater(app, 11 * 3_600_000);
      const page = await openApp(app);
      await showTab(page, 'shift');
      if (hoursLater === 0) await page.locator(`${panel} button[name=start]`).click();
      await page.locator(`${panel} button[name=add-with_mask]`).click();
      await expect.poll(async () => (await tallyOf(page, panel)).masked).toBe(hoursLater / 11 + 1);
      if (hoursLater < 22) await page.close();
    }
    const page = app.context.pages().at(-1)!;
    await showTab(page, 'history');
    const chart = page.locator('mask-guard-app history-view hourly-chart');
    await expect.poll(() => chart.locator('g[data-hour]').count()).toBeGreaterThanOrEqual(23);
    const labels = await chart.locator('text.hour').evaluateAll((texts) =>
      texts.map((t) => {
        const box = (t as SVGTextElement).getBBox();
        return { text: t.textContent ?? '', left: box.x, right: box.x + box.width };
      }),
    );
    for (const [i, label] of labels.entries()) {
      if (i > 0)
        expect(label.left, `"${labels[i - 1]!.text}" then "${label.text}"`).toBeGreaterThan(
          labels[i - 1]!.right + 4,
        );
    }
    // The first hour's day, and the next day's at its midnight.
    expect(await chart.locator('text.day').count()).toBe(2);
    const summary = (await chart.locator('svg').getAttribute('aria-label')) ?? '';
    const [first, second] = await chart.locator('text.day').allTextContents();
    expect(summary).toContain(`from ${first} `);
    expect(summary).toContain(`to ${second} `);
    expect(app.foreignRequests).toEqual([]);
  }, 180_000);
});

describe('keeping shifts for fewer days', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  it('asks before deleting older shifts, keeps them on "Cancel", and deletes them on "Delete"', async () => {
    app = await launchApp({ grantCamera: false });
    const panel = 'mask-guard-app shift-panel';
    const settings = 'mask-guard-app settings-view';
    let page = await openApp(app);
    await showTab(page, 'shift');
    await page.locator(`${panel} button[name=start]`).click();
    await page.locator(`${panel} button[name=add-with_mask]`).click();
    await page.locator(`${panel} button[name=end]`).click();
    await page.locator(`${panel} button[name=confirm-end]`).click();
    await page.locator(`${panel} button[name=start]`).waitFor();
    await page.close();
    // Ten days later the guard keeps shifts for 3 days instead of 90.
    await openedLater(app, 10 * 86_400_000);
    page = await openApp(app);
    await showTab(page, 'settings');
    const days = page.locator(`${settings} input[name=retention]`);
    const question = page.locator(`${settings} [role=alertdialog]`);
    // A number out of range is said below the field, in sight on a small phone (it was at the screen's foot).
    await page.setViewportSize({ width: 360, height: 640 });
    await days.fill('0');
    await days.press('Tab');
    const said = page.locator(`${settings} .message`);
    await expect.poll(() => said.textContent()).toBe('Keep shifts for 1 to 3650 whole days.');
    const fieldBottom = (await days.boundingBox())!;
    const saidBox = (await said.boundingBox())!;
    expect(saidBox.y).toBeGreaterThan(fieldBottom.y);
    expect(saidBox.y - (fieldBottom.y + fieldBottom.height)).toBeLessThan(100);
    expect(await said.evaluate((p) => p.getBoundingClientRect().bottom <= innerHeight)).toBe(true);
    await days.fill('3');
    await days.press('Tab');
    await question.waitFor();
    expect((await question.textContent())?.replace(/\s+/g, ' ')).toContain(
      'Keeping shifts for 3 days deletes 1 older shift now, with their people.',
    );
    // Focus lands in the question, on the harmless answer (Enter gives it); Escape gives it too.
    for (const key of ['Enter', 'Escape']) {
      if (key === 'Escape') {
        await days.fill('3');
        await days.press('Tab');
        await question.waitFor();
      }
      await expect.poll(() => focused(page)).toMatchObject({ name: 'cancel-retention', inDialog: true });
      await page.keyboard.press(key);
      await expect.poll(() => question.count()).toBe(0);
      expect(await days.inputValue()).toBe('90');
      await expect.poll(() => focused(page)).toMatchObject({ name: 'retention' });
    }
    await showTab(page, 'history');
    await expect
      .poll(() =>
        page.locator('mask-guard-app history-view select[name=shift] option[value]:not([value=""])').count(),
      )
      .toBe(1);
    // Asked again, and this time the guard deletes.
    await showTab(page, 'settings');
    await days.fill('3');
    await days.press('Tab');
    await question.locator('button[name=confirm-retention]').click();
    await expect
      .poll(() => page.locator(`${settings} .message`).textContent())
      .toBe('Shifts are kept for 3 days. Deleted 1 older shift.');
    expect(await days.inputValue()).toBe('3');
    await showTab(page, 'history');
    await expect
      .poll(() =>
        page.locator('mask-guard-app history-view select[name=shift] option[value]:not([value=""])').count(),
      )
      .toBe(0);
    expect(app.foreignRequests).toEqual([]);
  }, 120_000);
});
