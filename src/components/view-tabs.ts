import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { focusStyles } from './view-styles.ts';

/** The screens of the app: the live camera, the running shift, the history, the settings. */
export type AppView = 'live' | 'shift' | 'history' | 'settings';

const TABS: readonly { view: AppView; label: string }[] = [
  { view: 'live', label: 'Live' },
  { view: 'shift', label: 'Shift' },
  { view: 'history', label: 'History' },
  { view: 'settings', label: 'Settings' },
];

/**
 * A row of buttons to switch screens. The current one is marked with `aria-current` and underlined, not only
 * coloured.
 *
 * @fires view-change - CustomEvent<AppView> (bubbles, composed) when the guard picks a screen
 */
@customElement('view-tabs')
export class ViewTabs extends LitElement {
  /** The screen shown now. */
  @property({ type: String }) view: AppView = 'live';

  static override styles = [
    focusStyles,
    css`
      :host {
        display: block;
        padding: 0 6px 6px;
      }
      /* On two lines when the four do not fit on one (the phone's text made large): never off the screen. */
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      button {
        flex: 1 1 0;
        min-width: max-content;
        font: inherit;
        font-size: 1.05rem;
        font-weight: 600;
        min-height: 48px;
        border: 1px solid #5c7080;
        border-radius: 8px;
        background: #17303f;
        color: inherit;
        cursor: pointer;
      }
      button[aria-current='page'] {
        background: #f4f7f9;
        color: #0b1d2a;
        text-decoration: underline;
        text-underline-offset: 4px;
      }
    `,
  ];

  override render() {
    return html`<nav aria-label="Screens">
      ${TABS.map(
        (tab) =>
          html`<button
            type="button"
            data-view=${tab.view}
            aria-current=${tab.view === this.view ? 'page' : 'false'}
            @click=${() => this.pick(tab.view)}
          >
            ${tab.label}
          </button>`,
      )}
    </nav>`;
  }

  private pick(view: AppView): void {
    this.dispatchEvent(
      new CustomEvent<AppView>('view-change', { detail: view, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'view-tabs': ViewTabs;
  }
}
