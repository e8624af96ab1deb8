import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classificationReport } from '../../src/shared/classification-metrics.ts';
import { CLASS_NAMES, decideMaskClass } from '../../src/shared/mask-classifier-spec.ts';
import { runInference } from '../../scripts/classifier/inference-pool.ts';
import { pictures, readMaskDataset } from '../../scripts/classifier/mask-dataset.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const MODEL_DIR = join(ROOT, 'public/models/mask-classifier');
const DATA = resolve(ROOT, '../shared/data/mask-crops');

describe('shipped mask classifier on the test split', () => {
  it(
    'reaches at least 98.5 % accuracy on all 825 test pictures',
    async () => {
      expect(existsSync(join(MODEL_DIR, 'model.json')), 'the shipped model is committed').toBe(true);
      const test = pictures(readMaskDataset(DATA), 'test');
      // Two processes with a wasm backend each: about a minute on this two-core machine.
      const result = await runInference(
        { kind: 'classifier', modelDir: MODEL_DIR },
        test.map((p) => ({ path: p.path, seed: null })),
        { workers: 2 },
      );
      expect([...result.failed.values()]).toEqual([]);
      const report = classificationReport(
        test.map((p) => p.label),
        test.map((_, i) => CLASS_NAMES.indexOf(decideMaskClass(result.outputs.subarray(i * 2, i * 2 + 2)))),
        CLASS_NAMES,
      );
      expect(report.n).toBe(825);
      expect(report.accuracy).toBeGreaterThanOrEqual(0.985);
    },
    15 * 60_000,
  );
});
