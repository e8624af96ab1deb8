import { describe, expect, it } from 'vitest';
import {
  DOOR_ACCESSORIES_AUGMENTATION,
  DOOR_ROBUST_AUGMENTATION,
  augment,
  seededRandom,
} from '../../scripts/classifier/augment.ts';
import { FRAMING_PROBES, cropWindow, randomReframe } from '../../scripts/classifier/reframe.ts';

const SIZE = 100;

/** A picture whose red channel is the row and green channel the column, so a pixel tells where it came from. */
function gradient(): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      rgb[(y * SIZE + x) * 3] = y;
      rgb[(y * SIZE + x) * 3 + 1] = x;
    }
  }
  return rgb;
}

const rowAt = (rgb: Uint8Array, y: number, x = SIZE / 2): number => rgb[(y * SIZE + x) * 3]!;
const columnAt = (rgb: Uint8Array, x: number, y = SIZE / 2): number => rgb[(y * SIZE + x) * 3 + 1]!;

describe('cropWindow (reframe.ts)', () => {
  it('is the picture itself for a window of the whole side', () => {
    const input = gradient();
    expect(Buffer.from(cropWindow(input, SIZE, 1, 0.5, 0.5)).equals(Buffer.from(input))).toBe(true);
  });

  it('at the bottom cuts the top of the picture (a forehead) and keeps its bottom row', () => {
    const out = cropWindow(gradient(), SIZE, 0.8, 0.5, 1);
    expect(rowAt(out, 0)).toBeGreaterThanOrEqual(19);
    expect(rowAt(out, 0)).toBeLessThanOrEqual(21);
    expect(rowAt(out, SIZE - 1)).toBe(SIZE - 1);
    // Centred across: the middle column stays in the middle.
    expect(Math.abs(columnAt(out, SIZE / 2) - SIZE / 2)).toBeLessThanOrEqual(1);
  });

  it('at the top keeps the top row and cuts the bottom (a chin)', () => {
    const out = cropWindow(gradient(), SIZE, 0.7, 0.5, 0);
    expect(rowAt(out, 0)).toBe(0);
    expect(rowAt(out, SIZE - 1)).toBeGreaterThanOrEqual(68);
    expect(rowAt(out, SIZE - 1)).toBeLessThanOrEqual(70);
  });

  it('leaves its input untouched', () => {
    const input = gradient();
    const copy = Uint8Array.from(input);
    cropWindow(input, SIZE, 0.7, 0.2, 0.9);
    expect(Buffer.from(input).equals(Buffer.from(copy))).toBe(true);
  });
});

describe('randomReframe and the door-robust recipe', () => {
  it('reframes about the share asked for, each time with a window inside the range', () => {
    let reframed = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const input = gradient();
      const out = randomReframe(input, SIZE, seededRandom(seed), 0.35, [0.65, 0.9]);
      if (out === input) continue;
      reframed++;
      // The rows the window spans: between 65 and 90 of the 100.
      const span = rowAt(out, SIZE - 1) - rowAt(out, 0);
      expect(span).toBeGreaterThanOrEqual(63);
      expect(span).toBeLessThanOrEqual(90);
    }
    expect(reframed / 400).toBeGreaterThan(0.28);
    expect(reframed / 400).toBeLessThan(0.42);
  });

  it('adds to the door-accessories recipe without changing its other draws', async () => {
    let same = 0;
    let differ = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const before = await augment(gradient(), SIZE, seed, DOOR_ACCESSORIES_AUGMENTATION);
      const after = await augment(gradient(), SIZE, seed, DOOR_ROBUST_AUGMENTATION);
      if (Buffer.from(before).equals(Buffer.from(after))) same++;
      else differ++;
    }
    expect(same).toBeGreaterThan(0);
    expect(differ).toBeGreaterThan(0);
  });

  it('has framing probes that cut the forehead and the chin, and one that changes nothing', () => {
    const input = gradient();
    expect(FRAMING_PROBES['as cut']!(input, SIZE)).toBe(input);
    expect(
      rowAt(FRAMING_PROBES['window 0.7, at the bottom (forehead cut)']!(input, SIZE), 0),
    ).toBeGreaterThan(25);
    expect(rowAt(FRAMING_PROBES['window 0.7, at the top (chin cut)']!(input, SIZE), SIZE - 1)).toBeLessThan(
      75,
    );
  });
});
