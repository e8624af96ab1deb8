import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../../scripts/classifier/feature-cache.ts';

const BACKBONE = resolve(import.meta.dirname, '../../../shared/models/mobilenet_v2_1.0_224_quant.tflite');

describe('feature cache key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'feature-cache-'));
  const picture = join(dir, 'face.png');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('changes when a picture is rewritten in place with other bytes, and only then', () => {
    const key = () => cacheKey(BACKBONE, [{ path: picture, seed: 7, augmentation: 'door' }], 'rows');
    writeFileSync(picture, 'first cut');
    const first = key();
    writeFileSync(picture, 'first cut');
    expect(key()).toBe(first);
    // npm run app-crops cuts again into the same paths after the detector or the margin changed.
    writeFileSync(picture, 'second cut');
    expect(key()).not.toBe(first);
  });

  it('still tells seeds and layouts apart', () => {
    writeFileSync(picture, 'a cut');
    const base = cacheKey(BACKBONE, [{ path: picture, seed: 1 }], 'rows');
    expect(cacheKey(BACKBONE, [{ path: picture, seed: 2 }], 'rows')).not.toBe(base);
    expect(cacheKey(BACKBONE, [{ path: picture, seed: 1 }], 'paper')).not.toBe(base);
  });

  it('tells the augmentation recipes apart', () => {
    writeFileSync(picture, 'a cut');
    const keys = (['paper', 'door', 'door-accessories'] as const).map((augmentation) =>
      cacheKey(BACKBONE, [{ path: picture, seed: 1, augmentation }], 'rows'),
    );
    expect(new Set(keys).size).toBe(3);
    // Naming the paper recipe is the same as naming none.
    expect(keys[0]).toBe(cacheKey(BACKBONE, [{ path: picture, seed: 1 }], 'rows'));
  });
});
