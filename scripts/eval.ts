/**
 * `npm run eval -- --data DIR [--split test] [--json FILE] [--model DIR]`: runs the shipped mask
 * classifier on one split of a data set laid out like mask-crops (DIR/split.csv) and prints N, accuracy,
 * per-class precision / recall / F1 (the paper's equations 1–4) and the confusion matrix.
 * Unreadable pictures are counted and listed, not fatal; a missing directory, split file or model exits 2.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { classificationReport, formatReport } from '../src/shared/classification-metrics.ts';
import { CLASS_NAMES, WITHOUT_MASK_THRESHOLD, decideMaskClass } from '../src/shared/mask-classifier-spec.ts';
import { runInference } from './classifier/inference-pool.ts';
import { DatasetError, pictures, readMaskDataset, type MaskPicture } from './classifier/mask-dataset.ts';

const ROOT = resolve(import.meta.dirname, '..');
const USAGE =
  'usage: npm run eval -- --data DIR [--split test|val|train|all] [--json FILE] [--model DIR] [--workers N]';

function fail(message: string): never {
  process.stderr.write(`eval: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      data: { type: 'string' },
      split: { type: 'string', default: 'test' },
      json: { type: 'string' },
      model: { type: 'string', default: join(ROOT, 'public/models/mask-classifier') },
      workers: { type: 'string', default: String(availableParallelism()) },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (args.data === undefined) fail('--data is required');
const modelDir = resolve(args.model);
if (!existsSync(join(modelDir, 'model.json'))) fail(`no model.json in ${modelDir} (run npm run train first)`);
const workers = Number(args.workers);
if (!Number.isInteger(workers) || workers < 1) fail('--workers must be a positive integer');

let chosen: MaskPicture[];
try {
  const dataset = readMaskDataset(args.data);
  chosen = args.split === 'all' ? dataset : pictures(dataset, args.split);
} catch (error) {
  if (error instanceof DatasetError) fail(error.message);
  throw error;
}

const started = performance.now();
const result = await runInference(
  { kind: 'classifier', modelDir },
  chosen.map((p) => ({ path: p.path, seed: null })),
  { workers, label: `${args.split} (${chosen.length} pictures)` },
);
const seconds = (performance.now() - started) / 1000;
const kept = chosen.map((_, i) => i).filter((i) => !result.failed.has(i));
const report = classificationReport(
  kept.map((i) => chosen[i].label),
  kept.map((i) => CLASS_NAMES.indexOf(decideMaskClass(result.outputs.subarray(i * 2, i * 2 + 2)))),
  CLASS_NAMES,
);
const unreadable = [...result.failed].map(([i, message]) => ({ path: chosen[i].relativePath, message }));

process.stdout.write(
  `model ${relative(ROOT, modelDir) || '.'}, data ${args.data}, split ${args.split}, ` +
    `threshold P(without_mask) ≥ ${WITHOUT_MASK_THRESHOLD}\n\n${formatReport(report)}\n`,
);
process.stdout.write(`\nunreadable pictures: ${unreadable.length}\n`);
for (const u of unreadable) process.stdout.write(`  ${u.path}: ${u.message}\n`);
process.stdout.write(`(${seconds.toFixed(1)} s, ${workers} workers)\n`);

if (args.json !== undefined) {
  const misclassified = kept
    .map((i) => ({
      path: chosen[i].relativePath,
      actual: CLASS_NAMES[chosen[i].label],
      probabilities: [...result.outputs.subarray(i * 2, i * 2 + 2)],
    }))
    .filter((m) => decideMaskClass(m.probabilities) !== m.actual);
  writeFileSync(
    args.json,
    `${JSON.stringify({ model: modelDir, data: resolve(args.data), split: args.split, threshold: WITHOUT_MASK_THRESHOLD, ...report, unreadable, misclassified }, null, 2)}\n`,
  );
}
