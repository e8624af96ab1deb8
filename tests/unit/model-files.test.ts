import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  WEIGHTS_FILE,
  loadLayersModelFromDir,
  saveLayersModel,
  toFloat16Bits,
} from '../../scripts/classifier/model-files.ts';

describe('quantized model files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('encodes float16 bits with round-to-nearest-even', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway, rounds to even
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('stores a weight on its uint8 grid exactly and others as float16, and tfjs dequantizes on load', async () => {
    const grid = { scale: 0.05, zeroPoint: 100 };
    const kernel = Float32Array.from({ length: 8 }, (_, i) => grid.scale * (i * 30 - grid.zeroPoint));
    const input = tf.input({ shape: [4] });
    const a = tf.layers.dense({
      name: 'a',
      units: 2,
      weights: [tf.tensor2d(kernel, [4, 2]), tf.tensor1d([0.1, -0.2])],
    });
    const b = tf.layers.dense({
      name: 'b',
      units: 1,
      weights: [tf.tensor2d([[0.333], [-1.5]]), tf.tensor1d([0.25])],
    });
    const model = tf.model({ inputs: input, outputs: b.apply(a.apply(input)) as tf.SymbolicTensor });
    await saveLayersModel(model, dir, {
      storageOf: (name) => (name === 'a/kernel' ? 'uint8' : name === 'b/kernel' ? 'float16' : 'float32'),
      grids: new Map([['a/kernel', grid]]),
    });
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0];
    expect(manifest.paths).toEqual([WEIGHTS_FILE]);
    expect(manifest.weights[0].quantization).toEqual({ dtype: 'uint8', scale: 0.05, min: -5 });
    expect(manifest.weights[2].quantization).toEqual({ dtype: 'float16' });
    expect(readFileSync(join(dir, WEIGHTS_FILE)).length).toBe(8 + 2 * 4 + 2 * 2 + 4);
    // The checksum the worker checks the weight file against (src/shared/model-integrity.ts).
    const digest = createHash('sha256')
      .update(readFileSync(join(dir, WEIGHTS_FILE)))
      .digest('hex');
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata).toEqual({
      weightsSha256: { [WEIGHTS_FILE]: digest },
    });

    const loaded = await loadLayersModelFromDir(dir);
    const [k, bias] = loaded.getLayer('a').getWeights();
    expect([...(await k.data())].map((v, i) => v - kernel[i]).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    expect([...(await bias.data())]).toEqual([...new Float32Array([0.1, -0.2])]);
    const [k2] = loaded.getLayer('b').getWeights();
    expect((await k2.data())[0]).toBeCloseTo(0.333, 3);
  });
});
