import { describe, expect, it } from 'vitest';
import {
  boxArea,
  boxCentre,
  centreDistance,
  intersectionArea,
  iou,
  translateBox,
} from '../../src/shared/geometry';

describe('geometry', () => {
  const a = { x: 0, y: 0, width: 10, height: 10 };

  it('computes area, treating negative sizes as empty', () => {
    expect(boxArea(a)).toBe(100);
    expect(boxArea({ x: 5, y: 5, width: -3, height: 4 })).toBe(0);
  });

  it('computes the centre', () => {
    expect(boxCentre({ x: 10, y: 20, width: 30, height: 40 })).toEqual({ x: 25, y: 40 });
  });

  it('computes the overlap, zero for disjoint or touching boxes', () => {
    expect(intersectionArea(a, { x: 5, y: 5, width: 10, height: 10 })).toBe(25);
    expect(intersectionArea(a, { x: 10, y: 0, width: 10, height: 10 })).toBe(0);
    expect(intersectionArea(a, { x: 50, y: 50, width: 10, height: 10 })).toBe(0);
  });

  it('computes IoU: 1 for identical, 25/175 for a quarter overlap, 0 for disjoint', () => {
    expect(iou(a, a)).toBe(1);
    expect(iou(a, { x: 5, y: 5, width: 10, height: 10 })).toBeCloseTo(25 / 175, 12);
    expect(iou(a, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
  });

  it('IoU of a box inside another is the ratio of their areas', () => {
    expect(iou(a, { x: 2, y: 2, width: 5, height: 5 })).toBeCloseTo(25 / 100, 12);
  });

  it('IoU of two empty boxes is 0, not NaN', () => {
    const empty = { x: 3, y: 3, width: 0, height: 0 };
    expect(iou(empty, empty)).toBe(0);
  });

  it('computes the distance between centres', () => {
    expect(centreDistance(a, { x: 3, y: 4, width: 10, height: 10 })).toBe(5);
  });

  it('translates a box without changing its size', () => {
    expect(translateBox(a, 2, -3)).toEqual({ x: 2, y: -3, width: 10, height: 10 });
  });
});
