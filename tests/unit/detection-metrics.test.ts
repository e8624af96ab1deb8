import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  e2eFailures,
  e2eMetrics,
  matchFaces,
  type PredictedFace,
  type ScoredClass,
  wilsonInterval,
} from '../../src/shared/detection-metrics.ts';

const box = (x: number, y: number, size = 40) => ({ x, y, width: size, height: size });
function predicted(
  x: number,
  y: number,
  label: ScoredClass,
  p: number,
  detScore = 0.9,
  size = 40,
): PredictedFace {
  const probs = {
    with_mask: label === 'with_mask' ? p : 1 - p,
    without_mask: label === 'without_mask' ? p : 1 - p,
  };
  return { box: box(x, y, size), detScore, label, probs };
}
const OPTIONS = { iouThreshold: 0.5, minHeight: 0 };

describe('matchFaces', () => {
  it('lets the higher-scoring prediction take a shared truth box', () => {
    expect(matchFaces([box(0, 0)], [box(2, 0), box(1, 0)], [0.6, 0.9], 0.5)).toEqual([-1, 0]);
  });
  it('does not match below the IoU threshold', () => {
    expect(matchFaces([box(0, 0)], [box(30, 30)], [1], 0.5)).toEqual([-1]);
  });
  it('prefers a counted face to an ignored one it overlaps more', () => {
    // The prediction sits on the ignored face (IoU 1) and overlaps the counted one enough (IoU 0.6).
    const ignoredFace = box(0, 0);
    const countedFace = box(5, 0);
    expect(matchFaces([ignoredFace, countedFace], [box(0, 0)], [1], 0.5, [true, false])).toEqual([1]);
    expect(matchFaces([ignoredFace, countedFace], [box(0, 0)], [1], 0.5)).toEqual([0]);
  });
});

describe('averagePrecision', () => {
  it('is 1 for perfect ranking and less when a false positive ranks first', () => {
    expect(averagePrecision([true, true], 2)).toBe(1);
    expect(averagePrecision([false, true], 1)).toBe(0.5);
    expect(averagePrecision([true, false], 2)).toBe(0.5);
  });
});

describe('e2eMetrics', () => {
  it('counts recall, precision and accuracy on matched faces', () => {
    const m = e2eMetrics(
      [
        {
          truth: [
            { box: box(0, 0), name: 'with_mask' },
            { box: box(100, 0), name: 'without_mask' },
          ],
          predicted: [
            predicted(1, 1, 'with_mask', 0.9),
            predicted(101, 0, 'with_mask', 0.6),
            predicted(300, 300, 'without_mask', 0.8, 0.5),
          ],
        },
        { truth: [{ box: box(0, 0), name: 'without_mask' }], predicted: [] },
      ],
      OPTIONS,
    );
    expect(m).toMatchObject({ faces: 3, predictions: 3, matched: 2, classified: 2, correct: 1 });
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.classificationAccuracy).toBeCloseTo(0.5);
    expect(m.ap.with_mask).toBeCloseTo(1); // one with_mask face, found with the best with_mask score
    expect(m.ap.without_mask).toBeLessThan(0.5);
  });

  it('ignores small faces and their predictions when asked, and does not score mask_weared_incorrect', () => {
    const images = [
      {
        truth: [
          { box: box(0, 0, 20), name: 'without_mask' },
          { box: box(100, 0), name: 'mask_weared_incorrect' },
        ],
        predicted: [predicted(0, 0, 'with_mask', 0.9, 0.9, 20), predicted(100, 0, 'with_mask', 0.9)],
      },
    ];
    const all = e2eMetrics(images, OPTIONS);
    expect(all).toMatchObject({ faces: 2, matched: 2, classified: 1 });
    expect(all.classificationAccuracy).toBe(0);
    const large = e2eMetrics(images, { iouThreshold: 0.5, minHeight: 32 });
    expect(large).toMatchObject({ faces: 1, predictions: 1, matched: 1, classified: 0 });
    expect(Number.isNaN(large.mAP)).toBe(true);
  });
});

describe('e2eFailures', () => {
  it('computes AP per class as VOC does: each class ranked by its own score, matched to its own faces', () => {
    // One masked face, two boxes on it: the first has the higher detector score but doubts the mask,
    // the second is sure of it. For with_mask the sure one ranks first and takes the face: AP 1 (a
    // class-blind match by detector score would give the face to the doubtful one, rank the sure one first
    // as a false positive, and give AP 0.5).
    const m = e2eMetrics(
      [
        {
          truth: [{ box: box(0, 0), name: 'with_mask' }],
          predicted: [predicted(0, 0, 'without_mask', 0.6, 0.9), predicted(2, 0, 'with_mask', 0.99, 0.8)],
        },
      ],
      OPTIONS,
    );
    expect(m.ap.with_mask).toBe(1);
    // Class-blind for recall, precision and accuracy: the higher detector score takes the face.
    expect([m.matched, m.predictions, m.correct, m.classified]).toEqual([1, 2, 0, 1]);
  });

  it('ignores difficult faces like small ones, and boxes on unscored faces in AP', () => {
    const m = e2eMetrics(
      [
        {
          truth: [
            { box: box(0, 0), name: 'with_mask', difficult: true },
            { box: box(100, 0), name: 'mask_weared_incorrect' },
            { box: box(200, 0), name: 'without_mask' },
          ],
          predicted: [
            predicted(0, 0, 'with_mask', 0.9),
            predicted(100, 0, 'with_mask', 0.9),
            predicted(200, 0, 'without_mask', 0.9),
          ],
        },
      ],
      OPTIONS,
    );
    // The difficult face counts neither way; the incorrectly worn mask is a face, not a scored class.
    expect([m.faces, m.matched, m.predictions, m.classified, m.correct]).toEqual([2, 2, 2, 1, 1]);
    expect(m.ap).toEqual({ with_mask: Number.NaN, without_mask: 1 });
  });

  it('ignores a second box on an ignored face in precision, but scores boxes on the other class in AP', () => {
    const m = e2eMetrics(
      [
        {
          truth: [
            { box: box(0, 0), name: 'without_mask', difficult: true },
            { box: box(100, 0), name: 'with_mask' },
          ],
          predicted: [
            predicted(0, 0, 'with_mask', 0.9, 0.9),
            predicted(2, 0, 'with_mask', 0.9, 0.8), // a duplicate on the difficult face
            predicted(100, 0, 'with_mask', 0.6, 0.5),
          ],
        },
      ],
      OPTIONS,
    );
    expect([m.faces, m.matched, m.predictions]).toEqual([1, 1, 1]);
    // For with_mask, the two boxes on the (unmasked, difficult) face rank first and are false positives, as
    // VOC scores them: precision 1/3 at full recall.
    expect(m.ap.with_mask).toBeCloseTo(1 / 3, 10);
  });

  it('lists exactly the faces that recall and accuracy count against, with the nearest miss', () => {
    const images = [
      {
        truth: [
          { box: box(0, 0), name: 'with_mask' },
          { box: box(100, 0), name: 'without_mask' },
          { box: box(200, 0, 20), name: 'without_mask' },
        ],
        predicted: [predicted(1, 1, 'with_mask', 0.9), predicted(100, 20, 'without_mask', 0.8)],
      },
      {
        truth: [
          { box: box(0, 0), name: 'without_mask' },
          { box: box(100, 0), name: 'mask_weared_incorrect' },
        ],
        predicted: [predicted(0, 0, 'with_mask', 0.7), predicted(100, 0, 'with_mask', 0.9)],
      },
    ];
    const failures = e2eFailures(images, OPTIONS);
    expect(failures.missed.map((m) => [m.image, m.truth.box.x])).toEqual([
      [0, 100],
      [0, 200],
    ]);
    expect(failures.missed[0]!.bestIou).toBeCloseTo(20 / 60); // shifted down by half its height
    expect(failures.missed[1]!.bestIou).toBe(0);
    // mask_weared_incorrect is matched but not scored, so it is no classification failure.
    expect(failures.misclassified.map((m) => [m.image, m.truth.name, m.predicted.label])).toEqual([
      [1, 'without_mask', 'with_mask'],
    ]);
    const metrics = e2eMetrics(images, OPTIONS);
    expect(failures.missed.length).toBe(metrics.faces - metrics.matched);
    expect(failures.misclassified.length).toBe(metrics.classified - metrics.correct);
    // Small faces are left out of both lists when the metrics leave them out.
    expect(
      e2eFailures(images, { iouThreshold: 0.5, minHeight: 32 }).missed.map((m) => m.truth.box.x),
    ).toEqual([100]);
  });
});

describe('wilsonInterval', () => {
  it('matches published values of the 95 % Wilson score interval', () => {
    // 0 of 10: [0, 0.2775]; 10 of 10: [0.7225, 1].
    const [low0, high0] = wilsonInterval(0, 10);
    expect(low0).toBe(0);
    expect(high0).toBeCloseTo(0.2775, 4);
    const [low10, high10] = wilsonInterval(10, 10);
    expect(low10).toBeCloseTo(0.7225, 4);
    expect(high10).toBe(1);
    // 53 of 59 (a door-photo figure): centre pulled towards 1/2 of the raw 0.898.
    const [low, high] = wilsonInterval(53, 59);
    expect(low).toBeCloseTo(0.7953, 3);
    expect(high).toBeCloseTo(0.9525, 3);
  });

  it('narrows as trials grow and is undefined without trials', () => {
    const [a, b] = wilsonInterval(45, 50);
    const [c, d] = wilsonInterval(900, 1000);
    expect(d - c).toBeLessThan(b - a);
    expect(wilsonInterval(0, 0).every(Number.isNaN)).toBe(true);
  });
});
