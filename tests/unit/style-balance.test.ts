import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/classifier/augment.ts';
import { styleWeights, weightedRows, type PictureStyle } from '../../scripts/classifier/style-balance.ts';

/** Masked (label 0): mostly small and dim; unmasked (label 1): mostly mid-sized and bright. */
function confounded(): { styles: PictureStyle[]; labels: number[] } {
  const styles: PictureStyle[] = [];
  const labels: number[] = [];
  const add = (label: number, n: number, style: PictureStyle) => {
    for (let i = 0; i < n; i++) {
      styles.push({ ...style, luma: style.luma + (i % 5) });
      labels.push(label);
    }
  };
  add(0, 60, { side: 100, luma: 70 });
  add(0, 40, { side: 150, luma: 150 });
  add(1, 20, { side: 100, luma: 70 });
  add(1, 80, { side: 150, luma: 150 });
  return { styles, labels };
}

/** Weighted share of small, dim pictures within `label`. */
function smallDimShare(styles: PictureStyle[], labels: number[], weights: number[], label: number): number {
  let small = 0;
  let all = 0;
  styles.forEach((s, i) => {
    if (labels[i] !== label) return;
    all += weights[i]!;
    if (s.side <= 120) small += weights[i]!;
  });
  return small / all;
}

describe('style balance', () => {
  it('gives both classes the same mix of picture size and brightness, each class keeping its weight', () => {
    const { styles, labels } = confounded();
    const ones = labels.map(() => 1);
    expect(smallDimShare(styles, labels, ones, 0)).toBeCloseTo(0.6);
    expect(smallDimShare(styles, labels, ones, 1)).toBeCloseTo(0.2);
    const weights = styleWeights(styles, labels);
    // Pooled, 80 of 200 pictures are small and dim: both classes now have that share.
    expect(smallDimShare(styles, labels, weights, 0)).toBeCloseTo(0.4, 5);
    expect(smallDimShare(styles, labels, weights, 1)).toBeCloseTo(0.4, 5);
    for (const label of [0, 1]) {
      const own = weights.filter((_, i) => labels[i] === label);
      expect(own.reduce((a, b) => a + b, 0) / own.length).toBeCloseTo(1, 10);
    }
  });

  it('keeps every weight within bounds when a class has almost none of a style', () => {
    const styles: PictureStyle[] = [
      ...Array.from({ length: 99 }, () => ({ side: 150, luma: 150 })),
      { side: 100, luma: 60 },
      ...Array.from({ length: 50 }, () => ({ side: 100, luma: 60 })),
      ...Array.from({ length: 50 }, () => ({ side: 150, luma: 150 })),
    ];
    const labels = [...Array<number>(100).fill(1), ...Array<number>(100).fill(0)];
    const weights = styleWeights(styles, labels);
    // The one small, dim unmasked picture would weigh 51/200 ÷ 1/100 = 25.5 against the others' 149/200 ÷
    // 99/100 = 0.753; it is held at 4, and then the class is rescaled to average 1 (by 0.785).
    const others = 149 / 200 / (99 / 100);
    const mean = (99 * others + 4) / 100;
    expect(weights[99]).toBeCloseTo(4 / mean, 10);
    expect(weights[0]).toBeCloseTo(others / mean, 10);
  });

  it('draws an epoch with each row about as often as its weight', () => {
    const weights = [0, 0.5, 1, 2.5];
    const counts = [0, 0, 0, 0];
    const random = seededRandom(7);
    for (let epoch = 0; epoch < 2000; epoch++)
      for (const row of weightedRows(weights, random)) counts[row]!++;
    expect(counts[0]).toBe(0);
    expect(counts[1]! / 2000).toBeCloseTo(0.5, 1);
    expect(counts[2]).toBe(2000);
    expect(counts[3]! / 2000).toBeCloseTo(2.5, 1);
  });
});
