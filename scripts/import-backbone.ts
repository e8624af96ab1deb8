/**
 * `npm run import-backbone -- [--tflite FILE] [--out DIR] [IMAGE…]`: imports the ImageNet MobileNetV2
 * from its quantized TFLite file into a float tfjs model, prints its size, then classifies the given
 * pictures (top 5 with ImageNet labels) or, without pictures, checks the five reference photos of
 * ../shared/models/samples/REFERENCE.md and exits 1 on any mismatch. `--out` saves the float model
 * (tfjs layers format, e.g. for inspection; training imports the file itself and needs no saved copy).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { toModelInput } from '../src/shared/mask-classifier-spec.ts';
import { importBackbone } from './classifier/backbone.ts';
import { loadRgb } from './classifier/face-image.ts';
import { saveLayersModel } from './classifier/model-files.ts';
import { useWasmBackend } from './classifier/tf-wasm.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tflite: { type: 'string', default: resolve(ROOT, '../shared/models/mobilenet_v2_1.0_224_quant.tflite') },
    out: { type: 'string' },
  },
});

await useWasmBackend();
let model: tf.LayersModel;
try {
  ({ model } = importBackbone(args.tflite, { includeTop: true }));
} catch (error) {
  process.stderr.write(`import-backbone: ${(error as Error).message}\n`);
  process.exit(2);
}
process.stdout.write(
  `imported ${args.tflite}: ${model.layers.length} layers, ${model.countParams()} parameters\n`,
);

const labelsFile = join(dirname(args.tflite), 'imagenet_labels.txt');
const labels = existsSync(labelsFile) ? readFileSync(labelsFile, 'utf8').split('\n') : [];

/** Class scores of the whole picture resized to 224×224. */
async function scores(path: string): Promise<Float32Array> {
  const x = tf.tensor4d(toModelInput(await loadRgb(path)), [1, 224, 224, 3]);
  const y = model.predict(x) as tf.Tensor;
  const values = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return values;
}

const topOf = (s: Float32Array): number => s.indexOf(Math.max(...s));

if (positionals.length > 0) {
  for (const path of positionals) {
    const s = await scores(path);
    const top = [...s.keys()].sort((a, b) => s[b] - s[a]).slice(0, 5);
    process.stdout.write(
      `${basename(path)}: ${top.map((i) => `${i} ${labels[i] ?? ''} ${s[i].toFixed(3)}`).join('; ')}\n`,
    );
  }
} else {
  const samples = resolve(ROOT, '../shared/models/samples');
  const reference = readFileSync(join(samples, 'REFERENCE.md'), 'utf8').split('## ')[1] ?? '';
  let failures = 0;
  for (const [, file, index] of reference.matchAll(/^\|\s*([\w.-]+\.jpg)\s*\|\s*(\d+)\s*\|/gm)) {
    const s = await scores(join(samples, file));
    const top = topOf(s);
    const ok = top === Number(index);
    if (!ok) failures += 1;
    process.stdout.write(
      `${ok ? 'ok  ' : 'FAIL'} ${file}: top-1 ${top} (${labels[top] ?? ''}, ${s[top].toFixed(2)}), reference ${index}\n`,
    );
  }
  if (failures > 0) process.exit(1);
}

if (args.out !== undefined) {
  await saveLayersModel(model, resolve(args.out), { storageOf: () => 'float32' });
  process.stdout.write(`saved the float model to ${args.out}\n`);
}
