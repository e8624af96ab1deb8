/**
 * The alarm sound and the browser's autoplay rule: audio may start only once the page was touched, and the
 * camera starts by itself when the app opens. Until the guard touches the screen, the live screen says that
 * the alarm would be silent, instead of a "Sound on" button that cannot keep its word.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { launchApp, type AppSession } from '../helpers/browser.ts';

const status = 'mask-guard-app header > [role=status]';
const hint = 'mask-guard-app .alarm-hint';

describe('the alarm sound before the first touch', () => {
  let app: AppSession | undefined;
  afterAll(async () => {
    await app?.close();
  });

  it('is said to be off until the guard touches the screen, then armed', async () => {
    // Chromium's own test pattern as the camera.
    app = await launchApp({ grantCamera: true, extraArgs: ['--use-fake-device-for-media-stream'] });
    // Headless Chromium lets audio play without a gesture whatever --autoplay-policy says; a phone does not.
    // The phone's rule, in the page: an AudioContext stays suspended until resumed after the first touch.
    // (Not navigator.userActivation: Playwright's own evaluations count as user gestures.)
    await app.context.addInitScript(() => {
      let touched = false;
      addEventListener('pointerdown', () => (touched = true), { capture: true });
      const Real = window.AudioContext;
      window.AudioContext = class extends Real {
        private allowed = false;
        override get state(): AudioContextState {
          return this.allowed ? super.state : 'suspended';
        }
        override resume(): Promise<void> {
          if (!touched) return Promise.resolve();
          this.allowed = true;
          return super.resume().then(() => void this.dispatchEvent(new Event('statechange')));
        }
      };
    });
    const page = await app.context.newPage();
    await page.goto(app.server.url);
    await page.locator(status, { hasText: 'Watching the door' }).waitFor({ timeout: 120_000 });
    expect(await page.locator(hint).textContent()).toContain(
      'The alarm sound is off until you touch the screen',
    );
    // Any touch will do (here on the tally, not a button).
    await page.locator('mask-guard-app tally-board').click();
    await expect.poll(() => page.locator(hint).count(), { timeout: 10_000 }).toBe(0);
    expect(app.foreignRequests).toEqual([]);
  }, 180_000);
});
