/**
 * Fine-tuning block 16 (scripts/classifier/fine-tune.ts): its hand-written arithmetic must be the shipped
 * model's convolutions, the weights it trains must land in the saved model, and training must learn.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_SIZE, toModelInput } from '../../src/shared/mask-classifier-spec.ts';
import { loadRgb } from '../../scripts/classifier/face-image.ts';
import { LAST_BLOCK_LAYERS, LastBlockClassifier, gatherMaps } from '../../scripts/classifier/fine-tune.ts';
import { featureBackbone, storagePolicy } from '../../scripts/classifier/mask-classifier-model.ts';
import { pictures, readMaskDataset } from '../../scripts/classifier/mask-dataset.ts';
import { loadLayersModelFromDir, saveLayersModel } from '../../scripts/classifier/model-files.ts';
import { useWasmBackend } from '../../scripts/classifier/tf-wasm.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHARED = resolve(ROOT, '../shared');
const TFLITE = join(SHARED, 'models/mobilenet_v2_1.0_224_quant.tflite');
const SHIPPED = join(ROOT, 'public/models/mask-classifier');

describe('fine-tuning block 16 with the head', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maskguard-fine-tune-'));
  let images: tf.Tensor4D;
  let labels: number[];
  let maps: Float32Array;

  beforeAll(async () => {
    await useWasmBackend();
    // 12 train pictures of each class, and their block-15 maps (the frozen layers' output).
    const train = pictures(readMaskDataset(join(SHARED, 'data/mask-crops')), 'train');
    const chosen = [0, 1].flatMap((label) => train.filter((p) => p.label === label).slice(0, 12));
    labels = chosen.map((p) => p.label);
    const pixels = new Float32Array(chosen.length * INPUT_SIZE * INPUT_SIZE * 3);
    for (const [i, p] of chosen.entries()) {
      pixels.set(toModelInput(await loadRgb(p.path)), i * INPUT_SIZE * INPUT_SIZE * 3);
    }
    images = tf.tensor4d(pixels, [chosen.length, INPUT_SIZE, INPUT_SIZE, 3]);
    const { model: below } = featureBackbone(TFLITE, 'block15');
    const out = below.predict(images) as tf.Tensor;
    expect(out.shape).toEqual([chosen.length, 7, 7, 160]);
    maps = (await out.data()) as Float32Array;
    tf.dispose([out]);
    below.dispose();
  }, 120_000);
  afterAll(() => {
    images?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes what the shipped model computes, before and after training, and saves what it trained', async () => {
    const shipped = await loadLayersModelFromDir(SHIPPED);
    const tuned = LastBlockClassifier.from(shipped, shipped);
    const rows = labels.map((_, i) => i);
    const probabilities = async (model: tf.LayersModel) => {
      const out = model.predict(images) as tf.Tensor;
      const values = (await out.data()) as Float32Array;
      out.dispose();
      return values;
    };
    const maxDifference = (a: Float32Array, b: Float32Array) =>
      a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
    // Block 16's output, row-pooled: the shipped model's `features` layer, and the fine-tuned form's.
    const layerFeatures = tf.model({
      inputs: shipped.inputs,
      outputs: shipped.getLayer('features').output as tf.SymbolicTensor,
    });
    const featuresOf = async () => {
      const [a, b] = [
        layerFeatures.predict(images) as tf.Tensor,
        tf.tidy(() => tuned.features(gatherMaps(maps, rows))),
      ];
      const values = [(await a.data()) as Float32Array, (await b.data()) as Float32Array] as const;
      tf.dispose([a, b]);
      return values;
    };
    const kernel = async (layer: string) =>
      (await shipped.getLayer(layer).getWeights()[0]!.data()) as Float32Array;

    // Untrained: the matrix-product form of block 16 gives the shipped model's features (compared before
    // the softmax, which hides small errors in sure answers), and with the head its answers.
    const [shippedFeatures, tunedFeatures] = await featuresOf();
    expect(shippedFeatures).toHaveLength(labels.length * 2240);
    expect(maxDifference(tunedFeatures, shippedFeatures)).toBeLessThan(1e-3);
    const before = await probabilities(shipped);
    expect(maxDifference(await tuned.predict(maps, rows), before)).toBeLessThan(1e-4);
    const kernelsBefore = await Promise.all(Object.values(LAST_BLOCK_LAYERS).map(kernel));

    // Trained a little: the answers change, and the layers model
    // given the trained weights answers as the fine-tuned form does.
    await tuned.train(
      [[{ maps, rows, labels }]],
      { epochs: 3, learningRate: 0.01, momentum: 0.85, batchSize: 8, dropout: 0, seed: 3 },
      () => {},
    );
    const after = await tuned.predict(maps, rows);
    expect(maxDifference(after, before)).toBeGreaterThan(1e-3);
    tuned.copyInto(shipped);
    expect(maxDifference(await probabilities(shipped), after)).toBeLessThan(1e-4);
    // Training reached block 16 itself, not only the head: each of its kernels moved, and so did its features.
    const kernelsAfter = await Promise.all(Object.values(LAST_BLOCK_LAYERS).map(kernel));
    kernelsAfter.forEach((k, i) => expect(maxDifference(k, kernelsBefore[i]!)).toBeGreaterThan(1e-4));
    const [shippedTrained, tunedTrained] = await featuresOf();
    expect(maxDifference(shippedTrained, shippedFeatures)).toBeGreaterThan(1e-2);
    expect(maxDifference(tunedTrained, shippedTrained)).toBeLessThan(1e-3);

    // Saved as train.ts saves it: block 16's kernels as float16, not on the TFLite's uint8 grid.
    const { grids } = featureBackbone(TFLITE, 'rows');
    for (const name of [...grids.keys()]) if (name.startsWith('expanded_conv_16_')) grids.delete(name);
    await saveLayersModel(shipped, dir, {
      storageOf: storagePolicy('float16', Object.values(LAST_BLOCK_LAYERS)),
      grids,
    });
    const specs = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights as {
      name: string;
      quantization?: { dtype: string };
    }[];
    const storage = (name: string) => specs.find((s) => s.name === name)?.quantization?.dtype ?? 'float32';
    expect(storage('expanded_conv_16_expand/kernel')).toBe('float16');
    expect(storage('expanded_conv_16_depthwise/depthwise_kernel')).toBe('float16');
    expect(storage('expanded_conv_15_expand/kernel')).toBe('uint8');
    const reloaded = await loadLayersModelFromDir(dir);
    expect(maxDifference(await probabilities(reloaded), after)).toBeLessThan(5e-3);
    tf.dispose([shipped, reloaded].flatMap((m) => m.weights.map((w) => w.read())));
    tuned.dispose();
  }, 120_000);

  it('learns: with labels it cannot yet tell apart, training lowers the loss', async () => {
    const shipped = await loadLayersModelFromDir(SHIPPED);
    const tuned = LastBlockClassifier.from(featureBackbone(TFLITE, 'rows').model, shipped);
    // Labels the shipped model did not learn (every other picture of each class), so there is loss to lose.
    const arbitrary = labels.map((_, i) => i % 2);
    // 0.01: at 0.02 the loss of the head shipped on 2026-12-03 went to NaN in the first epochs.
    const history = await tuned.train(
      [[{ maps, rows: labels.map((_, i) => i), labels: arbitrary }]],
      { epochs: 6, learningRate: 0.01, momentum: 0.85, batchSize: 8, dropout: 0, seed: 1 },
      () => {},
    );
    expect(history).toHaveLength(6);
    expect(history.at(-1)!.trainLoss).toBeLessThan(0.5 * history[0]!.trainLoss);
    tuned.dispose();
  }, 120_000);
});
