import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AUGMENTATION,
  DOOR_AUGMENTATION,
  augment,
  seededRandom,
} from '../../scripts/classifier/augment.ts';
import { DOMAIN_SHIFTS, DOMAIN_SHIFT_NAMES } from '../../scripts/classifier/domain-shifts.ts';
import { backlight, brightnessGamma, colour } from '../../scripts/classifier/photometric.ts';

const SIZE = 64;

/** A deterministic test picture: a bright face-like disc on a mid-grey background. */
function picture(): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inside = (x - 32) ** 2 + (y - 32) ** 2 < 20 ** 2;
      rgb.set(inside ? [220, 170, 140] : [120, 120, 120], (y * SIZE + x) * 3);
    }
  }
  return rgb;
}

const mean = (rgb: Uint8Array): number => rgb.reduce((s, v) => s + v, 0) / rgb.length;
const pixel = (rgb: Uint8Array, x: number, y: number): number[] => [
  ...rgb.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3),
];

describe('door-camera augmentation', () => {
  it('is fully determined by the seed, and differs between seeds', async () => {
    const a = await augment(picture(), SIZE, 7, DOOR_AUGMENTATION);
    const b = await augment(picture(), SIZE, 7, DOOR_AUGMENTATION);
    expect(a).toEqual(b);
    const others = await Promise.all([8, 9, 10].map((s) => augment(picture(), SIZE, s, DOOR_AUGMENTATION)));
    for (const other of others) expect(other).not.toEqual(a);
  });

  it('leaves the paper recipe without a photometric step (only the door recipe has one)', async () => {
    expect(DEFAULT_AUGMENTATION.photometric).toBeUndefined();
    expect(DOOR_AUGMENTATION.photometric).toBeDefined();
    // The same seed draws the same geometry; only the door recipe changes the colours on top of it.
    const paper = await augment(picture(), SIZE, 3, DEFAULT_AUGMENTATION);
    const door = await augment(picture(), SIZE, 3, DOOR_AUGMENTATION);
    expect(door).not.toEqual(paper);
  });

  it('darkens with brightness < 1 and keeps black black', () => {
    const dark = brightnessGamma(picture(), 0.35, 1.3);
    expect(mean(dark)).toBeLessThan(0.4 * mean(picture()));
    expect(brightnessGamma(new Uint8Array(12), 0.3, 1)).toEqual(new Uint8Array(12));
  });

  it('backlight darkens the centre and brightens the corner towards the light', () => {
    const lit = backlight(picture(), SIZE, 0.45, 0.85, -0.7, -0.7);
    expect(pixel(lit, 32, 32)[0]).toBeLessThan(0.5 * 220 + 1);
    expect(pixel(lit, 0, 0)[0]).toBeGreaterThan(200);
    expect(pixel(lit, 0, 0)[0]).toBeGreaterThan(pixel(lit, 63, 63)[0]);
  });

  it('saturation 0 gives grey pixels', () => {
    const grey = colour(picture(), [1, 1, 1], 0);
    const [r, g, b] = pixel(grey, 32, 32);
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(1);
  });

  it('every fixed val shift is deterministic and keeps the picture size', async () => {
    for (const name of DOMAIN_SHIFT_NAMES) {
      const a = await DOMAIN_SHIFTS[name](picture(), SIZE);
      const b = await DOMAIN_SHIFTS[name](picture(), SIZE);
      expect(a.length, name).toBe(SIZE * SIZE * 3);
      expect(a, name).toEqual(b);
      expect(a, name).not.toEqual(picture());
    }
  });

  it('seededRandom is reproducible', () => {
    const r1 = seededRandom(5);
    const r2 = seededRandom(5);
    expect([r1(), r1(), r1()]).toEqual([r2(), r2(), r2()]);
  });
});
