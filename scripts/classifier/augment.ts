import sharp from 'sharp';
import { randomAccessories } from './accessories.ts';
import { randomPhotometric, type PhotometricRanges } from './photometric.ts';

/**
 * Training augmentation from the paper (section II.C): shear, contrast, horizontal flip, rotation, zoom
 * and blur, plus a small shift as in the Keras ImageDataGenerator recipe the paper builds on. Geometry is
 * one inverse affine map with bilinear sampling and "nearest" edge fill (Keras' default fill mode), done on
 * the INPUT_SIZE RGB bytes that evaluation also sees. Every draw comes from a seeded generator so a copy
 * of a picture is the same on every run and in whichever worker process computes it.
 */

/** Ranges of the random transforms. */
export interface AugmentationRanges {
  rotationDegrees: number;
  shearRadians: number;
  /** Zoom factor drawn from [1 − zoom, 1 + zoom]. */
  zoom: number;
  /** Shift as a fraction of the side, drawn from [−shift, shift] on each axis. */
  shift: number;
  /** Contrast factor around the picture's mean drawn from [1 − contrast, 1 + contrast]. */
  contrast: number;
  /** Probability of a Gaussian blur, and the range of its sigma in pixels. */
  blurProbability: number;
  blurSigma: [number, number];
  /**
   * Door-camera photometry (photometric.ts), applied with this probability after the paper's transforms;
   * absent in the paper's recipe, which keeps that recipe's random draws (and cached features) unchanged.
   */
  photometricProbability?: number;
  photometric?: PhotometricRanges;
  /**
   * Probability of headphones or earphone cables painted on before everything else (accessories.ts), drawn
   * from a generator of its own so that the other draws stay those of the recipe without it.
   */
  accessoriesProbability?: number;
}

/** The paper's ranges (the first shipped model's recipe); recorded in the model card. */
export const DEFAULT_AUGMENTATION: AugmentationRanges = {
  rotationDegrees: 20,
  shearRadians: 0.15,
  zoom: 0.15,
  shift: 0.1,
  contrast: 0.3,
  blurProbability: 0.3,
  blurSigma: [0.5, 1.5],
};

/**
 * The paper's geometry, a little wider (zoom ±0.2 per axis, so the aspect changes like a detector's
 * forehead-to-chin box resized to a square; shift ±0.12), plus door-camera photometry on 80 % of copies:
 * brightness ×0.3–1.5, gamma 0.7–1.6, backlight, white-balance casts, desaturation, sensor noise, low
 * resolution and JPEG re-encoding. Chosen on val and on the fixed val shifts of domain-shifts.ts.
 */
export const DOOR_AUGMENTATION: AugmentationRanges = {
  ...DEFAULT_AUGMENTATION,
  zoom: 0.2,
  shift: 0.12,
  photometricProbability: 0.8,
  photometric: {
    brightness: [0.3, 1.5],
    gamma: [0.7, 1.6],
    backlightProbability: 0.35,
    castProbability: 0.6,
    castGain: 0.2,
    saturationProbability: 0.5,
    saturation: [0, 1.3],
    noiseProbability: 0.5,
    noiseSigma: [2, 10],
    lowResProbability: 0.35,
    lowResSide: [28, 96],
    jpegProbability: 0.5,
    jpegQuality: [25, 85],
  },
};

/** The door recipe plus headphones and earphone cables on 35 % of the copies of both classes. */
export const DOOR_ACCESSORIES_AUGMENTATION: AugmentationRanges = {
  ...DOOR_AUGMENTATION,
  accessoriesProbability: 0.35,
};

/** Augmentation recipes by name (`npm run train -- --augmentation NAME`). */
export const AUGMENTATIONS = {
  paper: DEFAULT_AUGMENTATION,
  door: DOOR_AUGMENTATION,
  'door-accessories': DOOR_ACCESSORIES_AUGMENTATION,
} as const;
/** A name of {@link AUGMENTATIONS}. */
export type AugmentationName = keyof typeof AUGMENTATIONS;

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `items` in place (Fisher–Yates) with `random`, so a seed gives the same order every run. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** A stable 32-bit seed for copy `copy` of the picture at `path`. */
export function augmentationSeed(path: string, copy: number): number {
  let h = 2166136261 ^ copy;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Applies a random affine map (rotation, shear, zoom, shift, flip) to square RGB bytes. */
export function randomAffine(
  rgb: Uint8Array,
  size: number,
  random: () => number,
  r: AugmentationRanges,
): Uint8Array {
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const angle = (between(-r.rotationDegrees, r.rotationDegrees) * Math.PI) / 180;
  const shear = between(-r.shearRadians, r.shearRadians);
  const zoomX = between(1 - r.zoom, 1 + r.zoom);
  const zoomY = between(1 - r.zoom, 1 + r.zoom);
  const shiftX = between(-r.shift, r.shift) * size;
  const shiftY = between(-r.shift, r.shift) * size;
  const flip = random() < 0.5 ? -1 : 1;
  // Output pixel (x, y) samples the source at M · (x − c, y − c) + c + shift, with M the composition of
  // rotation, shear and zoom (zoom > 1 samples a wider area, i.e. zooms out, as Keras does).
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const m00 = (cos - sin * Math.tan(shear)) * zoomX * flip;
  const m01 = -sin * zoomY;
  const m10 = (sin + cos * Math.tan(shear)) * zoomX * flip;
  const m11 = cos * zoomY;
  const c = (size - 1) / 2;
  const out = new Uint8Array(rgb.length);
  const clamp = (v: number): number => (v < 0 ? 0 : v > size - 1 ? size - 1 : v);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      const dy = y - c;
      const sx = clamp(m00 * dx + m01 * dy + c + shiftX);
      const sy = clamp(m10 * dx + m11 * dy + c + shiftY);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, size - 1);
      const y1 = Math.min(y0 + 1, size - 1);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let ch = 0; ch < 3; ch++) {
        const top = rgb[(y0 * size + x0) * 3 + ch] * (1 - fx) + rgb[(y0 * size + x1) * 3 + ch] * fx;
        const bottom = rgb[(y1 * size + x0) * 3 + ch] * (1 - fx) + rgb[(y1 * size + x1) * 3 + ch] * fx;
        out[(y * size + x) * 3 + ch] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}

/** Scales the pixels' distance from their mean by `factor` (contrast), in place. */
export function adjustContrast(rgb: Uint8Array, factor: number): Uint8Array {
  let sum = 0;
  for (const v of rgb) sum += v;
  const mean = sum / rgb.length;
  for (let i = 0; i < rgb.length; i++) {
    rgb[i] = Math.max(0, Math.min(255, Math.round(mean + (rgb[i] - mean) * factor)));
  }
  return rgb;
}

/** One augmented copy of square RGB bytes, fully determined by `seed`. */
export async function augment(
  rgb: Uint8Array,
  size: number,
  seed: number,
  ranges: AugmentationRanges = DEFAULT_AUGMENTATION,
): Promise<Uint8Array> {
  const random = seededRandom(seed);
  const worn =
    ranges.accessoriesProbability === undefined
      ? rgb
      : randomAccessories(rgb, size, seededRandom(seed ^ 0x5bd1e995), ranges.accessoriesProbability);
  const out = adjustContrast(
    randomAffine(worn, size, random, ranges),
    1 + (random() * 2 - 1) * ranges.contrast,
  );
  let result = out;
  if (random() < ranges.blurProbability) {
    const sigma = ranges.blurSigma[0] + (ranges.blurSigma[1] - ranges.blurSigma[0]) * random();
    const blurred = await sharp(out, { raw: { width: size, height: size, channels: 3 } })
      .blur(sigma)
      .raw()
      .toBuffer();
    result = new Uint8Array(blurred.buffer, blurred.byteOffset, blurred.byteLength);
  }
  if (ranges.photometric === undefined || random() >= (ranges.photometricProbability ?? 1)) return result;
  return randomPhotometric(result, size, random, ranges.photometric);
}
