/**
 * UnmaskedAlarm in Node, with a recording AudioContext and navigator.vibrate: what one ring plays, the
 * cooldown that keeps a crowd from becoming a siren, the mute switch, and the sound waiting for audio to be
 * allowed (the vibration does not). The wiring to the screen is tested in tests/browser/alarm-sound.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnmaskedAlarm } from '../../src/pipeline/alerts.ts';

/** What the page heard and felt. */
let tones: number[];
let vibrations: unknown[];
/** The state a new AudioContext reports, and whether resume() may change it (the browser's autoplay rule). */
let audioAllowed: boolean;

class RecordingAudioContext extends EventTarget {
  state: AudioContextState = 'suspended';
  currentTime = 0;
  destination = {};
  resume(): Promise<void> {
    if (audioAllowed) {
      this.state = 'running';
      this.dispatchEvent(new Event('statechange'));
    }
    return Promise.resolve();
  }
  createGain() {
    const node = { gain: { value: 1 }, connect: (next: unknown) => next };
    return node;
  }
  createOscillator() {
    const oscillator = {
      type: 'sine',
      frequency: { value: 0 },
      connect: (next: unknown) => next,
      start: () => tones.push(oscillator.frequency.value),
      stop: () => {},
    };
    return oscillator;
  }
}

beforeEach(() => {
  tones = [];
  vibrations = [];
  audioAllowed = true;
  vi.stubGlobal('AudioContext', RecordingAudioContext);
  vi.stubGlobal('navigator', { vibrate: (pattern: unknown) => vibrations.push(pattern) });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** An alarm whose audio was unlocked (as by the guard's first touch) and has settled. */
async function unlockedAlarm(cooldownMs = 3000): Promise<UnmaskedAlarm> {
  const alarm = new UnmaskedAlarm({ cooldownMs });
  alarm.unlock();
  await Promise.resolve();
  return alarm;
}

describe('UnmaskedAlarm', () => {
  it('rings with two tones and a vibration', async () => {
    const alarm = await unlockedAlarm();
    expect(alarm.armed).toBe(true);
    expect(alarm.ring(10_000)).toBe(true);
    expect(tones).toEqual([880, 660]);
    expect(vibrations).toEqual([[200, 100, 200]]);
  });

  it('rings once for people counted within the cooldown, again after it', async () => {
    const alarm = await unlockedAlarm(3000);
    expect(alarm.ring(10_000)).toBe(true);
    expect(alarm.ring(10_000)).toBe(false); // a second person in the same frame
    expect(alarm.ring(12_999)).toBe(false);
    expect(alarm.ring(13_000)).toBe(true);
    expect(tones).toHaveLength(4);
    expect(vibrations).toHaveLength(2);
  });

  it('is silent and still when muted, and rings again when unmuted', async () => {
    const alarm = await unlockedAlarm();
    alarm.muted = true;
    expect(alarm.ring(10_000)).toBe(false);
    expect(tones).toEqual([]);
    expect(vibrations).toEqual([]);
    alarm.muted = false;
    // A muted ring does not start the cooldown: the next person is heard at once.
    expect(alarm.ring(10_001)).toBe(true);
    expect(tones).toHaveLength(2);
    expect(vibrations).toHaveLength(1);
  });

  it('vibrates but cannot sound before audio is allowed, and says it is not armed', async () => {
    audioAllowed = false;
    const alarm = await unlockedAlarm();
    const changes = vi.fn();
    alarm.onArmedChange = changes;
    expect(alarm.armed).toBe(false);
    expect(alarm.ring(10_000)).toBe(true);
    expect(tones).toEqual([]);
    expect(vibrations).toHaveLength(1);
    // The guard touches the screen: audio is allowed and the alarm says it is armed.
    audioAllowed = true;
    alarm.unlock();
    await Promise.resolve();
    expect(alarm.armed).toBe(true);
    expect(changes).toHaveBeenCalled();
    expect(alarm.ring(20_000)).toBe(true);
    expect(tones).toEqual([880, 660]);
  });

  it('vibrates without sound before any touch (no audio made yet)', () => {
    const alarm = new UnmaskedAlarm({ cooldownMs: 3000 });
    expect(alarm.armed).toBe(false);
    expect(alarm.ring(10_000)).toBe(true);
    expect(tones).toEqual([]);
    expect(vibrations).toHaveLength(1);
  });
});
