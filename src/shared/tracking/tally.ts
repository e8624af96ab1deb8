/**
 * The guard's tally, derived only from counted decisions (one per person, see ./tracker.ts), so that the
 * screen and storage agree by construction: a shift's tally is `tallyDecisions` of its stored events.
 */
import type { Decision } from './options';

/** People counted so far, by decision. */
export interface Tally {
  /** People counted `with_mask`. */
  readonly masked: number;
  /** People counted `without_mask`. */
  readonly unmasked: number;
  /** People counted `uncertain`. */
  readonly uncertain: number;
  /** All people counted: `masked + unmasked + uncertain`. */
  readonly total: number;
  /**
   * `100 × masked / (masked + unmasked)`, unrounded, in [0, 100]; uncertain people are left out because
   * nothing is known about them. `null` when no one has been decided yet: 0 % would report a failure and
   * 100 % a success that did not happen, so the screen shows a dash instead.
   */
  readonly compliancePercent: number | null;
}

/** The tally before anyone is counted. */
export const EMPTY_TALLY: Tally = Object.freeze({
  masked: 0,
  unmasked: 0,
  uncertain: 0,
  total: 0,
  compliancePercent: null,
});

/** `tally` with one more person counted as `decision`; `tally` itself is not changed. */
export function addToTally(tally: Tally, decision: Decision): Tally {
  const masked = tally.masked + (decision === 'with_mask' ? 1 : 0);
  const unmasked = tally.unmasked + (decision === 'without_mask' ? 1 : 0);
  const uncertain = tally.uncertain + (decision === 'uncertain' ? 1 : 0);
  return makeTally(masked, unmasked, uncertain);
}

/**
 * The tally of a list of counted decisions (e.g. `PersonCounted` events, or stored events of a shift). An
 * entry with `removed` set (a record the guard took out of the count) is no person and is left out.
 */
export function tallyDecisions(
  events: Iterable<{ readonly decision: Decision; readonly removed?: unknown }>,
): Tally {
  let masked = 0;
  let unmasked = 0;
  let uncertain = 0;
  for (const { decision, removed } of events) {
    if (removed !== undefined) continue;
    switch (decision) {
      case 'with_mask':
        masked += 1;
        break;
      case 'without_mask':
        unmasked += 1;
        break;
      case 'uncertain':
        uncertain += 1;
        break;
      default: {
        // Stored events outlive the code that wrote them; a decision this build does not know is a bug to
        // surface, not a person to drop silently.
        const unknown: never = decision;
        throw new RangeError(`unknown decision ${String(unknown)}`);
      }
    }
  }
  return makeTally(masked, unmasked, uncertain);
}

function makeTally(masked: number, unmasked: number, uncertain: number): Tally {
  const decided = masked + unmasked;
  return {
    masked,
    unmasked,
    uncertain,
    total: decided + uncertain,
    compliancePercent: decided > 0 ? (100 * masked) / decided : null,
  };
}
