/**
 * Matching this frame's faces to existing tracks.
 *
 * Every (track, face) pair within a distance gate gets a cost; the assignment then matches as many pairs as
 * possible and, among those, minimises the total cost (Hungarian method). Greedy "cheapest pair first" was
 * the simpler choice, but when two people are close it can hand one person's face to the other's track and
 * leave the first track unmatched, which splits a person into two tracks and can count them twice. Faces at
 * a door are few, so the O(n³) solver costs microseconds.
 */
import { type Box, boxArea, centreDistance, iou } from '../geometry';

/** One (track, observation) pair chosen by {@link associate}; indices into the arrays passed in. */
export interface Match {
  readonly trackIndex: number;
  readonly observationIndex: number;
}

/** Most the size term adds to a pair's cost (sides e ≈ 2.7 times apart or more), so that costs stay bounded. */
const SIZE_TERM_CAP = 1;

/**
 * Cost of explaining `observation` by a track whose box is `hypothesis`: `(1 − IoU) + d + s`, where `d` is the
 * centre distance in face sizes (mean square root of the two areas, so the rule is the same for a face near
 * the camera and one far away) and `s` how unlike the two sizes are, |ln| of the ratio of their sides. IoU
 * rewards overlap; the distance term still ranks pairs once fast motion or a dropped frame leaves no overlap at
 * all. The size term only ranks pairs (the gate is on distance alone): a face does not change size by much
 * from one frame to the next, and without it a large box near a face was the cheaper match for it, since a
 * large box makes any distance small in face sizes (fake-camera queue: a stray box 1.75 times a face's side,
 * where a person stepped in front of another, took the stepping person's face from their own track, which
 * then ended, and the person was counted twice). `Infinity` when `d > maxCentreDistance` (the gate).
 */
export function matchCost(hypothesis: Box, observation: Box, maxCentreDistance: number): number {
  const distance = distanceInFaces(hypothesis, observation);
  if (distance > maxCentreDistance) return Infinity;
  const sizes = Math.min(SIZE_TERM_CAP, Math.abs(Math.log(boxArea(hypothesis) / boxArea(observation))) / 2);
  return 1 - iou(hypothesis, observation) + distance + sizes;
}

/** Centre distance in face sizes (see {@link matchCost}); Infinity for empty boxes. */
export function distanceInFaces(hypothesis: Box, observation: Box): number {
  const size = (Math.sqrt(boxArea(hypothesis)) + Math.sqrt(boxArea(observation))) / 2;
  return size <= 0 ? Infinity : centreDistance(hypothesis, observation) / size;
}

/**
 * What the classifier said, for matching by it as well as by place: each track's average P(without_mask)
 * and each observation's, in the order of the boxes. The difference, times `weight`, is added to a pair's
 * cost. A pair whose two differ by more than `maxDifference` is gated out when the face is also more than
 * `jumpDistance` face sizes from where the track's face should be: a face that both jumped and reads as
 * the other label is someone else. Either alone is not: a person standing still whose label flickers or
 * who takes their mask off stays where they are, and a walker keeps their label.
 */
export interface LabelEvidence {
  readonly tracks: readonly number[];
  readonly observations: readonly number[];
  readonly maxDifference: number;
  readonly jumpDistance: number;
  readonly weight: number;
}

/**
 * Gated optimal assignment of `observations` to tracks. Each track offers one or more hypothesis boxes (its
 * motion-predicted box and its last seen box); a pair costs the cheapest of them, so a person who stopped
 * while undetected is found where they were, and one who kept walking where they should be now. With
 * `labels`, the classifier's answers count too (see {@link LabelEvidence}): a walker read as unmasked who
 * passes in front of a masked person standing in a queue does not take over that person's track (measured
 * in the app with a fake camera before this: the walker was never counted nor alerted for, and the masked
 * person counted twice).
 * `maxCentreDistance` is the gate (in face sizes), one for every track or each track's own; pairs for which
 * `allowed` (if given) is false are gated out too.
 * Returns the matches ordered by track index; pairs outside the gate are never matched.
 */
export function associate(
  trackHypotheses: readonly (readonly Box[])[],
  observations: readonly Box[],
  maxCentreDistance: number | readonly number[],
  labels?: LabelEvidence,
  allowed?: (trackIndex: number, observationIndex: number) => boolean,
): Match[] {
  if (trackHypotheses.length === 0 || observations.length === 0) return [];
  const gate = (track: number) =>
    typeof maxCentreDistance === 'number' ? maxCentreDistance : maxCentreDistance[track]!;
  const labelCost = (track: number, index: number, hypotheses: readonly Box[]): number => {
    if (labels === undefined) return 0;
    const difference = Math.abs(labels.tracks[track]! - labels.observations[index]!);
    if (difference > labels.maxDifference) {
      const jump = Math.min(...hypotheses.map((h) => distanceInFaces(h, observations[index]!)));
      if (jump > labels.jumpDistance) return Infinity;
    }
    return labels.weight * difference;
  };
  const costs = trackHypotheses.map((hypotheses, track) =>
    observations.map((observation, index) =>
      allowed !== undefined && !allowed(track, index)
        ? Infinity
        : Math.min(...hypotheses.map((hypothesis) => matchCost(hypothesis, observation, gate(track)))) +
          labelCost(track, index, hypotheses),
    ),
  );
  // A gated pair costs more than any set of allowed pairs can add up to, so the solver only uses one when
  // it has no choice; such pairs are then dropped. Allowed costs are at most 1 + the widest gate each, plus
  // the label's weight, plus the size term (see SIZE_TERM_CAP).
  const pairsAtMost = Math.min(trackHypotheses.length, observations.length);
  const widest = Math.max(...trackHypotheses.map((_, track) => gate(track)));
  const forbidden = (pairsAtMost + 1) * (1 + widest + SIZE_TERM_CAP + (labels?.weight ?? 0)) + 1;
  const finite = costs.map((row) => row.map((cost) => (cost === Infinity ? forbidden : cost)));

  const matches: Match[] = [];
  const transposed = trackHypotheses.length > observations.length;
  const assignment = minimumCostAssignment(transposed ? transpose(finite) : finite);
  assignment.forEach((column, row) => {
    const [trackIndex, observationIndex] = transposed ? [column, row] : [row, column];
    if (costs[trackIndex][observationIndex] < Infinity) matches.push({ trackIndex, observationIndex });
  });
  return matches.sort((a, b) => a.trackIndex - b.trackIndex);
}

function transpose(matrix: readonly (readonly number[])[]): number[][] {
  return matrix[0].map((_, column) => matrix.map((row) => row[column]));
}

/**
 * Hungarian method with potentials for an n × m cost matrix with n ≤ m: the column given to each row, all
 * rows assigned, minimising the total. The classic O(n²m) formulation (e-maxx.ru "Hungarian algorithm",
 * 1-based arrays with a sentinel column 0), kept as close to it as TypeScript allows so it can be checked
 * against the reference.
 */
function minimumCostAssignment(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  const m = cost[0].length;
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const rowOfColumn = new Array<number>(m + 1).fill(0);
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i += 1) {
    rowOfColumn[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = rowOfColumn[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j += 1) {
        if (used[j]) continue;
        const reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j += 1) {
        if (used[j]) {
          u[rowOfColumn[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOfColumn[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOfColumn[j0] = rowOfColumn[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const columnOfRow = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j += 1) if (rowOfColumn[j] !== 0) columnOfRow[rowOfColumn[j] - 1] = j - 1;
  return columnOfRow;
}
