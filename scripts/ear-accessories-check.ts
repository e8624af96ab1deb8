/**
 * `npx tsx scripts/ear-accessories-check.ts [--data .cache/app-crops] [--split val] [--model DIR] [--probes ears|framing]`
 *
 * Does the classifier read things worn at the ears as a mask? Paints earphone cables, over-ear headphones and
 * a control line (classifier/ear-accessories.ts) onto every picture of one split as the app cuts it (`npm run
 * app-crops`), and prints per probe and class how many pictures the classifier reads masked at the app's
 * threshold, and how many changed class. Never on the test split. Single process, tfjs wasm (about 4 minutes
 * for val on this machine: seven probes of 613 pictures).
 *
 * `--probes framing` asks the same of where the face sits: fixed windows of 0.8 and 0.7 of the side, centred,
 * at the top (chin cut) or at the bottom (forehead cut), resized back (classifier/reframe.ts).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {
  CLASS_NAMES,
  INPUT_SIZE,
  decideMaskClass,
  toModelInput,
} from '../src/shared/mask-classifier-spec.ts';
import { EAR_PROBES } from './classifier/ear-accessories.ts';
import { loadRgb } from './classifier/face-image.ts';
import { FRAMING_PROBES } from './classifier/reframe.ts';
import { pictures, readMaskDataset } from './classifier/mask-dataset.ts';
import { loadLayersModelFromDir } from './classifier/model-files.ts';
import { useWasmBackend } from './classifier/tf-wasm.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(ROOT, '.cache/app-crops') },
    split: { type: 'string', default: 'val' },
    model: { type: 'string', default: join(ROOT, 'public/models/mask-classifier') },
    probes: { type: 'string', default: 'ears' },
  },
});
const PROBE_SETS = { ears: EAR_PROBES, framing: FRAMING_PROBES };
if (!(args.probes in PROBE_SETS)) throw new Error('--probes must be ears or framing');
if (args.split === 'test') throw new Error('choices are never made on the test split: use val or train');

await useWasmBackend();
const model = await loadLayersModelFromDir(resolve(args.model));
const chosen = pictures(readMaskDataset(resolve(args.data)), args.split);
const probes = Object.entries(PROBE_SETS[args.probes as keyof typeof PROBE_SETS]);
/** Whether each picture (in `chosen`'s order) reads unmasked, per probe. */
const readsUnmasked = probes.map((): boolean[] => []);
const BATCH = 16;
for (let start = 0; start < chosen.length; start += BATCH) {
  const batch = await Promise.all(chosen.slice(start, start + BATCH).map((picture) => loadRgb(picture.path)));
  probes.forEach(([, paint], k) => {
    const painted = batch.map((rgb) => paint(rgb, INPUT_SIZE));
    const probs = tf.tidy(() => {
      const pixels = new Float32Array(painted.length * INPUT_SIZE * INPUT_SIZE * 3);
      painted.forEach((rgb, i) => pixels.set(toModelInput(rgb), i * INPUT_SIZE * INPUT_SIZE * 3));
      const input = tf.tensor4d(pixels, [painted.length, INPUT_SIZE, INPUT_SIZE, 3]);
      return (model.predict(input) as tf.Tensor).arraySync() as number[][];
    });
    readsUnmasked[k]!.push(...probs.map((p) => decideMaskClass(p) === 'without_mask'));
  });
  process.stderr.write(`\r${Math.min(start + BATCH, chosen.length)}/${chosen.length} pictures`);
}
process.stderr.write('\n');

for (const [index, label] of CLASS_NAMES.entries()) {
  const rows = chosen.flatMap((picture, i) => (picture.label === index ? [i] : []));
  console.log(`\n${label} (${rows.length} pictures of ${args.split})`);
  probes.forEach(([name], k) => {
    const read = rows.filter((i) => !readsUnmasked[k]![i]).length;
    const changed = rows.filter((i) => readsUnmasked[k]![i] !== readsUnmasked[0]![i]).length;
    console.log(`  ${name.padEnd(42)} read masked ${String(read).padStart(4)}   changed class ${changed}`);
  });
}
