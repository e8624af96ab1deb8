import sharp from 'sharp';

/**
 * Style balance (`npm run train -- --balance-style`): in mask-crops the two classes differ in more than the
 * mask. Train split, 10th / 25th / 50th percentile: longest side with_mask 91 / 112 / 198 px, without_mask
 * 137 / 144 / 153 px; mean grey level with_mask 79 / 101 / 127, without_mask 95 / 113 / 132. Small, dim
 * pictures are mostly masked, so "soft and dark" can pass for "mask" — what the door photos' dim, bearded faces
 * are read as. Each picture gets a weight that makes both classes' mix of (size, brightness) the same: the
 * share of its style cell among all pictures over its share within its class.
 */
export interface PictureStyle {
  /** Longest side of the stored picture, px. */
  side: number;
  /** Mean grey level, 0–255. */
  luma: number;
}

/** Reads a picture's style: its longest side and its mean grey level. */
export async function pictureStyle(path: string): Promise<PictureStyle> {
  const image = sharp(path);
  const { width, height } = await image.metadata();
  const stats = await image.greyscale().stats();
  return { side: Math.max(width ?? 0, height ?? 0), luma: stats.channels[0]!.mean };
}

/** Upper edges of the size cells (px); the last cell is open. */
const SIDE_EDGES = [120, 200];
/** Brightness cells: the pooled quartiles of the pictures' mean grey level. */
const LUMA_CELLS = 4;
/** Weights are kept within these bounds so that a rare cell does not dominate an epoch. */
const MIN_WEIGHT = 0.25;
const MAX_WEIGHT = 4;

/**
 * One weight per picture (same order as `styles` and `labels`), averaging 1 within each class: a picture's
 * weight is the share of its (size, brightness) cell among all pictures over its share within its own class,
 * clamped to [0.25, 4] and rescaled so each class keeps its total weight.
 */
export function styleWeights(styles: readonly PictureStyle[], labels: readonly number[]): number[] {
  if (styles.length !== labels.length) throw new Error('styleWeights: one style per label');
  const lumas = styles.map((s) => s.luma).sort((a, b) => a - b);
  const lumaEdges = Array.from(
    { length: LUMA_CELLS - 1 },
    (_, k) => lumas[Math.floor(((k + 1) * lumas.length) / LUMA_CELLS)]!,
  );
  const cellOf = (s: PictureStyle): string => {
    const side = SIDE_EDGES.filter((edge) => s.side > edge).length;
    const luma = lumaEdges.filter((edge) => s.luma >= edge).length;
    return `${side}:${luma}`;
  };
  const cells = styles.map(cellOf);
  const count = (keep: (i: number) => boolean) => {
    const counts = new Map<string, number>();
    let total = 0;
    cells.forEach((cell, i) => {
      if (!keep(i)) return;
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
      total++;
    });
    return { counts, total };
  };
  const pooled = count(() => true);
  const classes = [...new Set(labels)];
  const weights = new Array<number>(labels.length).fill(1);
  for (const label of classes) {
    const own = count((i) => labels[i] === label);
    const members = labels.map((l, i) => (l === label ? i : -1)).filter((i) => i >= 0);
    for (const i of members) {
      const share = pooled.counts.get(cells[i]!)! / pooled.total;
      const ownShare = own.counts.get(cells[i]!)! / own.total;
      weights[i] = Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, share / ownShare));
    }
    const mean = members.reduce((sum, i) => sum + weights[i]!, 0) / members.length;
    for (const i of members) weights[i] = weights[i]! / mean;
  }
  return weights;
}

/**
 * The rows of one epoch for per-row `weights` (mean about 1): row i appears floor(w) times, and once more with
 * probability w − floor(w), drawn from `random`; the epoch has about as many rows as without weights.
 */
export function weightedRows(weights: readonly number[], random: () => number): number[] {
  const rows: number[] = [];
  weights.forEach((w, i) => {
    const times = Math.floor(w) + (random() < w - Math.floor(w) ? 1 : 0);
    for (let k = 0; k < times; k++) rows.push(i);
  });
  return rows;
}
