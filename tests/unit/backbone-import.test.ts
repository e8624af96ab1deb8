import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toModelInput } from '../../src/shared/mask-classifier-spec.ts';
import { importBackbone } from '../../scripts/classifier/backbone.ts';
import { loadRgb } from '../../scripts/classifier/face-image.ts';
import { TfliteFormatError, readTflite } from '../../scripts/classifier/tflite-reader.ts';
import { useWasmBackend } from '../../scripts/classifier/tf-wasm.ts';

const SHARED = resolve(import.meta.dirname, '../../../shared');
const TFLITE = join(SHARED, 'models/mobilenet_v2_1.0_224_quant.tflite');
const SAMPLES = join(SHARED, 'models/samples');

/** The "ImageNet top-1" table of samples/REFERENCE.md: file → index, read at run time. */
function referenceTopOne(): [string, number][] {
  const text = readFileSync(join(SAMPLES, 'REFERENCE.md'), 'utf8');
  const section = text.split('## ')[1] ?? '';
  return [...section.matchAll(/^\|\s*([\w.-]+\.jpg)\s*\|\s*(\d+)\s*\|/gm)].map((m) => [m[1], Number(m[2])]);
}

describe('MobileNetV2 import from TFLite', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'maskguard-tflite-'));
  beforeAll(useWasmBackend);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads the graph the shared README describes', () => {
    const graph = readTflite(readFileSync(TFLITE));
    const counts = new Map<number, number>();
    for (const op of graph.operators) counts.set(op.builtinCode, (counts.get(op.builtinCode) ?? 0) + 1);
    // CONV_2D 36, DEPTHWISE_CONV_2D 17, ADD 10, AVERAGE_POOL_2D 1, RESHAPE 1, SOFTMAX 1.
    expect(Object.fromEntries(counts)).toEqual({ 3: 36, 4: 17, 0: 10, 1: 1, 22: 1, 25: 1 });
    expect(graph.tensors[graph.inputs[0]].shape).toEqual([1, 224, 224, 3]);
    expect(graph.tensors[graph.outputs[0]].shape).toEqual([1, 1001]);
  });

  it('gives the reference top-1 ImageNet index on the five sample photos', async () => {
    const reference = referenceTopOne();
    expect(reference).toHaveLength(5);
    const { model } = importBackbone(TFLITE, { includeTop: true });
    const found: [string, number][] = [];
    for (const [file] of reference) {
      const x = tf.tensor4d(toModelInput(await loadRgb(join(SAMPLES, file))), [1, 224, 224, 3]);
      const scores = model.predict(x) as tf.Tensor;
      found.push([file, (await scores.argMax(-1).data())[0]]);
      tf.dispose([x, scores]);
    }
    model.dispose();
    expect(found).toEqual(reference);
  });

  it('drops the ImageNet top to give the 7×7×1280 feature map', () => {
    const { model } = importBackbone(TFLITE, { includeTop: false });
    expect(model.outputs[0].shape).toEqual([null, 7, 7, 1280]);
    model.dispose();
  });

  /**
   * Expects `cut` to be the full backbone (no top) up to `layer`'s input: the same values there for a random
   * image. Disposes `cut`.
   */
  function expectCutBefore(cut: tf.LayersModel, layer: string): void {
    const { model: full } = importBackbone(TFLITE, { includeTop: false });
    const layerInput = tf.model({
      inputs: full.inputs,
      outputs: full.getLayer(layer).input as tf.SymbolicTensor,
    });
    const image = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 7);
    const [a, b] = [cut.predict(image), layerInput.predict(image)] as tf.Tensor[];
    expect(tf.max(tf.abs(tf.sub(a!, b!))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([image, a!, b!]);
    full.dispose();
    cut.dispose();
  }

  it("can also leave out the last 1×1 convolution, giving block 16's 7×7×320 map", () => {
    const { model: cut } = importBackbone(TFLITE, { includeTop: false, withoutLastConvolution: true });
    expect(cut.outputs[0].shape).toEqual([null, 7, 7, 320]);
    expect(cut.layers.map((l) => l.name)).not.toContain('Conv_1');
    expectCutBefore(cut, 'Conv_1');
  });

  it("can also leave out block 16, giving block 15's 7×7×160 map (the input fine-tuning trains on)", () => {
    const { model: cut } = importBackbone(TFLITE, {
      includeTop: false,
      withoutLastConvolution: true,
      withoutLastBlock: true,
    });
    expect(cut.outputs[0].shape).toEqual([null, 7, 7, 160]);
    expect(cut.layers.map((l) => l.name).filter((n) => n.startsWith('expanded_conv_16'))).toEqual([]);
    expectCutBefore(cut, 'expanded_conv_16_expand');
  });

  it('refuses a truncated file with a clear error', () => {
    const bytes = readFileSync(TFLITE);
    // Cuts inside the flatbuffer. (The file's last ~20 KB are a ZIP of the label file appended as TFLite
    // metadata; the graph never points there, so losing them loses nothing the importer reads.)
    for (const length of [6, 1000, Math.floor(bytes.length / 2), Math.floor(bytes.length * 0.99)]) {
      const file = join(scratch, `truncated-${length}.tflite`);
      writeFileSync(file, bytes.subarray(0, length));
      expect(() => importBackbone(file, { includeTop: true })).toThrow(TfliteFormatError);
      expect(() => importBackbone(file, { includeTop: true })).toThrow(
        /truncated|outside the file|bytes of data/,
      );
    }
  });

  it('refuses a file that is not TFLite', () => {
    expect(() => importBackbone(join(SAMPLES, 'cat.jpg'), { includeTop: true })).toThrow(
      /not a TFLite model/,
    );
    expect(() => importBackbone(join(scratch, 'missing.tflite'), { includeTop: true })).toThrow(
      /cannot read/,
    );
  });
});
