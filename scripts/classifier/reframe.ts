/**
 * Where the face sits in the picture, as a probe (`scripts/ear-accessories-check.ts --probes framing`): fixed
 * square windows of the picture, centred, at the top (chin cut) or at the bottom (forehead cut), resized back.
 *
 * Why: the nearest training pictures (in the head's 256-unit layer) to two door faces read wrongly as masked
 * are all masked, most framed with the eyes high and the forehead cut. Measured with these probes on val as the
 * app cuts it (shipped model of stop 37, 2026-12-03), the cue is weak: a window of 0.8 or 0.7 of the side at the
 * bottom (forehead cut) turns 3 and 4 of the 289 unmasked faces masked, centred or at the top none. Cutting the
 * chin of a masked face cuts the mask: at 0.7 of the side, 27 of 324 masked faces then read unmasked.
 */
/** `v` clamped to [0, `last`]. */
function clampTo(v: number, last: number): number {
  return v < 0 ? 0 : v > last ? last : v;
}

/**
 * The square window of side `side` (a fraction of `size`) whose top-left corner is at (`left`, `top`)
 * (fractions of the free room, 0–1), resized back to `size` × `size` by bilinear sampling.
 */
export function cropWindow(
  rgb: Uint8Array,
  size: number,
  side: number,
  left: number,
  top: number,
): Uint8Array {
  const span = side * size;
  const x0 = (size - span) * left;
  const y0 = (size - span) * top;
  const step = span / size;
  const out = new Uint8Array(rgb.length);
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    const sy = clampTo(y0 + (y + 0.5) * step - 0.5, last);
    const ya = Math.floor(sy);
    const yb = Math.min(ya + 1, last);
    const fy = sy - ya;
    for (let x = 0; x < size; x++) {
      const sx = clampTo(x0 + (x + 0.5) * step - 0.5, last);
      const xa = Math.floor(sx);
      const xb = Math.min(xa + 1, last);
      const fx = sx - xa;
      for (let ch = 0; ch < 3; ch++) {
        const top = rgb[(ya * size + xa) * 3 + ch]! * (1 - fx) + rgb[(ya * size + xb) * 3 + ch]! * fx;
        const bottom = rgb[(yb * size + xa) * 3 + ch]! * (1 - fx) + rgb[(yb * size + xb) * 3 + ch]! * fx;
        out[(y * size + x) * 3 + ch] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}

/** Framing probes for `scripts/ear-accessories-check.ts --probes framing`: fixed windows, no randomness. */
export const FRAMING_PROBES: Record<string, (rgb: Uint8Array, size: number) => Uint8Array> = {
  'as cut': (rgb) => rgb,
  'window 0.8, centred': (rgb, size) => cropWindow(rgb, size, 0.8, 0.5, 0.5),
  'window 0.8, at the top (chin cut)': (rgb, size) => cropWindow(rgb, size, 0.8, 0.5, 0),
  'window 0.8, at the bottom (forehead cut)': (rgb, size) => cropWindow(rgb, size, 0.8, 0.5, 1),
  'window 0.7, at the top (chin cut)': (rgb, size) => cropWindow(rgb, size, 0.7, 0.5, 0),
  'window 0.7, at the bottom (forehead cut)': (rgb, size) => cropWindow(rgb, size, 0.7, 0.5, 1),
};
