/**
 * `npx tsx scripts/appearance-similarity.ts [--split train] [--limit 900] [--frames 3]`
 *
 * Measures how well the classifier's appearance vectors (APPEARANCE_LAYER: the features its head reads) tell
 * two people apart, the way the tracker compares them (rule 5, minAppearanceSimilarity in
 * src/shared/tracking/options.ts): the cosine similarity of two MEANS of `--frames` unit vectors each.
 * - same person a moment later: one picture's copies moved, zoomed, turned, re-lit and blurred as from one
 *   frame to the next (the training augmentation, tamed, no flip), `--frames` against `--frames` others;
 * - one person at other times: two pictures of one person-series group (other photos, light, years);
 * - two people: pictures of different groups with the same label, masked and unmasked apart.
 * Prints the share of each below a range of thresholds. Never run on the test split.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { APPEARANCE_LAYER, INPUT_SIZE, toModelInput } from '../src/shared/mask-classifier-spec.ts';
import { augment, seededRandom, shuffleInPlace, type AugmentationRanges } from './classifier/augment.ts';
import { loadRgb } from './classifier/face-image.ts';
import { pictures, readMaskDataset } from './classifier/mask-dataset.ts';
import { loadLayersModelFromDir } from './classifier/model-files.ts';
import { useWasmBackend } from './classifier/tf-wasm.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    split: { type: 'string', default: 'train' },
    limit: { type: 'string', default: '900' },
    frames: { type: 'string', default: '3' },
  },
});
if (args.split === 'test') throw new Error('choices are never made on the test split');
const frames = Number(args.frames);

/** From one frame to the next at a door: a little motion, turn, light and focus change. */
const NEXT_FRAME: AugmentationRanges = {
  rotationDegrees: 8,
  shearRadians: 0,
  zoom: 0.1,
  shift: 0.08,
  contrast: 0.15,
  blurProbability: 0.3,
  blurSigma: [0.5, 1.2],
};

await useWasmBackend();
const model = await loadLayersModelFromDir(join(ROOT, 'public/models/mask-classifier'));
const features = tf.model({
  inputs: model.inputs,
  outputs: model.getLayer(APPEARANCE_LAYER).output as tf.SymbolicTensor,
});
const chosen = shuffleInPlace(
  pictures(readMaskDataset(join(ROOT, '../shared/data/mask-crops')), args.split!),
  seededRandom(3),
).slice(0, Number(args.limit));

/** The sum of `vectors` made unit length each (its direction is the mean's). */
function meanLook(values: Float32Array, from: number, to: number, size: number): Float32Array {
  const sum = new Float32Array(size);
  for (let c = from; c < to; c++) {
    const row = values.subarray(c * size, (c + 1) * size);
    const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
    for (let i = 0; i < size; i++) sum[i]! += row[i]! / norm;
  }
  return sum;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

const first: Float32Array[] = [];
const second: Float32Array[] = [];
const per = INPUT_SIZE * INPUT_SIZE * 3;
for (const [index, picture] of chosen.entries()) {
  const rgb = await loadRgb(picture.path);
  const copies = await Promise.all(
    Array.from({ length: 2 * frames }, (_, c) =>
      augment(new Uint8Array(rgb), INPUT_SIZE, 77 + index * 31 + c, NEXT_FRAME),
    ),
  );
  const input = new Float32Array(2 * frames * per);
  copies.forEach((copy, i) => input.set(toModelInput(copy), i * per));
  const output = tf.tidy(
    () => features.predict(tf.tensor4d(input, [2 * frames, INPUT_SIZE, INPUT_SIZE, 3])) as tf.Tensor,
  );
  const values = (await output.data()) as Float32Array;
  output.dispose();
  const size = values.length / (2 * frames);
  first.push(meanLook(values, 0, frames, size));
  second.push(meanLook(values, frames, 2 * frames, size));
  if (index % 100 === 0) process.stderr.write(`${index} of ${chosen.length} pictures\n`);
}

const same = first.map((a, i) => cosine(a, second[i]!)).sort((x, y) => x - y);
const series: number[] = [];
const masked: number[] = [];
const unmasked: number[] = [];
for (let i = 0; i < chosen.length; i++) {
  for (let j = i + 1; j < chosen.length; j++) {
    const [a, b] = [chosen[i]!, chosen[j]!];
    if (a.group === b.group) {
      if (a.group.startsWith('person-')) series.push(cosine(first[i]!, second[j]!));
    } else if (a.label === b.label) {
      (a.label === 0 ? masked : unmasked).push(cosine(first[i]!, second[j]!));
    }
  }
}
const at = (share: number) => same[Math.floor(share * same.length)]!.toFixed(3);
console.log(
  `${args.split}, ${chosen.length} pictures, means of ${frames} faces. Same person a moment later: lowest ` +
    `${same[0]!.toFixed(3)}, 0.5th percentile ${at(0.005)}, 1st ${at(0.01)}, 5th ${at(0.05)}`,
);
const below = (values: number[], threshold: number) =>
  `${((100 * values.filter((v) => v < threshold).length) / values.length).toFixed(1)} % of ${values.length}`;
for (const threshold of [0.5, 0.55, 0.6, 0.65, 0.7, 0.75]) {
  console.log(
    `below ${threshold}: same person ${below(same, threshold)}; one person at other times ${below(series, threshold)}; ` +
      `two masked people ${below(masked, threshold)}; two unmasked ${below(unmasked, threshold)}`,
  );
}
