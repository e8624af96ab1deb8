import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLASS_NAMES } from '../../src/shared/mask-classifier-spec.ts';

/**
 * The mask-crops data set as `split.csv` fixes it (columns path,label,split,group). The split is by
 * group so that near copies never span two splits; scripts use it as it is and never train or tune on
 * `test`.
 */

/** One picture of the data set. */
export interface MaskPicture {
  /** Path relative to the data directory, as written in split.csv. */
  relativePath: string;
  /** Absolute path. */
  path: string;
  /** Index into CLASS_NAMES. */
  label: number;
  split: string;
  group: string;
}

/** Thrown for a missing data directory, split file or malformed row; the CLIs exit non-zero with it. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** Reads `<dataDir>/split.csv`. */
export function readMaskDataset(dataDir: string): MaskPicture[] {
  const dir = resolve(dataDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new DatasetError(`data directory not found: ${dir}`);
  const csvPath = join(dir, 'split.csv');
  if (!existsSync(csvPath)) throw new DatasetError(`split file not found: ${csvPath}`);
  const lines = readFileSync(csvPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  const column = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new DatasetError(`${csvPath}: no "${name}" column (header: ${header.join(',')})`);
    return i;
  };
  const [pathCol, labelCol, splitCol, groupCol] = ['path', 'label', 'split', 'group'].map(column);
  return lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const label = CLASS_NAMES.indexOf(cells[labelCol] as (typeof CLASS_NAMES)[number]);
    if (label < 0) throw new DatasetError(`${csvPath}:${i + 2}: unknown label "${cells[labelCol]}"`);
    return {
      relativePath: cells[pathCol],
      path: join(dir, cells[pathCol]),
      label,
      split: cells[splitCol],
      group: cells[groupCol] ?? '',
    };
  });
}

/** The pictures of one split, in file order; throws if the split is empty or unknown. */
export function pictures(dataset: MaskPicture[], split: string): MaskPicture[] {
  const chosen = dataset.filter((p) => p.split === split);
  if (chosen.length === 0) {
    const known = [...new Set(dataset.map((p) => p.split))].join(', ');
    throw new DatasetError(`split "${split}" has no pictures (splits in the file: ${known})`);
  }
  return chosen;
}
