import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { ShiftPanelState } from '../pipeline/shift-actions.ts';
import { SETTLE_MS } from './settle.ts';
import { correctedFrom } from '../shared/corrections.ts';
import { IDLE_SHIFT_END_MS, type Decision, type PersonEvent, type Shift } from '../storage/index.ts';
import { EMPTY_TALLY, type Tally } from '../shared/tracking/index.ts';
import { DECISION_TEXT, formatDay, formatTime, formatTimeSeconds } from './format.ts';
import { srOnlyStyles, viewStyles } from './view-styles.ts';
import './tally-board.ts';

const DECISIONS: readonly Decision[] = ['with_mask', 'without_mask', 'uncertain'];

/**
 * The running shift: the door name (editable until the shift starts), start and end (ending asks first, in
 * the page, so nothing is ended by a stray tap), the tally, and the guard's corrections: change the last
 * person's decision, remove them from the count (a double count or a mistaken tap; undone by "Put back"), or
 * add a person the camera missed. It renders {@link ShiftPanelState}; the actions are
 * in src/pipeline/shift-actions.ts.
 *
 * @fires set-door - CustomEvent<string> when the door name was edited while no shift runs
 * @fires rename-shift - CustomEvent<string> when it was edited while a shift runs
 * @fires start-shift - Event
 * @fires end-shift - Event, after the guard confirmed
 * @fires correct-last - CustomEvent<{ id: string; decision: Decision }>
 * @fires remove-last - CustomEvent<string>, the id of the person shown as the last one
 * @fires restore-removed - Event
 * @fires add-manual - CustomEvent<Decision>
 */
@customElement('shift-panel')
export class ShiftPanel extends LitElement {
  @property({ attribute: false }) state: ShiftPanelState | undefined;
  /** The running shift's tally (the live one). */
  @property({ attribute: false }) tally: Tally = EMPTY_TALLY;
  /** The door name in the preferences: the next shift's. */
  @property({ type: String }) door = '';
  /** The door name typed and not saved yet (see renderDoor); undefined when none is. */
  @state() private doorDraft: string | undefined;
  /** The end-of-shift question is open (screen state only). */
  @state() private confirming = false;
  /** The shift the end-of-shift question is about: the question closes if another one is running. */
  private confirmingFor: string | undefined;
  /**
   * Where focus goes once the end-of-shift question has opened or closed: the button focused before is
   * removed from the page, which drops focus to the body, and a keyboard or switch user would start over
   * from the top. Kept until focus has landed on an enabled button with no action running (and, after "Yes,
   * end shift", until that action has run), because ending a shift first disables "End shift…" and then
   * replaces it with "Start shift".
   */
  private focusAfter:
    | {
        to: 'question' | 'end' | 'remove' | 'restore';
        awaitingAction: boolean;
        /**
         * The button the action was started from, when it stays in the page (aria-disabled, not disabled) but
         * now means something else: "Remove" now names the person before. Focus still on it counts as
         * dropped, so it moves on, but only once the action is over and `done` says it did what was asked: a
         * removal that failed must not send focus to the "Put back" of an earlier one.
         */
        from?: string;
        done?: () => boolean;
      }
    | undefined;
  /**
   * The person each group of buttons acts on (the last person counted: corrections and "Remove"; the person
   * removed last: "Put back"), and until when (performance.now()) its buttons ignore presses, see SETTLE_MS.
   */
  private targets: Record<'last' | 'removed', { id: string | undefined; until: number }> = {
    last: { id: undefined, until: 0 },
    removed: { id: undefined, until: 0 },
  };
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * What a screen reader was last told of the guard's own change to the count (a person added by hand, a
   * correction, a put back): the last person's line once the change is done. Only these: the line itself is
   * no live region, since the camera counting under this screen would have it speak at every person.
   */
  @state() private spoken = '';
  /** The state when the guard pressed such a button: the next state after it with the action over is spoken. */
  private speakAfter: ShiftPanelState | undefined;

  static override styles = [
    viewStyles,
    srOnlyStyles,
    css`
      .door input {
        width: min(100%, 20em);
      }
      [role='alertdialog'] {
        margin: 12px 0;
        padding: 14px;
        border: 3px solid #ffd27a;
        border-radius: 10px;
        background: #1d2b36;
      }
      tally-board {
        margin: 12px 0;
        border-radius: 8px;
      }
      .ended-summary {
        margin: 12px 0;
        padding: 4px 14px;
        border-left: 4px solid #9fd3ff;
        background: #1d2b36;
      }
      .ended-summary p {
        flex: 1 1 14em;
        margin: 8px 0;
      }
    `,
  ];

  override willUpdate(changed: Map<string, unknown>): void {
    // A question about a shift that has since ended (or was replaced) must not be answered for the next one.
    if (this.confirming && this.state?.running?.id !== this.confirmingFor) this.setConfirming(false);
    if (changed.has('state')) this.followTargets(changed.get('state') === undefined);
    const s = this.state;
    if (this.speakAfter !== undefined && s !== undefined && s !== this.speakAfter && !s.busy) {
      this.speakAfter = undefined;
      this.spoken = s.lastPerson === undefined ? '' : lastPersonText(s.lastPerson);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.settleTimer);
  }

  /**
   * Notes when the person a group of buttons acts on changes, and draws the buttons again once they settle.
   * Not for the first state the panel shows (`first`): opening the screen changes nobody under a finger.
   */
  private followTargets(first: boolean): void {
    const now = performance.now();
    const ids = { last: this.state?.lastPerson?.id, removed: this.state?.removed?.id };
    for (const key of ['last', 'removed'] as const) {
      if (ids[key] === this.targets[key].id) continue;
      this.targets[key] = { id: ids[key], until: first ? 0 : now + SETTLE_MS };
    }
    this.redrawWhenSettled();
  }

  /** Draws the buttons again when the next group of them settles (then waits for the one after, if any). */
  private redrawWhenSettled(): void {
    clearTimeout(this.settleTimer);
    const now = performance.now();
    const next = Math.min(
      ...Object.values(this.targets).map(({ until }) => (until > now ? until : Infinity)),
    );
    if (next === Infinity) return;
    this.settleTimer = setTimeout(
      () => {
        this.requestUpdate();
        this.redrawWhenSettled();
      },
      next - now + 20,
    );
  }

  /** Whether the buttons acting on `key`'s person take presses now (nothing running, the person settled). */
  private ready(key: 'last' | 'removed'): boolean {
    return !this.state?.busy && performance.now() >= this.targets[key].until;
  }

  /** Moves focus where {@link focusAfter} says, once the button is there and can take it. */
  override updated(): void {
    if (this.focusAfter === undefined) return;
    const root = this.renderRoot as ShadowRoot;
    if (this.state?.busy) this.focusAfter.awaitingAction = false;
    const target = {
      question: () => root.querySelector<HTMLButtonElement>('[role=alertdialog] button'),
      end: () =>
        root.querySelector<HTMLButtonElement>('button[name=end]') ??
        root.querySelector<HTMLButtonElement>('button[name=start]'),
      // After a removal, "Put back" (the remove button may be gone: nobody left); after putting back, "Remove".
      restore: () => root.querySelector<HTMLButtonElement>('button[name=restore-removed]'),
      remove: () => root.querySelector<HTMLButtonElement>('button[name=remove-last]'),
    }[this.focusAfter.to]();
    const active = root.activeElement as HTMLButtonElement | null;
    // Focus is only taken back from nowhere (the body) or from a button of ours that has been disabled: a
    // guard who has moved on to another control, here or elsewhere, keeps it.
    const dropped =
      active === null
        ? document.activeElement === null || document.activeElement === document.body
        : active.disabled || (this.focusAfter.from !== undefined && active.name === this.focusAfter.from);
    if (active !== target && !dropped) {
      this.focusAfter = undefined;
      return;
    }
    const settled = !this.state?.busy && !this.focusAfter.awaitingAction;
    // Moved from a button that stays only once its action is over, and did what was asked.
    if (this.focusAfter.from !== undefined && !settled) return;
    // The action is over and failed, or left no such button: focus stays where it is.
    if (settled && (target === null || this.focusAfter.done?.() === false)) {
      this.focusAfter = undefined;
      return;
    }
    // Not there yet (a disabled button cannot take focus): try again at the next update.
    if (target === null || target.disabled) return;
    if (active !== target) target.focus();
    if (root.activeElement === target && settled) {
      this.focusAfter = undefined;
    }
  }

  override render() {
    const s = this.state;
    if (s === undefined) return nothing;
    const shift = s.running;
    return html`<h2 tabindex="-1">Shift</h2>
      ${shift !== undefined && this.confirming ? nothing : this.renderEndedIdle(s)} ${this.renderEnded(s)}
      ${
        shift === undefined
          ? html`<p>No shift is running. The camera starts one with the first person it counts.</p>`
          : html`<p data-shift=${shift.id}>
              Running at <b>${shift.door}</b> since ${formatTime(shift.start)} (${formatDay(shift.start)})
            </p>`
      }
      ${this.renderDoor(s)} ${shift === undefined ? nothing : this.renderEnd(s, shift)}
      <tally-board .tally=${this.tally}></tally-board>
      ${this.renderCorrections(s)}
      ${s.message === undefined ? nothing : html`<p class="message" role="alert">${s.message}</p>`}`;
  }

  /**
   * The door's name: the next shift's while none runs, the running shift's while one runs ("Rename"); saved
   * when the field is left or Enter pressed. One template in one place for both, so the field, what is typed
   * in it and its focus stay when the camera starts a shift under the guard's fingers: a UX exploration typing
   * a name on the first visit lost it that way (the field went), and the running shift could not be renamed.
   */
  private renderDoor(s: ShiftPanelState) {
    const saved = s.running?.door ?? this.door;
    const draft = this.doorDraft;
    const renamed = draft !== undefined && draft.trim() !== '' && draft.trim() !== saved;
    return html`<div class="row door">
      <label
        >Door
        <input
          name="door"
          .value=${live(draft ?? saved)}
          maxlength="80"
          autocomplete="off"
          @input=${(e: Event) => (this.doorDraft = (e.target as HTMLInputElement).value)}
          @change=${(e: Event) => this.saveDoor((e.target as HTMLInputElement).value)}
      /></label>
      ${
        s.running === undefined
          ? html`<button class="primary" name="start" ?disabled=${s.busy} @click=${this.startShift}>
              Start shift
            </button>`
          : html`<button
              name="rename"
              ?disabled=${s.busy || !renamed}
              @click=${() => this.saveDoor(draft ?? '')}
            >
              Rename
            </button>`
      }
    </div>`;
  }

  /** Saves a door name typed (a blank one puts the saved name back in the field). */
  private saveDoor(value: string): void {
    this.doorDraft = undefined;
    if (value.trim() === '') return;
    this.fire(this.state?.running === undefined ? 'set-door' : 'rename-shift', value);
  }

  /** The notice that the app ended a shift nobody was counted in for 12 hours (see ShiftLog.endIdleShift). */
  private renderEndedIdle(s: ShiftPanelState) {
    const idle = s.endedIdle;
    if (idle === undefined) return nothing;
    return html`<p class="ended-idle" data-ended-shift=${idle.id}>
      The shift at <b>${idle.door}</b> since ${formatTime(idle.start)} (${formatDay(idle.start)}) was ended at
      ${formatTime(idle.end!)} (${formatDay(idle.end!)}): nobody was counted in it after that for
      ${IDLE_SHIFT_END_MS / 3_600_000} hours. Its people are in History.
    </p>`;
  }

  /**
   * What the shift the guard ended came to, above the next shift's line (it says "ended", the next one
   * "running since"), until they tap OK. Focus goes to the panel's heading when it goes, not to the page.
   */
  private renderEnded(s: ShiftPanelState) {
    const ended = s.ended;
    if (ended === undefined) return nothing;
    return html`<div class="ended-summary row" role="status" data-ended-shift=${ended.shiftId}>
      <p>${ended.text}</p>
      <button
        name="dismiss-ended"
        @click=${() => {
          this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
          this.fire('dismiss-ended');
        }}
      >
        OK
      </button>
    </div>`;
  }

  /** "End shift…", or the question it opens. */
  private renderEnd(s: ShiftPanelState, shift: Shift) {
    if (!this.confirming) {
      return html`<button
        class="danger"
        name="end"
        ?disabled=${s.busy}
        @click=${() => this.setConfirming(true)}
      >
        End shift…
      </button>`;
    }
    return html`<div
      role="alertdialog"
      aria-labelledby="end-q"
      aria-describedby="end-d"
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.setConfirming(false)}
    >
      <p id="end-q"><b>End the shift at ${shift.door}?</b></p>
      <p id="end-d" class="hint">
        ${this.tally.total === 1 ? '1 person' : `${this.tally.total} people`} counted. If the camera counts
        someone afterwards, a new shift starts.
      </p>
      <div class="row">
        <button name="cancel-end" @click=${() => this.setConfirming(false)}>Keep counting</button>
        <button class="danger" name="confirm-end" ?disabled=${s.busy} @click=${this.confirmEnd}>
          Yes, end shift
        </button>
      </div>
    </div>`;
  }

  private renderCorrections(s: ShiftPanelState) {
    if (s.running === undefined) return nothing;
    const last = s.lastPerson;
    const lastReady = this.ready('last');
    const [head, decision, tail] = last === undefined ? [] : lastPersonParts(last);
    return html`<h3>Corrections</h3>
      ${
        last === undefined
          ? html`<p>No one counted in this shift yet.</p>`
          : html`<p id="last-person" data-last=${last.id} data-decision=${last.decision}>
              ${head} <b>${decision}</b>${tail}
            </p>`
      }
      <!-- Said, not seen: the last person's line above shows the same. -->
      <p class="spoken sr-only" role="status">${this.spoken}</p>
      ${
        last === undefined
          ? nothing
          : html`<div class="row" role="group" aria-label=${`Change ${personNamed(last)} to`}>
                ${DECISIONS.map(
                  // aria-disabled, not disabled: the button a guard just pressed becomes the current decision,
                  // and a disabled button would drop keyboard focus to the page; this one keeps it and ignores
                  // presses while it is current or the panel is busy.
                  (d) =>
                    html`<button
                      name=${`correct-${d}`}
                      aria-pressed=${d === last.decision ? 'true' : 'false'}
                      aria-disabled=${!lastReady || d === last.decision ? 'true' : 'false'}
                      @click=${() => {
                        if (this.ready('last') && d !== last.decision)
                          this.fire('correct-last', { id: last.id, decision: d });
                      }}
                    >
                      ${d === last.decision ? '✓ ' : ''}${DECISION_TEXT[d]}
                    </button>`,
                )}
              </div>
              <div class="row">
                <button
                  name="remove-last"
                  aria-disabled=${lastReady ? 'false' : 'true'}
                  aria-describedby="last-person"
                  @click=${() => {
                    if (!this.ready('last')) return;
                    this.focusAfter = {
                      to: 'restore',
                      awaitingAction: true,
                      from: 'remove-last',
                      done: () => this.state?.removed?.id === last.id,
                    };
                    this.fire('remove-last', last.id);
                  }}
                >
                  Remove ${personNamed(last)} (counted by mistake)
                </button>
              </div>`
      }
      ${this.renderRemoved(s)}
      <p>Add a person the camera missed:</p>
      <div class="row" role="group" aria-label="Add a person by hand">
        ${(['with_mask', 'without_mask'] as const).map(
          // aria-disabled while busy, as above: the button just pressed keeps keyboard focus for the next.
          (d) =>
            html`<button
              name=${`add-${d}`}
              aria-disabled=${s.busy ? 'true' : 'false'}
              @click=${() => {
                if (!s.busy) this.fire('add-manual', d);
              }}
            >
              + Person ${d === 'with_mask' ? 'with' : 'without'} mask
            </button>`,
        )}
      </div>`;
  }

  /** The person removed last, with a button that puts them back (no question first: this undoes it). */
  private renderRemoved(s: ShiftPanelState) {
    const removed = s.removed;
    // The line is in a live region that is always there, so that a screen reader says each removal and each
    // putting back (the button stays out of it).
    const line =
      removed === undefined
        ? nothing
        : html`<p id="removed-person" class="removed" data-removed=${removed.id}>
            Removed from the count: the person${personNumber(removed)} at ${formatTimeSeconds(removed.time)}
            (${DECISION_TEXT[removed.decision]}${removed.source === 'manual' ? ', added by hand' : ''}).
          </p>`;
    return html`<div role="status">${line}</div>
      ${removed === undefined ? nothing : this.renderRestore(s)}`;
  }

  private renderRestore(s: ShiftPanelState) {
    return html`<div class="row">
      <button
        name="restore-removed"
        aria-disabled=${this.ready('removed') ? 'false' : 'true'}
        aria-describedby="removed-person"
        @click=${() => {
          if (!this.ready('removed')) return;
          const removed = s.removed?.id;
          this.focusAfter = {
            to: 'remove',
            awaitingAction: true,
            from: 'restore-removed',
            done: () => this.state?.removed?.id !== removed,
          };
          this.fire('restore-removed');
        }}
      >
        Put back in count
      </button>
    </div>`;
  }

  /** Starts a shift; focus then goes to "End shift…", which takes the place of "Start shift". */
  private startShift(): void {
    this.focusAfter = { to: 'end', awaitingAction: true };
    this.fire('start-shift');
  }

  private confirmEnd(): void {
    const id = this.confirmingFor;
    this.setConfirming(false, true);
    this.fire('end-shift', id);
  }

  /**
   * Opens or closes the end-of-shift question, and has {@link updated} move focus into it or back out;
   * `awaitingAction` when closing starts an action whose end decides which button stands in its place.
   */
  private setConfirming(open: boolean, awaitingAction = false): void {
    this.confirming = open;
    this.confirmingFor = open ? this.state?.running?.id : undefined;
    this.focusAfter = { to: open ? 'question' : 'end', awaitingAction };
  }

  private fire(type: string, detail?: unknown): void {
    if (['add-manual', 'correct-last', 'restore-removed'].includes(type)) this.speakAfter = this.state;
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

/** "Last person #7, 09:05:12:", "No mask", " (added by hand)": the panel shows the decision in bold. */
function lastPersonParts(last: PersonEvent): [string, string, string] {
  const from = correctedFrom(last);
  return [
    `Last person${personNumber(last)}, ${formatTimeSeconds(last.time)}:`,
    DECISION_TEXT[last.decision],
    (last.source === 'manual' ? ' (added by hand)' : '') +
      (from === undefined ? '' : ` (changed from ${DECISION_TEXT[from]})`),
  ];
}

/** The last person's line as said: "Last person #7, 09:05:12: No mask (added by hand)". */
function lastPersonText(last: PersonEvent): string {
  const [head, decision, tail] = lastPersonParts(last);
  return `${head} ${decision}${tail}`;
}

/**
 * The person the correction buttons act on, as their label names them: "#7", the number their box and alert
 * showed, or "the last person" (added by hand). On the buttons, not only in the line above them: a person the
 * camera counts just before a tap becomes the last person, and a guard looking at the button must see whom it
 * changes (a UX exploration removed the unmasked #8, counted 1.3 s before the tap, instead of #7).
 */
function personNamed(person: PersonEvent): string {
  return person.number === undefined ? 'the last person' : `#${person.number}`;
}

/** " #7", the number the person's box and alert showed, or nothing (added by hand, or recorded before numbers). */
function personNumber(person: PersonEvent): string {
  return person.number === undefined ? '' : ` #${person.number}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'shift-panel': ShiftPanel;
  }
}
