/**
 * People at the door together, in the real app with a fake camera: someone walking past in front of two
 * people waiting, and someone stepping in front of a person in a queue. Each person is counted once, by class:
 * the face in front must not take the place of the person behind it (an unmasked walker was once never
 * counted nor alerted for, and a masked person counted twice), and a person hidden for a moment by someone's
 * head is not counted again when seen after it. Each scene is followed by an empty doorway, read before
 * Chromium plays the file again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { launchApp, untilWatching, type AppSession } from '../helpers/browser.ts';
import { writeScene, type Actor } from '../helpers/door-scene.ts';
import { tallyOf } from '../helpers/tally.ts';
import { recordWorkerTraffic, traceText, workerTraffic, writeTrace } from '../helpers/worker-traffic.ts';

const SIZE = 200;
const TOP = 150;

/** In view from `from` to `to` seconds at `x` (and `top`), swaying a little as people waiting do. */
const standing =
  (x: number, from: number, to: number, phase: number, top = TOP): Actor['at'] =>
  (t) =>
    t >= from && t < to
      ? { x: x + 12 * Math.sin(t * 0.9 + phase), y: top + 6 * Math.sin(t * 1.3 + phase) }
      : null;

/**
 * Plays `actors` for `seconds` (then 12 s of empty doorway) and returns the tally `readAfter` s after the camera
 * starts, with every frame's faces as the counter got them (printed when a tally is wrong: a scene that fails
 * only under load can then be replayed through the tracker).
 */
async function tallyAfterScene(actors: Actor[], seconds: number, readAfter: number) {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-queue-'));
  let app: AppSession | undefined;
  try {
    const video = join(dir, 'scene.y4m');
    await writeScene(video, seconds + 12, actors);
    app = await launchApp({ fakeCameraY4m: video });
    await recordWorkerTraffic(app.context);
    const page = await app.context.newPage();
    await page.goto(app.server.url);
    await untilWatching(page);
    await page.waitForTimeout(readAfter * 1000);
    const tally = await tallyOf(page);
    expect(app.foreignRequests).toEqual([]);
    const traffic = await workerTraffic(page);
    return { tally, frames: traceText(traffic.results), traffic };
  } finally {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks `scene`'s tally. A wrong one prints the frames, and writes the worker traffic with each face's
 * appearance, which the printed frames leave out, to .cache/traces (see writeTrace), to replay through the
 * tracker. MASKGUARD_KEEP_TRACES=1 writes it for a right tally too (to see how close a scene came to failing).
 */
function expectTally(scene: Awaited<ReturnType<typeof tallyAfterScene>>, expected: typeof scene.tally): void {
  let where = '';
  if (!isDeepStrictEqual(scene.tally, expected) || process.env.MASKGUARD_KEEP_TRACES) {
    where = `\nworker traffic with appearances: ${writeTrace('queue', scene.traffic)}`;
  }
  expect(scene.tally, scene.frames + where).toEqual(expected);
}

describe('people at the door together', () => {
  it('counts an unmasked walker passing in front of two masked people waiting, and each of them once', async () => {
    const walker: Actor = {
      photo: '24-photo.jpg',
      size: SIZE,
      // Right to left at 400 px/s from 6 s, in front of both.
      at: (t) => (t < 6 || 650 - 400 * (t - 6) < -SIZE - 10 ? null : { x: 650 - 400 * (t - 6), y: TOP - 10 }),
    };
    const scene = await tallyAfterScene(
      [
        { photo: '15-photo.jpg', size: SIZE, at: standing(60, 1, 14, 0) },
        { photo: '26-photo.jpg', size: SIZE, at: standing(360, 1.5, 14.5, 1) },
        walker,
      ],
      16,
      19,
    );
    expectTally(scene, { masked: 2, unmasked: 1, uncertain: 0 });
  }, 180_000);

  it('counts once an unmasked person in a queue hidden for 1.5 s by someone stepping in front', async () => {
    const stepping: Actor = {
      photo: '21-photo.jpg',
      // Nearer the camera than the queue (their face looks bigger): in front of it when they step aside.
      size: 1.2 * SIZE,
      // Waits at x 410, their face whole in the picture and their photo clear of the face beside it; from 7 s
      // steps 170 px left in front of the person in the middle, stays 1 s, steps back. (At 420 and 1.3 × their
      // face touched the frame's edge, where the detector finds a half face only now and then; at 380 their
      // photo's edge cut the middle face in half, and the detector boxed that half with the photo beside it as
      // one more face. The scene hung on those, not on the step.)
      at: (t) => {
        if (t < 2 || t >= 15) return null;
        const aside = t < 7 ? 0 : t < 8 ? 170 * (t - 7) : t < 9 ? 170 : t < 10 ? 170 * (10 - t) : 0;
        return { x: 410 - aside + 10 * Math.sin(t * 0.7), y: TOP + 6 * Math.sin(t * 1.3) };
      },
    };
    const scene = await tallyAfterScene(
      [
        { photo: '15-photo.jpg', size: SIZE, at: standing(20, 1, 13, 0) },
        { photo: '14-photo.jpg', size: SIZE, at: standing(220, 1.5, 14, 1) },
        stepping,
      ],
      16,
      19,
    );
    expectTally(scene, { masked: 2, unmasked: 1, uncertain: 0 });
  }, 180_000);

  it('counts the next person stepping into the place of one who left, same mask, and not one who looks away', async () => {
    // A man and then a woman with glasses, both in black masks; the face is gone 0.3 s between them, a frame or
    // two: within the 1-s gap, so place and label alone make them one person (masked 2 of 3 before appearances
    // were compared). Her photo is scaled so that her face stands where his stood, about his size; her look
    // lies about 0.74 from his in her first frame (cosine distance of the features; the line is 0.5), while
    // the same woman in 48-photo lay 0.48–0.54 from him, at the line, and was told apart in only some runs.
    // The third person, another man in a black mask, is gone 0.5 s (looks away) and is back: still one person.
    // (Gone 0.7 s, at 4 frames/s under load the frames saw him last and again 1.01 s apart: the 1-s gap
    // counts from the last frame that saw someone, and he was counted twice.)
    const at = (x: number, ...spans: [number, number][]): Actor['at'] => {
      const parts = spans.map(([from, to]) => standing(x, from, to, from));
      return (t) => parts.reduce<ReturnType<Actor['at']>>((place, part) => place ?? part(t), null);
    };
    const scene = await tallyAfterScene(
      [
        { photo: '15-photo.jpg', size: SIZE, at: at(220, [1, 7]) },
        { photo: '40-photo.jpg', size: 400, at: standing(129, 7.3, 13.5, 7.3, 70) },
        { photo: '52-photo.jpg', size: SIZE, at: at(220, [16, 21.5], [22, 28]) },
      ],
      29,
      32,
    );
    expectTally(scene, { masked: 3, unmasked: 0, uncertain: 0 });
  }, 240_000);
});
