/**
 * A face hidden behind someone nearer the camera (a person stepping or walking past in front): the tracker
 * keeps such a face's track without counting the time as absence (see ./tracker.ts, `maxHiddenMs`).
 */
import { type Box, boxArea, intersectionArea } from '../geometry';
import type { Observation } from './types';

/**
 * Share of a track's box that another person's head must cover for the track's face to count as hidden
 * behind it. A head is wider than the face box the detector gives (hair, ears, a hood; the detector's box
 * runs from brows to mouth): taken as the face box widened by {@link HEAD_REACH} of its width on each side
 * and as much above, and as tall again below (chin, neck, shoulders).
 */
const HIDDEN_COVER = 1 / 3;
const HEAD_REACH = 0.75;
/**
 * Only a face nearer the camera hides one: its box at least this share of the hidden face's area (a person
 * behind in a queue looks smaller, and their head, drawn over the front person's place, hides nothing there).
 */
const NEARER_AREA = 0.8;
/** The space a person whose face box is `face` hides from the camera (see {@link HIDDEN_COVER}). */
function headOf(face: Box): Box {
  const reach = HEAD_REACH * face.width;
  return {
    x: face.x - reach,
    y: face.y - reach,
    width: face.width + 2 * reach,
    height: 2 * face.height + reach,
  };
}

/** Whether one of `faces` is nearer the camera and its head covers the face whose box is `box`. */
export function hiddenBehindSomeone(faces: readonly Observation[], box: Box): boolean {
  const area = boxArea(box);
  return faces.some(
    (face) =>
      boxArea(face.box) >= NEARER_AREA * area &&
      intersectionArea(headOf(face.box), box) >= HIDDEN_COVER * area,
  );
}
