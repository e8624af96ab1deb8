/**
 * `npx tsx scripts/appearance-calibration.ts [--pictures 300]`: how far apart the shipped classifier's features
 * (a face's appearance, src/shared/tracking/appearance.ts) lie for one face a moment later and for two people,
 * on the validation split of ../shared/data/mask-crops (never test). Prints cosine distances of unit features:
 * - "same face": each picture against itself shifted by up to 8 % of its side, 0–15 % smaller, 10 % brighter
 *   or darker (three copies each);
 * - "same person, other picture": two pictures of one group (a photo series of one person);
 * - "different people": two pictures of different groups with the same label;
 * and, per threshold, the share of each at or above it (APPEARANCE_SPLIT_DISTANCE is chosen from this).
 * Runs the model in Node (tfjs wasm); the crops are the data set's own (tight) pictures, not the app's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { FEATURES_LAYER, INPUT_SIZE, toModelInput } from '../src/shared/mask-classifier-spec.ts';
import { cosineDistance, unitRows } from '../src/shared/tracking/appearance.ts';
import { SHARED_DIR } from '../tests/helpers/browser.ts';
import { readMaskDataset, pictures } from './classifier/mask-dataset.ts';
import { useWasmBackend } from './classifier/tf-wasm.ts';

const { values: args } = parseArgs({ options: { pictures: { type: 'string', default: '300' } } });
const COPIES = 3;
const dataDir = join(SHARED_DIR, 'data/mask-crops');
const modelDir = join(import.meta.dirname, '../public/models/mask-classifier');

await useWasmBackend();
const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
const weights = readFileSync(join(modelDir, json.weightsManifest[0].paths[0]));
const model = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }),
);
const features = tf.model({
  inputs: model.inputs,
  outputs: model.getLayer(FEATURES_LAYER).output as tf.SymbolicTensor,
});

// A fixed sequence, so that every run measures the same copies.
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

async function crop(path: string, jitter: boolean): Promise<Float32Array> {
  const { width = 0, height = 0 } = await sharp(path).metadata();
  const side = Math.min(width, height) * (jitter ? 1 - random() * 0.15 : 1);
  const place = (extent: number) =>
    Math.max(
      0,
      Math.min(
        extent - Math.round(side),
        Math.round((extent - side) / 2 + (jitter ? (random() - 0.5) * 0.16 * side : 0)),
      ),
    );
  const raw = await sharp(path)
    .extract({ left: place(width), top: place(height), width: Math.round(side), height: Math.round(side) })
    .resize(INPUT_SIZE, INPUT_SIZE, { fit: 'fill' })
    .linear(jitter ? 1 + (random() - 0.5) * 0.2 : 1, 0)
    .removeAlpha()
    .raw()
    .toBuffer();
  return toModelInput(raw);
}

const chosen = pictures(readMaskDataset(dataDir), 'val').slice(0, Number(args.pictures));
const seen: { group: string; label: number; copies: Float32Array[] }[] = [];
for (const [i, picture] of chosen.entries()) {
  const path = picture.path;
  const inputs = [await crop(path, false)];
  for (let k = 0; k < COPIES; k++) inputs.push(await crop(path, true));
  const batch = new Float32Array(inputs.length * inputs[0]!.length);
  inputs.forEach((input, k) => batch.set(input, k * input.length));
  const output = tf.tidy(
    () => features.predict(tf.tensor4d(batch, [inputs.length, INPUT_SIZE, INPUT_SIZE, 3])) as tf.Tensor,
  );
  const rows = unitRows((await output.data()) as Float32Array, inputs.length);
  output.dispose();
  if (rows.some((row) => row === undefined)) continue;
  seen.push({ group: picture.group, label: picture.label, copies: rows as Float32Array[] });
  if ((i + 1) % 50 === 0) process.stderr.write(`${i + 1} / ${chosen.length} pictures\n`);
}

const sameFace = seen.flatMap((s) => s.copies.slice(1).map((copy) => cosineDistance(s.copies[0]!, copy)));
const samePerson: number[] = [];
const different: number[] = [];
for (let a = 0; a < seen.length; a++)
  for (let b = a + 1; b < seen.length; b++) {
    if (seen[a]!.label !== seen[b]!.label) continue;
    const distance = cosineDistance(seen[a]!.copies[0]!, seen[b]!.copies[1]!);
    (seen[a]!.group === seen[b]!.group ? samePerson : different).push(distance);
  }
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const row = (name: string, values: number[]) =>
  `| ${name} | ${values.length} | ${[0.01, 0.5, 0.99].map((q) => quantile(values, q).toFixed(3)).join(' | ')} | ${Math.max(...values).toFixed(3)} |`;
console.log(
  `${seen.length} validation pictures, the shipped classifier's "${FEATURES_LAYER}" layer, cosine distance\n`,
);
console.log('| pairs | n | 1st pct | median | 99th pct | max |\n|---|---|---|---|---|---|');
console.log(row('same face, shifted', sameFace));
console.log(row('same person, other picture', samePerson));
console.log(row('different people, same label', different));
console.log('\n| threshold | same face at or above | different people at or above |\n|---|---|---|');
for (const t of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
  const share = (values: number[]) =>
    `${((100 * values.filter((d) => d >= t).length) / values.length).toFixed(1)} %`;
  console.log(`| ${t.toFixed(2)} | ${share(sameFace)} | ${share(different)} |`);
}
