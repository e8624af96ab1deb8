import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DETECTION_RANGES, type DetectionRange } from '../shared/protocol.ts';
import type { Preferences } from '../pipeline/preferences.ts';

const RANGE_TEXT: Record<DetectionRange, string> = {
  auto: 'Auto range',
  near: 'Near (≤2 m)',
  far: 'Far (≤5 m)',
};

/**
 * The guard's buttons: camera, torch, mute, detection range, and a photo or video file instead of the camera.
 *
 * @fires start-camera @fires switch-camera @fires toggle-torch
 * @fires set-muted - CustomEvent<boolean> @fires set-range - CustomEvent<DetectionRange>
 * @fires open-file - CustomEvent<File>
 */
@customElement('guard-controls')
export class GuardControls extends LitElement {
  @property({ attribute: false }) preferences!: Preferences;
  @property({ type: Boolean }) cameraOn = false;
  @property({ type: Boolean }) torchAvailable = false;
  @property({ type: Boolean }) torchOn = false;

  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      padding: 6px;
      background: rgba(0, 0, 0, 0.55);
    }
    button,
    select,
    label {
      font: inherit;
      font-size: 0.95rem;
      min-height: 44px;
      padding: 0 12px;
      border-radius: 8px;
      border: 1px solid #5c7080;
      background: #17303f;
      color: inherit;
      display: inline-flex;
      align-items: center;
      cursor: pointer;
    }
    input[type='file'] {
      display: none;
    }
  `;

  private fire(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const p = this.preferences;
    return html`
      <button @click=${() => this.fire('start-camera')}>
        ${this.cameraOn ? 'Restart camera' : 'Start camera'}
      </button>
      <button @click=${() => this.fire('switch-camera')}>
        ${p.facing === 'environment' ? 'Use front camera' : 'Use rear camera'}
      </button>
      ${
        this.torchAvailable
          ? html`<button aria-pressed=${this.torchOn} @click=${() => this.fire('toggle-torch')}>
              Torch ${this.torchOn ? 'off' : 'on'}
            </button>`
          : ''
      }
      <button aria-pressed=${p.muted} @click=${() => this.fire('set-muted', !p.muted)}>
        ${p.muted ? 'Sound off (tap for on)' : 'Sound on (tap to mute)'}
      </button>
      <select
        aria-label="Detection range"
        @change=${(e: Event) => this.fire('set-range', (e.target as HTMLSelectElement).value)}
      >
        ${DETECTION_RANGES.map((r) => html`<option value=${r} ?selected=${r === p.range}>${RANGE_TEXT[r]}</option>`)}
      </select>
      <label
        >Check a photo or video
        <input
          type="file"
          name="photo"
          accept="image/*,video/*"
          @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file !== undefined) this.fire('open-file', file);
            input.value = '';
          }}
      /></label>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guard-controls': GuardControls;
  }
}
