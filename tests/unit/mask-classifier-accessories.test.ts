import { describe, expect, it } from 'vitest';
import { randomAccessories } from '../../scripts/classifier/accessories.ts';
import {
  DOOR_ACCESSORIES_AUGMENTATION,
  DOOR_AUGMENTATION,
  augment,
  seededRandom,
} from '../../scripts/classifier/augment.ts';

const SIZE = 96;

/** A plain mid-grey picture, so every painted pixel shows. */
const grey = (): Uint8Array => new Uint8Array(SIZE * SIZE * 3).fill(128);

/** Which columns of the picture hold a pixel that is no longer mid-grey. */
function paintedColumns(rgb: Uint8Array): Set<number> {
  const columns = new Set<number>();
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== 128 || rgb[i + 1] !== 128 || rgb[i + 2] !== 128) columns.add((i / 3) % SIZE);
  }
  return columns;
}

describe('headphones and earphone cables (accessories.ts)', () => {
  it('paints at the sides of the picture, never over its middle third alone, and leaves the input untouched', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const input = grey();
      const out = randomAccessories(input, SIZE, seededRandom(seed), 1);
      expect(input.every((v) => v === 128)).toBe(true);
      const columns = paintedColumns(out);
      expect(columns.size).toBeGreaterThan(0);
      // Something lies in the outer quarter on the left or the right: a cup or a cable's ear end.
      expect([...columns].some((x) => x < SIZE * 0.25 || x >= SIZE * 0.75)).toBe(true);
    }
  });

  it('paints nothing at probability 0 and returns the same picture', () => {
    const input = grey();
    expect(randomAccessories(input, SIZE, seededRandom(3), 0)).toBe(input);
  });

  it('paints on about the share of copies asked for', () => {
    let painted = 0;
    for (let seed = 1; seed <= 400; seed++) {
      if (paintedColumns(randomAccessories(grey(), SIZE, seededRandom(seed), 0.35)).size > 0) painted++;
    }
    expect(painted / 400).toBeGreaterThan(0.28);
    expect(painted / 400).toBeLessThan(0.42);
  });

  it('adds to the door recipe without changing its other draws: a copy without accessories is the door copy', async () => {
    let same = 0;
    let differ = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const door = await augment(grey(), SIZE, seed, DOOR_AUGMENTATION);
      const worn = await augment(grey(), SIZE, seed, DOOR_ACCESSORIES_AUGMENTATION);
      if (Buffer.from(door).equals(Buffer.from(worn))) same++;
      else differ++;
    }
    // At 35 %, twelve seeds give both kinds (the chance of all one kind is under 1 %).
    expect(same).toBeGreaterThan(0);
    expect(differ).toBeGreaterThan(0);
  });
});
