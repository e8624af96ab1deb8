/**
 * Tells the guard that an unmasked person was just counted: sound and vibration, at most once per
 * cooldown, silenced by the mute switch. (The visual alert is the screen's, which shows every one.)
 */

/** Options of {@link UnmaskedAlarm}. */
export interface AlarmOptions {
  /** Minimum time between two sounds/vibrations; a crowd of unmasked people must not become a siren. */
  cooldownMs: number;
}

/** Sound and vibration for newly counted unmasked people. */
export class UnmaskedAlarm {
  private audio: AudioContext | undefined;
  private lastAt = -Infinity;
  /** When true, no sound and no vibration (the visual alert stays). */
  muted = false;

  /** Called when {@link armed} may have changed. */
  onArmedChange: () => void = () => {};

  constructor(private readonly options: AlarmOptions = { cooldownMs: 3000 }) {}

  /**
   * Whether the sound can play now. Browsers start audio only after the guard touched the page (and may
   * suspend it again, e.g. iOS during a phone call); until then an alarm would be silent.
   */
  get armed(): boolean {
    return this.audio?.state === 'running';
  }

  /**
   * Browsers start audio only after a user gesture; call this from one (e.g. the Start button) so that
   * later alarms can sound.
   */
  unlock(): void {
    if (this.audio === undefined) {
      this.audio = new AudioContext();
      this.audio.addEventListener('statechange', () => this.onArmedChange());
    }
    void this.audio.resume().then(
      () => this.onArmedChange(),
      () => {},
    );
  }

  /** Sounds and vibrates unless muted or within the cooldown. Returns whether it did. */
  ring(now = performance.now()): boolean {
    if (this.muted || now - this.lastAt < this.options.cooldownMs) return false;
    this.lastAt = now;
    navigator.vibrate?.([200, 100, 200]);
    const audio = this.audio;
    if (audio !== undefined && audio.state === 'running') {
      // Two short high tones: audible over street noise, unlike any phone notification sound.
      for (const [start, frequency] of [
        [0, 880],
        [0.22, 660],
      ] as const) {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.type = 'square';
        oscillator.frequency.value = frequency;
        gain.gain.value = 0.15;
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(audio.currentTime + start);
        oscillator.stop(audio.currentTime + start + 0.18);
      }
    }
    return true;
  }
}
