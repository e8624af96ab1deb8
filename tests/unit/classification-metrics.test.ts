import { describe, expect, it } from 'vitest';
import {
  classificationReport,
  confusionMatrix,
  formatReport,
  reportFromConfusion,
} from '../../src/shared/classification-metrics.ts';

const NAMES = ['with_mask', 'without_mask'];

describe('classification metrics (paper equations 1–4)', () => {
  it('counts a confusion matrix with rows actual and columns predicted', () => {
    expect(confusionMatrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], 2)).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  it('computes accuracy, precision, recall and F1 per class', () => {
    // with_mask: TP 8, FN 2 (predicted without), FP 1; without_mask: TP 9, FN 1, FP 2.
    const report = reportFromConfusion(
      [
        [8, 2],
        [1, 9],
      ],
      NAMES,
    );
    expect(report.n).toBe(20);
    expect(report.accuracy).toBeCloseTo(17 / 20, 12);
    const [withMask, withoutMask] = report.classes;
    expect(withMask).toMatchObject({ name: 'with_mask', support: 10 });
    expect(withMask.precision).toBeCloseTo(8 / 9, 12);
    expect(withMask.recall).toBeCloseTo(8 / 10, 12);
    expect(withMask.f1).toBeCloseTo((2 * (8 / 9) * 0.8) / (8 / 9 + 0.8), 12);
    expect(withoutMask.precision).toBeCloseTo(9 / 11, 12);
    expect(withoutMask.recall).toBeCloseTo(9 / 10, 12);
  });

  it('gives 0, not NaN, for a class never predicted or never present', () => {
    const report = classificationReport([0, 0], [0, 0], NAMES);
    expect(report.accuracy).toBe(1);
    expect(report.classes[1]).toEqual({ name: 'without_mask', support: 0, precision: 0, recall: 0, f1: 0 });
  });

  it('rejects mismatched lengths and out-of-range classes', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 labels but 1 predictions/);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/out of range/);
  });

  it('formats N, accuracy, the per-class table and the matrix', () => {
    const text = formatReport(classificationReport([0, 1, 1], [0, 1, 0], NAMES));
    expect(text).toContain('N = 3   accuracy = 66.67%');
    expect(text).toMatch(/without_mask\s+100\.00%\s+50\.00%\s+66\.67%\s+2/);
    expect(text).toContain('confusion matrix');
  });
});
