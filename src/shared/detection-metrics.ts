/**
 * End-to-end metrics of detection plus classification on annotated photos: face recall and precision at
 * an IoU threshold, classification accuracy on matched faces, and per-class average precision (Pascal
 * VOC, all-point interpolation). Pure: used by `npm run eval:e2e` and its tests.
 */
import { iou, type Box } from './geometry.ts';

/** A scored class of the two-class model. */
export type ScoredClass = 'with_mask' | 'without_mask';
/** The classes AP is computed for. */
export const SCORED_CLASSES: readonly ScoredClass[] = ['with_mask', 'without_mask'];

/** An annotated face. Classes other than the scored ones (e.g. `mask_weared_incorrect`) are not scored. */
export interface TruthFace {
  box: Box;
  name: string;
  /** VOC's `difficult`: ignored like a face below `minHeight` (neither a miss nor a false positive). */
  difficult?: boolean;
}

/** A face the pipeline found. */
export interface PredictedFace {
  box: Box;
  detScore: number;
  label: ScoredClass;
  probs: Record<ScoredClass, number>;
}

/** Truth and predictions of one image. */
export interface ImageFaces {
  truth: TruthFace[];
  predicted: PredictedFace[];
}

/** What to ignore: faces smaller than `minHeight` pixels (truth and unmatched predictions alike). */
export interface MetricOptions {
  iouThreshold: number;
  minHeight: number;
}

/** The figures `npm run eval:e2e` prints, for one setting of {@link MetricOptions}. */
export interface E2EMetrics {
  faces: number;
  predictions: number;
  matched: number;
  recall: number;
  precision: number;
  /** Over matched faces whose truth is a scored class. */
  classified: number;
  /** Of the classified faces, those given their annotated class. */
  correct: number;
  classificationAccuracy: number;
  ap: Record<ScoredClass, number>;
  mAP: number;
}

/**
 * Greedy matching: predictions in descending `score` order take the unmatched truth box of highest
 * IoU ≥ threshold (VOC's devkit looks at the best box even if taken, and then scores a false positive; here
 * a second box may take a face it overlaps less, which only differs for crowded faces), a counted one before an `ignored` one (as COCO does: a prediction on a counted face is not
 * lost to a small or difficult face beside it). Returns, per prediction, the index of its truth box or -1.
 */
export function matchFaces(
  truth: readonly Box[],
  predicted: readonly Box[],
  scores: readonly number[],
  threshold: number,
  ignored: readonly boolean[] = [],
) {
  const order = predicted.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const taken = new Set<number>();
  const match = predicted.map(() => -1);
  for (const p of order) {
    let best = -1;
    let bestIou = threshold;
    let bestIgnored = true;
    truth.forEach((t, ti) => {
      if (taken.has(ti)) return;
      const overlap = iou(predicted[p]!, t);
      const isIgnored = ignored[ti] === true;
      if (overlap < threshold) return;
      if (best < 0 || (bestIgnored && !isIgnored) || (bestIgnored === isIgnored && overlap >= bestIou)) {
        best = ti;
        bestIou = overlap;
        bestIgnored = isIgnored;
      }
    });
    if (best >= 0) {
      taken.add(best);
      match[p] = best;
    }
  }
  return match;
}

/** Whether a face is left out of the figures: difficult, or smaller than `minHeight`. */
function isIgnored(face: TruthFace, options: MetricOptions): boolean {
  return face.difficult === true || face.box.height < options.minHeight;
}

const isScored = (name: string): name is ScoredClass => (SCORED_CLASSES as readonly string[]).includes(name);

/** VOC all-point interpolated AP from detections sorted by descending score (true/false positive flags). */
export function averagePrecision(truePositives: readonly boolean[], positives: number): number {
  if (positives === 0) return Number.NaN;
  const precision: number[] = [];
  const recall: number[] = [];
  let tp = 0;
  truePositives.forEach((isTp, i) => {
    if (isTp) tp++;
    precision.push(tp / (i + 1));
    recall.push(tp / positives);
  });
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i]!, precision[i + 1]!);
  let ap = 0;
  let previousRecall = 0;
  recall.forEach((r, i) => {
    ap += (r - previousRecall) * precision[i]!;
    previousRecall = r;
  });
  return ap;
}

/**
 * One image's faces matched as {@link e2eMetrics} and {@link e2eFailures} both count them: which annotated
 * faces are ignored (see isIgnored), and for each prediction the index of the annotated face it matched, or −1.
 */
function matchImage(image: ImageFaces, options: MetricOptions): { ignoredTruth: boolean[]; match: number[] } {
  const ignoredTruth = image.truth.map((t) => isIgnored(t, options));
  const match = matchFaces(
    image.truth.map((t) => t.box),
    image.predicted.map((p) => p.box),
    image.predicted.map((p) => p.detScore),
    options.iouThreshold,
    ignoredTruth,
  );
  return { ignoredTruth, match };
}

/**
 * Computes {@link E2EMetrics} over `images`. Recall, precision and accuracy match faces to predictions once,
 * whatever their class (by detector score); a box on an ignored face, matched or a duplicate, counts neither
 * way. AP is VOC's, per class: each predicted face is a detection of
 * every class, scored detScore × P(class) as a softmax detector's outputs are, ranked by that score and
 * matched against that class's faces only; a detection matched to an ignored face, or unmatched but on a face
 * of a class the model does not score (e.g. `mask_weared_incorrect`) or smaller than `minHeight`, counts
 * neither way.
 */
export function e2eMetrics(images: readonly ImageFaces[], options: MetricOptions): E2EMetrics {
  let faces = 0;
  let predictions = 0;
  let matched = 0;
  let classified = 0;
  let correct = 0;
  const perClass = new Map<ScoredClass, { score: number; tp: boolean }[]>(SCORED_CLASSES.map((c) => [c, []]));
  const positives = new Map<ScoredClass, number>(SCORED_CLASSES.map((c) => [c, 0]));
  for (const image of images) {
    const { ignoredTruth, match } = matchImage(image, options);
    faces += ignoredTruth.filter((ignored) => !ignored).length;
    image.predicted.forEach((p, i) => {
      const ti = match[i]!;
      const truth = ti >= 0 ? image.truth[ti] : undefined;
      // A prediction on an ignored face (matched, or a second box on one already taken), or a small unmatched
      // one, counts neither way.
      const onIgnored = image.truth.some(
        (t, tj) => ignoredTruth[tj] && iou(p.box, t.box) >= options.iouThreshold,
      );
      if (truth !== undefined ? ignoredTruth[ti] : onIgnored || p.box.height < options.minHeight) return;
      predictions++;
      if (truth === undefined) return;
      matched++;
      if (isScored(truth.name)) {
        classified++;
        if (truth.name === p.label) correct++;
      }
    });
    for (const c of SCORED_CLASSES) {
      const ofClass = image.truth.flatMap((t, ti) => (t.name === c ? [ti] : []));
      positives.set(c, positives.get(c)! + ofClass.filter((ti) => !ignoredTruth[ti]).length);
      const scores = image.predicted.map((p) => p.detScore * p.probs[c]);
      const classMatch = matchFaces(
        ofClass.map((ti) => image.truth[ti]!.box),
        image.predicted.map((p) => p.box),
        scores,
        options.iouThreshold,
        ofClass.map((ti) => ignoredTruth[ti]!),
      );
      image.predicted.forEach((p, i) => {
        const ci = classMatch[i]!;
        if (ci >= 0) {
          if (!ignoredTruth[ofClass[ci]!]) perClass.get(c)!.push({ score: scores[i]!, tp: true });
          return;
        }
        // Unmatched for this class: a false positive (also on a face of the other class, ignored or not, as
        // in VOC), unless it sits on an ignored face of this class or on a face of a class the model does not
        // score (a departure from VOC, which has no such class: the two-class model is not scored on them).
        const onUnscoredOrIgnored = image.truth.some(
          (t, ti) =>
            (!isScored(t.name) || (t.name === c && ignoredTruth[ti])) &&
            iou(p.box, t.box) >= options.iouThreshold,
        );
        if (onUnscoredOrIgnored || p.box.height < options.minHeight) return;
        perClass.get(c)!.push({ score: scores[i]!, tp: false });
      });
    }
  }
  const ap = Object.fromEntries(
    SCORED_CLASSES.map((c) => {
      const ranked = perClass.get(c)!.sort((a, b) => b.score - a.score);
      return [
        c,
        averagePrecision(
          ranked.map((d) => d.tp),
          positives.get(c)!,
        ),
      ];
    }),
  ) as Record<ScoredClass, number>;
  const aps = SCORED_CLASSES.map((c) => ap[c]).filter((v) => !Number.isNaN(v));
  return {
    faces,
    predictions,
    matched,
    recall: faces === 0 ? Number.NaN : matched / faces,
    precision: predictions === 0 ? Number.NaN : matched / predictions,
    classified,
    correct,
    classificationAccuracy: classified === 0 ? Number.NaN : correct / classified,
    ap,
    mAP: aps.length === 0 ? Number.NaN : aps.reduce((a, b) => a + b, 0) / aps.length,
  };
}

/** A face the pipeline missed: no prediction matched it. `bestIou` is its largest overlap with any prediction. */
export interface MissedFace {
  image: number;
  truth: TruthFace;
  bestIou: number;
}

/** A matched face of a scored class given the other class. */
export interface MisclassifiedFace {
  image: number;
  truth: TruthFace;
  predicted: PredictedFace;
}

/**
 * The faces behind the recall and accuracy figures of {@link e2eMetrics} with the same options: every counted
 * face no prediction matched, and every matched face of a scored class that got the wrong label, so that a
 * reader of `npm run eval:e2e` can look at each failure. `image` indexes `images`.
 */
export function e2eFailures(
  images: readonly ImageFaces[],
  options: MetricOptions,
): { missed: MissedFace[]; misclassified: MisclassifiedFace[] } {
  const missed: MissedFace[] = [];
  const misclassified: MisclassifiedFace[] = [];
  images.forEach((image, imageIndex) => {
    const { ignoredTruth, match } = matchImage(image, options);
    image.truth.forEach((truth, ti) => {
      if (ignoredTruth[ti]) return;
      const p = match.indexOf(ti);
      if (p < 0) {
        const bestIou = Math.max(0, ...image.predicted.map((q) => iou(q.box, truth.box)));
        missed.push({ image: imageIndex, truth, bestIou });
      } else if (isScored(truth.name) && image.predicted[p]!.label !== truth.name) {
        misclassified.push({ image: imageIndex, truth, predicted: image.predicted[p]! });
      }
    });
  });
  return { missed, misclassified };
}

/**
 * The Wilson score interval of a proportion `successes / trials` (95 % for z = 1.96): the range of true
 * rates that would plausibly give this count. With the few dozen faces of a photo set one face moves a
 * rate by 1–2 points, so a figure compared with a bar is printed with its interval. NaN for no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.96): [number, number] {
  if (trials === 0) return [Number.NaN, Number.NaN];
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
