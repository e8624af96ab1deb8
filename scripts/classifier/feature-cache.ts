import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INPUT_SIZE } from '../../src/shared/mask-classifier-spec.ts';
import { AUGMENTATIONS, DEFAULT_AUGMENTATION, DOOR_AUGMENTATION } from './augment.ts';
import { DOMAIN_SHIFT_VERSION } from './domain-shifts.ts';
import type { InferenceItem } from './inference-protocol.ts';
import type { FeatureLayout } from './mask-classifier-model.ts';
import { runInference, type InferenceOptions, type InferenceResult } from './inference-pool.ts';

/**
 * Backbone features of pictures and augmented copies, cached under `.cache/mask-features/`. The backbone
 * is frozen, so a copy's features never change unless the picture list or a picture's bytes, a seed, the
 * backbone file, the feature layout, the augmentation ranges or the feature code changes. All but the last
 * are hashed into the key; the code is covered by {@link FEATURE_CODE_VERSION}. `--no-cache` (a retrain from scratch)
 * recomputes everything.
 */

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const CACHE_DIR = join(PROJECT_ROOT, '.cache', 'mask-features');
/** SHA-256 of a picture file's bytes ('unreadable' when it cannot be read: its features fail anyway). */
function contentHash(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return 'unreadable';
  }
}

/**
 * Bump when decoding (face-image.ts), augmentation (augment.ts) or the backbone import changes what a
 * picture's features are, so stale cache entries are never reused.
 */
export const FEATURE_CODE_VERSION = 1;

/** The cache file's key for a set of items (exported for its unit test). */
export function cacheKey(tflitePath: string, items: InferenceItem[], layout: FeatureLayout): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(tflitePath));
  hash.update(JSON.stringify({ FEATURE_CODE_VERSION, INPUT_SIZE, DEFAULT_AUGMENTATION }));
  // Only layouts other than the paper's hash their name, so the paper layout's keys stay what they were.
  if (layout !== 'paper') hash.update(`layout ${layout}`);
  // Only sets that use the door recipe or a domain shift hash those, so the paper recipe's keys (and
  // cache files) stay what they were.
  if (
    items.some(
      (item) =>
        (item.augmentation !== undefined && item.augmentation !== 'paper') || item.shift !== undefined,
    )
  ) {
    hash.update(JSON.stringify({ DOOR_AUGMENTATION, DOMAIN_SHIFT_VERSION }));
  }
  // Recipes after the door one hash their ranges too (the door recipe's keys stay what they were).
  const later = [...new Set(items.map((item) => item.augmentation))].filter(
    (name) => name !== undefined && name !== 'paper' && name !== 'door',
  );
  if (later.length > 0) hash.update(JSON.stringify(later.map((name) => [name, AUGMENTATIONS[name!]])));
  for (const item of items) {
    const extra = `${item.augmentation === undefined || item.augmentation === 'paper' ? '' : `\0${item.augmentation}`}${item.shift === undefined ? '' : `\0${item.shift}`}`;
    // The picture's bytes as well as its path: generated pictures (npm run app-crops) are cut again in place
    // when the detector or the margin changes, and must not be read from the cache as they were.
    hash.update(`${item.path}\0${contentHash(item.path)}\0${item.seed ?? '-'}${extra}\n`);
  }
  return hash.digest('hex').slice(0, 20);
}

/** A named list of pictures (or augmented copies) whose features are cached together. */
export interface FeatureSet {
  name: string;
  items: InferenceItem[];
}

/** Features of one {@link FeatureSet}: row i belongs to item i; failed rows are NaN. */
export interface SetFeatures {
  features: Float32Array;
  featureSize: number;
  failed: Map<number, string>;
}

/**
 * Features of every set from the backbone at `tflitePath`. Sets found in the cache are read from disk;
 * all the others go through the pool in one run, so its start-up cost is paid once.
 */
export async function backboneFeatures(
  tflitePath: string,
  sets: FeatureSet[],
  options: InferenceOptions & { useCache: boolean; layout: FeatureLayout },
): Promise<SetFeatures[]> {
  const files = sets.map((set) =>
    join(CACHE_DIR, `${set.name}-${cacheKey(tflitePath, set.items, options.layout)}`),
  );
  const results: (SetFeatures | undefined)[] = sets.map((set, i) => {
    const file = files[i];
    if (!options.useCache || !existsSync(`${file}.json`) || !existsSync(`${file}.bin`)) return undefined;
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as {
      featureSize: number;
      failed: [number, string][];
    };
    const bytes = readFileSync(`${file}.bin`);
    const features = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    if (features.length !== set.items.length * meta.featureSize) return undefined;
    return { features, featureSize: meta.featureSize, failed: new Map(meta.failed) };
  });
  const missing = sets.map((_, i) => i).filter((i) => results[i] === undefined);
  const cached = sets.length - missing.length;
  if (cached > 0) process.stderr.write(`features: ${cached} of ${sets.length} sets read from the cache\n`);
  if (missing.length > 0) {
    const items = missing.flatMap((i) => sets[i].items);
    const run: InferenceResult = await runInference(
      { kind: 'backbone-features', tflitePath, layout: options.layout },
      items,
      options,
    );
    mkdirSync(CACHE_DIR, { recursive: true });
    let start = 0;
    for (const i of missing) {
      const count = sets[i].items.length;
      const features = run.outputs.slice(start * run.outputSize, (start + count) * run.outputSize);
      const failed = new Map<number, string>();
      for (const [index, message] of run.failed) {
        if (index >= start && index < start + count) failed.set(index - start, message);
      }
      start += count;
      writeFileSync(`${files[i]}.bin`, new Uint8Array(features.buffer));
      writeFileSync(`${files[i]}.json`, JSON.stringify({ featureSize: run.outputSize, failed: [...failed] }));
      results[i] = { features, featureSize: run.outputSize, failed };
    }
  }
  return results as SetFeatures[];
}
