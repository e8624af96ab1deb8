import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/**
 * The root of the guard's screen: the product name and one status line telling the guard what the app is
 * doing. Later issues fill the screen in (camera view, tally, history).
 */
@customElement('mask-guard-app')
export class MaskGuardApp extends LitElement {
  /** What the app is doing, in the guard's words. */
  @property({ type: String }) status = 'Starting…';

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100%;
    }
    header {
      padding: 12px 16px;
      display: flex;
      align-items: baseline;
      gap: 12px;
    }
    h1 {
      margin: 0;
      font-size: 1.4rem;
    }
    [role='status'] {
      opacity: 0.85;
    }
  `;

  override render() {
    return html`<header>
      <h1>MaskGuard</h1>
      <span role="status" aria-live="polite">${this.status}</span>
    </header>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mask-guard-app': MaskGuardApp;
  }
}
