/**
 * The alarm sound and the browser's autoplay rule: audio may start only once the page was touched, and the
 * camera starts by itself when the app opens. Until the guard touches the screen, the live screen says that
 * the alarm would be silent, instead of a "Sound on" button that cannot keep its word.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchApp, untilWatching, type AppSession } from '../helpers/browser.ts';
import { DEFAULT_DOOR_VIDEO, writeDoorVideo } from '../helpers/door-video.ts';
import { tallyOf } from '../helpers/tally.ts';

const hint = 'mask-guard-app .alarm-hint';

describe('the alarm sound before the first touch', () => {
  let app: AppSession | undefined;
  afterAll(async () => {
    await app?.close();
  });

  /**
   * Headless Chromium lets audio play without a gesture whatever --autoplay-policy says; a phone does not.
   * The phone's rule, in the page: an AudioContext stays suspended until resumed after the first touch or
   * key press (Escape and Tab do not count). (Not navigator.userActivation: Playwright's own evaluations
   * count as user gestures.)
   */
  async function phoneAutoplayRule(app: AppSession): Promise<void> {
    await app.context.addInitScript(() => {
      let touched = false;
      addEventListener('pointerdown', () => (touched = true), { capture: true });
      addEventListener(
        'keydown',
        (e) => {
          if (!['Escape', 'Tab', 'Shift'].includes(e.key)) touched = true;
        },
        { capture: true },
      );
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
  }

  it('is said to be off until the guard touches the screen, then armed', async () => {
    // Chromium's own test pattern as the camera.
    app = await launchApp({ grantCamera: true, extraArgs: ['--use-fake-device-for-media-stream'] });
    await phoneAutoplayRule(app);
    const page = await app.context.newPage();
    await page.goto(app.server.url);
    await untilWatching(page);
    expect(await page.locator(hint).textContent()).toContain(
      'The alarm sound is off until you touch the screen',
    );
    // Any touch will do (here on the tally, not a button).
    await page.locator('mask-guard-app tally-board').click();
    await expect.poll(() => page.locator(hint).count(), { timeout: 10_000 }).toBe(0);
    expect(app.foreignRequests).toEqual([]);
    await app.close();
    app = undefined;
  }, 180_000);

  it('is armed from a keyboard too: by pressing any button', async () => {
    // Only a touch armed it: a guard using a keyboard or a switch had no way but the Sound button twice.
    app = await launchApp({ grantCamera: true, extraArgs: ['--use-fake-device-for-media-stream'] });
    await phoneAutoplayRule(app);
    const page = await app.context.newPage();
    await page.goto(app.server.url);
    await untilWatching(page);
    expect(await page.locator(hint).textContent()).toContain('or press any button');
    // The Shift tab, reached and pressed from the keyboard, then back to Live.
    await page.locator('mask-guard-app view-tabs button[data-view=shift]').focus();
    await page.keyboard.press('Enter');
    await page.locator('mask-guard-app view-tabs button[data-view=live]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(hint).count(), { timeout: 10_000 }).toBe(0);
    expect(app.foreignRequests).toEqual([]);
  }, 180_000);
});

describe('the alarm at the door', () => {
  let app: AppSession | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-alarm-'));
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sounds and vibrates once for each unmasked person counted, and not at all when muted', async () => {
    // Two unmasked people, 4 s apart (longer than the 3 s cooldown, which the unit test covers).
    const video = join(dir, 'door.y4m');
    // 8 s of empty doorway first: the guard's first touch (below) comes before anyone is counted, or the first
    // ring would vibrate without a sound.
    await writeDoorVideo(video, ['2-photo.jpg', '12-photo.jpg'], {
      ...DEFAULT_DOOR_VIDEO,
      gapSeconds: 4,
      leadSeconds: 8,
    });
    app = await launchApp({ fakeCameraY4m: video });
    // What the page plays and vibrates: each tone started, each vibration asked for.
    await app.context.addInitScript(() => {
      const heard = { tones: 0, vibrations: 0 };
      (window as unknown as { heard: typeof heard }).heard = heard;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
        heard.tones += 1;
        return start.apply(this, args);
      };
      Object.defineProperty(navigator, 'vibrate', {
        value: () => {
          heard.vibrations += 1;
          return true;
        },
      });
    });
    const page = await app.context.newPage();
    const heardAndCounted = async () => ({
      ...(await page.evaluate(() => ({
        ...(window as unknown as { heard: { tones: number; vibrations: number } }).heard,
      }))),
      unmasked: (await tallyOf(page)).unmasked,
    });
    await page.goto(app.server.url);
    await untilWatching(page);
    await page.locator('mask-guard-app tally-board').click(); // the guard's first touch allows audio
    expect((await tallyOf(page)).unmasked, 'nobody counted before the first touch').toBe(0);

    // Both people of a pass counted unmasked, each with one ring: two tones and one vibration.
    await expect
      .poll(heardAndCounted, { timeout: 60_000 })
      .toMatchObject({ unmasked: expect.toSatisfy((n: number) => n >= 2) });
    await expect
      .poll(
        async () => {
          const now = await heardAndCounted();
          return now.vibrations === now.unmasked && now.tones === 2 * now.unmasked;
        },
        { timeout: 10_000 },
      )
      .toBe(true);

    // Muted: the next unmasked people (the next pass) are counted without a sound or a vibration.
    await page.getByRole('button', { name: 'Sound on (tap to mute)' }).click();
    await page.getByRole('button', { name: 'Sound off (tap for on)' }).waitFor();
    // Said on the live screen for as long as it lasts, not only on the button.
    expect(await page.locator(hint).textContent()).toContain('Alarm muted: no sound and no vibration');
    const muted = await heardAndCounted();
    await expect
      .poll(async () => (await tallyOf(page)).unmasked, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(muted.unmasked + 2);
    const after = await heardAndCounted();
    expect({ tones: after.tones, vibrations: after.vibrations }).toEqual({
      tones: muted.tones,
      vibrations: muted.vibrations,
    });
    expect(app.foreignRequests).toEqual([]);
  }, 240_000);
});
