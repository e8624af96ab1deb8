/**
 * A door video recorded at test time in the page itself (canvas + MediaRecorder, WebM), from a door photo (by
 * default one masked person), so no encoder is needed: for the tests that choose a video file instead of the
 * camera.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHARED_DIR } from './browser.ts';

const PHOTOS = join(SHARED_DIR, 'data/door-photos/images');

/**
 * Records, in `page`, a 640×480 WebM: 1 s of grey, the photo for `showSeconds` (drifting slowly, as a person
 * does), 1 s of grey. Resolves to the file's bytes.
 */
export async function recordDoorVideo(
  page: Page,
  showSeconds: number,
  photo = '15-photo.jpg',
): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ jpeg, showSeconds }) => {
      const bytes = Uint8Array.from(atob(jpeg), (c) => c.charCodeAt(0));
      const photo = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const context = canvas.getContext('2d')!;
      const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: 'video/webm;codecs=vp8' });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (event) => chunks.push(event.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      const start = performance.now();
      const total = (showSeconds + 2) * 1000;
      const draw = () => {
        const t = performance.now() - start;
        context.fillStyle = '#808080';
        context.fillRect(0, 0, 640, 480);
        if (t >= 1000 && t < total - 1000) {
          const side = 360;
          context.drawImage(photo, 140 + ((t / 100) % 20), 60, side, side);
        }
      };
      draw();
      recorder.start(500);
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          draw();
          if (performance.now() - start >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1000 / 15);
      });
      recorder.stop();
      await stopped;
      const blob = new Blob(chunks, { type: 'video/webm' });
      const buffer = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < buffer.length; i += 0x8000)
        binary += String.fromCharCode(...buffer.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { jpeg: readFileSync(join(PHOTOS, photo)).toString('base64'), showSeconds },
  );
  return Buffer.from(base64, 'base64');
}
