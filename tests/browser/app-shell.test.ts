import type { FileChooser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, type AppSession } from '../helpers/browser.ts';
import { focused } from '../helpers/focus.ts';

describe('app shell', () => {
  let app: AppSession;
  beforeAll(async () => {
    app = await launchApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('renders the product name and a status line from the built app', async () => {
    const page = await app.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.server.url);
    await expect.poll(() => page.locator('mask-guard-app h1').textContent()).toBe('MaskGuard');
    // Where the models run is in Settings, for support, once they are loaded; the status line stays in the
    // guard's words. Headless Chromium renders WebGL in software, where the worker runs the classifier on wasm.
    await page.locator('mask-guard-app view-tabs button[data-view=settings]').click();
    const engine = page.locator('mask-guard-app settings-view [data-engine]');
    await engine.waitFor({ timeout: 120_000 });
    expect(await engine.textContent()).toMatch(
      /Face detector on the processor \(CPU\); mask classifier on\s+the processor \(wasm\)\./,
    );
    expect(await page.locator('mask-guard-app header > [role=status]').textContent()).not.toMatch(
      /wasm|webgl|classifier/i,
    );
    expect(errors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
    // One counting page at a time (src/main.ts): the next test opens its own.
    await page.close();
  });

  it('reaches "Check a photo or video" with Tab, as a button, and opens the file chooser with Enter', async () => {
    const page = await app.context.newPage();
    // Listen before anything can open a chooser: Playwright turns on file-chooser interception when the first
    // listener is added, asynchronously, so a listener added together with the key press can miss it.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (chooser) => choosers.push(chooser));
    await page.goto(app.server.url);
    const range = page.locator('mask-guard-app guard-controls select');
    await range.waitFor({ timeout: 60_000 });
    // Announced once, as a button (the file input behind it is not a second stop).
    expect(await page.getByRole('button', { name: 'Check a photo or video', exact: true }).count()).toBe(1);
    // From the control before it, Tab moves on to it, as a keyboard or switch user would.
    await range.focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Check a photo or video' });
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length, { timeout: 10_000 }).toBe(1);
    const chooser = choosers[0]!;
    expect(await chooser.element().getAttribute('name')).toBe('photo');
    expect(await chooser.element().getAttribute('accept')).toBe('image/*,video/*');
    expect(chooser.isMultiple()).toBe(false);
    await page.close();
  });
});
