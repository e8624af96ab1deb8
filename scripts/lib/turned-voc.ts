/**
 * Pascal VOC pictures turned a quarter, their boxes turned with them: what a phone held sideways with its
 * rotation locked shows. Used by `scripts/turned-voc.ts` and the turned-faces browser test.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * Writes `photo` (a file in `vocDir`/images, with `vocDir`/annotations/NAME.xml) turned a quarter clockwise
 * (`clockwise`) or anticlockwise into the VOC folder `outDir`, as `name`. Only the boxes and class names are
 * kept from the annotation.
 */
export async function writeTurned(
  vocDir: string,
  photo: string,
  outDir: string,
  clockwise: boolean,
  name = photo,
): Promise<void> {
  const base = photo.replace(/\.[^.]+$/, '');
  const xml = readFileSync(join(vocDir, 'annotations', `${base}.xml`), 'utf8');
  const { width, height } = await sharp(join(vocDir, 'images', photo)).metadata();
  const objects = [...xml.matchAll(/<object>[\s\S]*?<\/object>/g)].map(([object]) => {
    const label = /<name>\s*([a-z_]+)/.exec(object)![1];
    const [x0, y0, x1, y1] = ['xmin', 'ymin', 'xmax', 'ymax'].map((tag) =>
      Number(new RegExp(`<${tag}>\\s*([-0-9.]+)`).exec(object)![1]),
    );
    // Clockwise (x, y) goes to (height − y, x); anticlockwise to (y, width − x).
    const box = clockwise ? [height! - y1!, x0!, height! - y0!, x1!] : [y0!, width! - x1!, y1!, width! - x0!];
    return `<object><name>${label}</name><bndbox><xmin>${box[0]}</xmin><ymin>${box[1]}</ymin><xmax>${box[2]}</xmax><ymax>${box[3]}</ymax></bndbox></object>`;
  });
  mkdirSync(join(outDir, 'images'), { recursive: true });
  mkdirSync(join(outDir, 'annotations'), { recursive: true });
  await sharp(join(vocDir, 'images', photo))
    .rotate(clockwise ? 90 : 270)
    .jpeg({ quality: 95 })
    .toFile(join(outDir, 'images', name));
  writeFileSync(
    join(outDir, 'annotations', `${name.replace(/\.[^.]+$/, '')}.xml`),
    `<annotation><filename>${name}</filename><size><width>${height}</width><height>${width}</height></size>${objects.join('')}</annotation>`,
  );
}
