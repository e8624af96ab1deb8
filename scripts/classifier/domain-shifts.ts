import { backlight, brightnessGamma, colour, jpegRoundTrip, lowResolution } from './photometric.ts';

/**
 * Fixed, deterministic copies of the VALIDATION split shifted towards a door camera, for choosing a
 * recipe by its robustness without looking at the end-to-end door photos (which only report a choice).
 * No randomness: the same picture always gives the same shifted copy. Bump {@link DOMAIN_SHIFT_VERSION}
 * when a transform changes, so cached features are recomputed.
 */

export const DOMAIN_SHIFT_VERSION = 1;

/** The shifts, each a fixed transform of square RGB bytes. */
export const DOMAIN_SHIFTS = {
  /** Dim room: brightness ×0.35, gamma 1.3. */
  dim: async (rgb: Uint8Array) => brightnessGamma(rgb, 0.35, 1.3),
  /** Window behind the person: face ×0.45, edges blown towards white (glow 0.85 from the upper left). */
  backlit: async (rgb: Uint8Array, size: number) => backlight(rgb, size, 0.45, 0.85, -0.7, -0.7),
  /** Small face on a cheap camera: 40 px and back, then JPEG quality 35. */
  'low-res': async (rgb: Uint8Array, size: number) =>
    jpegRoundTrip(await lowResolution(rgb, size, 40), size, 35),
  /** Warm indoor light, washed out and dim: gains (1.15, 1, 0.75), saturation 0.4, brightness ×0.6. */
  'cast-dim': async (rgb: Uint8Array) => brightnessGamma(colour(rgb, [1.15, 1, 0.75], 0.4), 0.6, 1),
} satisfies Record<string, (rgb: Uint8Array, size: number) => Promise<Uint8Array>>;

/** A name of {@link DOMAIN_SHIFTS}. */
export type DomainShiftName = keyof typeof DOMAIN_SHIFTS;

/** The shift names in report order. */
export const DOMAIN_SHIFT_NAMES = Object.keys(DOMAIN_SHIFTS) as DomainShiftName[];
