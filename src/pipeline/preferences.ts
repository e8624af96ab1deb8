/**
 * The guard's screen preferences (detection range, mute, camera, door name). They are device settings,
 * not shift records, so they live in localStorage: read synchronously at start, before the first frame.
 */
import { DETECTION_RANGES, type DetectionRange } from '../shared/protocol.ts';
import type { Facing } from './camera.ts';

/** What the guard set on this device. */
export interface Preferences {
  range: DetectionRange;
  muted: boolean;
  facing: Facing;
  /** Name of the door, recorded with each shift. */
  door: string;
}

const KEY = 'maskguard.preferences';

/** Defaults: both detectors (auto), sound on, rear camera. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = {
  range: 'auto',
  muted: false,
  facing: 'environment',
  door: 'Main door',
};

/** Stored preferences, each field validated and defaulted on its own (an old or damaged value loses nothing else). */
export function loadPreferences(): Preferences {
  let stored: Partial<Record<keyof Preferences, unknown>> = {};
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as typeof stored;
  } catch {
    // Damaged JSON: defaults.
  }
  return {
    range: DETECTION_RANGES.includes(stored.range as DetectionRange)
      ? (stored.range as DetectionRange)
      : DEFAULT_PREFERENCES.range,
    muted: typeof stored.muted === 'boolean' ? stored.muted : DEFAULT_PREFERENCES.muted,
    facing:
      stored.facing === 'user' || stored.facing === 'environment'
        ? stored.facing
        : DEFAULT_PREFERENCES.facing,
    door:
      typeof stored.door === 'string' && stored.door.trim() !== '' ? stored.door : DEFAULT_PREFERENCES.door,
  };
}

/** Saves preferences; a full or blocked storage only costs persistence, never the session. */
export function savePreferences(preferences: Preferences): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(preferences));
  } catch {
    // Ignored on purpose: see above.
  }
}
