import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OfflineState } from '../offline/service-worker.ts';
import { focusStyles } from './view-styles.ts';

/**
 * Tells the guard whether MaskGuard works with no network ("Ready to work offline") and, when a new version
 * waits, shows a banner with an "Update now" button. It only renders the {@link OfflineState} it is given;
 * registering the service worker and applying the update live in `src/offline/`.
 *
 * @fires update-accepted - Event (bubbles, composed) when the guard taps "Update now"
 * @csspart ready - the "Ready to work offline" line
 * @csspart banner - the update banner
 */
@customElement('offline-status')
export class OfflineStatus extends LitElement {
  /** The offline state to show (`offline.state` from `src/offline`); nothing is shown until it is set. */
  @property({ attribute: false }) state: OfflineState | undefined;

  static override styles = [
    focusStyles,
    css`
      :host {
        display: block;
        font-size: 0.9rem;
      }
      .line {
        opacity: 0.85;
      }
      .line.problem {
        color: #ffd27a;
        opacity: 1;
      }
      [part='banner'] {
        display: flex;
        align-items: center;
        gap: 12px;
        flex-wrap: wrap;
        margin-top: 8px;
        padding: 10px 12px;
        border-radius: 8px;
        background: #1d4e6e;
        color: #f4f7f9;
      }
      button {
        font: inherit;
        font-weight: 600;
        min-height: 44px;
        padding: 0 16px;
        border: 0;
        border-radius: 8px;
        background: #f4f7f9;
        color: #0b1d2a;
      }
      button:disabled {
        opacity: 0.6;
      }
    `,
  ];

  override render() {
    const state = this.state;
    if (state === undefined) return nothing;
    return html`${this.renderLine(state)}${state.updateWaiting ? this.renderBanner(state) : nothing}`;
  }

  private renderLine(state: OfflineState) {
    if (state.error !== undefined) return html`<div class="line problem" role="status">${state.error}</div>`;
    if (!state.supported) {
      return html`<div class="line problem" role="status">
        Offline use needs HTTPS; this address works only with a network.
      </div>`;
    }
    if (state.offlineReady)
      return html`<div class="line" part="ready" role="status">Ready to work offline</div>`;
    return html`<div class="line" role="status">Saving the app for offline use…</div>`;
  }

  private renderBanner(state: OfflineState) {
    return html`<div part="banner" role="alert">
      <span>A new version of MaskGuard is ready.</span>
      ${state.heldBack !== undefined ? html`<span class="held-back">${state.heldBack}</span>` : nothing}
      <button type="button" ?disabled=${state.updating} @click=${this.accept}>
        ${state.updating ? 'Updating…' : 'Update now'}
      </button>
    </div>`;
  }

  private accept(): void {
    this.dispatchEvent(new Event('update-accepted', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'offline-status': OfflineStatus;
  }
}
