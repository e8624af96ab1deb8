/**
 * Photos and camera frames through one worker, in any order, auto range (four detector passes on two detectors): a photo
 * checked between camera frames must leave the camera's detection as it was. It did not: every MediaPipe
 * detector holds a WebGL context, a worker keeps at most 4, and the photo's detectors made the browser drop
 * the camera's, which then found nothing, silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessSession } from '../../scripts/lib/harness-session.ts';
import type { FrameMode } from '../../src/shared/protocol.ts';

/** The faces' boxes, rounded to 0.1 px. */
type Boxes = number[][];

/** Runs a door photo, drawn 320 px tall in the middle of a 640×480 grey frame, through the worker. */
async function detect(session: HarnessSession, photo: string, mode: FrameMode, timestampMs: number) {
  return session.page.evaluate(
    async ([photo, mode, timestampMs]) => {
      const response = await fetch(`/__shared/data/door-photos/images/${photo}`);
      const picture = await createImageBitmap(await response.blob());
      const canvas = new OffscreenCanvas(640, 480);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#5a6570';
      context.fillRect(0, 0, 640, 480);
      const width = (picture.width * 320) / picture.height;
      context.drawImage(picture, (640 - width) / 2, 80, width, 320);
      picture.close();
      const frame = await createImageBitmap(canvas);
      const result = await window.maskGuardHarness.detectBitmap(frame, mode, timestampMs);
      if (result === undefined) throw new Error('the frame was skipped');
      return result.faces.map((f) =>
        [f.box.x, f.box.y, f.box.width, f.box.height].map((v) => Math.round(v * 10) / 10),
      );
    },
    [photo, mode, timestampMs] as const,
  ) as Promise<Boxes>;
}

describe('photos and camera frames in one worker', () => {
  let session: HarnessSession;
  beforeAll(async () => {
    session = await openHarness({}, { range: 'auto' });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('finds the same faces in camera frames before and after a photo is checked', async () => {
    // Close faces that the unzoomed passes find too: their boxes are the mean of those passes' boxes.
    const photos = ['2-photo.jpg', '21-photo.jpg'];
    let t = 1000;
    const before: Boxes[] = [];
    for (const photo of photos) before.push(await detect(session, photo, 'video', (t += 100)));
    const asPhotos: Boxes[] = [];
    for (const photo of photos) asPhotos.push(await detect(session, photo, 'image', 0));
    const after: Boxes[] = [];
    for (const photo of photos) after.push(await detect(session, photo, 'video', (t += 100)));

    for (const boxes of before) expect(boxes).toHaveLength(1);
    // A picture gets the same boxes as a photo and as a camera frame, and the camera still finds them after.
    expect(asPhotos).toEqual(before);
    expect(after).toEqual(before);
    // And again after more photos, in the other order.
    for (const photo of [...photos].reverse()) await detect(session, photo, 'image', 0);
    expect(await detect(session, photos[0]!, 'video', t + 100)).toEqual(before[0]);
  });
});
