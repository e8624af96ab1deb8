import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { GuardController } from '../pipeline/guard-controller.ts';
import './face-overlay.ts';
import './tally-board.ts';
import './guard-controls.ts';
import './offline-status.ts';
import { offline, type OfflineState } from '../offline/index.ts';

/** How long the unmasked-person alert stays on screen. */
const ALERT_VISIBLE_MS = 4000;

/**
 * The guard's screen: the camera picture with a box per face, the shift's tally, an alert for each newly
 * counted unmasked person, and the controls. It renders the controller's state and forwards the guard's
 * taps to it.
 */
@customElement('mask-guard-app')
export class MaskGuardApp extends LitElement {
  /** Set by main.ts; until then the screen shows only the status line. */
  @property({ attribute: false }) controller: GuardController | undefined;
  /** Status shown before a controller is attached. */
  @property({ type: String }) status = 'Starting…';
  @state() private now = performance.now();
  @state() private offlineState: OfflineState = offline.state;
  private readonly onOffline = () => (this.offlineState = offline.state);

  override connectedCallback(): void {
    super.connectedCallback();
    offline.addEventListener('change', this.onOffline);
    this.offlineState = offline.state;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    offline.removeEventListener('change', this.onOffline);
  }
  private readonly onChange = () => {
    this.now = performance.now();
    this.requestUpdate();
  };

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
    }
    header {
      padding: 8px 12px;
      display: flex;
      align-items: baseline;
      gap: 12px;
    }
    h1 {
      margin: 0;
      font-size: 1.3rem;
    }
    .stage {
      position: relative;
      flex: 1;
      min-height: 200px;
      background: #000;
      overflow: hidden;
    }
    .stage > video,
    .stage > img {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    .alert {
      position: absolute;
      top: 12px;
      left: 50%;
      transform: translateX(-50%);
      background: #c62828;
      color: #fff;
      font-size: 1.6rem;
      font-weight: bold;
      padding: 10px 18px;
      border-radius: 10px;
      border: 3px solid #fff;
    }
    .problem {
      position: absolute;
      inset: auto 12px 12px 12px;
      background: #263238;
      padding: 12px;
      border-radius: 8px;
    }
    .problem h2 {
      margin: 0 0 6px;
      font-size: 1.1rem;
    }
  `;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('controller')) {
      (changed.get('controller') as GuardController | undefined)?.removeEventListener(
        'change',
        this.onChange,
      );
      this.controller?.addEventListener('change', this.onChange);
    }
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
    const alertOn = s.alert !== undefined && this.now - s.alert.atMs < ALERT_VISIBLE_MS;
    if (alertOn) setTimeout(this.onChange, ALERT_VISIBLE_MS);
    const problem = s.fatal
      ? { title: 'MaskGuard cannot check faces.', advice: s.fatal }
      : s.fileProblem
        ? { title: 'That file could not be checked.', advice: s.fileProblem }
        : s.source === 'none'
          ? s.camera.problem
          : undefined;
    return html`${header}
      <div class="stage">
        ${s.source === 'photo' && s.photoUrl ? html`<img src=${s.photoUrl} alt="Chosen photo" />` : c.video}
        <face-overlay .frame=${s.source === 'none' ? undefined : s.frame}></face-overlay>
        ${alertOn ? html`<div class="alert" role="alert">⚠ Person without a mask</div>` : ''}
        ${
          problem
            ? html`<div class="problem" role="alert">
                <h2>${problem.title}</h2>
                <p>${problem.advice}</p>
              </div>`
            : ''
        }
      </div>
      <tally-board .tally=${s.tally}></tally-board>
      <guard-controls
        .preferences=${s.preferences}
        ?cameraOn=${s.source === 'camera'}
        ?torchAvailable=${s.camera.torchAvailable}
        ?torchOn=${s.camera.torchOn}
        @start-camera=${() => void c.startCamera()}
        @switch-camera=${() => void c.switchCamera()}
        @toggle-torch=${() => void c.toggleTorch()}
        @set-muted=${(e: CustomEvent<boolean>) => c.setMuted(e.detail)}
        @set-range=${(e: CustomEvent) => c.setRange(e.detail)}
        @open-file=${(e: CustomEvent<File>) => void c.openFile(e.detail)}
      ></guard-controls>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mask-guard-app': MaskGuardApp;
  }
}
