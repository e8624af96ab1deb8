/**
 * Where to crop a face for the mask classifier, and how to merge the faces of two detectors.
 *
 * The classifier was trained on face pictures cropped roughly from forehead to chin (the mask data set).
 * BlazeFace's boxes are square and shorter than that: they stop near the mouth and leave out the chin and
 * most of a mask. So the crop is the detector box grown by `scale` and moved down by `shiftDown` (both as
 * fractions of the box side), kept square (the classifier's input is square, and a square crop needs no
 * aspect distortion), and clamped to the frame. The defaults were chosen on ../shared/data/door-photos by
 * the IoU of the crop with the annotated face box (see scripts/crop-fit.ts and the issue note).
 */
import { iou, type Box } from './geometry.ts';

/** How a detector box becomes a classifier crop. */
export interface CropOptions {
  /** Side of the crop as a multiple of the detector box's longer side. */
  scale: number;
  /** Downward shift of the crop's centre, as a fraction of the detector box's longer side. */
  shiftDown: number;
}

/** Chosen on the door photos (see the module comment). */
export const DEFAULT_CROP: CropOptions = { scale: 1.2, shiftDown: 0.1 };

/**
 * The square crop for a detector box, clamped to a `frameWidth` × `frameHeight` frame. Clamping keeps
 * the crop square where it can (it slides the square back inside) and shrinks it only when the frame is
 * smaller than the square.
 */
export function faceCrop(
  box: Box,
  frameWidth: number,
  frameHeight: number,
  options: CropOptions = DEFAULT_CROP,
): Box {
  const side0 = Math.max(box.width, box.height);
  const side = Math.min(side0 * options.scale, frameWidth, frameHeight);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2 + side0 * options.shiftDown;
  const x = Math.min(Math.max(cx - side / 2, 0), frameWidth - side);
  const y = Math.min(Math.max(cy - side / 2, 0), frameHeight - side);
  return { x, y, width: side, height: side };
}

/** A detected face before classification. */
export interface Detection {
  box: Box;
  score: number;
}

/**
 * Merges the faces of several detectors (auto range: short- and full-range BlazeFace) by non-maximum
 * suppression: the higher-scoring of two boxes that overlap by more than `maxOverlap` IoU wins.
 * Result sorted by score, highest first.
 */
export function mergeDetections(detections: readonly Detection[], maxOverlap = 0.3): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const candidate of sorted) {
    if (kept.every((k) => iou(k.box, candidate.box) <= maxOverlap)) kept.push(candidate);
  }
  return kept;
}
