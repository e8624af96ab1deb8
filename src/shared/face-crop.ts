/**
 * From a detector's box to the face box we report and the crop the mask classifier sees, and how the
 * faces of several detector passes are merged.
 *
 * BlazeFace's boxes are square and sit between the brows and the mouth; the faces the classifier was
 * trained on (and the door photos' annotations) run from forehead to chin, which is where a mask is.
 * `FACE_BOX_CALIBRATION` maps one to the other. It was fitted (medians of the ratios) on the odd-numbered
 * door photos, short-range model, faces matched at IoU ≥ 0.3: width ×0.88, height ×1.24, centre +0.013
 * of the height; the even-numbered half gives ×0.86, ×1.19, −0.037 (scripts/eval-e2e.ts measures the effect).
 *
 * The crop is that face box grown by {@link FACE_CROP_MARGIN} on each side, clamped to the frame, resized to
 * 224×224 without keeping the aspect ratio: exactly how the training pictures were brought to 224×224
 * (scripts/classifier/face-image.ts).
 */
import { boxArea, growBox, intersectionArea, iou, type Box, type Point } from './geometry.ts';

/** How a detector box becomes a face box (see the module comment). */
export interface FaceBoxCalibration {
  widthScale: number;
  heightScale: number;
  /** Downward shift of the centre, as a fraction of the detector box's height. */
  centreShiftY: number;
}

/** Fitted on the odd-numbered door photos (see the module comment). */
export const FACE_BOX_CALIBRATION: FaceBoxCalibration = {
  widthScale: 0.88,
  heightScale: 1.24,
  centreShiftY: 0.013,
};

/**
 * Full-range model: its boxes are larger around the same face. Fitted on the 28 door-photo faces it finds
 * (all of them: the model finds too few to split): width ×0.80, height ×1.15, centre −0.019.
 */
export const FULL_RANGE_CALIBRATION: FaceBoxCalibration = {
  widthScale: 0.8,
  heightScale: 1.15,
  centreShiftY: -0.019,
};

/** Degrees a face may be off a quarter turn and still be read as turned (see faceTurns). */
const TURN_TOLERANCE = 25;

/**
 * Quarter turns clockwise (0–3) a face is turned in the picture: 0 upright, 1 lying with the top of its head
 * to the right, 2 upside down, 3 with it to the left. Read from BlazeFace's keypoints, the way from between
 * the eyes to the mouth (the face's "down"), so the names of the eyes do not matter; upright unless that way
 * lies within TURN_TOLERANCE of another quarter and the line through the eyes crosses it (a tilted head, or
 * an upright face whose keypoints a hand throws off, stays upright). A phone held sideways with its
 * rotation locked shows every face turned a quarter: cut straight, those crops read "mask" with near
 * certainty (rotation exploration: two unmasked people counted masked, P(without_mask) 0.000–0.002).
 */
export function faceTurns(eyeA: Point, eyeB: Point, mouth: Point): number {
  const dx = mouth.x - (eyeA.x + eyeB.x) / 2;
  const dy = mouth.y - (eyeA.y + eyeB.y) / 2;
  if (dx === 0 && dy === 0) return 0;
  // Straight down is 90° in picture coordinates (y grows downward); each quarter turn clockwise adds 90°.
  const degrees = (Math.atan2(dy, dx) * 180) / Math.PI - 90;
  const turns = ((Math.round(degrees / 90) % 4) + 4) % 4;
  if (turns === 0) return 0;
  // Turned only on clear evidence: the eyes-to-mouth way within TURN_TOLERANCE of the quarter, and the line
  // through the eyes across it. An upright face with a hand or hair over it gets keypoints far off (on the
  // door photos, three faces read 1 or 3 quarter turns by the eyes-to-mouth way alone).
  const off = (angle: number, target: number) => Math.abs(((((angle - target) % 360) + 540) % 360) - 180);
  const eyes = (Math.atan2(eyeB.y - eyeA.y, eyeB.x - eyeA.x) * 180) / Math.PI;
  const across = Math.min(off(eyes, turns * 90), off(eyes, turns * 90 + 180));
  return off(degrees, turns * 90) <= TURN_TOLERANCE && across <= TURN_TOLERANCE ? turns : 0;
}

/**
 * The forehead-to-chin face box for a BlazeFace box, of a face turned `turns` quarter turns (see faceTurns):
 * the calibration applies along the face's own height and width.
 */
export function faceBoxFromDetector(
  box: Box,
  calibration: FaceBoxCalibration = FACE_BOX_CALIBRATION,
  turns = 0,
): Box {
  const sideways = turns % 2 === 1;
  // The face's "down" in the picture: down, left, up, right for 0 to 3 quarter turns clockwise.
  const [downX, downY] = [
    [0, 1],
    [-1, 0],
    [0, -1],
    [1, 0],
  ][((turns % 4) + 4) % 4]!;
  const faceHeight = sideways ? box.width : box.height;
  const cx = box.x + box.width / 2 + downX * faceHeight * calibration.centreShiftY;
  const cy = box.y + box.height / 2 + downY * faceHeight * calibration.centreShiftY;
  const width = box.width * (sideways ? calibration.heightScale : calibration.widthScale);
  const height = box.height * (sideways ? calibration.widthScale : calibration.heightScale);
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/**
 * The region of a `frameWidth` × `frameHeight` frame to classify for `faceBox`: the box grown by `margin`
 * (a fraction of each side, on each side) and clamped to the frame. Never empty: at least one pixel.
 */
export function faceCrop(faceBox: Box, frameWidth: number, frameHeight: number, margin = 0): Box {
  const grown = growBox(faceBox, margin);
  const x0 = Math.max(0, Math.min(frameWidth - 1, grown.x));
  const y0 = Math.max(0, Math.min(frameHeight - 1, grown.y));
  const x1 = Math.min(frameWidth, Math.max(x0 + 1, grown.x + grown.width));
  const y1 = Math.min(frameHeight, Math.max(y0 + 1, grown.y + grown.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Context around the face box in the classifier's crop, a fraction of the box's side on each side. The
 * training pictures show some hair and cheeks around the forehead-to-chin box; chosen on the VALIDATION
 * split run through the app's own detector and crops (`npx tsx scripts/crop-margin-sweep.ts`; 613 val
 * pictures, accuracy at the app's threshold, with the classifier shipped then: global pooling): margin 0
 * 97.55 %, 0.1 98.04 %, 0.2 98.69 %, 0.25 98.86 % (no unmasked face missed), 0.3 98.53 %. Rerun with the
 * row-pooled classifier shipped since: 98.86, 99.02, 99.18, 99.51 (0.25), 99.35 %, no unmasked face missed at
 * any margin; 0.25 stays.
 */
export const FACE_CROP_MARGIN = 0.25;

/** A detected face before classification. */
export interface Detection {
  box: Box;
  score: number;
  /**
   * Found on a shrunken copy of the frame (the zoomed-out pass): its box is coarser than one found at the
   * frame's own resolution, so it adds faces the other passes miss but does not move their boxes.
   */
  coarse?: boolean;
  /** Quarter turns the face is turned in the picture (see faceTurns); 0 when not known. */
  turns?: number;
}

/** Share of a face's box that a coarse box must cover to lie over it (see mergeDetections). */
const OVER_COVER = 0.25;

/** Sides at most this many times apart: faces about as far from the camera (see mergeDetections). */
const NEAR_SIZE = 2;

/**
 * Merges the faces of several detector passes: boxes that overlap by more than `maxOverlap` IoU are one
 * face, placed at the score-weighted mean of their boxes (weighted box fusion: several passes locate a face
 * better than the single best one) and scored by the best of them. Coarse boxes (see
 * {@link Detection.coarse}) count in the mean only when the face has no other box. Of two faces where the
 * centre of one lies inside the other's box, only the better-scored is kept: one face's box does not sit
 * inside another's, but BlazeFace sometimes puts a second box round part of a face (the eyes above a mask,
 * one half of a face with a hand across it) or round the whole head, whose IoU with the face's box is too
 * small to merge them. On the live screen such a box would be a second person. Mask-crops val (613
 * pictures, one face each): pictures with a second box 26 -> 10 (16 when only a box whose centre lies in a
 * better-scored box was dropped). Keeping the larger instead measured the same, but a large stray box would
 * then swallow a real face beside it.
 *
 * A box found at full resolution used to win over a better-scored one only the zoomed-out passes found.
 * On mask-crops train + val (3,264 pictures; `npx tsx` over the built harness, test not used) that rule and
 * the score alone differ in 18 pictures, all masked faces: in 17 the fine box it kept was a part of the face
 * (IoU with the picture, a tight face crop, mostly under 0.13; one an eyes box read as unmasked) and the
 * better-scored coarse box more of it (0.13–0.83); in one the other way round. On the door photos (`npm run eval:e2e`,
 * the acceptance set), 42-photo (a hand across a black mask) has a better-scored coarse box round the face
 * and two split finer ones; the rule kept the split boxes and lost the face. With the score alone: recall
 * 93.7 -> 95.2 %, precision 93.7 -> 95.2 %, mAP 88.5 -> 90.5 % (the right-hand split box stays: its centre
 * lies on the coarse box's edge).
 * A box only the zoomed-out passes found that lies over a face found at full resolution about its size (sides
 * at most {@link NEAR_SIZE} times apart), over {@link OVER_COVER} of that face's box but not round its centre,
 * is dropped. Two faces of about one size are about as far from the camera, and heads side by side do not
 * overlap so: such a box is part of something else. A fake-camera queue showed one: the photo of the person
 * nearest the camera cut the middle face in half, and the zoomed-out pass put a box 1.7 times a face's side
 * across the half face and the photo beside it in most frames (score 0.50–0.58), which the live screen
 * counted as one more person. A face much larger than another is nearer and may cover it, so its box stays:
 * on mask-crops train + val (3,264 pictures; test not used), the same rule without the size condition also
 * dropped a masked face in a crowd (with_mask293: its coarse box lay over a face far behind, a quarter its side);
 * with it, two boxes go (across a shirt, along an umbrella's edge), no picture loses its face (26 without one,
 * before and after), and the door photos' predictions are unchanged. A coarse box round the centres of split
 * boxes of one face (42-photo) stays too.
 * Result sorted by score, best first.
 */
export function mergeDetections(detections: readonly Detection[], maxOverlap = 0.3): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const clusters: Detection[][] = [];
  for (const candidate of sorted) {
    const cluster = clusters.find((c) => iou(c[0]!.box, candidate.box) > maxOverlap);
    if (cluster === undefined) clusters.push([candidate]);
    else cluster.push(candidate);
  }
  // Each cluster's boxes from full-resolution passes; none when only the zoomed-out passes found it.
  const fineOf = clusters.map((cluster) => cluster.filter((d) => d.coarse !== true));
  const coarseOnly = (index: number) => fineOf[index]!.length === 0;
  const faces = clusters.map((cluster, index) => {
    const fine = fineOf[index]!;
    const members = fine.length > 0 ? fine : cluster;
    const weight = members.reduce((sum, d) => sum + d.score, 0);
    const mean = (pick: (b: Box) => number) =>
      members.reduce((sum, d) => sum + pick(d.box) * d.score, 0) / weight;
    return {
      box: {
        x: mean((b) => b.x),
        y: mean((b) => b.y),
        width: mean((b) => b.width),
        height: mean((b) => b.height),
      },
      score: cluster[0]!.score,
      // The best box's reading of how the face is turned (the mean of quarter turns means nothing).
      ...(cluster[0]!.turns ? { turns: cluster[0]!.turns } : {}),
    };
  });
  // Clusters were made best first, so faces are in score order and a face is only dropped for a better one.
  const centreIn = (a: Box, b: Box) => {
    const cx = a.x + a.width / 2;
    const cy = a.y + a.height / 2;
    return cx > b.x && cx < b.x + b.width && cy > b.y && cy < b.y + b.height;
  };
  const fineFaces = faces.filter((_, index) => !coarseOnly(index));
  const side = (box: Box) => Math.sqrt(boxArea(box));
  const overAFace = (face: Detection) =>
    !fineFaces.some((fine) => centreIn(fine.box, face.box)) &&
    fineFaces.some(
      (fine) =>
        side(face.box) <= NEAR_SIZE * side(fine.box) &&
        side(fine.box) <= NEAR_SIZE * side(face.box) &&
        intersectionArea(face.box, fine.box) >= OVER_COVER * boxArea(fine.box),
    );
  const kept: Detection[] = [];
  faces.forEach((face, index) => {
    if (coarseOnly(index) && overAFace(face)) return;
    if (!kept.some((k) => centreIn(face.box, k.box) || centreIn(k.box, face.box))) kept.push(face);
  });
  return kept;
}

/**
 * Paddings, as a fraction of the frame's longer side on each side, of the auto range's "zoomed-out" passes
 * (the frame shrunk to 1/2 and to 1/3). BlazeFace misses faces that fill the frame or are cut by its edge; on
 * a padded copy they are smaller and whole. The first (0.5), when it was added, raised face recall on the
 * door photos from 86 % to 92 % (93.7 % with the calibration since). The second (1) was chosen on the door
 * photos as a fourth pass beside 0.15, 0.25 and 0.35 (`npm run eval:e2e`; the door photos are the only
 * pictures here with face boxes): recall 93.7 -> 95.2 % (the others 93.7 % or less). Checked on pictures that
 * played no part in the choice, mask-crops train + val (3,264, one face each; test not used), the fourth pass
 * found a face in 15 of the 41 pictures where the three passes found none (3,223 -> 3,238), and put a second
 * box in 31 more pictures, most of them nested inside the face's box or round it, which {@link
 * mergeDetections} now drops. The one door face the fourth pass adds (42-photo, a hand across a black mask)
 * is a better-scored coarse box round two finer, split boxes of the same face.
 */
export const ZOOMED_OUT_PADDINGS: readonly number[] = [0.5, 1];
