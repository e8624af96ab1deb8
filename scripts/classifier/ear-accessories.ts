/**
 * Things worn at the ears, painted at fixed places onto a face crop as the app cuts it (the face box in the
 * middle two thirds, so the ears near 1/6 and 5/6 of the side): the probe of scripts/ear-accessories-check.ts.
 * A mask's ear loops are the only lines at the ears the training pictures show, so a model may read
 * headphones or an earphone cable as a mask (see the header of scripts/train.ts). Pure: square interleaved RGB
 * bytes in, a painted copy out.
 */
import { paint } from './accessories.ts';

/** An RGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/**
 * An earphone cable hanging from each ear in `sides` (−1 left, 1 right) down to the bottom edge, 3 px wide
 * at 224 px, curving in towards the chest.
 */
export function paintCables(
  rgb: Uint8Array,
  size: number,
  colour: Rgb,
  sides: readonly (-1 | 1)[],
): Uint8Array {
  const out = rgb.slice();
  const width = (3 * size) / 224;
  for (const side of sides) {
    const x0 = side > 0 ? 0.82 * size : 0.18 * size;
    for (let y = size / 2; y < size; y++) {
      const t = (y - size / 2) / size;
      const x = x0 - side * (40 / 224) * size * t * t;
      for (let w = -width / 2; w < width / 2; w++) paint(out, size, x + w, y, colour);
    }
  }
  return out;
}

/** Over-ear headphones: an elliptic cup at each ear (about 1/6 and 5/6 of the side) and a band over the head. */
export function paintHeadphones(rgb: Uint8Array, size: number, colour: Rgb): Uint8Array {
  const out = rgb.slice();
  const rx = (16 / 224) * size;
  const ry = (26 / 224) * size;
  for (const cx of [0.16 * size, 0.84 * size]) {
    for (let y = Math.floor(size / 2 - ry); y <= size / 2 + ry; y++) {
      for (let x = Math.floor(cx - rx); x <= cx + rx; x++) {
        if (((x - cx) / rx) ** 2 + ((y - size / 2) / ry) ** 2 <= 1) paint(out, size, x, y, colour);
      }
    }
  }
  const band = (6 / 224) * size;
  for (let x = 0.16 * size; x < 0.84 * size; x++) {
    const t = (x - size / 2) / (0.34 * size);
    const y = size / 2 - 0.48 * size * Math.sqrt(Math.max(0, 1 - t * t));
    for (let w = 0; w < band; w++) paint(out, size, x, y + w, colour);
  }
  return out;
}

/** The control: a thin line of the same kind in the top-left corner, away from the ears and the mouth. */
export function paintCornerLine(rgb: Uint8Array, size: number, colour: Rgb): Uint8Array {
  const out = rgb.slice();
  const length = (60 / 224) * size;
  for (let y = 0; y < length; y++) {
    for (let w = 0; w < 3; w++) paint(out, size, (10 / 224) * size + y * 0.5 + w, y, colour);
  }
  return out;
}

/** The probes the check runs, by name; "none" is the picture as it is. */
export const EAR_PROBES: Record<string, (rgb: Uint8Array, size: number) => Uint8Array> = {
  none: (rgb) => rgb,
  'white cable, right ear': (rgb, size) => paintCables(rgb, size, [235, 235, 235], [1]),
  'black cable, right ear': (rgb, size) => paintCables(rgb, size, [20, 20, 20], [1]),
  'white cables, both ears': (rgb, size) => paintCables(rgb, size, [235, 235, 235], [-1, 1]),
  'black cables, both ears': (rgb, size) => paintCables(rgb, size, [20, 20, 20], [-1, 1]),
  'black headphones': (rgb, size) => paintHeadphones(rgb, size, [25, 25, 25]),
  'control: white line, top-left corner': (rgb, size) => paintCornerLine(rgb, size, [235, 235, 235]),
};
