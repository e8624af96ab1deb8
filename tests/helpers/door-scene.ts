/**
 * Fake-camera videos (.y4m) of several people at once, for the scenes of a real door that one person at a
 * time cannot show: a queue, someone walking past in front of people waiting. Each actor is a door photo
 * (head and shoulders) scaled to a square, placed frame by frame; later actors are drawn over earlier ones
 * (nearer the camera).
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { SHARED_DIR } from './browser.ts';
import { toI420 } from './door-video.ts';

/** One person in a scene. */
export interface Actor {
  /** A door photo (images/NAME.jpg in ../shared/data/door-photos). */
  photo: string;
  /** Side of the square the photo is scaled to, in pixels. */
  size: number;
  /** Top-left corner of the photo at `t` seconds, or null when the person is not in view. */
  at: (t: number) => { x: number; y: number } | null;
}

/** Writes `seconds` of the scene to `path` (640×480, 10 frames/s). */
export async function writeScene(path: string, seconds: number, actors: readonly Actor[]): Promise<void> {
  const width = 640;
  const height = 480;
  const fps = 10;
  const file = await open(path, 'w');
  try {
    await file.write(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    const background = await sharp({ create: { width, height, channels: 3, background: '#5a6570' } })
      .raw()
      .toBuffer();
    const blank = toI420(background, width, height);
    const images = await Promise.all(
      actors.map((actor) =>
        sharp(join(SHARED_DIR, 'data/door-photos/images', actor.photo))
          .resize(actor.size, actor.size)
          .removeAlpha()
          .png()
          .toBuffer(),
      ),
    );
    for (let frame = 0; frame < Math.round(seconds * fps); frame++) {
      const layers = actors.flatMap((actor, i) => {
        const place = actor.at(frame / fps);
        return place === null
          ? []
          : [{ input: images[i]!, left: Math.round(place.x), top: Math.round(place.y) }];
      });
      await file.write('FRAME\n');
      if (layers.length === 0) {
        await file.write(blank);
        continue;
      }
      const rgb = await sharp(background, { raw: { width, height, channels: 3 } })
        .composite(layers)
        .removeAlpha()
        .raw()
        .toBuffer();
      await file.write(toI420(rgb, width, height));
    }
  } finally {
    await file.close();
  }
}
