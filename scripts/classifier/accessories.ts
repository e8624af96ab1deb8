/**
 * Things worn at the ears, painted onto training pictures of BOTH classes so that they stop meaning "mask":
 * over-ear headphones (two cups and a band over the head) and earphone cables hanging from the ears.
 *
 * Why: a mask's ear loops and straps are the only dark or bright lines beside the face that the mask-crops
 * training pictures show, so the shipped head learned "something at the ears = mask". Measured on the val
 * split as the app cuts it (scratch occlusion and paint test, 2026-12-03): black headphones painted on the
 * 289 unmasked val faces turn 42 of them "masked" at the app's threshold, black cables on both sides 19,
 * a white line at the top corner (a control) none; on the 324 masked faces they change nothing. A guard's door
 * sees headphones and earphones every day.
 *
 * The painting is done before the geometric and photometric transforms, so it is rotated, blurred, dimmed
 * and re-encoded with the face. Positions are drawn loosely (the pictures are mostly tight crops with the
 * ears at the left and right edges; the app's crops have them at about 1/6 and 5/6 of the side).
 */

/** A colour for an accessory: mostly black or dark grey, sometimes white, now and then any colour. */
function accessoryColour(random: () => number): [number, number, number] {
  const kind = random();
  if (kind < 0.6) {
    const v = 10 + 50 * random();
    return [v, v, v];
  }
  if (kind < 0.85) {
    const v = 195 + 50 * random();
    return [v, v, v];
  }
  return [40 + 200 * random(), 40 + 200 * random(), 40 + 200 * random()];
}

/**
 * Sets pixel (x, y), rounded, of a `size`-square RGB picture to `colour` with a little shading `shade` (−1…1);
 * a pixel outside the picture is left alone.
 */
export function paint(
  rgb: Uint8Array,
  size: number,
  x: number,
  y: number,
  colour: readonly number[],
  shade = 0,
): void {
  const px = Math.round(x);
  const py = Math.round(y);
  if (px < 0 || py < 0 || px >= size || py >= size) return;
  const i = (py * size + px) * 3;
  for (let ch = 0; ch < 3; ch++)
    rgb[i + ch] = Math.max(0, Math.min(255, Math.round(colour[ch] * (1 + 0.25 * shade))));
}

/** Over-ear headphones: an elliptic cup at each ear and a band over the head between them. */
function headphones(rgb: Uint8Array, size: number, random: () => number): void {
  const colour = accessoryColour(random);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const y = between(0.38, 0.6) * size;
  const left = between(0.0, 0.2) * size;
  const right = size - between(0.0, 0.2) * size;
  const rx = between(0.05, 0.1) * size;
  const ry = between(0.09, 0.15) * size;
  for (const cx of [left, right]) {
    const cy = y + between(-0.03, 0.03) * size;
    for (let py = Math.floor(cy - ry); py <= cy + ry; py++) {
      for (let px = Math.floor(cx - rx); px <= cx + rx; px++) {
        const d = ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2;
        if (d <= 1) paint(rgb, size, px, py, colour, (py - cy) / ry);
      }
    }
  }
  // The band: half an ellipse from cup to cup, its top near or above the picture's top edge.
  const top = between(-0.12, 0.08) * size;
  const thickness = between(3, 8);
  const mid = (left + right) / 2;
  const half = (right - left) / 2;
  for (let px = Math.floor(left); px <= right; px++) {
    const t = (px - mid) / half;
    const py = y - (y - top) * Math.sqrt(Math.max(0, 1 - t * t));
    for (let w = 0; w < thickness; w++) paint(rgb, size, px, py + w, colour);
  }
}

/** An earphone cable from one ear or both down to the picture's bottom edge, curving a little. */
function cables(rgb: Uint8Array, size: number, random: () => number): void {
  const colour = accessoryColour(random);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const sides = random() < 0.5 ? [random() < 0.5 ? -1 : 1] : [-1, 1];
  const width = between(1.5, 4);
  for (const side of sides) {
    const x0 = side < 0 ? between(0.04, 0.22) * size : size - between(0.04, 0.22) * size;
    const y0 = between(0.4, 0.65) * size;
    const bend = between(-0.2, 0.2) * size;
    for (let py = Math.floor(y0); py < size; py++) {
      const t = (py - y0) / (size - y0);
      const x = x0 + bend * t * t;
      for (let w = -width / 2; w < width / 2; w++) paint(rgb, size, x + w, py, colour);
    }
  }
}

/**
 * Paints headphones or earphone cables onto a copy of `rgb` (square, `size` px, interleaved RGB), with
 * probability `probability`; otherwise returns `rgb` itself. Draws only from `random`.
 */
export function randomAccessories(
  rgb: Uint8Array,
  size: number,
  random: () => number,
  probability: number,
): Uint8Array {
  if (random() >= probability) return rgb;
  const out = rgb.slice();
  if (random() < 0.5) headphones(out, size, random);
  else cables(out, size, random);
  return out;
}
