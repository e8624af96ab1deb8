/**
 * The fake camera shows the door photos' own colours. Every camera test plays a `.y4m` written by
 * tests/helpers/door-video.ts; if its YUV did not match how Chromium decodes the file, every frame would be
 * off (a full-range file read as limited range stretches contrast and crushes dark faces to black), and the
 * classifier would be judged on pictures no real camera gives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchApp, type AppSession } from '../helpers/browser.ts';
import { toI420 } from '../helpers/door-video.ts';

const WIDTH = 640;
const HEIGHT = 480;
/** Dark, mid and bright greys; saturated primaries; skin and beard tones of dim faces. */
const COLOURS: readonly (readonly [number, number, number])[] = [
  [8, 8, 8],
  [20, 15, 10],
  [90, 101, 112],
  [250, 240, 230],
  [200, 30, 30],
  [30, 200, 30],
  [30, 30, 200],
  [120, 80, 60],
  [60, 40, 30],
  [180, 140, 120],
];

describe('fake camera', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-fake-camera-'));
  let app: AppSession | undefined;

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plays the door video helper’s frames in their original colours (within ±3 per channel)', async () => {
    // Vertical bands, one per colour.
    const band = WIDTH / COLOURS.length;
    const rgb = Buffer.alloc(WIDTH * HEIGHT * 3);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) rgb.set(COLOURS[Math.floor(x / band)]!, (y * WIDTH + x) * 3);
    }
    const frame = toI420(rgb, WIDTH, HEIGHT);
    const path = join(dir, 'bands.y4m');
    const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
    writeFileSync(
      path,
      Buffer.concat([header, ...Array.from({ length: 10 }, () => [Buffer.from('FRAME\n'), frame]).flat()]),
    );

    app = await launchApp({ fakeCameraY4m: path });
    const page = await app.context.newPage();
    await page.goto(`${app.server.url}harness.html`);
    const seen = await page.evaluate(
      async ({ count, band }) => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
        const video = document.createElement('video');
        video.muted = true;
        video.srcObject = stream;
        await video.play();
        const bitmap = await createImageBitmap(video);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
        for (const track of stream.getTracks()) track.stop();
        // The middle of each band, half-way down.
        return Array.from({ length: count }, (_, i) => {
          const k = ((bitmap.height >> 1) * bitmap.width + Math.round(band * (i + 0.5))) * 4;
          return [pixels[k]!, pixels[k + 1]!, pixels[k + 2]!];
        });
      },
      { count: COLOURS.length, band },
    );
    for (const [i, colour] of COLOURS.entries()) {
      const error = Math.max(...colour.map((c, channel) => Math.abs(c - seen[i]![channel]!)));
      expect(error, `${colour.join(',')} came back as ${seen[i]!.join(',')}`).toBeLessThanOrEqual(3);
    }
  });
});
