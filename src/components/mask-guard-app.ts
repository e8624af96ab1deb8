import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { customElement, property, state } from 'lit/decorators.js';
import { ALERT_VISIBLE_MS, offersCameraSwitch, type GuardController } from '../pipeline/guard-controller.ts';
import './face-overlay.ts';
import './tally-board.ts';
import './guard-controls.ts';
import './offline-status.ts';
import './view-tabs.ts';
import './shift-panel.ts';
import './history-view.ts';
import './settings-view.ts';
import type { AppView } from './view-tabs.ts';
import type { ShiftViews } from '../pipeline/shift-views.ts';
import type { PersonChange } from '../pipeline/shift-history.ts';
import { EARLIEST_TRUE_TIME, type Decision } from '../storage/index.ts';
import type { CsvDialect } from '../shared/csv.ts';
import { offline, type OfflineState } from '../offline/index.ts';
import { alertSide, type AlertSide } from './alert-placement.ts';
import { buttonStyles, controlStyles } from './view-styles.ts';

/**
 * What the alert says; it names the reason in words, never by colour alone, and the person by the number
 * their box carries ("#3"): the alert stays up for a few seconds, and by then the next person may be in view
 * (an uncertain decision even comes when its person's track ends, after they walked on).
 */
const ALERT_TEXT = {
  without_mask: (person: number) => `⚠ Person #${person} without a mask`,
  uncertain: (person: number) => `? Could not tell if person #${person} wore a mask: please check`,
} as const;

/** A person's record still not on disk after this long (ms) is worth telling the guard about. */
const SLOW_SAVE_MS = 3000;

/**
 * The guard's screen: the camera picture with a box per face, the shift's tally, an alert for each newly
 * counted unmasked person (and a prompt to check one counted uncertain), and the controls. It renders the controller's state and forwards the guard's
 * taps to it.
 */
@customElement('mask-guard-app')
export class MaskGuardApp extends LitElement {
  /** Set by main.ts; until then the screen shows only the status line. */
  @property({ attribute: false }) controller: GuardController | undefined;
  /** Status shown before a controller is attached. */
  @property({ type: String }) status = 'Starting…';
  /** The shift, history and settings models (main.ts); the tabs show only with them. */
  @property({ attribute: false }) views: ShiftViews | undefined;
  /** The screen shown. The live stage stays in the page under the others, so counting goes on. */
  @state() private view: AppView = 'live';
  @state() private offlineState: OfflineState = offline.state;
  private readonly onOffline = () => (this.offlineState = offline.state);
  /** The timer that takes the alert shown (raised at `atMs`) off the screen. */
  private alertTimer: { atMs: number; id: ReturnType<typeof setTimeout> } | undefined;
  /** Where the alerts are over the live picture: the end the faces leave more room at (alert-placement.ts). */
  private alertsAt: AlertSide = 'bottom';

  override connectedCallback(): void {
    super.connectedCallback();
    offline.addEventListener('change', this.onOffline);
    this.offlineState = offline.state;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    offline.removeEventListener('change', this.onOffline);
    clearTimeout(this.alertTimer?.id);
    this.alertTimer = undefined;
  }
  private readonly onChange = () => this.requestUpdate();

  static override styles = [
    controlStyles,
    buttonStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        /* Installed full screen (viewport-fit=cover): keep clear of the notch and the home indicator. */
        box-sizing: border-box;
        padding: env(safe-area-inset-top, 0) env(safe-area-inset-right, 0) env(safe-area-inset-bottom, 0)
          env(safe-area-inset-left, 0);
      }
      .storage-warning,
      .alarm-hint,
      .slow-hint,
      .clock-hint,
      .held-prune {
        margin: 0;
        padding: 6px 12px;
        background: #5a3d00;
        color: #fff3d6;
        font-weight: 600;
      }
      .held-prune p {
        margin: 0 0 6px;
      }
      .held-prune .row {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      /* The look and states come from controlStyles and buttonStyles (the only buttons of this shadow root). */
      .held-prune button {
        font-size: 0.95rem;
        padding: 2px 12px;
      }
      header {
        padding: 8px 12px;
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 4px 12px;
      }
      /* A long status line takes a row of its own on a narrow phone instead of a tall narrow column. */
      header > [role='status'] {
        flex: 1 1 16em;
      }
      h1 {
        margin: 0;
        font-size: 1.3rem;
      }
      /* The screen below the header and the tabs: the picture (or a sheet over it) and the live controls. */
      main {
        flex: 1;
        display: flex;
        flex-direction: column;
        min-height: 0;
      }
      .stage {
        position: relative;
        flex: 1;
        min-height: 200px;
        background: #000;
        overflow: hidden;
        /* Its alerts are sized by the picture's room (a phone held upright leaves it short), not the page's. */
        container-type: size;
      }
      /*
     * A phone held sideways is too short for the picture, the tally and the buttons one under the other (at
     * 740 × 360 the buttons started below the screen's edge): the tally and the buttons go beside the picture.
     */
      @media (orientation: landscape) and (max-height: 560px) {
        main {
          flex-direction: row;
        }
        .live-panel {
          flex: 0 0 min(42%, 360px);
          overflow-y: auto;
        }
      }
      .stage > video,
      .stage > img {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      /* At the bottom or the top of the picture, whichever the faces leave more room at (see alertsAt). */
      .alerts {
        position: absolute;
        bottom: 12px;
        left: 50%;
        transform: translateX(-50%);
        /* As wide as its words allow, not half the stage (left: 50% would shrink it to fit). */
        width: max-content;
        max-width: calc(100% - 24px);
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 6px;
        /* Taps go through to what an alert covers (the title on the other screens, see over-header). */
        pointer-events: none;
        /* Above the problem panel at the bottom (a file that could not be checked, while the camera watches). */
        z-index: 2;
      }
      .alerts.top {
        top: 12px;
        bottom: auto;
      }
      /*
       * On the Shift, History and Settings screens: one alert, over the page's title and status line rather
       * than the screen's own controls (at 360 × 640 it hid the days-kept field, and History's Person # row, for
       * its 4 s at every unmasked person). Taps go through to what it covers, as on the picture.
       */
      .top {
        position: relative;
      }
      .alerts.over-header {
        top: 4px;
        bottom: auto;
      }
      .alerts.over-header .alert {
        font-size: 1.1rem;
        padding: 6px 12px;
        border-width: 2px;
      }
      .alert {
        text-align: center;
        background: #c62828;
        color: #fff;
        font-size: 1.6rem;
        font-weight: bold;
        padding: 10px 18px;
        border-radius: 10px;
        border: 3px solid #fff;
      }
      .alert[data-decision='uncertain'] {
        background: #ffb300;
        color: #000;
        font-size: 1.2rem;
      }
      /*
     * A small picture (a phone held upright shows it about 360 × 300): alerts on one line where they can, and
     * the newest two only (three stacked covered half of it). The tally still counts every person.
     */
      @container (max-width: 520px) or (max-height: 420px) {
        .alert,
        .alert[data-decision='uncertain'] {
          font-size: 1.1rem;
          padding: 6px 12px;
          border-width: 2px;
        }
        .alert:nth-child(n + 3) {
          display: none;
        }
      }
      /* Faces are not being checked while the picture may still move: said over the picture, which is dimmed. */
      .not-checking {
        position: absolute;
        inset: 50% 12px auto 12px;
        transform: translateY(-50%);
        text-align: center;
        background: #263238;
        color: #fff;
        font-size: 1.3rem;
        font-weight: bold;
        padding: 14px;
        border-radius: 10px;
        border: 3px solid #ffb300;
        pointer-events: none;
      }
      .stage-hint {
        position: absolute;
        inset: 50% 24px auto 24px;
        transform: translateY(-50%);
        margin: 0;
        text-align: center;
        color: #cfd8dc;
        font-size: 1.1rem;
        pointer-events: none;
      }
      .stage.dimmed > video {
        opacity: 0.35;
      }
      .problem {
        position: absolute;
        inset: auto 12px 12px 12px;
        background: #263238;
        padding: 12px;
        border-radius: 8px;
      }
      .sheet {
        position: absolute;
        inset: 0;
        overflow-y: auto;
        padding: 12px 16px 24px;
        background: #0b1d2a;
      }
      .problem h2 {
        margin: 0 0 6px;
        font-size: 1.1rem;
      }
      .problem .detail {
        font-size: 0.85rem;
        overflow-wrap: anywhere;
        color: #cfd8dc;
      }
    `,
  ];

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('controller')) {
      (changed.get('controller') as GuardController | undefined)?.removeEventListener(
        'change',
        this.onChange,
      );
      this.controller?.addEventListener('change', this.onChange);
    }
    if (changed.has('views')) {
      const old = changed.get('views') as ShiftViews | undefined;
      for (const model of old ? Object.values(old) : []) model.removeEventListener('change', this.onChange);
      for (const model of this.views ? Object.values(this.views) : [])
        model.addEventListener('change', this.onChange);
    }
  }

  /** Shows another screen; its model re-reads the log so it is current when it appears. */
  private readonly onViewChange = (e: CustomEvent<AppView>) => {
    const view = e.detail;
    this.view = view;
    if (this.views !== undefined) {
      this.views.shift.shown = view === 'shift';
      this.views.history.shown = view === 'history';
    }
    if (view === 'shift') void this.views?.shift.refresh();
    if (view === 'history') void this.views?.history.refresh();
    if (view === 'settings') void this.views?.settings.refresh();
  };

  /** The shift, history or settings screen, over the live stage. */
  private renderSheet(c: GuardController, v: ShiftViews) {
    const s = c.state;
    const sheet =
      this.view === 'shift'
        ? html`<shift-panel
            .state=${v.shift.state}
            .tally=${s.tally}
            door=${s.preferences.door}
            @set-door=${(e: CustomEvent<string>) => v.shift.setDoor(e.detail)}
            @rename-shift=${(e: CustomEvent<string>) => void v.shift.renameShift(e.detail)}
            @start-shift=${() => void v.shift.startShift()}
            @end-shift=${(e: CustomEvent<string | undefined>) => void v.shift.endShift(e.detail)}
            @dismiss-ended=${() => v.shift.dismissEnded()}
            @correct-last=${(e: CustomEvent<{ id: string; decision: Decision }>) =>
              void v.shift.correctLast(e.detail.id, e.detail.decision)}
            @add-manual=${(e: CustomEvent<Decision>) => void v.shift.addManual(e.detail)}
            @remove-last=${(e: CustomEvent<string>) => void v.shift.removeLast(e.detail)}
            @restore-removed=${() => void v.shift.restoreRemoved()}
          ></shift-panel>`
        : this.view === 'history'
          ? html`<history-view
              .state=${v.history.state}
              @choose-shift=${(e: CustomEvent<string>) => void v.history.chooseShift(e.detail)}
              @change-person=${(e: CustomEvent<{ id: string; change: PersonChange }>) =>
                void v.history.changePerson(e.detail.id, e.detail.change)}
              @choose-day=${(e: CustomEvent<string>) => void v.history.chooseDay(e.detail)}
              @export-csv=${() => void v.history.exportCsv()}
              @export-all=${() => void v.history.exportAll()}
              @set-csv-dialect=${(e: CustomEvent<CsvDialect>) => v.history.setCsvDialect(e.detail)}
            ></history-view>`
          : html`<settings-view
              .state=${v.settings.state}
              .engine=${s.engine}
              @ask-persistence=${() => void v.settings.askPersistence()}
              @retry-storage=${() => void v.settings.retry()}
              @set-retention=${(e: CustomEvent<number>) => void v.settings.setRetentionDays(e.detail)}
              @confirm-retention=${(e: CustomEvent<number>) => void v.settings.setRetentionDays(e.detail, true)}
              @cancel-retention=${() => v.settings.cancelRetention()}
              @set-thumbnails=${(e: CustomEvent<boolean>) => void v.settings.setKeepThumbnails(e.detail)}
            ></settings-view>`;
    return html`<div class="sheet">${sheet}</div>`;
  }

  override render() {
    const c = this.controller;
    const s = c?.state;
    const header = html`<header>
      <h1>MaskGuard</h1>
      <span role="status" aria-live="polite">${s?.status ?? this.status}</span>
      <offline-status
        .state=${this.offlineState}
        @update-accepted=${() => offline.applyUpdate()}
      ></offline-status>
    </header>`;
    if (c === undefined || s === undefined) return header;
    // Newest first; each for ALERT_VISIBLE_MS on the page's clock (GuardController stamps them with it).
    const now = performance.now();
    const alerts = s.alerts.filter((a) => now - a.atMs < ALERT_VISIBLE_MS).reverse();
    const frame = s.source === 'none' ? undefined : s.frame;
    if (frame !== undefined) {
      const faces = frame.faces.map(({ box }) => ({ top: box.y, bottom: box.y + box.height }));
      this.alertsAt = alertSide(faces, frame.height, this.alertsAt);
    }
    // One timer for the first alert to go (not one per render: frames re-render many times a second).
    const due = alerts.at(-1);
    if (due && this.alertTimer?.atMs !== due.atMs) {
      clearTimeout(this.alertTimer?.id);
      const id = setTimeout(this.onChange, Math.max(0, due.atMs + ALERT_VISIBLE_MS - now) + 50);
      this.alertTimer = { atMs: due.atMs, id };
    }
    const problem: { title: string; advice: string; detail?: string } | undefined = s.fatal
      ? { title: 'MaskGuard cannot check faces.', ...s.fatal }
      : s.fileProblem
        ? { title: 'That file could not be checked.', advice: s.fileProblem }
        : s.source === 'none'
          ? s.camera.problem
          : undefined;
    const v = this.views;
    const live = this.view === 'live' || v === undefined;
    const notChecking = c.notChecking;
    // Away from the picture, one alert (an unmasked person's before a doubtful one's) over the title.
    const overHeader = live ? undefined : (alerts.find((a) => a.decision === 'without_mask') ?? alerts[0]);
    return html`<div class="top">
        ${header}
        ${
          overHeader === undefined
            ? ''
            : html`<div class="alerts over-header">
                <div class="alert" role="alert" data-decision=${overHeader.decision}>
                  ${ALERT_TEXT[overHeader.decision](overHeader.number)}
                </div>
              </div>`
        }
      </div>
      ${v ? html`<view-tabs .view=${this.view} @view-change=${this.onViewChange}></view-tabs>` : ''}
      <main>
        <div class="stage ${notChecking !== undefined && live ? 'dimmed' : ''}">
          ${s.source === 'photo' && s.photoUrl ? html`<img src=${s.photoUrl} alt="Chosen photo" />` : c.video}
          <face-overlay .frame=${frame}></face-overlay>
          ${v !== undefined && !live ? this.renderSheet(c, v) : ''}
          ${
            alerts.length > 0 && live
              ? html`<div class="alerts ${this.alertsAt}">
                  ${repeat(
                    alerts,
                    (a) => `${a.atMs}:${a.number}`,
                    (a) =>
                      html`<div class="alert" role="alert" data-decision=${a.decision}>
                        ${ALERT_TEXT[a.decision](a.number)}
                      </div>`,
                  )}
                </div>`
              : ''
          }
          ${
            notChecking !== undefined && live
              ? html`<div class="not-checking">Not checking faces. ${notChecking}</div>`
              : ''
          }
          ${
            problem && live
              ? html`<div class="problem" role="alert">
                  <h2>${problem.title}</h2>
                  <p>${problem.advice}</p>
                  ${
                    problem.detail
                      ? html`<details>
                          <summary>Technical details</summary>
                          <p class="detail">${problem.detail}</p>
                        </details>`
                      : ''
                  }
                </div>`
              : live && s.source === 'none' && notChecking === undefined
                ? // Before the first picture (the camera opens by itself once the models are loaded): not a
                  // black box with no word in it.
                  html`<p class="stage-hint">
                    ${s.modelsReady ? 'Opening the camera…' : 'Getting ready to check faces…'} Point the phone
                    at the door: each person who comes in is counted once.
                  </p>`
                : ''
          }
        </div>
        ${live ? this.renderLive(c, v) : ''}
      </main>`;
  }

  /**
   * Every saved shift is older than the days kept, after nothing was recorded for longer than them (see
   * ShiftLog.heldPrune): asked here, where the guard is, before they go. A phone left unused for months gets
   * "Delete"; a clock set years ahead by mistake would otherwise have deleted every shift at this start, and
   * setting the date right afterwards would not have brought them back.
   */
  private renderHeldPrune(v: ShiftViews) {
    const st = v.settings.state;
    const held = st.heldPrune;
    if (held === undefined) return '';
    const date = (ms: number) => new Date(ms).toLocaleDateString(undefined, { dateStyle: 'long' });
    const days = st.retentionDays;
    const shifts = held.shifts === 1 ? '1 shift' : `${held.shifts} shifts`;
    return html`<div class="held-prune" role="group" aria-label="Old shifts">
      <p role="status">
        This phone's date is ${date(Date.now())}, and nothing has been recorded since
        ${date(held.lastRecordedAt)}: keeping shifts ${days} day${days === 1 ? '' : 's'} would delete every
        saved shift now. If the date is wrong, set it in the phone's settings and keep them.
      </p>
      ${st.heldPruneProblem === undefined ? '' : html`<p role="alert">Not done (${st.heldPruneProblem}).</p>`}
      <div class="row">
        <button
          class="danger"
          name="delete-held"
          aria-disabled=${st.busy ? 'true' : 'false'}
          @click=${() => st.busy || void v.settings.deleteHeldShifts()}
        >
          Delete ${shifts}
        </button>
        <button
          name="keep-held"
          aria-disabled=${st.busy ? 'true' : 'false'}
          @click=${() => st.busy || void v.settings.keepHeldShifts()}
        >
          Keep them
        </button>
      </div>
    </div>`;
  }

  /**
   * The live screen's tally and buttons (the stage above is always in the page). The storage warning also
   * covers a write that has not failed but has not finished either (a stalled disk): the person is counted
   * and alerted for, but not yet in the tally, which is read from the log. Checked at each render, which
   * every processed frame brings.
   */
  private renderLive(c: GuardController, v: ShiftViews | undefined) {
    const s = c.state;
    // Counting goes on from memory when the phone cannot save (full storage): the guard must know, not only
    // the Settings sheet. Kept quiet otherwise.
    const storageWarning =
      s.storage.state === 'pending'
        ? html`<p class="storage-warning" role="alert">
            ${s.storage.message}.
            ${
              s.storage.cause === 'quota'
                ? 'Free some space on the phone, or keep shifts for fewer days (Settings); counting goes on. ' +
                  'Keep MaskGuard open until this goes away.'
                : 'Counting goes on; keep MaskGuard open until this goes away.'
            }
          </p>`
        : c.counter.recordWaitMs() > SLOW_SAVE_MS
          ? html`<p class="storage-warning" role="alert">
              Saving is slow:
              ${c.counter.recordsInFlight === 1 ? '1 person is' : `${c.counter.recordsInFlight} people are`}
              not on the phone's storage yet and not in the tally. Counting goes on; keep MaskGuard open until
              this goes away.
            </p>`
          : '';
    // The browser keeps the alarm silent until the page is touched (the camera may have started by itself).
    // Muted stays on after a reload and for later shifts: said for as long as it lasts, not only on a button.
    const watching = s.source === 'camera' || s.source === 'video-file';
    const alarmHint = !watching
      ? ''
      : s.preferences.muted
        ? html`<p class="alarm-hint" role="status">
            Alarm muted: no sound and no vibration for unmasked people, only the alert on screen.
          </p>`
        : !s.alarmArmed
          ? html`<p class="alarm-hint" role="status">
              The alarm sound is off until you touch the screen: tap anywhere once (or press any button).
            </p>`
          : '';
    // A slow phone sees a quick passer in too few frames to count them: the guard must not trust the tally blindly.
    const slowHint =
      s.slowChecks !== undefined && s.source === 'camera'
        ? html`<p class="slow-hint" role="status" data-slow-checks=${s.slowChecks.toFixed(1)}>
            This phone checks only ${s.slowChecks.toLocaleString(undefined, { maximumFractionDigits: 1 })}
            pictures a second: someone who passes quickly may not be counted. Close other apps, and turn
            battery saver off if it is on.
          </p>`
        : '';
    // A phone left offline with a flat battery can wake up in 1970. Counting goes on, and the shift's days
    // kept are safe (Shift.notBefore), but every time in History and the export would be wrong.
    const now = Date.now();
    const clockHint =
      now < EARLIEST_TRUE_TIME
        ? html`<p class="clock-hint" role="status">
            This phone's date is ${new Date(now).toLocaleDateString(undefined, { dateStyle: 'long' })}, which
            cannot be right: set the date and time in the phone's settings. Counting goes on, but the times in
            History and in exports follow the phone's clock.
          </p>`
        : '';
    const heldPrune = v === undefined ? '' : this.renderHeldPrune(v);
    const tallyWarning = s.tallyProblem
      ? html`<p class="storage-warning" role="alert">${s.tallyProblem}</p>`
      : '';
    return html`<div class="live-panel">
      ${storageWarning}${tallyWarning}${clockHint}${heldPrune}${alarmHint}${slowHint}<tally-board
        .tally=${s.tally}
      ></tally-board>
      <guard-controls
        .preferences=${s.preferences}
        ?cameraOn=${s.source === 'camera'}
        ?torchAvailable=${s.camera.torchAvailable}
        ?torchOn=${s.camera.torchOn}
        .canSwitch=${offersCameraSwitch(s)}
        @start-camera=${() => void c.startCamera()}
        @stop-camera=${() => c.stopCamera()}
        @switch-camera=${() => void c.switchCamera()}
        @toggle-torch=${() => void c.toggleTorch()}
        @set-muted=${(e: CustomEvent<boolean>) => c.setMuted(e.detail)}
        @set-range=${(e: CustomEvent) => c.setRange(e.detail)}
        @open-file=${(e: CustomEvent<File>) => void c.openFile(e.detail)}
      ></guard-controls>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mask-guard-app': MaskGuardApp;
  }
}
