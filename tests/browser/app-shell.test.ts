import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, type AppSession } from '../helpers/browser.ts';

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
    expect((await page.locator('mask-guard-app header > [role=status]').textContent())?.trim()).not.toBe('');
    expect(errors).toEqual([]);
    expect(app.foreignRequests).toEqual([]);
  });
});
