import { describe, expect, it } from 'vitest';
import { faceBoxFromDetector, faceCrop, faceTurns, mergeDetections } from '../../src/shared/face-crop.ts';
import type { Box } from '../../src/shared/geometry.ts';

describe('faceBoxFromDetector', () => {
  it('turns the square BlazeFace box into a taller, narrower forehead-to-chin box about the same centre', () => {
    const face = faceBoxFromDetector(
      { x: 100, y: 100, width: 100, height: 100 },
      {
        widthScale: 0.9,
        heightScale: 1.2,
        centreShiftY: 0.1,
      },
    );
    expect(face.width).toBeCloseTo(90);
    expect(face.height).toBeCloseTo(120);
    expect(face.x + face.width / 2).toBeCloseTo(150);
    expect(face.y + face.height / 2).toBeCloseTo(160);
  });
});

describe('faceTurns', () => {
  // An upright face: eyes at (40, 40) and (60, 40), mouth at (50, 70).
  const upright = { a: { x: 40, y: 40 }, b: { x: 60, y: 40 }, mouth: { x: 50, y: 70 } };
  /** The same face turned `q` quarter turns clockwise about (50, 50) (y grows downward). */
  const turned = (q: number) => {
    const turn = (p: { x: number; y: number }) => {
      let [x, y] = [p.x - 50, p.y - 50];
      for (let i = 0; i < q; i++) [x, y] = [-y, x];
      return { x: x + 50, y: y + 50 };
    };
    return [turn(upright.a), turn(upright.b), turn(upright.mouth)] as const;
  };

  it('reads the quarter turns from the way from the eyes to the mouth, whichever eye is named first', () => {
    for (const q of [0, 1, 2, 3]) {
      const [a, b, mouth] = turned(q);
      expect(faceTurns(a, b, mouth)).toBe(q);
      expect(faceTurns(b, a, mouth)).toBe(q);
    }
  });

  it('keeps a tilted head upright (under 45°), and a face lying on its side a quarter turn', () => {
    expect(faceTurns({ x: 40, y: 45 }, { x: 60, y: 35 }, { x: 58, y: 68 })).toBe(0);
    expect(faceTurns({ x: 40, y: 40 }, { x: 40, y: 60 }, { x: 10, y: 50 })).toBe(1);
  });
});

describe('faceBoxFromDetector on a turned face', () => {
  it('calibrates along the face: a face lying on its side gets a wider, lower box shifted toward its chin', () => {
    const calibration = { widthScale: 0.9, heightScale: 1.2, centreShiftY: 0.1 };
    // A quarter turn clockwise: the face's "down" is the picture's left.
    const face = faceBoxFromDetector({ x: 100, y: 100, width: 100, height: 100 }, calibration, 1);
    expect(face.width).toBeCloseTo(120);
    expect(face.height).toBeCloseTo(90);
    expect(face.x + face.width / 2).toBeCloseTo(140);
    expect(face.y + face.height / 2).toBeCloseTo(150);
    expect(faceBoxFromDetector({ x: 100, y: 100, width: 100, height: 100 }, calibration, 0)).toEqual(
      faceBoxFromDetector({ x: 100, y: 100, width: 100, height: 100 }, calibration),
    );
  });

  it('keeps the best box’s turns when merging passes', () => {
    const merged = mergeDetections([
      { box: { x: 0, y: 0, width: 100, height: 100 }, score: 0.9, turns: 1 },
      { box: { x: 5, y: 5, width: 100, height: 100 }, score: 0.6 },
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.turns).toBe(1);
  });
});

describe('faceCrop', () => {
  it('is the face box itself inside the frame', () => {
    expect(faceCrop({ x: 10, y: 20, width: 30, height: 40 }, 640, 480)).toEqual({
      x: 10,
      y: 20,
      width: 30,
      height: 40,
    });
  });
  it('is clamped to the frame at its edges', () => {
    expect(faceCrop({ x: -20, y: 450, width: 60, height: 60 }, 640, 480)).toEqual({
      x: 0,
      y: 450,
      width: 40,
      height: 30,
    });
  });
  it('grows by the margin on each side', () => {
    expect(faceCrop({ x: 100, y: 100, width: 100, height: 50 }, 640, 480, 0.1)).toEqual({
      x: 90,
      y: 95,
      width: 120,
      height: 60,
    });
  });
  it('is never empty, even for a box outside the frame', () => {
    const crop = faceCrop({ x: 700, y: -100, width: 10, height: 10 }, 640, 480);
    expect(crop.width).toBeGreaterThanOrEqual(1);
    expect(crop.height).toBeGreaterThanOrEqual(1);
    expect(crop.x + crop.width).toBeLessThanOrEqual(640);
  });
});

describe('mergeDetections', () => {
  it('fuses overlapping boxes by score-weighted mean and keeps separate faces apart', () => {
    const merged = mergeDetections([
      { box: { x: 0, y: 0, width: 100, height: 100 }, score: 0.6 },
      { box: { x: 300, y: 0, width: 50, height: 50 }, score: 0.7 },
      { box: { x: 10, y: 0, width: 100, height: 100 }, score: 0.9 },
    ]);
    expect(merged).toHaveLength(2);
    expect(merged[0]!.score).toBe(0.9);
    expect(merged[0]!.box.x).toBeCloseTo((10 * 0.9 + 0 * 0.6) / 1.5);
    expect(merged[1]!.box).toEqual({ x: 300, y: 0, width: 50, height: 50 });
  });

  it('lets a coarse (zoomed-out) box add a face but not move a face found at full resolution', () => {
    const merged = mergeDetections([
      { box: { x: 0, y: 0, width: 100, height: 100 }, score: 0.6 },
      { box: { x: 20, y: 0, width: 120, height: 120 }, score: 0.95, coarse: true },
      { box: { x: 300, y: 0, width: 80, height: 80 }, score: 0.7, coarse: true },
    ]);
    expect(merged).toHaveLength(2);
    // The face found at full resolution keeps its box and takes the coarse pass's better score.
    expect(merged[0]!).toEqual({ box: { x: 0, y: 0, width: 100, height: 100 }, score: 0.95 });
    // A face only the coarse pass found is kept as it is.
    expect(merged[1]!.box).toEqual({ x: 300, y: 0, width: 80, height: 80 });
  });

  it('keeps one of two boxes where one centre lies inside the other, and keeps faces side by side', () => {
    const face = { box: { x: 100, y: 100, width: 100, height: 140 }, score: 0.9 };
    // Round the eyes above a mask (IoU 0.1 with the face's box), and round the whole head (IoU 0.2).
    const eyes = { box: { x: 130, y: 120, width: 40, height: 35 }, score: 0.6 };
    const head = { box: { x: 50, y: 40, width: 200, height: 280 }, score: 0.55 };
    // Another person's face beside it, touching the box's edge, with a lower score.
    const neighbour = { box: { x: 195, y: 110, width: 90, height: 120 }, score: 0.7 };
    const rounded = (detections: { box: Box }[]) =>
      detections.map(({ box }) =>
        [box.x, box.y, box.width, box.height].map((v) => Math.round(v * 1e6) / 1e6),
      );
    expect(rounded(mergeDetections([eyes, head, face, neighbour]))).toEqual(rounded([face, neighbour]));
    // The eyes' box alone is a face.
    expect(mergeDetections([eyes])).toEqual([eyes]);
    // Nested either way round, one is kept: the better-scored.
    const sharpEyes = { ...eyes, score: 0.95 };
    expect(rounded(mergeDetections([face, sharpEyes]))).toEqual(rounded([sharpEyes]));
    // Where it was found does not matter: a better-scored box only the zoomed-out passes found wins over a
    // box found at full resolution, and a worse-scored one loses to it.
    const coarseFace = { ...face, score: 0.95, coarse: true };
    expect(rounded(mergeDetections([eyes, coarseFace]))).toEqual(rounded([coarseFace]));
    expect(rounded(mergeDetections([sharpEyes, { ...coarseFace, score: 0.9 }]))).toEqual(
      rounded([sharpEyes]),
    );
    // A face split in two boxes side by side (a hand across it), neither centre inside the other, and a
    // better-scored coarse box round both: one face, not two.
    const left = { box: { x: 61, y: 68, width: 53, height: 76 }, score: 0.69 };
    const right = { box: { x: 118, y: 62, width: 60, height: 80 }, score: 0.53 };
    const whole = { box: { x: 66, y: 56, width: 93, height: 131 }, score: 0.76, coarse: true };
    expect(rounded(mergeDetections([left, right]))).toEqual(rounded([left, right]));
    expect(rounded(mergeDetections([left, right, whole]))).toEqual(rounded([whole]));
  });

  it('drops a box only the zoomed-out passes found that lies over a face about its size, not round its centre', () => {
    // A frame of the fake-camera queue: three people, the middle one's face cut in half by the photo of the
    // person beside them, and a coarse box across that half face and the next person's face.
    const middle = { box: { x: 280, y: 178, width: 104, height: 148 }, score: 0.93 };
    const beside = { box: { x: 495, y: 201, width: 96, height: 136 }, score: 0.75 };
    const left = { box: { x: 74, y: 147, width: 116, height: 164 }, score: 0.71 };
    const across = { box: { x: 341, y: 161, width: 188, height: 265 }, score: 0.55, coarse: true };
    expect(mergeDetections([middle, beside, left, across])).toEqual([middle, beside, left]);
    // Found at full resolution it would be a face: only the coarse pass's boxes are judged so.
    expect(mergeDetections([middle, beside, left, { ...across, coarse: false }])).toHaveLength(4);
    // Over one such face is enough: it is as unlike a face beside another.
    expect(mergeDetections([middle, left, across])).toEqual([middle, left]);
    // A face much larger than the one it lies over is nearer the camera and may cover it: it stays (a crowd
    // in mask-crops train, a masked face in front over a small face behind).
    const behind = { box: { x: 187, y: 64, width: 24, height: 35 }, score: 0.59 };
    const inFront = { box: { x: 200, y: 61, width: 84, height: 119 }, score: 0.52, coarse: true };
    expect(mergeDetections([behind, inFront])).toEqual([behind, { box: inFront.box, score: inFront.score }]);
  });
});
