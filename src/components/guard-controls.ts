import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DETECTION_RANGES, type DetectionRange } from '../shared/protocol.ts';
import type { Preferences } from '../pipeline/preferences.ts';
import { focusStyles } from './view-styles.ts';

const RANGE_TEXT: Record<DetectionRange, string> = {
  auto: 'Auto range',
  near: 'Near (≤2 m)',
  far: 'Far (≤5 m)',
};

/**
 * The guard's buttons: camera, torch, mute, detection range, and a photo or video file instead of the camera.
 *
 * @fires start-camera @fires stop-camera @fires switch-camera @fires toggle-torch
 * @fires set-muted - CustomEvent<boolean> @fires set-range - CustomEvent<DetectionRange>
 * @fires open-file - CustomEvent<File>
 */
@customElement('guard-controls')
export class GuardControls extends LitElement {
  @property({ attribute: false }) preferences!: Preferences;
  @property({ type: Boolean }) cameraOn = false;
  @property({ type: Boolean }) torchAvailable = false;
  @property({ type: Boolean }) torchOn = false;
  /** Whether there is another camera to switch to: false once the device is known to have only one. */
  @property({ type: Boolean }) canSwitch = true;

  static override styles = [
    focusStyles,
    css`
      /*
     * Equal columns, as many as fit (two on a phone held upright), each control filling its cell and its
     * text wrapping inside it: left to flow at their own widths, four controls took four rows on a 360 px
     * phone (two of them did not fit side by side), leaving the camera's picture a third of the screen.
     * In rem, so that a phone's large text gets fewer, wider columns.
     */
      :host {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
        gap: 6px;
        padding: 6px;
        background: rgba(0, 0, 0, 0.55);
      }
      button,
      select {
        font: inherit;
        font-size: 0.95rem;
        line-height: 1.15;
        min-height: 44px;
        min-width: 0;
        padding: 2px 10px;
        border-radius: 8px;
        border: 1px solid #5c7080;
        background: #17303f;
        color: inherit;
        display: inline-flex;
        align-items: center;
        justify-content: center;
        text-align: center;
        cursor: pointer;
      }
      /* Out of sight but still rendered (the usual pattern for a file input opened by its own button); the
       tests and scripts/screenshots.ts fill it by its name with setInputFiles. */
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        margin: -1px;
        padding: 0;
        border: 0;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    `,
  ];

  private fire(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const p = this.preferences;
    return html`
      <!-- Stop, then Start, also restarts a camera whose picture froze; people in view are kept over it. -->
      <button name="camera" @click=${() => this.fire(this.cameraOn ? 'stop-camera' : 'start-camera')}>
        ${this.cameraOn ? 'Stop camera' : 'Start camera'}
      </button>
      ${
        this.canSwitch
          ? html`<button @click=${() => this.fire('switch-camera')}>
              ${p.facing === 'environment' ? 'Use front camera' : 'Use rear camera'}
            </button>`
          : ''
      }
      ${
        this.torchAvailable
          ? html`<button @click=${() => this.fire('toggle-torch')}>
              ${this.torchOn ? 'Torch on (tap for off)' : 'Torch off (tap for on)'}
            </button>`
          : ''
      }
      <!-- The text says the state and what a tap does; no aria-pressed, which would contradict it. -->
      <button @click=${() => this.fire('set-muted', !p.muted)}>
        ${p.muted ? 'Sound off (tap for on)' : 'Sound on (tap to mute)'}
      </button>
      <select
        aria-label="Detection range"
        @change=${(e: Event) => this.fire('set-range', (e.target as HTMLSelectElement).value)}
      >
        ${DETECTION_RANGES.map((r) => html`<option value=${r} ?selected=${r === p.range}>${RANGE_TEXT[r]}</option>`)}
      </select>
      <button name="open-file" @click=${this.chooseFile}>Check a photo or video</button>
      <input
        type="file"
        name="photo"
        accept="image/*,video/*"
        tabindex="-1"
        aria-hidden="true"
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          const file = input.files?.[0];
          if (file !== undefined) this.fire('open-file', file);
          input.value = '';
        }}
      />
    `;
  }

  /**
   * A real button opens the file input's chooser: a file input hidden inside a label can be neither reached
   * with Tab nor announced as a button. The input is left out of the tab order and the accessibility tree so
   * the control is met once, as this button. Called from the click, so the chooser gets its user activation.
   */
  private chooseFile(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[name=photo]')?.click();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guard-controls': GuardControls;
  }
}
