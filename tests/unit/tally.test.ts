import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/shared/tracking/options';
import { EMPTY_TALLY, addToTally, tallyDecisions } from '../../src/shared/tracking/tally';
import { formatCompliance } from '../../src/components/format';

const events = (...decisions: Decision[]) => decisions.map((decision) => ({ decision }));

describe('tally', () => {
  it('is empty with no compliance before anyone is counted', () => {
    expect(tallyDecisions([])).toEqual(EMPTY_TALLY);
    expect(EMPTY_TALLY).toEqual({ masked: 0, unmasked: 0, uncertain: 0, total: 0, compliancePercent: null });
  });

  it('counts each decision and leaves uncertain people out of compliance', () => {
    const tally = tallyDecisions(
      events('with_mask', 'without_mask', 'with_mask', 'uncertain', 'with_mask', 'uncertain'),
    );
    expect(tally).toEqual({ masked: 3, unmasked: 1, uncertain: 2, total: 6, compliancePercent: 75 });
  });

  it('has no compliance when everyone counted is uncertain', () => {
    expect(tallyDecisions(events('uncertain', 'uncertain')).compliancePercent).toBeNull();
  });

  it('reports 0 % and 100 % at the extremes', () => {
    expect(tallyDecisions(events('without_mask')).compliancePercent).toBe(0);
    expect(tallyDecisions(events('with_mask', 'with_mask')).compliancePercent).toBe(100);
  });

  it('does not round', () => {
    expect(tallyDecisions(events('with_mask', 'without_mask', 'without_mask')).compliancePercent).toBeCloseTo(
      100 / 3,
      12,
    );
  });

  it('adds one person at a time without changing the tally it was given, agreeing with tallyDecisions', () => {
    const decisions: Decision[] = ['without_mask', 'with_mask', 'uncertain', 'with_mask'];
    const start = { ...EMPTY_TALLY };
    let running = start;
    for (const decision of decisions) running = addToTally(running, decision);
    expect(start).toEqual({ masked: 0, unmasked: 0, uncertain: 0, total: 0, compliancePercent: null });
    expect(running).toEqual(tallyDecisions(events(...decisions)));
    expect(running.total).toBe(4);
  });

  it('leaves out a record the guard removed from the count', () => {
    expect(
      tallyDecisions([
        { decision: 'with_mask' },
        { decision: 'without_mask', removed: { at: 1 } },
        { decision: 'uncertain', removed: { at: 2 } },
      ]),
    ).toEqual({ masked: 1, unmasked: 0, uncertain: 0, total: 1, compliancePercent: 100 });
  });

  it('rejects a decision it does not know instead of dropping the person', () => {
    expect(() => tallyDecisions([{ decision: 'mask_below_nose' as Decision }])).toThrow(RangeError);
  });
});

describe('compliance as the tally board shows it', () => {
  const shown = (masked: number, unmasked: number) =>
    formatCompliance({
      masked,
      unmasked,
      compliancePercent: masked + unmasked === 0 ? null : (100 * masked) / (masked + unmasked),
    });

  it('is a rounded whole percentage, "–" before anyone is decided', () => {
    expect(shown(0, 0)).toBe('–');
    expect(shown(2, 1)).toBe('67%');
    expect(shown(1, 1)).toBe('50%');
    expect(shown(5, 0)).toBe('100%');
    expect(shown(0, 5)).toBe('0%');
  });

  it('never reads 100 % with someone unmasked, nor 0 % with someone masked', () => {
    expect(shown(249, 1)).toBe('99%');
    expect(shown(1, 249)).toBe('1%');
  });
});
