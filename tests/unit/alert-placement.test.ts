import { describe, expect, it } from 'vitest';
import { ALERT_SIDE_MARGIN, alertSide } from '../../src/components/alert-placement.ts';

const face = (top: number, bottom: number) => ({ top, bottom });

describe('alertSide', () => {
  it('moves the alerts to the top when the faces fill the lower part of the picture', () => {
    // A face from 40 % to 95 % of a 480-pixel frame: 19 % free above it, 5 % below.
    expect(alertSide([face(192, 456)], 480, 'bottom')).toBe('top');
  });

  it('keeps them at the bottom when the faces are in the upper part', () => {
    expect(alertSide([face(40, 260)], 480, 'bottom')).toBe('bottom');
    expect(alertSide([face(40, 260)], 480, 'top')).toBe('bottom');
  });

  it('looks at every face: the highest top and the lowest bottom', () => {
    // One face high, one low: 10 % above, 8 % below; from the top side neither is worth a move.
    expect(alertSide([face(48, 200), face(300, 442)], 480, 'top')).toBe('top');
    expect(alertSide([face(100, 200), face(300, 470)], 480, 'bottom')).toBe('top');
  });

  it('moves only when the other side has clearly more room, so a face near the middle does not flip them', () => {
    const h = 1000;
    // 5 points more room above (35 %) than below (30 %): stays at the bottom; and the other way round.
    expect(alertSide([face(350, 700)], h, 'bottom')).toBe('bottom');
    expect(alertSide([face(300, 650)], h, 'top')).toBe('top');
    // Just past the margin: 40 % above, 29 % below, moves up; 29 % above, 40 % below, moves down.
    expect(ALERT_SIDE_MARGIN).toBeLessThan(0.11);
    expect(alertSide([face(400, 710)], h, 'bottom')).toBe('top');
    expect(alertSide([face(290, 600)], h, 'top')).toBe('bottom');
  });

  it('stays where it is with no face in view or no frame size', () => {
    expect(alertSide([], 480, 'top')).toBe('top');
    expect(alertSide([], 480, 'bottom')).toBe('bottom');
    expect(alertSide([face(300, 470)], 0, 'bottom')).toBe('bottom');
  });
});
