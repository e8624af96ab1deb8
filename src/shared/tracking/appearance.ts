/**
 * A face's appearance: the mask classifier's features of its crop (the 7 row averages of MobileNetV2's block 16,
 * 2,240 numbers, the head's own input), scaled to unit length. The worker reads them in the same pass that
 * classifies the face, so they cost nothing extra. They are kept in memory only, by the tracker, while a
 * person is in view: never stored, never sent (a snapshot for a reload leaves them out).
 *
 * The tracker uses them where place and label cannot tell two people apart: a person at the door who left
 * while the next one, wearing the same (no) mask, stepped into their place within the second a face may
 * vanish (rule 5 of tracker.ts). They describe a look (mask colour and shape, hair, glasses, light), not who
 * someone is: two crops of one face a moment apart lie close, and so may two people who look alike.
 */
import { FACE_CROP_MARGIN } from '../face-crop';
import { type Box, growBox, intersectionArea } from '../geometry';

/**
 * Cosine distance at and above which two appearances are taken for two people. `npx tsx
 * scripts/appearance-calibration.ts` (the shipped classifier, 300 validation pictures of mask-crops; no test
 * picture): one picture against itself shifted, smaller, brighter or darker (the same face a moment later), 900
 * copies: median 0.095, 99th percentile 0.245, at most 0.450, none at or above 0.5; two pictures of different
 * people with the same label (44,839 pairs): median 0.657, 84.7 % at or above 0.5 (96.1 % at 0.4). Two pictures
 * of one person lie as far apart as two people there (median 0.52 of 11 pairs): another day, pose or light.
 * On the door photos (one camera, one room; crops cut from the annotated boxes with the app's margin, report
 * only; 15-, 26-, 42-, 48-, 52-, 54- and u3-photo): three men in black masks lie 0.28–0.53 apart, mostly below
 * 0.5, so one stepping into another's place mostly stays one person, while a woman with glasses lies 0.47–0.67
 * from them (0.59–0.67 in 48-photo); she lies 0.43 from herself in another photo.
 * Counting one person twice is the mistake the tally must not make, so the line sits above everything one face
 * was seen to do, and the tracker compares averages of several frames (rule 5), which lie closer than single
 * frames: only people who plainly look different are told apart.
 */
export const APPEARANCE_SPLIT_DISTANCE = 0.5;

/**
 * Cosine distance at and above which a single frame may show someone else: it puts a counted person on
 * probation (rule 5 of tracker.ts), and one already on probation is judged afresh from that frame, so that the
 * frames judged against {@link APPEARANCE_SPLIT_DISTANCE} are the newcomer's alone. Above the 99th percentile
 * of one face a moment later (0.245, see above): a probation started by a frame of the same person costs nothing
 * (the person goes on), one missed leaves the next in a queue uncounted. A live scene showed why it sits below
 * the split line: a woman with glasses stepping into a man's place, both in black masks, lay 0.48 from him in
 * her first frame and 0.54 in the next ones, and a probation the man had started one frame before her (his box
 * shrinking as he left) mixed his frame into hers, so she was never told apart.
 */
export const APPEARANCE_CHANGE_DISTANCE = 0.3;

/** Weight of a new frame in a track's running appearance (the rest is the frames before it). */
export const APPEARANCE_BLEND = 0.3;

/** 1 − cosine of two unit vectors of one length: 0 alike, 1 unrelated, 2 opposite. */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`appearances of ${a.length} and ${b.length} numbers`);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return 1 - dot;
}

/**
 * `values` scaled to unit length, as a new array; undefined when it has no length to scale (all zeros, or
 * not finite): such a vector says nothing about anyone.
 */
export function unit(values: Float32Array): Float32Array | undefined {
  let sum = 0;
  for (const x of values) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) return undefined;
  return values.map((x) => x / norm);
}

/** The `rows` rows of a [rows, n] batch `values`, each scaled to unit length (see {@link unit}). */
export function unitRows(values: Float32Array | undefined, rows: number): (Float32Array | undefined)[] {
  if (values === undefined || rows === 0) return [];
  if (values.length % rows !== 0) throw new RangeError(`${values.length} numbers are not ${rows} rows`);
  const n = values.length / rows;
  return Array.from({ length: rows }, (_, i) => unit(values.subarray(i * n, (i + 1) * n)));
}

/** `running` moved towards `next` by `weight` (0 keeps it, 1 replaces it), then scaled to unit length again. */
export function blend(running: Float32Array, next: Float32Array, weight = APPEARANCE_BLEND): Float32Array {
  if (running.length !== next.length) return running;
  const mixed = running.map((x, i) => (1 - weight) * x + weight * next[i]!);
  return unit(mixed) ?? running;
}

/**
 * Whether `appearance` lies at least `distance` from `look`; false when there is no look to compare with, or
 * the two come from models of different widths (a model changed while a person stood in view).
 */
export function isFarFrom(
  look: Float32Array | undefined,
  appearance: Float32Array,
  distance: number,
): boolean {
  return (
    look !== undefined && look.length === appearance.length && cosineDistance(look, appearance) >= distance
  );
}

/**
 * Whether face `index`'s crop (its box with the classifier's margin) is clear of every other face of the
 * frame: a crop with part of another head in it shows a mix of two people, and its appearance is left out.
 */
export function clearOfOthers(faces: readonly { readonly box: Box }[], index: number): boolean {
  const crop = growBox(faces[index]!.box, FACE_CROP_MARGIN);
  return faces.every((other, j) => j === index || intersectionArea(crop, other.box) === 0);
}
