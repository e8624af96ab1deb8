import { describe, expect, it } from 'vitest';
import {
  EAR_PROBES,
  paintCables,
  paintCornerLine,
  paintHeadphones,
} from '../../scripts/classifier/ear-accessories.ts';

const SIZE = 224;
const grey = (): Uint8Array => new Uint8Array(SIZE * SIZE * 3).fill(128);
const at = (rgb: Uint8Array, x: number, y: number): number[] => [
  ...rgb.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3),
];
/** Painted pixels as [x, y] pairs. */
function painted(rgb: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== 128 || rgb[i + 1] !== 128 || rgb[i + 2] !== 128)
      out.push([(i / 3) % SIZE, Math.floor(i / 3 / SIZE)]);
  }
  return out;
}

describe('things worn at the ears (the probe of ear-accessories-check.ts)', () => {
  it('headphones: a cup at each ear (1/6 and 5/6 of the side, mid height), a band over the head, the face left bare', () => {
    const input = grey();
    const out = paintHeadphones(input, SIZE, [25, 25, 25]);
    expect(input.every((v) => v === 128)).toBe(true);
    expect(at(out, Math.round(0.16 * SIZE), SIZE / 2)).toEqual([25, 25, 25]);
    expect(at(out, Math.round(0.84 * SIZE), SIZE / 2)).toEqual([25, 25, 25]);
    expect(at(out, SIZE / 2, 7)).toEqual([25, 25, 25]);
    // Nose, mouth and chin untouched.
    for (const y of [SIZE / 2, 0.7 * SIZE, 0.9 * SIZE]) expect(at(out, SIZE / 2, y)).toEqual([128, 128, 128]);
  });

  it('cables: from the ears named down to the bottom edge, below mid height only', () => {
    const right = painted(paintCables(grey(), SIZE, [20, 20, 20], [1]));
    expect(right.every(([x, y]) => x > SIZE / 2 && y >= SIZE / 2)).toBe(true);
    expect(right.some(([, y]) => y === SIZE - 1)).toBe(true);
    const both = painted(paintCables(grey(), SIZE, [20, 20, 20], [-1, 1]));
    expect(both.some(([x]) => x < SIZE / 2)).toBe(true);
    expect(both.length).toBeGreaterThan(right.length * 1.9);
  });

  it('the control line stays in the top-left corner, and "none" is the picture itself', () => {
    expect(painted(paintCornerLine(grey(), SIZE, [235, 235, 235])).every(([x, y]) => x < 50 && y < 61)).toBe(
      true,
    );
    const input = grey();
    expect(EAR_PROBES.none!(input, SIZE)).toBe(input);
    for (const [name, probe] of Object.entries(EAR_PROBES)) {
      if (name !== 'none') expect(painted(probe(grey(), SIZE)).length, name).toBeGreaterThan(0);
    }
  });
});
