/** Choosing a file that is not a photo, in browser tests. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/**
 * Chooses `broken.jpg` (not a JPEG) through the app's photo input and waits until the problem panel says it
 * is not a readable photo; returns the panel's text.
 */
export async function chooseUnreadablePhoto(page: Page): Promise<string> {
  const problem = page.locator('mask-guard-app .stage .problem');
  await page.locator('mask-guard-app input[type=file][name=photo]').setInputFiles({
    name: 'broken.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('this is not a JPEG'),
  });
  await expect.poll(() => problem.textContent()).toContain('"broken.jpg" is not a readable photo.');
  return (await problem.textContent()) ?? '';
}
