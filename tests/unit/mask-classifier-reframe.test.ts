import { describe, expect, it } from 'vitest';
import { FRAMING_PROBES, cropWindow } from '../../scripts/classifier/reframe.ts';

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

describe('the framing probes', () => {
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
