import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { HistoryState } from '../pipeline/shift-history.ts';
import { exportedEvents, type CsvDialect } from '../shared/csv.ts';
import { IDLE_SHIFT_END_MS, type Shift } from '../storage/index.ts';
import { dateInputValue, formatDay, formatTime } from './format.ts';
import { viewStyles } from './view-styles.ts';
import './tally-board.ts';
import './hourly-chart.ts';
import type { EventList } from './event-list.ts';
import './event-list.ts';

/**
 * Above how many people History offers "Go to the newest person" and "Go to person #": the list runs oldest
 * first, and with 40 people the newest row (the person an alert just named) was 9 screens down on a phone, 88
 * Tab presses away (UX exploration); in a busy shift the person is often not drawn at all (see event-list-rows).
 */
const NEWEST_BUTTON_FROM = 5;

/** Which list is shown: its shift, or its day. */
function listKey(s: HistoryState): string {
  const scope = s.scope;
  return scope === undefined ? '' : scope.kind === 'shift' ? scope.shiftId : `day:${scope.day}`;
}

/** One line naming a shift: door, day, hours (or "running"), and whether the app ended it as idle. */
function shiftLabel(shift: Shift): string {
  const until = shift.end === undefined ? 'running' : formatTime(shift.end);
  const idle =
    shift.endReason === 'idle'
      ? ` · ended by the app: ${IDLE_SHIFT_END_MS / 3_600_000} h with nobody counted`
      : '';
  return `${shift.door} · ${formatDay(shift.start)} ${formatTime(shift.start)}–${until}${idle}`;
}

/**
 * The history: pick a shift (newest first) or a day, then see its per-hour chart, totals and compliance, the
 * list of people (with the kept pictures of unmasked people), and export it as CSV (never with pictures).
 * It renders {@link HistoryState}; reading the log and writing the file are in src/pipeline/shift-history.ts.
 *
 * @fires choose-shift - CustomEvent<string> (a shift id)
 * @fires choose-day - CustomEvent<string> (`YYYY-MM-DD`)
 * @fires export-csv - Event
 * @fires export-all - Event (every shift kept, in one file)
 * @fires set-csv-dialect - CustomEvent<CsvDialect>
 */
@customElement('history-view')
export class HistoryView extends LitElement {
  @property({ attribute: false }) state: HistoryState | undefined;
  /** What "Go to person #" found, for the list it looked in (said until another list is shown). */
  @state() private found: { list: string; text: string } | undefined;

  static override styles = [
    viewStyles,
    css`
      /* One column (nowrap: a wrapping column was as wide as its widest content, past the screen's edge). */
      .choose {
        flex-direction: column;
        flex-wrap: nowrap;
        align-items: stretch;
      }
      .choose label {
        display: flex;
        flex-direction: column;
        gap: 4px;
      }
      .choose input {
        align-self: flex-start;
      }
      /* Never wider than the screen, also with the phone's text made large. */
      .choose input,
      select {
        max-width: 100%;
      }
      select {
        width: 100%;
      }
      tally-board {
        margin: 12px 0;
        border-radius: 8px;
      }
      form.go {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 8px 12px;
        margin: 0 0 8px;
      }
      form.go input {
        width: 7ch;
      }
    `,
  ];

  override render() {
    const s = this.state;
    if (s === undefined) return nothing;
    if (s.shifts.length === 0 && s.scope === undefined) {
      return html`<h2>History</h2>
        <p>No shifts yet. Counted people appear here.</p>`;
    }
    const scope = s.scope;
    const shift = scope?.kind === 'shift' ? s.shifts.find((x) => x.id === scope.shiftId) : undefined;
    const title =
      scope === undefined
        ? ''
        : shift
          ? shiftLabel(shift)
          : scope.kind === 'day'
            ? `All doors · ${formatDay(scope.day)}`
            : '';
    // Records the guard removed from the count are listed but not exported.
    const rows = exportedEvents(s.events).length;
    return html`<h2>History</h2>
      <div class="row choose">
        <label
          >Shift
          <select name="shift" @change=${this.onShift}>
            <option value="" ?selected=${scope?.kind !== 'shift'} disabled>Choose a shift</option>
            ${s.shifts.map(
              (x) =>
                html`<option value=${x.id} ?selected=${scope?.kind === 'shift' && scope.shiftId === x.id}>
                  ${shiftLabel(x)}
                </option>`,
            )}
          </select>
        </label>
        <label
          >or a day
          <input
            type="date"
            name="day"
            .value=${scope?.kind === 'day' ? dateInputValue(scope.day) : ''}
            @change=${(e: Event) => this.fire('choose-day', (e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <h3 data-scope=${scope?.kind ?? ''}>${title}</h3>
      <tally-board .tally=${s.tally}></tally-board>
      <hourly-chart .hours=${s.hours}></hourly-chart>
      <div class="row">
        <button name="export" ?disabled=${rows === 0} @click=${() => this.fire('export-csv')}>
          Export CSV (${rows} ${rows === 1 ? 'person' : 'people'})
        </button>
        <button name="export-all" ?disabled=${s.shifts.length === 0} @click=${() => this.fire('export-all')}>
          ${s.shifts.length === 1 ? 'Export the 1 kept shift' : `Export all ${s.shifts.length} kept shifts`}
        </button>
        <label
          >For spreadsheets that write
          <select
            name="csv-dialect"
            @change=${(e: Event) =>
              this.fire('set-csv-dialect', (e.target as HTMLSelectElement).value as CsvDialect)}
          >
            <option value="comma" ?selected=${s.csvDialect === 'comma'}>1.5 (columns split by commas)</option>
            <option value="semicolon" ?selected=${s.csvDialect === 'semicolon'}>
              1,5 (columns split by semicolons)
            </option>
          </select></label
        >
      </div>
      ${s.message === undefined ? nothing : html`<p class="message" role="alert">${s.message}</p>`}
      <h3>People</h3>
      ${
        s.events.length > NEWEST_BUTTON_FROM
          ? html`<form class="go" @submit=${this.onGoTo}>
                <button
                  type="button"
                  name="to-newest"
                  @click=${() => void this.renderRoot.querySelector<EventList>('event-list')?.showNewest()}
                >
                  Go to the newest person
                </button>
                <label
                  >Person #
                  <input name="person-number" inputmode="numeric" autocomplete="off" required />
                </label>
                <button name="to-person">Go</button>
              </form>
              ${
                this.found !== undefined && this.found.list === listKey(s)
                  ? html`<p class="message" role="status">${this.found.text}</p>`
                  : nothing
              }`
          : nothing
      }
      <event-list
        .events=${s.events}
        .pictures=${s.pictures}
        .changeable=${s.runningShiftId}
        ?busy=${s.busy}
      ></event-list>`;
  }

  /** "Go to person #": draws and focuses that person, or says nobody in this list has the number. */
  private async onGoTo(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('person-number') as HTMLInputElement;
    const typed = input.value.trim().replace(/^#\s*/, '');
    const list = this.renderRoot.querySelector<EventList>('event-list');
    if (this.state === undefined || list === null) return;
    const key = listKey(this.state);
    const number = /^\d+$/.test(typed) ? Number(typed) : undefined;
    if (number === undefined) {
      this.found = { list: key, text: "Type the number on the person's box or alert, such as 12." };
    } else if (await list.showNumber(number)) {
      this.found = undefined;
    } else {
      this.found = { list: key, text: `Nobody in this list is #${number}.` };
    }
  }

  private onShift(e: Event): void {
    const id = (e.target as HTMLSelectElement).value;
    if (id !== '') this.fire('choose-shift', id);
  }

  private fire(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'history-view': HistoryView;
  }
}
