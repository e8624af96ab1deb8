import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PersonChange } from '../pipeline/shift-history.ts';
import type { PersonEvent } from '../storage/index.ts';
import { DECISION_TEXT, formatTimeSeconds } from './format.ts';
import { correctedFrom } from '../shared/corrections.ts';
import {
  NEWEST_FIRST,
  ROWS_MORE,
  pinned,
  rowRange,
  showEarlier,
  showIndex,
  showLater,
  type RowWindow,
} from './event-list-rows.ts';
import { controlStyles } from './view-styles.ts';

/**
 * The counted people of a shift or day as a table: the number their box and alert showed ("#7"), time,
 * decision, confidence, the frames and time the camera took to decide (counted as soon as the frames agree,
 * usually while the person is still at the door: not how long they stood there), who counted them (camera
 * or guard), after a correction the first decision, and the kept picture of an unmasked person (a column
 * shown only when one is listed). A record the guard removed from the count stays listed, greyed, its
 * decision struck through and marked "removed" (it is in no tally or export). The people of the running
 * shift get a column beside the decision to change them: another decision, or out of the count (a double
 * count), or back into it. Narrower than 600 px (a phone held upright; 37.5 rem, so more with the phone's
 * text made large) each person is a block instead of a row. Each row carries its values as data
 * attributes, for tests.
 *
 * A long list draws a window of it (see event-list-rows.ts): its newest people at first, with buttons for earlier
 * and later ones, and {@link showNumber} to go to one person: drawing all of a busy shift's thousands froze the
 * page (the camera's counting too) for seconds at every count. Rows are kept by person, so a choice not saved
 * yet stays on its person's row when the list changes under it.
 *
 * The element makes the pictures' object URLs itself because only it knows when they stop being shown: each
 * URL holds its Blob in memory until revoked, so it revokes them whenever the list changes and when it
 * leaves the page (then makes them again if it comes back).
 *
 * @fires change-person - CustomEvent<{ id: string; change: PersonChange }>
 */
@customElement('event-list')
export class EventList extends LitElement {
  /** The people to list, in the order to show them. */
  @property({ attribute: false }) events: PersonEvent[] = [];
  /** Kept pictures of unmasked people, by event id. */
  @property({ attribute: false }) pictures: ReadonlyMap<string, Blob> = new Map();
  /** The running shift: its people can still be changed here. */
  @property({ attribute: false }) changeable: string | undefined;
  /** A change is being saved: the controls ignore input until it is. */
  @property({ type: Boolean }) busy = false;
  /** Which people are drawn. */
  @state() private window: RowWindow = NEWEST_FIRST;
  /** The object URL of each picture shown, by event id, with the Blob it was made from. */
  private urls = new Map<string, { blob: Blob; url: string }>();

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        overflow-x: auto;
        container-type: inline-size;
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
      tr[data-decision='without_mask'] td:nth-child(3) {
        color: #ff8a80;
        font-weight: 700;
      }
      tr[data-removed] td {
        color: #8fa3b3;
      }
      tr[data-removed] td:nth-child(3) {
        color: #8fa3b3;
        font-weight: 400;
      }
      tr[data-removed] td:nth-child(3) small {
        display: block;
      }
      .earlier,
      .later {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin: 0 0 8px;
      }
      .later {
        margin: 8px 0 0;
      }
      /* The choice and its Save wrap rather than push Save off the screen (large text: the choice is as wide
         as "Not counted (remove)"). */
      div.change {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      div.change select {
        max-width: 100%;
      }
      td.picture {
        padding: 4px 10px;
      }
      td.picture img {
        display: block;
        height: 56px;
        width: auto;
        border-radius: 4px;
      }
      /*
       * A phone held upright: the table was over 1,100 px wide, and the Save of a change was reached only by
       * scrolling sideways, which hid whose row it was. Each person becomes a block instead: number, time and
       * decision on the first line, the change on the next, then the picture and the details, each named (the
       * column headers are then out of sight but still read: the roles keep the table's meaning).
       */
      @container (max-width: 37.45rem) {
        /*
         * Out of sight but still read: the column headers, and a cell left empty in a row (no picture, no change),
         * which stays in the row so that each later cell keeps its own column header.
         */
        thead tr,
        td.empty {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
        }
        table,
        tbody {
          display: block;
        }
        tbody tr {
          display: flex;
          flex-wrap: wrap;
          align-items: baseline;
          gap: 4px 14px;
          padding: 10px 2px;
          border-bottom: 1px solid #34495a;
        }
        td {
          display: block;
          padding: 0;
          border: 0;
          white-space: normal;
        }
        td.number {
          text-align: left;
        }
        td.change,
        td.picture {
          flex-basis: 100%;
          min-width: 0;
          padding: 0;
        }
        td.detail {
          font-size: 0.9rem;
          color: #b8c7d3;
        }
        /* Seen, not read: a screen reader names the cell by its column header already. */
        td.detail[data-label]::before {
          content: attr(data-label) ': ' / '';
        }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after disconnectedCallback revoked the URLs: render again to make new ones.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.keepUrls(new Map());
  }

  /**
   * Before each render: another list (another shift or day: its first person differs) starts again at the
   * newest people; then a URL per picture now drawn (an unchanged Blob keeps its URL), the rest revoked.
   */
  override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('events') as PersonEvent[] | undefined;
    if (before !== undefined && before[0]?.id !== this.events[0]?.id) this.window = NEWEST_FIRST;
    const wanted = new Map<string, Blob>();
    // Out of the page, no URL is made: nothing would revoke it if the element is never connected again.
    for (const event of this.isConnected ? this.shown() : []) {
      const blob = this.pictures.get(event.id);
      if (blob) wanted.set(event.id, blob);
    }
    this.keepUrls(wanted);
  }

  private keepUrls(wanted: ReadonlyMap<string, Blob>): void {
    const next = new Map<string, { blob: Blob; url: string }>();
    for (const [id, blob] of wanted) {
      const old = this.urls.get(id);
      next.set(id, old?.blob === blob ? old : { blob, url: URL.createObjectURL(blob) });
    }
    for (const [id, entry] of this.urls) if (next.get(id) !== entry) URL.revokeObjectURL(entry.url);
    this.urls = next;
  }

  /** The people drawn (see {@link window}), oldest first like the whole list. */
  private shown(): PersonEvent[] {
    return this.events.slice(...rowRange(this.window, this.events.length));
  }

  override render() {
    if (this.events.length === 0) return html`<p>No people in this list.</p>`;
    const [start, end] = rowRange(this.window, this.events.length);
    const shown = this.events.slice(start, end);
    const earlier = start;
    const later = this.events.length - end;
    const more = Math.min(earlier, ROWS_MORE);
    const moreLater = Math.min(later, ROWS_MORE);
    const withPictures = this.urls.size > 0;
    const changes = this.changeable !== undefined && shown.some((e) => e.shiftId === this.changeable);
    // Explicit roles: the narrow layout (below 600 px at the usual text size) changes the cells' display, which would otherwise drop the
    // table's meaning for a screen reader.
    return html`${
        earlier === 0 && later === 0
          ? nothing
          : html`<p class="earlier">
              ${
                later === 0
                  ? `The latest ${shown.length} of ${this.events.length} people.`
                  : `People ${start + 1}–${end} of ${this.events.length}, oldest first.`
              }
              ${
                earlier === 0
                  ? nothing
                  : html`<button name="show-earlier" @click=${this.showEarlier}>
                      Show ${more} earlier ${more === 1 ? 'person' : 'people'}
                    </button>`
              }
            </p>`
      }
      <table role="table" aria-label="Counted people" tabindex="-1">
        <thead role="rowgroup">
          <tr role="row">
            <th
              role="columnheader"
              scope="col"
              class="number"
              title="The number on the person's box and alert"
            >
              #
            </th>
            <th role="columnheader" scope="col">Time</th>
            <th role="columnheader" scope="col">Decision</th>
            ${changes ? html`<th role="columnheader" scope="col">Change</th>` : nothing}
            ${withPictures ? html`<th role="columnheader" scope="col">Picture</th>` : nothing}
            <th role="columnheader" scope="col" class="number">Confidence</th>
            <th role="columnheader" scope="col" class="number">Frames to decide</th>
            <th role="columnheader" scope="col" class="number">Time to decide</th>
            <th role="columnheader" scope="col">Counted by</th>
            <th role="columnheader" scope="col">Changed from</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${repeat(
            shown,
            (e) => e.id,
            (e) =>
              html`<tr
                role="row"
                data-event=${e.id}
                data-decision=${e.decision}
                data-source=${e.source}
                data-corrected-from=${correctedFrom(e) ?? ''}
                data-removed=${ifDefined(e.removed === undefined ? undefined : String(e.removed.at))}
                data-number=${ifDefined(e.number)}
              >
                <td role="cell" class="number">${e.number === undefined ? '–' : `#${e.number}`}</td>
                <td role="cell">${formatTimeSeconds(e.time)}</td>
                <td role="cell">${decisionCell(e)}</td>
                ${
                  changes
                    ? html`<td role="cell" class="change ${e.shiftId === this.changeable ? '' : 'empty'}">
                        ${e.shiftId === this.changeable ? this.renderChange(e) : nothing}
                      </td>`
                    : nothing
                }
                ${
                  withPictures
                    ? html`<td role="cell" class="picture ${this.urls.has(e.id) ? '' : 'empty'}">
                        ${this.renderPicture(e)}
                      </td>`
                    : nothing
                }
                <td role="cell" class="number confidence detail" data-label="Confidence">
                  ${confidenceText(e)}
                </td>
                <td role="cell" class="number detail" data-label="Frames to decide">
                  ${e.source === 'manual' ? '–' : e.framesSeen}
                </td>
                <td role="cell" class="number detail" data-label="Time to decide">
                  ${e.source === 'manual' ? '–' : `${(e.timeInViewMs / 1000).toFixed(1)} s`}
                </td>
                <td role="cell" class="detail" data-label="Counted by">
                  ${e.source === 'manual' ? 'Guard (by hand)' : 'Camera'}
                </td>
                <td role="cell" class="detail ${correctedFrom(e) ? '' : 'empty'}" data-label="Changed from">
                  ${changedFromText(e)}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        later === 0
          ? nothing
          : html`<p class="later">
              <button name="show-later" @click=${this.showLater}>
                Show ${moreLater} later ${moreLater === 1 ? 'person' : 'people'}
              </button>
            </p>`
      }`;
  }

  /**
   * Brings the newest person into view (the list runs oldest first, so they are at its end, many screens down
   * on a phone in a busy shift) and moves focus to their change, or to the list when they cannot be changed:
   * the person an alert just named is the one a guard comes to History for.
   */
  async showNewest(): Promise<void> {
    if (this.window.kind !== 'newest') this.window = NEWEST_FIRST;
    await this.updateComplete;
    const row = this.renderRoot.querySelector<HTMLElement>('tbody tr:last-of-type');
    if (row !== null) this.bringIntoView(row);
  }

  /**
   * Brings person `#number` into view (drawing them if they were not), focus on their change or the list, as
   * {@link showNewest} does: the number is what an alert, a box and every row show. The latest of that
   * number if the list has two (a day's shifts). Resolves to false if nobody in the list has it.
   */
  async showNumber(number: number): Promise<boolean> {
    let index = this.events.length - 1;
    while (index >= 0 && this.events[index]!.number !== number) index--;
    if (index < 0) return false;
    // Kept drawn while the guard changes them, however many are counted meanwhile.
    this.window = pinned(showIndex(this.window, this.events.length, index), this.events.length);
    await this.updateComplete;
    const row = this.row(this.events[index]!);
    if (row !== null) this.bringIntoView(row);
    return row !== null;
  }

  /** The drawn row of `event`, or null when it is outside the window. */
  private row(event: PersonEvent): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`tbody tr[data-event="${event.id}"]`);
  }

  private bringIntoView(row: HTMLElement): void {
    row.scrollIntoView({ block: 'center' });
    (
      row.querySelector<HTMLElement>('select[name=change]') ??
      this.renderRoot.querySelector<HTMLElement>('table')
    )?.focus({
      preventScroll: true,
    });
  }

  /**
   * Draws more of the earlier people. Once all are drawn the button goes: focus then moves to the list rather
   * than drop to the page, where a keyboard or switch user would start over from the top.
   */
  private showEarlier(): void {
    this.window = showEarlier(this.window, this.events.length);
    if (rowRange(this.window, this.events.length)[0] > 0) return;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('table')?.focus());
  }

  /**
   * Draws later people, in place of as many of the earliest drawn. Its button sits below the list, after people
   * now drawn above it: the first of them is brought to the top of the screen, and focus goes to the list (the
   * button may be gone).
   */
  private showLater(): void {
    const first = this.events[rowRange(this.window, this.events.length)[1]];
    this.window = showLater(this.window, this.events.length);
    void this.updateComplete.then(() => {
      const row = first === undefined ? null : this.row(first);
      row?.scrollIntoView({ block: 'start' });
      this.renderRoot.querySelector<HTMLElement>('table')?.focus({ preventScroll: true });
    });
  }

  /**
   * A choice of what the person is (a decision, or out of the count) and a button that saves it. Not saved on
   * the choice alone: arrow keys on a closed choice change it at every step, which would save each decision
   * on the way (and leave a "changed from" the guard never meant). A choice not saved yet survives the list
   * being drawn again (a person counted meanwhile): its value is set only when the saved one changes.
   */
  private renderChange(e: PersonEvent) {
    const current: PersonChange = e.removed === undefined ? e.decision : 'removed';
    const who = `${e.number === undefined ? 'Person' : `Person #${e.number}`} at ${formatTimeSeconds(e.time)}`;
    return html`<div class="change">
      <select name="change" aria-label=${who} .value=${current} @focus=${this.pin}>
        ${CHANGES.map((c) => html`<option value=${c} ?selected=${c === current}>${CHANGE_TEXT[c]}</option>`)}
      </select>
      <button
        name="apply-change"
        aria-label=${`Save the change to ${who}`}
        aria-disabled=${this.busy ? 'true' : 'false'}
        @click=${(event: Event) => {
          const select = (event.currentTarget as HTMLElement).parentElement?.querySelector('select');
          const change = select?.value as PersonChange | undefined;
          if (this.busy || change === undefined || change === current) return;
          this.dispatchEvent(
            new CustomEvent('change-person', { detail: { id: e.id, change }, bubbles: true, composed: true }),
          );
        }}
      >
        Save
      </button>
    </div>`;
  }

  /** A row's change is being chosen: the window stops following the newest (see pinned). */
  private readonly pin = (): void => {
    const window = pinned(this.window, this.events.length);
    if (window !== this.window) this.window = window;
  };

  private renderPicture(e: PersonEvent) {
    const url = this.urls.get(e.id)?.url;
    if (url === undefined) return nothing;
    return html`<img src=${url} alt="Face of the unmasked person counted at ${formatTimeSeconds(e.time)}" />`;
  }
}

const CHANGES: readonly PersonChange[] = ['with_mask', 'without_mask', 'uncertain', 'removed'];
const CHANGE_TEXT: Record<PersonChange, string> = { ...DECISION_TEXT, removed: 'Not counted (remove)' };

/** The decision, or for a removed record the decision struck through and when the guard removed it. */
function decisionCell(e: PersonEvent) {
  if (e.removed === undefined) return DECISION_TEXT[e.decision];
  return html`<s>${DECISION_TEXT[e.decision]}</s> <small>removed ${formatTimeSeconds(e.removed.at)}</small>`;
}

/**
 * The camera's confidence in its decision. After a correction it is still the camera's, in the decision it
 * made (not in the guard's), so it says which: "95% for No mask" on a row now reading Mask.
 */
function confidenceText(e: PersonEvent): string {
  if (e.averageConfidence === null) return '–';
  const percent = `${Math.round(100 * e.averageConfidence)}%`;
  const from = correctedFrom(e);
  return from ? `${percent} for ${DECISION_TEXT[from]}` : percent;
}

/** The decision a guard's correction changed, or nothing. */
function changedFromText(e: PersonEvent): string {
  const from = correctedFrom(e);
  return from === undefined ? '' : DECISION_TEXT[from];
}

declare global {
  interface HTMLElementTagNameMap {
    'event-list': EventList;
  }
}
