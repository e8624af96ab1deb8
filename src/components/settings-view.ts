import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GuardState } from '../pipeline/guard-controller.ts';
import { RETENTION_LIMITS, type SettingsState } from '../pipeline/storage-settings.ts';
import { formatBytes } from './format.ts';
import { viewStyles } from './view-styles.ts';

/**
 * Settings: whether the browser keeps MaskGuard's data (and a button to ask), how much is stored, whether
 * every count is saved (with "Retry now" when some wait in memory), how long shifts are kept, and the opt-in
 * for pictures of unmasked people with how many are stored. It renders {@link SettingsState}; the work is in
 * src/pipeline/storage-settings.ts.
 *
 * @fires ask-persistence - Event
 * @fires retry-storage - Event
 * @fires set-retention - CustomEvent<number> (days, as typed; validated by the receiver)
 * @fires confirm-retention - CustomEvent<number> (days: delete the shifts a shorter retention drops)
 * @fires cancel-retention - Event
 * @fires set-thumbnails - CustomEvent<boolean>
 */
@customElement('settings-view')
export class SettingsView extends LitElement {
  @property({ attribute: false }) state: SettingsState | undefined;
  /** Whether the retention question was open at the last update, to move focus when it opens and closes. */
  private asking = false;
  /** Below which setting the last change's result is said: the one the guard changed last. */
  private messagePlace: MessagePlace = 'pictures';
  /** Where the models run, once loaded (GuardState.engine): for a support call, in words and in the code's terms. */
  @property({ attribute: false }) engine: GuardState['engine'];

  static override styles = [
    viewStyles,
    css`
      input[type='number'] {
        width: 7em;
      }
      label.check {
        display: flex;
        gap: 12px;
        align-items: center;
        min-height: 44px;
        cursor: pointer;
      }
      /* Not shrunk by a long label beside it (at 360 px it was squeezed to 17 px wide). */
      input[type='checkbox'] {
        flex: none;
        width: 28px;
        height: 28px;
        min-height: 0;
        margin: 0;
      }
      input[aria-disabled='true'],
      input[readonly] {
        opacity: 0.5;
      }
      [data-state='pending'] {
        color: #ffd27a;
        font-weight: 700;
      }
    `,
  ];

  // While a setting is being saved its controls ignore input, marked aria-disabled (and the days field read-only)
  // rather than disabled: a disabled control drops keyboard focus to the page, where a keyboard or switch user
  // is lost (the checkbox did so at every press).
  override render() {
    const s = this.state;
    if (s === undefined) return nothing;
    return html`<h2>Settings</h2>
      ${this.renderPersistence(s)} ${this.renderSaving(s)}
      <h3>Keep shifts for</h3>
      <div class="row">
        <label
          >Days
          <input
            type="number"
            name="retention"
            inputmode="numeric"
            min=${RETENTION_LIMITS.min}
            max=${RETENTION_LIMITS.max}
            step="1"
            .value=${String(s.retentionDays)}
            ?readonly=${s.busy}
            @change=${(e: Event) => this.fire('set-retention', Number((e.target as HTMLInputElement).value))}
        /></label>
      </div>
      ${this.renderMessage(s, 'retention')} ${this.renderRetentionConfirmation(s)}
      <p class="hint">Older shifts are deleted with their people, now and each time MaskGuard starts.</p>
      <h3>Pictures</h3>
      <label class="check">
        <input
          type="checkbox"
          name="thumbnails"
          .checked=${s.keepThumbnails}
          aria-disabled=${s.busy ? 'true' : 'false'}
          @click=${(e: Event) => {
            if (s.busy) e.preventDefault();
          }}
          @change=${(e: Event) => this.fire('set-thumbnails', (e.target as HTMLInputElement).checked)}
        />
        Keep a small picture of each person counted without a mask
      </label>
      ${this.renderPictureCount(s)}
      <p class="hint">
        Off unless you turn it on. Only people without a mask, as a small, size-limited picture, kept on this
        phone with their shift and deleted with it. You see them in History. Turning this off deletes them
        all. Nothing is ever sent anywhere.
      </p>
      ${this.renderMessage(s, 'pictures')} ${this.renderEngine()}`;
  }

  /**
   * The retention question takes focus when it opens (it is an alertdialog: a keyboard or screen-reader user
   * must land in it) and gives it back to the field when it closes; the field then shows the days in effect
   * (what was typed stays while the question is open, and a re-render never overwrites typing).
   */
  override updated(): void {
    const asking = this.state?.retentionToConfirm !== undefined;
    if (asking === this.asking) return;
    this.asking = asking;
    const root = this.renderRoot as ShadowRoot;
    if (asking) {
      root.querySelector<HTMLButtonElement>('button[name=cancel-retention]')?.focus();
      return;
    }
    const input = root.querySelector<HTMLInputElement>('input[name=retention]');
    if (input === null || this.state === undefined) return;
    input.value = String(this.state.retentionDays);
    const active = root.activeElement;
    if (active === null || active === input) input.focus();
  }

  /** A shorter retention that would delete shifts: said, with the choice to delete them or keep them. */
  private renderRetentionConfirmation(s: SettingsState) {
    const c = s.retentionToConfirm;
    if (c === undefined) return nothing;
    const shifts = Number.isNaN(c.shifts)
      ? 'older shifts'
      : c.shifts === 1
        ? '1 older shift'
        : `${c.shifts} older shifts`;
    return html`<div
      class="confirm"
      role="alertdialog"
      aria-label="Delete older shifts?"
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && !s.busy && this.fire('cancel-retention')}
    >
      <p>
        Keeping shifts for ${c.days} day${c.days === 1 ? '' : 's'} deletes ${shifts} now, with their people.
        Export them from History first if you need them.
      </p>
      <div class="row">
        <button
          class="danger"
          name="confirm-retention"
          aria-disabled=${s.busy ? 'true' : 'false'}
          @click=${() => s.busy || this.fire('confirm-retention', c.days)}
        >
          Delete ${shifts}
        </button>
        <button
          name="cancel-retention"
          aria-disabled=${s.busy ? 'true' : 'false'}
          @click=${() => s.busy || this.fire('cancel-retention')}
        >
          Cancel
        </button>
      </div>
    </div>`;
  }

  /** How this phone checks faces: the detector's MediaPipe delegate and the classifier's tfjs backend. */
  private renderEngine() {
    const e = this.engine;
    if (e === undefined) return nothing;
    const chip = (gpu: boolean) => (gpu ? 'the graphics chip' : 'the processor');
    return html`<h3>How this phone checks faces</h3>
      <p data-engine>
        Face detector on ${chip(e.detectorDelegate === 'GPU')} (${e.detectorDelegate}); mask classifier on
        ${chip(e.classifierBackend === 'webgl')} (${e.classifierBackend}). Everything runs on this phone.
      </p>`;
  }

  /** How many pictures are stored: while the opt-in is on, or while some remain after it was turned off. */
  private renderPictureCount(s: SettingsState) {
    const n = s.storedPictures;
    if (n === undefined || (!s.keepThumbnails && n === 0)) return nothing;
    const text =
      n === 0
        ? 'No pictures stored yet.'
        : `${n} picture${n === 1 ? ' is' : 's are'}${s.keepThumbnails ? '' : ' still'} stored on this phone.`;
    return html`<p data-pictures=${n}>${text}</p>`;
  }

  private renderPersistence(s: SettingsState) {
    const answer =
      s.persisted === true
        ? 'Granted: the browser keeps shifts and offline files until you delete them.'
        : s.persisted === false
          ? `Not granted${s.persistenceAsked ? ' (the browser declined)' : ''}: ` +
            'the browser may delete shifts and offline files when the phone runs short of space.'
          : 'Unknown: this browser does not say whether it keeps the data.';
    return html`<h3>Keep data on this phone</h3>
      <!-- A live region: the answer to "Ask to keep data" is said, not only shown. -->
      <p role="status" data-persisted=${String(s.persisted)}>${answer}</p>
      ${
        s.persisted === true
          ? nothing
          : html`<button name="persist" @click=${() => this.fire('ask-persistence')}>
              Ask to keep data
            </button>`
      }
      <p data-estimate>
        ${
          s.estimate === undefined
            ? 'Storage use: unknown.'
            : `Storage use: ${formatBytes(s.estimate.usageBytes)} of ${formatBytes(s.estimate.quotaBytes)} available to MaskGuard.`
        }
      </p>`;
  }

  private renderSaving(s: SettingsState) {
    return html`<h3>Saving counts</h3>
      <p data-state=${s.storage.state} data-pending=${s.storage.pending}>${s.storage.message}</p>
      <button
        name="retry"
        aria-disabled=${s.busy || s.storage.state === 'saved' ? 'true' : 'false'}
        @click=${() => s.busy || s.storage.state === 'saved' || this.fire('retry-storage')}
      >
        Retry now
      </button>
      ${this.renderMessage(s, 'saving')}`;
  }

  /**
   * The result of the last change, below the control that made it: at the foot of the screen, the answer to
   * a days kept typed wrong was out of sight on a phone (360 × 640), and the guard saw nothing happen.
   */
  private renderMessage(s: SettingsState, place: MessagePlace) {
    if (s.message === undefined || this.messagePlace !== place) return nothing;
    return html`<p class="message" role="status">${s.message}</p>`;
  }

  private fire(type: string, detail?: unknown): void {
    this.messagePlace = MESSAGE_PLACE[type] ?? this.messagePlace;
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

/** Where a change's result is said: below the setting changed (see renderMessage). */
type MessagePlace = 'retention' | 'pictures' | 'saving';
const MESSAGE_PLACE: Partial<Record<string, MessagePlace>> = {
  'set-retention': 'retention',
  'confirm-retention': 'retention',
  'cancel-retention': 'retention',
  'set-thumbnails': 'pictures',
  'retry-storage': 'saving',
};

declare global {
  interface HTMLElementTagNameMap {
    'settings-view': SettingsView;
  }
}
