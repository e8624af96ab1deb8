/**
 * A paused tracker's tracks as plain data, for the page that replaces this one after a reload (see
 * FaceTracker.snapshot and FaceTracker.restore in ./tracker.ts). Read back from storage, it may be anything:
 * {@link isSnapshot} checks it before a tracker trusts it.
 */
import type { Decision } from './options';
import type { TrackState } from './track-state';

/**
 * A paused tracker's state, for a page that reloads while people stand at the door (see
 * {@link FaceTracker.snapshot}): plain data, kept in localStorage for the next page.
 */
export interface TrackerSnapshot {
  readonly nextId: number;
  /** Absent in a snapshot saved before numbers were given apart from track ids: then `nextId`. */
  readonly nextNumber?: number;
  /** When input paused, on the saving tracker's clock. */
  readonly pausedAtMs: number;
  readonly tracks: readonly Readonly<TrackState>[];
}

const DECISIONS: readonly (Decision | null)[] = ['with_mask', 'without_mask', 'uncertain', null];

/** Whether `value` has a {@link TrackerSnapshot}'s shape, with finite numbers and ids below `nextId`. */
export function isSnapshot(value: unknown): value is TrackerSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { nextId, nextNumber, pausedAtMs, tracks } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(nextId) || (nextId as number) < 1 || !Number.isFinite(pausedAtMs)) return false;
  const numbered = nextNumber !== undefined;
  if (numbered && (!Number.isSafeInteger(nextNumber) || (nextNumber as number) < 1)) return false;
  if (!Array.isArray(tracks)) return false;
  const finite = (...values: unknown[]) => values.every((v) => typeof v === 'number' && Number.isFinite(v));
  return tracks.every((track: unknown) => {
    if (typeof track !== 'object' || track === null) return false;
    const t = track as Record<string, unknown>;
    const box = t.box as Record<string, unknown> | null;
    return (
      Number.isSafeInteger(t.id) &&
      (t.id as number) >= 1 &&
      (t.id as number) < (nextId as number) &&
      // A number below the next, and one for every counted person; none in a snapshot from before numbers.
      (numbered
        ? t.number === undefined
          ? t.decision === null
          : Number.isSafeInteger(t.number) &&
            (t.number as number) >= 1 &&
            (t.number as number) < (nextNumber as number)
        : t.number === undefined) &&
      typeof box === 'object' &&
      box !== null &&
      finite(box.x, box.y, box.width, box.height) &&
      finite(t.vx, t.vy, t.firstSeenMs, t.lastSeenMs, t.absentSinceMs, t.missedFrames, t.pausedMs) &&
      finite(t.frames, t.sumProbWithoutMask, t.lastProbWithoutMask) &&
      (t.missedTotal === undefined || finite(t.missedTotal)) &&
      (t.blindSinceSeen === undefined || typeof t.blindSinceSeen === 'boolean') &&
      (t.frames as number) >= 1 &&
      DECISIONS.includes(t.decision as Decision | null) &&
      typeof t.provisional === 'boolean'
    );
  });
}
