/** Detector results for the counter's unit tests. */
import type { FaceResult } from '../../src/shared/protocol.ts';

/** A face at horizontal position `x` with P(without_mask) `p`, labelled at the app's threshold. */
export const face = (x: number, p: number): FaceResult => ({
  box: { x, y: 100, width: 120, height: 150 },
  crop: { x, y: 100, width: 120, height: 150 },
  detScore: 0.9,
  label: p >= 0.25 ? 'without_mask' : 'with_mask',
  probs: { with_mask: 1 - p, without_mask: p },
});
