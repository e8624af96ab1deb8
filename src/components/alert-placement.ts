/**
 * Where the live screen puts its alerts: at the top or the bottom of the picture, whichever the faces leave
 * more room at. An alert at a fixed place covered the face it was about on a phone held upright (the picture
 * is short there): at the bottom it hid the mouth and nose, where a mask would be, at the top the eyes.
 */

/** Top and bottom of the picture. */
export type AlertSide = 'top' | 'bottom';

/**
 * How much more room (a fraction of the picture's height) the other side must have before the alerts move:
 * a face swaying near the middle must not send them from end to end at every frame.
 */
export const ALERT_SIDE_MARGIN = 0.1;

/**
 * The side for the alerts, given the faces' vertical extents (`top` and `bottom`, in the frame's pixels) in a
 * frame `height` pixels tall, and the side they are on now. With no face in view they stay where they are.
 */
export function alertSide(
  faces: readonly { top: number; bottom: number }[],
  height: number,
  current: AlertSide,
): AlertSide {
  if (faces.length === 0 || !(height > 0)) return current;
  const room: Record<AlertSide, number> = {
    top: Math.min(...faces.map((f) => f.top)) / height,
    bottom: 1 - Math.max(...faces.map((f) => f.bottom)) / height,
  };
  const other: AlertSide = current === 'top' ? 'bottom' : 'top';
  return room[other] > room[current] + ALERT_SIDE_MARGIN ? other : current;
}
