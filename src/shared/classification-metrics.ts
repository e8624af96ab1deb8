/**
 * Metrics of a classifier on a labelled set, as the paper defines them (equations 1–4): per class,
 * precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 · precision · recall / (precision + recall),
 * and accuracy = correct / N. Pure, so the evaluation CLI, training and tests share one implementation.
 */

/** `matrix[actual][predicted]` counts. */
export type ConfusionMatrix = number[][];

/** Metrics of one class, treating it as the positive class. */
export interface ClassMetrics {
  name: string;
  /** Number of pictures whose true class is this one. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

/** A full report for one labelled set. */
export interface ClassificationReport {
  n: number;
  accuracy: number;
  classes: ClassMetrics[];
  confusion: ConfusionMatrix;
}

/** Counts (actual, predicted) pairs into a classCount × classCount matrix. */
export function confusionMatrix(
  actual: readonly number[],
  predicted: readonly number[],
  classCount: number,
): ConfusionMatrix {
  if (actual.length !== predicted.length) {
    throw new Error(`${actual.length} labels but ${predicted.length} predictions`);
  }
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (!(a >= 0 && a < classCount && p >= 0 && p < classCount)) {
      throw new Error(`class index out of range at ${i}: actual ${a}, predicted ${p}`);
    }
    matrix[a][p] += 1;
  }
  return matrix;
}

/** A ratio that is 0 rather than NaN when nothing was counted (no positives predicted or present). */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Accuracy and per-class precision, recall and F1 from a confusion matrix. */
export function reportFromConfusion(
  confusion: ConfusionMatrix,
  classNames: readonly string[],
): ClassificationReport {
  const k = classNames.length;
  let n = 0;
  let correct = 0;
  for (let a = 0; a < k; a++) {
    for (let p = 0; p < k; p++) n += confusion[a][p];
    correct += confusion[a][a];
  }
  const classes = classNames.map((name, c): ClassMetrics => {
    const tp = confusion[c][c];
    let predictedAsC = 0;
    let actualC = 0;
    for (let o = 0; o < k; o++) {
      predictedAsC += confusion[o][c];
      actualC += confusion[c][o];
    }
    const precision = ratio(tp, predictedAsC);
    const recall = ratio(tp, actualC);
    return {
      name,
      support: actualC,
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
    };
  });
  return { n, accuracy: ratio(correct, n), classes, confusion };
}

/** Shorthand for {@link reportFromConfusion} of {@link confusionMatrix}. */
export function classificationReport(
  actual: readonly number[],
  predicted: readonly number[],
  classNames: readonly string[],
): ClassificationReport {
  return reportFromConfusion(confusionMatrix(actual, predicted, classNames.length), classNames);
}

/** A plain-text table of a report, as the evaluation CLI prints it. */
export function formatReport(report: ClassificationReport): string {
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const width = Math.max(12, ...report.classes.map((c) => c.name.length));
  const lines = [
    `N = ${report.n}   accuracy = ${pct(report.accuracy)}`,
    '',
    `${'class'.padEnd(width)}  precision     recall         F1   support`,
    ...report.classes.map(
      (c) =>
        `${c.name.padEnd(width)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(9)}  ` +
        `${pct(c.f1).padStart(9)}  ${String(c.support).padStart(8)}`,
    ),
    '',
    `confusion matrix (rows: actual, columns: predicted)`,
    `${''.padEnd(width)}  ${report.classes.map((c) => c.name.padStart(width)).join('  ')}`,
    ...report.classes.map(
      (c, a) =>
        `${c.name.padEnd(width)}  ${report.confusion[a].map((v) => String(v).padStart(width)).join('  ')}`,
    ),
  ];
  return lines.join('\n');
}
