/**
 * Box maths in frame pixels, shared by the worker (face crops) and the page (tracking, overlays).
 *
 * Pure functions only: no DOM, worker or Node globals, so both tsconfigs compile it and Node tests run it.
 * Every box is in the pixel space of the frame it came from; callers that rescale frames rescale boxes.
 */

/**
 * An axis-aligned box in frame pixels. `(x, y)` is the top-left corner; `width` and `height` are expected
 * to be ≥ 0 (a negative size is treated as an empty box by the functions here rather than thrown on,
 * because detector boxes at the frame edge can come out degenerate and must not break a frame).
 */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A point in frame pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Area of `box` in square pixels; 0 for an empty or degenerate box. */
export function boxArea(box: Box): number {
  return Math.max(0, box.width) * Math.max(0, box.height);
}

/** Centre of `box`. */
export function boxCentre(box: Box): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Area of the overlap of `a` and `b` in square pixels; 0 when they do not overlap or merely touch. */
export function intersectionArea(a: Box, b: Box): number {
  const left = Math.max(a.x, b.x);
  const top = Math.max(a.y, b.y);
  const right = Math.min(a.x + Math.max(0, a.width), b.x + Math.max(0, b.width));
  const bottom = Math.min(a.y + Math.max(0, a.height), b.y + Math.max(0, b.height));
  return Math.max(0, right - left) * Math.max(0, bottom - top);
}

/**
 * Intersection over union of `a` and `b`, in [0, 1]. Two empty boxes have IoU 0, not NaN, so that a
 * degenerate detection never matches anything by accident.
 */
export function iou(a: Box, b: Box): number {
  const intersection = intersectionArea(a, b);
  const union = boxArea(a) + boxArea(b) - intersection;
  return union > 0 ? intersection / union : 0;
}

/** Euclidean distance between the centres of `a` and `b`, in pixels. */
export function centreDistance(a: Box, b: Box): number {
  const ca = boxCentre(a);
  const cb = boxCentre(b);
  return Math.hypot(ca.x - cb.x, ca.y - cb.y);
}

/** `box` moved by `(dx, dy)` pixels; size unchanged. */
export function translateBox(box: Box, dx: number, dy: number): Box {
  return { x: box.x + dx, y: box.y + dy, width: box.width, height: box.height };
}

/** `box` grown by `margin` (a fraction of its width and height) on each side, about the same centre. */
export function growBox(box: Box, margin: number): Box {
  return {
    x: box.x - box.width * margin,
    y: box.y - box.height * margin,
    width: box.width * (1 + 2 * margin),
    height: box.height * (1 + 2 * margin),
  };
}
