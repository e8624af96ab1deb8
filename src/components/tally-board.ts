import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { EMPTY_TALLY, type Tally } from '../shared/tracking/index.ts';
import { formatCompliance } from './format.ts';
import { srOnlyStyles } from './view-styles.ts';

/**
 * The shift's tally in large type: masked, unmasked, uncertain people and compliance (of the people decided:
 * uncertain ones are left out, and the label says so when there are any). The numbers are also data
 * attributes, for tests and assistive tools.
 */
@customElement('tally-board')
export class TallyBoard extends LitElement {
  @property({ attribute: false }) tally: Tally = EMPTY_TALLY;

  static override styles = [
    srOnlyStyles,
    css`
      :host {
        display: block;
        container-type: inline-size;
        text-align: center;
        background: rgba(0, 0, 0, 0.55);
        padding: 6px;
      }
      .board {
        display: grid;
        grid-template-columns: repeat(4, 1fr);
        gap: 4px;
      }
      b {
        display: block;
        font-size: 2rem;
        line-height: 1.1;
      }
      span {
        font-size: 0.9rem;
      }
      /*
     * Whom compliance covers, on a line of its own that is always there: "compliance of the 4 decided" wrapped
     * to three lines on a narrow phone when the first uncertain person came, and the picture above jumped.
     */
      small {
        display: block;
        font-size: 0.75rem;
        white-space: nowrap;
        opacity: 0.85;
      }
      .masked b {
        color: #7cf0a8;
      }
      .unmasked b {
        color: #ff8a80;
      }
      /*
     * Two by two when four columns of its words do not fit: with the phone's text made large (a setting many
     * guards use) the four ran off the screen's edge, compliance out of sight. In rem (the text's own unit
     * here; a container query's em would be its container's font size), so that it follows the text size:
     * the four columns' words take about 18 rem (compliance's "of 88 decided" the widest), which a 360 px
     * phone and the panel beside the picture of a phone held sideways have at the usual size. After the
     * rules it overrides.
     */
      @container (max-width: 18rem) {
        .board {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
        .board > div {
          overflow-wrap: anywhere;
        }
        small {
          white-space: normal;
        }
      }
    `,
  ];

  override render() {
    const t = this.tally;
    const compliance = formatCompliance(t);
    // Uncertain people are left out of compliance: say so whenever there are any, with how many it covers.
    const decided = t.masked + t.unmasked;
    const covers =
      t.uncertain > 0
        ? `of ${decided} decided`
        : decided > 0
          ? `of ${decided} ${decided === 1 ? 'person' : 'people'}`
          : '\u00a0';
    return html`<div class="board">
      <div
        class="masked"
        data-masked=${t.masked}
        data-unmasked=${t.unmasked}
        data-uncertain=${t.uncertain}
        id="counts"
      >
        <b>${t.masked}</b><span>masked</span>
      </div>
      <div class="unmasked"><b>${t.unmasked}</b><span>no mask</span></div>
      <div class="uncertain"><b>${t.uncertain}</b><span>uncertain</span></div>
      <div class="compliance">
        ${
          compliance === '–'
            ? html`<b><span aria-hidden="true">–</span><span class="sr-only">none yet</span></b>`
            : html`<b>${compliance}</b>`
        }<span>compliance</span><small>${covers}</small>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tally-board': TallyBoard;
  }
}
