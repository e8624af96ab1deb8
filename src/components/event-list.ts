import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PersonEvent } from '../storage/index.ts';
import { DECISION_TEXT, formatTimeSeconds } from './format.ts';

/**
 * The counted people of a shift or day as a table: time, decision, confidence, frames, time in view, who
 * counted them (camera or guard) and, after a correction, the first decision. Each row carries its values as
 * data attributes, for tests.
 */
@customElement('event-list')
export class EventList extends LitElement {
  /** The people to list, in the order to show them. */
  @property({ attribute: false }) events: PersonEvent[] = [];

  static override styles = css`
    :host {
      display: block;
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-size: 1rem;
    }
    th,
    td {
      text-align: left;
      padding: 8px 10px;
      border-bottom: 1px solid #34495a;
      white-space: nowrap;
    }
    td.number,
    th.number {
      text-align: right;
    }
    tr[data-decision='without_mask'] td:nth-child(2) {
      color: #ff8a80;
      font-weight: 700;
    }
  `;

  override render() {
    if (this.events.length === 0) return html`<p>No people in this list.</p>`;
    return html`<table aria-label="Counted people">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Decision</th>
          <th scope="col" class="number">Confidence</th>
          <th scope="col" class="number">Frames</th>
          <th scope="col" class="number">In view</th>
          <th scope="col">Counted by</th>
          <th scope="col">Changed from</th>
        </tr>
      </thead>
      <tbody>
        ${this.events.map(
          (e) =>
            html`<tr
              data-event=${e.id}
              data-decision=${e.decision}
              data-source=${e.source}
              data-corrected-from=${e.corrected?.from ?? ''}
            >
              <td>${formatTimeSeconds(e.time)}</td>
              <td>${DECISION_TEXT[e.decision]}</td>
              <td class="number">
                ${e.averageConfidence === null ? '–' : `${Math.round(100 * e.averageConfidence)}%`}
              </td>
              <td class="number">${e.framesSeen}</td>
              <td class="number">${(e.timeInViewMs / 1000).toFixed(1)} s</td>
              <td>${e.source === 'manual' ? 'Guard (by hand)' : 'Camera'}</td>
              <td>${e.corrected ? DECISION_TEXT[e.corrected.from] : ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'event-list': EventList;
  }
}
