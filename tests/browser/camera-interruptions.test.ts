/**
 * What interrupts the camera at a door, in the real app with a fake camera: the guard switching away for a
 * few seconds while a person stands there, the camera stopping by itself (a call or another app takes it),
 * an unreadable file chosen while the camera watches, and a detector that keeps crashing (also while a person
 * stands at the door). Each time the screen says what is going on, and nobody is counted twice or lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { launchApp, untilWatching, type AppSession } from '../helpers/browser.ts';
import { recordDoorVideo } from '../helpers/door-webm.ts';
import { watchOnePerson } from '../helpers/one-person.ts';
import { tallyOf, total, type Counts } from '../helpers/tally.ts';
import { setHidden } from '../helpers/visibility.ts';
import { recordWorkerTraffic, traceText, workerTraffic } from '../helpers/worker-traffic.ts';
import { TRACKS_OVER_RELOAD_KEY } from '../../src/pipeline/door-counter.ts';
import { chooseUnreadablePhoto } from '../helpers/unreadable-photo.ts';

const status = 'mask-guard-app header > [role=status]';
const problem = 'mask-guard-app .stage .problem';

/** Tallies read every 200 ms for `ms`. */
async function watchTally(page: Page, ms: number): Promise<Counts[]> {
  const seen: Counts[] = [];
  for (const end = Date.now() + ms; Date.now() < end;) {
    seen.push(await tallyOf(page));
    await page.waitForTimeout(200);
  }
  return seen;
}

/** The person number on the first face box on screen ("#3 MASK"), once they are counted. */
async function personOnScreen(page: Page): Promise<number | undefined> {
  const texts = await page
    .locator('mask-guard-app face-overlay [data-face]')
    .evaluateAll((elements) => elements.map((e) => e.textContent ?? ''));
  const match = /#(\d+)/.exec(texts[0] ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** Fires `type` ('mute', 'unmute') on the camera's video track, as the phone does when it holds the picture back. */
function dispatchTrackEvent(page: Page, type: string): Promise<void> {
  return page.locator('mask-guard-app .stage > video').evaluate((video: HTMLVideoElement, event) => {
    (video.srcObject as MediaStream).getVideoTracks()[0]!.dispatchEvent(new Event(event));
  }, type);
}

/**
 * Makes every detection worker of `page`, the one running and each replacement, die of an uncaught error in
 * its global scope (what a crash of the wasm runtime looks like to the page). Returns a function that stops
 * it: workers made after that call run.
 */
function crashEveryWorker(page: Page): () => void {
  let crashing = true;
  const crash = (worker: Worker) => {
    if (!crashing || !worker.url().includes('detection.worker')) return;
    worker
      .evaluate(() => {
        setTimeout(() => {
          throw new Error('test: the detection worker crashed');
        });
      })
      .catch(() => {}); // the worker may be gone before the evaluation returns
  };
  page.on('worker', crash);
  for (const worker of page.workers()) crash(worker);
  return () => (crashing = false);
}

/**
 * Every detection worker crashes until the page gives up and says so; then the guard taps "Start camera" at
 * once, and the new worker works. Resolves when the screen says it watches the door again.
 */
async function crashUntilGivenUpThenStartCamera(page: Page): Promise<void> {
  const stopCrashing = crashEveryWorker(page);
  await page.locator(problem, { hasText: 'The detector keeps crashing.' }).waitFor({ timeout: 60_000 });
  expect(await page.locator(status).textContent()).toContain('Stopped: faces are not being checked');
  stopCrashing();
  await page.getByRole('button', { name: 'Start camera' }).click();
  await untilWatching(page, 30_000);
}

/**
 * The hooks of a describe about one masked person in view from the first frame for 40 s (whenever the camera
 * (re)opens, they are there): the app watches them until they are counted. The session is filled in before
 * the describe's own hooks run.
 */
function onePersonInView(prefix: string, recordTraffic = false): { app: AppSession; page: Page } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const session = {} as { app: AppSession; page: Page };
  beforeAll(async () => {
    Object.assign(
      session,
      await watchOnePerson(dir, { showSeconds: 40, leadSeconds: 0, gapSeconds: 1 }, (app) =>
        recordTraffic ? recordWorkerTraffic(app.context) : Promise.resolve(),
      ),
    );
    // Counted once seen in enough frames (expect.poll is for tests, not hooks).
    for (const end = Date.now() + 20_000; total(await tallyOf(session.page)) === 0 && Date.now() < end;)
      await session.page.waitForTimeout(200);
  }, 180_000);
  afterAll(async () => {
    await session.app?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return session;
}

describe('the camera interrupted while one person stands at the door', () => {
  let app: AppSession;
  let page: Page;
  const session = onePersonInView('maskguard-interrupt-');
  beforeAll(() => {
    ({ app, page } = session);
  });

  it('does not count the person again after the guard switched away for 3 s', async () => {
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    await setHidden(page, true);
    await expect
      .poll(() => page.locator(status).textContent())
      .toContain('Paused while MaskGuard is in the background');
    // Handed over while hidden (the phone may end a hidden app without a pagehide) …
    const handedOver = () => page.evaluate((key) => localStorage.getItem(key), TRACKS_OVER_RELOAD_KEY);
    expect(await handedOver()).not.toBeNull();
    await page.waitForTimeout(3000);
    await setHidden(page, false);
    await untilWatching(page, 20_000);
    // … and taken back when shown: this page goes on with them, and a later page must not get a stale copy.
    expect(await handedOver()).toBeNull();
    // The same person is in view again; before, they were a new track and counted within about 2 s.
    const seen = await watchTally(page, 8000);
    expect(seen.map(total)).not.toContain(2);
    expect(seen.at(-1)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  }, 60_000);

  it('says so when the camera stops by itself, keeps the tally, and resumes on "Start camera"', async () => {
    // What the browser does when a call or another app takes the camera: the track ends.
    await page.locator('mask-guard-app .stage > video').evaluate((video: HTMLVideoElement) => {
      const track = (video.srcObject as MediaStream).getVideoTracks()[0]!;
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    await expect.poll(() => page.locator(problem).textContent()).toContain('The camera stopped.');
    expect(await page.locator(status).textContent()).toContain('Camera off');
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    await page.getByRole('button', { name: 'Start camera' }).click();
    await untilWatching(page, 20_000);
    await expect.poll(() => page.locator(problem).count()).toBe(0);
    // The person never left: they keep their track and are not counted again.
    const seen = await watchTally(page, 6000);
    expect(seen.map(total)).not.toContain(2);
    expect(seen.at(-1)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  }, 60_000);

  it("says so while the phone holds the camera's picture back (track muted), and watches again after", async () => {
    await dispatchTrackEvent(page, 'mute');
    await expect.poll(() => page.locator(status).textContent()).toContain('No picture from the camera');
    await dispatchTrackEvent(page, 'unmute');
    await expect.poll(() => page.locator(status).textContent()).toContain('Watching the door');
  }, 60_000);

  it('watches again after the picture came back while the detector restarted', async () => {
    await dispatchTrackEvent(page, 'mute');
    await expect.poll(() => page.locator(status).textContent()).toContain('No picture from the camera');
    // The running worker crashes once (its replacement runs); the picture comes back during the restart.
    crashEveryWorker(page)();
    await expect.poll(() => page.locator(status).textContent()).toContain('The detector restarted');
    await dispatchTrackEvent(page, 'unmute');
    await expect
      .poll(() => page.locator(status).textContent(), { timeout: 30_000 })
      .toContain('Watching the door');
  }, 60_000);

  it('keeps watching when the guard chooses a file that is not a photo', async () => {
    await chooseUnreadablePhoto(page);
    expect(await page.locator(status).textContent()).toContain('Watching the door');
    // Still counting from the camera: its button offers to stop it, and faces are still being detected (the
    // person sways across the frame, so a box from a later frame sits elsewhere).
    await expect(page.getByRole('button', { name: 'Stop camera' }).count()).resolves.toBe(1);
    const boxes = () =>
      page
        .locator('mask-guard-app face-overlay g[data-face]')
        .evaluateAll((faces) => faces.map((face) => face.getAttribute('data-box')).join(' '));
    // Two changes in a row: one could be a result already on its way when detection stopped.
    for (let change = 0; change < 2; change++) {
      const before = await boxes();
      await expect.poll(boxes, { timeout: 15_000 }).not.toBe(before);
    }
  }, 60_000);

  it("shows the camera's problem, not the earlier file's, when the camera then stops", async () => {
    expect(await page.locator(problem).textContent()).toContain('broken.jpg');
    await page.locator('mask-guard-app .stage > video').evaluate((video: HTMLVideoElement) => {
      const track = (video.srcObject as MediaStream).getVideoTracks()[0]!;
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    await expect.poll(() => page.locator(problem).textContent()).toContain('The camera stopped.');
    expect(await page.locator(problem).textContent()).not.toContain('broken.jpg');
  }, 60_000);

  it('contacted no other host', () => {
    expect(app.foreignRequests).toEqual([]);
  });
});

describe('a detection worker that keeps crashing', () => {
  let app: AppSession;
  afterAll(async () => {
    await app?.close();
  });

  it('stops and tells the guard to try again or reload, instead of a screen that looks like it is watching', async () => {
    app = await launchApp({ grantCamera: false });
    const page = await app.context.newPage();
    await page.goto(app.server.url);
    // No camera here: the models load, then the camera fails to open.
    await expect.poll(() => page.locator(status).textContent(), { timeout: 120_000 }).toContain('Camera off');
    crashEveryWorker(page);
    await expect
      .poll(() => page.locator(problem).textContent(), { timeout: 120_000 })
      .toContain('The detector keeps crashing. Tap "Start camera" to try again, or reload the app.');
    expect(await page.locator(problem).textContent()).toContain('MaskGuard cannot check faces.');
    expect(await page.locator(status).textContent()).toContain('Stopped: faces are not being checked');
  }, 180_000);
});

describe('a detection worker that keeps crashing while a person is in view', () => {
  let app: AppSession;
  let page: Page;
  // The worker's answers are recorded, to print the frames if the person is counted again (CI saw it once,
  // 2026-12-03; not reproduced in three runs alone or beside a busy core).
  const session = onePersonInView('maskguard-gave-up-', true);
  beforeAll(() => {
    ({ app, page } = session);
  });

  it('stops, and after "Start camera" does not count the person again', async () => {
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    const person = await personOnScreen(page);
    expect(person).toBeDefined();
    await crashUntilGivenUpThenStartCamera(page);
    // Frames are checked again, and the face on screen is the same person (their track continued); before,
    // their track had ended, and they became a new person and were counted again.
    const frames = async () => traceText((await workerTraffic(page)).results);
    await expect
      .poll(() => personOnScreen(page), { timeout: 20_000, message: 'the same person on screen' })
      .toBe(person)
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await frames()}`);
      });
    const seen = await watchTally(page, 5000);
    expect(seen.map(total)).not.toContain(2);
    expect(seen.at(-1)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
  }, 120_000);

  it('does not let the camera continue a video file’s people after "Start camera"', async () => {
    // The same person is in front of the camera, counted once (the test before).
    expect(await tallyOf(page)).toEqual({ masked: 1, unmasked: 0, uncertain: 0 });
    // A tester's recording of the same kind of person, where the camera shows one.
    const video = await recordDoorVideo(page, 8);
    await page
      .locator('mask-guard-app input[type=file][name=photo]')
      .setInputFiles({ name: 'door.webm', mimeType: 'video/webm', buffer: video });
    await page.locator(status, { hasText: 'Checking door.webm' }).waitFor({ timeout: 20_000 });
    await expect.poll(async () => total(await tallyOf(page)), { timeout: 20_000 }).toBe(2);
    // The detector keeps crashing while the file's person is in view.
    await crashUntilGivenUpThenStartCamera(page);
    // The person at the camera is someone else than the one in the file: counted, not taken for them.
    await expect.poll(async () => total(await tallyOf(page)), { timeout: 20_000 }).toBe(3);
    expect(app.foreignRequests).toEqual([]);
  }, 150_000);
});
