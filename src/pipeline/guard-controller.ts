/**
 * The guard's session, wired end to end: camera (or a chosen file) → detection worker → face tracker →
 * shift log, with alerts for newly counted unmasked people. Components render its `state` and call its
 * methods; they hold no logic of their own.
 *
 * @fires change - whenever `state` changes
 */
import { EMPTY_TALLY, tallyDecisions, type Decision, type Tally } from '../shared/tracking/index.ts';
import type { Box } from '../shared/geometry.ts';
import type {
  DetectionRange,
  ErrorMessage,
  FaceResult,
  ProgressMessage,
  ReadyMessage,
  ResultMessage,
  StageTimings,
} from '../shared/protocol.ts';
import {
  UNSAVED_OVER_RELOAD_KEY,
  type PersonEvent,
  type ShiftLog,
  type StorageStatus,
} from '../storage/index.ts';
import { UnmaskedAlarm } from './alerts.ts';
import {
  DoorCamera,
  describeCameraError,
  torchSupported,
  countCameras,
  type CameraProblem,
  type Facing,
} from './camera.ts';
import { DetectorError, SLOW_ANSWER_MS, type DetectionClient } from './detection-client.ts';
import { FrameCapture } from './frame-capture.ts';
import { DoorwayPacing } from './doorway-pacing.ts';
import { CheckRate } from './check-rate.ts';
import {
  DoorCounter,
  TRACKS_OVER_RELOAD_KEY,
  alertsOnScreen,
  type FaceTrack,
  type PersonAlert,
} from './door-counter.ts';
import { checkPhoto, decodePhoto } from './photo-check.ts';
import { loadPreferences, savePreferences, type Preferences } from './preferences.ts';
import { errorText } from '../shared/error-text.ts';

/** The last processed frame, for the overlay. */
export interface LiveFrame {
  width: number;
  height: number;
  faces: FaceResult[];
  /**
   * The number of each face's person (same index) once seen long enough to be counted, when tracking (camera
   * and video files).
   */
  numbers: (number | undefined)[];
  /** What each face's person (same index) was counted as; undefined while not yet counted, or not tracking. */
  decisions: (Decision | undefined)[];
  timings: StageTimings;
}

/**
 * Whether the screen offers "Use front/rear camera": on a device known to have more than one camera (also
 * while one of them is busy or was stopped: the other may work); while that is not known yet (no camera
 * opened), only with a camera running (a browser that cannot count them). Never before any camera opened
 * for a device with none or with access denied, where it only turned the button's words round.
 */
export function offersCameraSwitch(state: Pick<GuardState, 'camera' | 'source'>): boolean {
  const { cameras } = state.camera;
  return cameras === undefined ? state.source === 'camera' : cameras > 1;
}

/** The status line while a crashed detection worker is being replaced. */
const RESTARTING = 'The detector restarted; resuming…';

/**
 * Frames that failed in a row before the screen says faces are not being checked (one failed frame is
 * skipped quietly; a run of them means the guard must not trust a quiet screen).
 */
export const FAILED_FRAMES_BEFORE_WARNING = 3;

export { ALERT_VISIBLE_MS, type PersonAlert } from './door-counter.ts';

/** The most alerts on screen at once (the newest; more would cover the picture). */
export const MAX_ALERTS = 3;

/** Everything the screen shows. */
export interface GuardState {
  /** One line saying what the app is doing. */
  status: string;
  modelsReady: boolean;
  /**
   * The detector cannot run (models could not load, or it keeps crashing): what happened and what to do,
   * and the technical cause apart. "Start camera" or a chosen file tries again.
   */
  fatal?: { advice: string; detail?: string };
  source: 'none' | 'camera' | 'video-file' | 'photo';
  /**
   * `cameras`: how many cameras the device has, known once one was opened (a laptop's single camera gets no
   * "Use front camera" button, which would only open the same camera again).
   */
  camera: { problem?: CameraProblem; torchAvailable: boolean; torchOn: boolean; cameras?: number };
  photoUrl?: string;
  frame?: LiveFrame;
  tally: Tally;
  /** Whether every counted person is on disk; when not (e.g. the phone is full), the live screen says so. */
  storage: StorageStatus;
  /**
   * The alerts raised in the last ALERT_VISIBLE_MS (at most {@link MAX_ALERTS}, oldest first), on the page's
   * clock: people counted close together (two walking in side by side) each keep theirs.
   */
  alerts: readonly PersonAlert[];
  preferences: Preferences;
  /** A problem with a chosen file; the app keeps working. */
  fileProblem?: string;
  /** Where the models run on this phone, once they are loaded (for support; Settings shows it). */
  engine?: { classifierBackend: string; detectorDelegate: 'GPU' | 'CPU' };
  /** Whether the alarm sound can play (the browser allows audio only once the page was touched). */
  alarmArmed: boolean;
  /** The last reading of the tally from the log failed: what to tell the guard until one succeeds. */
  tallyProblem?: string;
  /**
   * Frames the camera's picture is checked in a second, while that is too slow to count everyone who passes
   * quickly (see CheckRate); undefined otherwise, and for files.
   */
  slowChecks?: number;
}

/** What the guard can do when the detector cannot run (see GuardController.recoverDetector). */
const TRY_AGAIN = 'Tap "Start camera" to try again, or reload the app.';

/** Whether the page is hidden now (a function: the answer changes across awaits). */
const pageHidden = () => document.visibilityState === 'hidden';

/** The end of the status line while frames keep failing. */
const NOT_CHECKED = 'Faces are not being checked right now.';

/** How often (ms) the controller looks whether the frame in flight has waited too long. */
const STALL_CHECK_MS = 250;

/** The status line while the detector has not answered a frame for {@link SLOW_ANSWER_MS}. */
const STALLED = `The detector is not answering. ${NOT_CHECKED}`;

/**
 * Where a counting page leaves what the next one needs (the people at the door, the records it could not
 * write): the origin's localStorage, so that it reaches the next page that counts however it comes: this tab
 * reloaded, the app closed and opened again (swiped away on a phone), or another MaskGuard tab that takes the
 * counting over. (The tab's sessionStorage reached only a reload: the other two counted the person at the door
 * again, and lost the people a full disk held in memory.) Undefined where reading it throws (site data blocked).
 */
export function handoverStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The guard's changes to the people of a shift, by the number their box and alert carry: the decision they
 * chose, or `removed`. People the guard left as counted are not in it.
 */
function guardChangesOf(events: readonly PersonEvent[]): Map<number, Decision | 'removed'> {
  const changes = new Map<number, Decision | 'removed'>();
  for (const event of events) {
    if (event.number === undefined) continue;
    if (event.removed !== undefined) changes.set(event.number, 'removed');
    else if (event.corrected !== undefined) changes.set(event.number, event.decision);
  }
  return changes;
}

/** The status line while the camera gives no picture (muted by the phone). */
const NO_PICTURE = 'No picture from the camera (paused by the phone)…';

/** See the module comment. */
export class GuardController extends EventTarget {
  /** The element frames are read from; the screen shows this very element. */
  readonly video: HTMLVideoElement = document.createElement('video');
  state: GuardState;
  /** The camera; its events are taken only while the camera watches (not after a photo replaced it). */
  private readonly camera = new DoorCamera({
    lost: () => this.onCameraLost(),
    // No frame comes while muted, so the screen must not look as if it watched.
    muted: () => {
      if (this.state.source === 'camera') this.update({ frame: undefined, status: NO_PICTURE });
    },
    unmuted: () => {
      if (this.state.source !== 'camera') return;
      if (this.state.status === NO_PICTURE) this.update({ status: 'Watching the door' });
      // Also the line to come back once a worker restart or a run of failed frames is over.
      if (this.statusBeforeRestart === NO_PICTURE) this.statusBeforeRestart = 'Watching the door';
      if (this.statusBeforeFailures === NO_PICTURE) this.statusBeforeFailures = 'Watching the door';
      if (this.stalledFrom === NO_PICTURE) this.stalledFrom = 'Watching the door';
    },
  });
  /** The status line when the detection worker last restarted, to put back when it is ready again. */
  private statusBeforeRestart: string | undefined;
  private readonly alarm = new UnmaskedAlarm();
  /** Frames from the camera or a video file into the worker, on the counting clock. */
  private readonly capture: FrameCapture;
  /** Fewer of the camera's frames checked while nobody is at the door (battery, heat). */
  private readonly pacing = new DoorwayPacing();
  private readonly checkRate = new CheckRate();
  private resumeCameraOnShow = false;
  /** A video file was playing when the page was hidden, and plays on when it is shown. */
  private resumeVideoOnShow = false;
  /** Sources asked for so far (camera or file), so that the boot's camera does not replace one (see boot). */
  private sourceChoices = 0;
  /** The people at the door: tracking, alerts and their records in the shift log. */
  readonly counter: DoorCounter;
  /** Frames that failed in a row, and what the status line said before they did. */
  private failedFrames = 0;
  /**
   * The guard's changes to the running shift's people by number (see guardChangesOf), read with the tally:
   * boxes show them, and an alert or the alarm is not raised again for such a person.
   */
  private guardChanges = new Map<number, Decision | 'removed'>();
  private statusBeforeFailures: string | undefined;
  /**
   * The status line when the detector last stopped answering (see checkAnswering), to put back when it
   * answers; never the STALLED line itself. The stall lasts as long as the status line says STALLED.
   */
  private stalledFrom: string | undefined;
  /** Frames of the video file being checked that the detector answered (see openFile). */
  private fileFramesChecked = 0;
  /** "Checking NAME" for the file chosen last: said again once models loading meanwhile are in. */
  private checkingFile = 'Ready';
  /** The detector's last per-frame error, in words, to tell a guard why a photo could not be checked. */
  private lastFrameError: string | undefined;
  /** A reload of the detector after it failed for good, while it is under way (see recoverDetector). */
  private recovering: Promise<boolean> | undefined;

  constructor(
    private readonly client: DetectionClient,
    private readonly log: ShiftLog,
  ) {
    super();
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.setAttribute('playsinline', '');
    const preferences = loadPreferences();
    this.alarm.muted = preferences.muted;
    this.capture = new FrameCapture(
      this.video,
      client,
      (result, frame) => this.onResult(result, frame),
      // A result the tracker refuses (a malformed box or probability) is a failed frame, never silence.
      (error) =>
        this.onDetectorError({
          type: 'error',
          fatal: false,
          message: 'A frame could not be counted.',
          detail: errorText(error),
        }),
      // A copy of each frame only while pictures of unmasked people are kept (see DoorCounter.observe).
      () => log.getSetting('keepThumbnails'),
      // The camera's frames are paced while the doorway is empty; a video file's are all checked.
      (now) => (this.state.source === 'camera' ? this.pacing.minInterval(now) : 0),
      // ... each one: the file waits for the detector, the camera's door does not.
      () => this.state.source === 'video-file',
    );
    this.counter = new DoorCounter(log, {
      // Not for a person the guard has already changed or removed (counted uncertain on a pause, decided
      // when seen again): they dealt with them.
      ring: (number) => {
        if (!this.guardChanges.has(number)) this.alarm.ring();
      },
      // The counter's times are on the counting clock; the screen times its alerts on the page's.
      alert: (alert) => {
        if (this.guardChanges.has(alert.number)) return;
        const now = performance.now();
        this.update({ alerts: alertsOnScreen(this.state.alerts, { ...alert, atMs: now }, MAX_ALERTS) });
      },
      door: () => this.state.preferences.door,
      snapshot: (box, frame) => this.snapshot(box, frame),
      recorded: (problem, revision) => {
        // Alerted for, but not in the tally or the log: the guard can add them by hand. A failed revision
        // leaves the person counted (as uncertain): adding them would count them twice.
        if (problem !== undefined)
          this.update({
            status: revision
              ? `A person counted as uncertain could not be updated (${problem}); they stay counted as uncertain.`
              : `A person was not counted (${problem}). Add them by hand on the Shift screen (“+ Person …”).`,
          });
        void this.refreshTally();
      },
      now: () => this.capture.clock(),
    });
    this.state = {
      status: 'Loading models…',
      modelsReady: false,
      source: 'none',
      camera: { torchAvailable: false, torchOn: false },
      tally: EMPTY_TALLY,
      storage: log.status,
      alarmArmed: false,
      alerts: [],
      preferences,
    };
    client.setRange(preferences.range);
    client.addEventListener('progress', (event) => {
      const { stage, fraction } = (event as CustomEvent<ProgressMessage>).detail;
      // In steps of 10 %: the status line is a live region, and a screen reader would read every percent.
      const percent = fraction === undefined ? '' : ` ${10 * Math.floor(10 * fraction)}%`;
      const status = `${stage}…${percent}`;
      if (!this.state.modelsReady && this.state.status !== status) this.update({ status });
    });
    client.addEventListener('restart', () => {
      // The detector could not look (a crash, or a frame hung for up to FRAME_TIMEOUT_MS) and will not until
      // its models are loaded again: a pause, as when the camera restarts, so the people in view keep their
      // tracks instead of being counted again when seen after it.
      if (this.state.source === 'camera' || this.state.source === 'video-file') this.counter.pause();
      // A stuck frame is what ended the worker: the line to come back is the one from before it stuck.
      const status = this.statusNotStalled();
      if (status !== RESTARTING) this.statusBeforeRestart = status;
      // The last boxes are not what is at the door any more: a screen with boxes must be a screen that looks.
      const live = this.state.source === 'camera' || this.state.source === 'video-file';
      this.update({ status: RESTARTING, ...(live ? { frame: undefined } : {}) });
    });
    // Back to what the screen said (e.g. "Watching the door") once the new worker has its models, unless
    // something else has been said since.
    client.addEventListener('ready', (event) => {
      // A worker restarted after a crash on the GPU delegate runs on the CPU: the engine may have changed.
      const { classifierBackend, detectorDelegate } = (event as CustomEvent<ReadyMessage>).detail;
      this.update({ engine: { classifierBackend, detectorDelegate } });
      if (this.state.status === RESTARTING) this.update({ status: this.statusBeforeRestart ?? 'Ready' });
    });
    client.addEventListener('error', (event) => this.onDetectorError((event as CustomEvent).detail));
    this.alarm.onArmedChange = () => {
      if (this.alarm.armed !== this.state.alarmArmed) this.update({ alarmArmed: this.alarm.armed });
    };
    log.addEventListener('status', () => {
      this.update({ storage: log.status });
      void this.refreshTally();
    });
    document.addEventListener('visibilitychange', () => void this.onVisibilityChange());
    // A camera plugged in or out (a laptop's USB camera): the switch button comes or goes.
    globalThis.navigator?.mediaDevices?.addEventListener?.('devicechange', () => {
      if (this.state.camera.cameras !== undefined) void this.recountCameras();
    });
    setInterval(() => this.checkAnswering(), STALL_CHECK_MS);
    // The page is being frozen: the OS may then discard it without another event (see handOver).
    document.addEventListener('freeze', () => {
      this.counter.pause();
      this.handOver();
    });
    // Going, most often to reload: the people at the door are kept for the next page that counts (a person
    // standing there through a reload is not counted again). Back from the back/forward cache instead, this
    // page goes on with them itself.
    window.addEventListener('pagehide', () => {
      this.counter.pause();
      this.handOver();
    });
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) this.takeBack();
    });
    // The page that counted before (a reload, the app reopened, another tab) may have kept the people it saw at
    // the door.
    const storage = handoverStorage();
    if (storage !== undefined) this.counter.resumeAfterReload(storage);
    // Browsers let audio start only from a user gesture; any tap will do, not only the camera button (the
    // camera may have started by itself at boot, and the alarm must sound all the same). From a keyboard or a
    // switch, pressing any button does (its click): not on key events themselves, since starting audio from a
    // keydown or keyup kept Chromium from opening the file chooser on Enter.
    const unlock = () => this.alarm.unlock();
    document.addEventListener('pointerdown', unlock, { capture: true });
    document.addEventListener('click', unlock, { capture: true });
  }

  /**
   * Loads the models and opens the camera, unless the guard chose a source meanwhile (a file, or the camera
   * by a tap): the loaded models then serve that choice, which the camera must not replace.
   */
  async boot(): Promise<void> {
    void this.refreshTally();
    const choices = this.sourceChoices;
    // A file that could not be opened leaves nothing to replace: the camera then starts as usual.
    if ((await this.loadDetector()) && (this.sourceChoices === choices || this.state.source === 'none'))
      await this.startCamera();
  }

  /** Loads the models (again); resolves false, with the problem on screen, if they cannot be loaded. */
  private async loadDetector(): Promise<boolean> {
    try {
      const { classifierBackend, detectorDelegate } = await this.client.start();
      this.update({
        modelsReady: true,
        engine: { classifierBackend, detectorDelegate },
        // A file chosen while the models loaded is checked now: "Ready" would say it is not.
        status: this.state.source === 'none' ? 'Ready' : this.checkingFile,
      });
      return true;
    } catch (error) {
      this.failedToLoad(error);
      return false;
    }
  }

  /**
   * After the detector failed for good (see {@link GuardState.fatal}), loads it again: the guard asked for
   * the camera or chose a file, and the cause may have passed (the network is back, memory was freed).
   * Resolves false, with the problem on screen again, if it fails again.
   */
  private recoverDetector(): Promise<boolean> {
    // A second tap while the first retry loads waits for that retry instead of going ahead without models.
    if (this.recovering !== undefined) return this.recovering;
    if (this.state.fatal === undefined) return Promise.resolve(true);
    this.update({ fatal: undefined, modelsReady: false, status: 'Loading models…' });
    this.recovering = this.loadDetector().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  /**
   * Whether the counter's tracks are the camera's people, to be kept (paused) when the source stops: the
   * camera is on, or its people were paused (camera lost, page hidden, a photo checked, the detector given
   * up) and no video file has run since. A video file's tracks, paused while its detector restarts, are not:
   * they must never meet the camera's faces (a real person would continue a person in the clip).
   */
  private holdsCameraPeople(): boolean {
    return this.state.source === 'camera' || (this.counter.paused && this.state.source !== 'video-file');
  }

  /** The models could not be loaded: nothing is checked, so no source may look as if it were watched. */
  private failedToLoad(error: unknown): void {
    // The person at the door is still there when the guard taps "Start camera" and the models load: keep
    // the camera's tracks (paused; the tracker's blind limit ends them if the wait is long), or the same
    // person would be counted again.
    this.stopSource(this.holdsCameraPeople());
    this.update({
      source: 'none',
      frame: undefined,
      fatal: {
        advice: `${error instanceof DetectorError ? error.message : 'MaskGuard could not load its models.'} ${TRY_AGAIN}`,
        detail: error instanceof DetectorError ? error.detail : errorText(error),
      },
      status: 'Models failed to load',
    });
  }

  /**
   * Opens the camera (again) and starts checking frames. Call from a tap to also allow the alarm sound.
   * Restarting the camera that is already watching keeps the people in view: the tracker bridges the pause
   * as blind time, so someone standing at the door is not counted again.
   */
  async startCamera(): Promise<void> {
    await this.openCameraSource(this.holdsCameraPeople());
  }

  /**
   * Switches between the rear and the front camera: another view, whose faces must not continue the people
   * of this one; this one's are kept aside for a switch back (see DoorCounter.switchView).
   */
  async switchCamera(): Promise<void> {
    const from = this.state.preferences.facing;
    const facing: Facing = from === 'environment' ? 'user' : 'environment';
    this.setPreferences({ facing });
    const cameraPeople = this.holdsCameraPeople();
    if (cameraPeople) this.counter.switchView(from, facing);
    await this.openCameraSource(cameraPeople);
  }

  /**
   * Stops the current source and opens the camera. Calls may overlap (a double tap, the guard tapping while
   * the boot's permission prompt is open): only the newest start keeps its camera (see DoorCamera).
   */
  private async openCameraSource(keepTracks: boolean): Promise<void> {
    this.sourceChoices += 1;
    this.alarm.unlock();
    // The same door seen again (back from the background, a restart): the torch the guard had on comes back.
    const torchWanted = keepTracks && this.state.camera.torchOn;
    if (!(await this.recoverDetector())) return;
    this.stopSource(keepTracks);
    let stream: MediaStream | undefined;
    try {
      stream = await this.camera.open(this.state.preferences.facing);
    } catch (error) {
      this.update({
        source: 'none',
        status: 'Camera off',
        // The camera's problem is the news now, not an earlier file's (shown first otherwise).
        fileProblem: undefined,
        camera: { ...this.state.camera, problem: describeCameraError(error) },
      });
      return;
    }
    if (stream === undefined) return;
    if (pageHidden()) {
      // Hidden while the camera was opening: open it again when the page is shown.
      this.camera.close();
      this.resumeCameraOnShow = true;
      return;
    }
    this.video.srcObject = stream;
    await this.video.play().catch(() => {});
    if (!this.camera.isOpen(stream)) return;
    if (pageHidden()) {
      // Hidden while the picture was starting: the hide handler saw no camera yet, so pause here.
      this.stopSource(true);
      this.resumeCameraOnShow = true;
      this.update({ source: 'none', status: 'Paused while MaskGuard is in the background' });
      return;
    }
    this.update({
      source: 'camera',
      photoUrl: undefined,
      // No boxes from before (another picture, or this door minutes ago) until this camera's first result.
      frame: undefined,
      fileProblem: undefined,
      camera: { torchAvailable: torchSupported(stream), torchOn: false, cameras: this.state.camera.cameras },
      status: 'Watching the door',
    });
    void this.camera.keepScreenOn();
    void this.recountCameras();
    this.pacing.start(this.capture.clock());
    this.capture.start();
    if (torchWanted && this.state.camera.torchAvailable && (await this.camera.setTorch(true)))
      this.update({ camera: { ...this.state.camera, torchOn: true } });
  }

  /**
   * The guard stops the camera ("Stop camera": the shift is over, or the phone goes in a pocket): nothing is
   * checked or counted, and the screen may sleep, until they start it again. Without it the only way to stop
   * was to leave the app: after "End shift" the camera went on counting into a new shift (UX exploration).
   * The people in view are paused, not ended, as when the camera stops by itself: started again within the
   * tracker's blind limit, the person still at the door is not counted a second time.
   */
  stopCamera(): void {
    if (this.state.source !== 'camera') return;
    this.sourceChoices += 1;
    // Closes the camera, which also makes a start still opening one give it up (see DoorCamera.open).
    this.stopSource(true);
    this.update({
      source: 'none',
      status: 'Camera stopped',
      frame: undefined,
      camera: {
        ...this.state.camera,
        torchAvailable: false,
        torchOn: false,
        problem: {
          title: 'Camera stopped.',
          advice:
            'Nobody at the door is checked or counted until you tap "Start camera". The count so far is kept.',
        },
      },
    });
  }

  /**
   * The camera stopped by itself (see CameraEvents.lost). Frames simply stop coming, so without this the
   * screen would go on saying it watches.
   */
  private onCameraLost(): void {
    // The person at the door is still there: keep their track for when the guard starts the camera again.
    this.stopSource(true);
    this.update({
      source: 'none',
      status: 'Camera off',
      frame: undefined,
      fileProblem: undefined,
      camera: {
        ...this.state.camera,
        problem: {
          title: 'The camera stopped.',
          advice:
            'Another app or a call may have taken it, or it was disconnected. Tap "Start camera" to go on; ' +
            'everyone counted so far is kept.',
        },
      },
    });
  }

  async toggleTorch(): Promise<void> {
    const on = !this.state.camera.torchOn;
    if (await this.camera.setTorch(on)) this.update({ camera: { ...this.state.camera, torchOn: on } });
  }

  /** Counts the device's cameras (see GuardState.camera.cameras); call once one has been opened. */
  private async recountCameras(): Promise<void> {
    const cameras = await countCameras();
    if (cameras !== undefined && cameras !== this.state.camera.cameras)
      this.update({ camera: { ...this.state.camera, cameras } });
  }

  setRange(range: DetectionRange): void {
    this.client.setRange(range);
    this.setPreferences({ range });
  }

  setMuted(muted: boolean): void {
    this.alarm.unlock();
    this.alarm.muted = muted;
    this.setPreferences({ muted });
  }

  /**
   * The status line with nothing to check: "Ready" to start the camera, or "Camera off" while the camera could
   * not be started, was stopped or was lost (the panel below says why): "Ready" would promise a camera.
   */
  private idleStatus(): string {
    return this.state.camera.problem === undefined ? 'Ready' : 'Camera off';
  }

  /** Runs the pipeline on a chosen photo (single-image mode) or video file instead of the camera. */
  async openFile(file: File): Promise<void> {
    this.sourceChoices += 1;
    this.update({ fileProblem: undefined });
    if (!(await this.recoverDetector())) return;
    if (file.type.startsWith('video/')) {
      const cameraWasOn = this.state.source === 'camera';
      // The camera's people stay paused until the video plays: if it cannot, the camera comes back to them.
      this.stopSource(this.holdsCameraPeople());
      this.update({ source: 'none', status: `Opening ${file.name}…` });
      this.video.src = URL.createObjectURL(file);
      let fileProblem: string | undefined;
      try {
        await this.video.play();
        // Playing is not enough: a file with only sound, or a video format this browser cannot show, plays
        // with no picture, and the screen would check nothing while saying it checks the file.
        if (this.video.videoWidth === 0) {
          this.video.pause();
          fileProblem = `"${file.name}" has no picture this phone can show. Choose another video.`;
        }
      } catch {
        fileProblem = `"${file.name}" could not be played. Choose another video.`;
      }
      if (fileProblem !== undefined) {
        // The camera had to make way for the video in the one <video> element: give it back.
        if (cameraWasOn) await this.startCamera();
        else this.update({ source: 'none', status: this.idleStatus() });
        this.update({ fileProblem });
        return;
      }
      // The file's faces must not meet the camera's tracks: those end with the file's first answered frame
      // (see onResult), not before: a file that turns out to have no frame to check gives the camera back to
      // the people it was following.
      this.update({
        source: 'video-file',
        photoUrl: undefined,
        frame: undefined,
        status: (this.checkingFile = `Checking ${file.name}`),
      });
      this.fileFramesChecked = 0;
      this.video.onended = () => this.fileEnded(file.name, cameraWasOn);
      // A file damaged further in stops with an error, not an end.
      this.video.onerror = () => this.fileEnded(file.name, cameraWasOn, true);
      this.capture.start();
      return;
    }
    // Decode before stopping anything: an unreadable file must leave the camera watching.
    const bitmap = await decodePhoto(file);
    if (!(bitmap instanceof ImageBitmap)) {
      // The photo shown before, with its result, is not what this problem is about: it goes.
      const photoShown = this.state.source === 'photo';
      if (photoShown && this.state.photoUrl !== undefined) URL.revokeObjectURL(this.state.photoUrl);
      this.update({
        fileProblem: bitmap.problem,
        ...(photoShown
          ? { source: 'none', photoUrl: undefined, frame: undefined, status: 'Camera off' }
          : {}),
      });
      return;
    }
    // Photos are not tracked: the camera's people stay paused for when the camera comes back.
    this.stopSource(this.holdsCameraPeople());
    const photoUrl = URL.createObjectURL(file);
    this.checkingFile = `Checking ${file.name}`;
    this.update({ source: 'photo', photoUrl, frame: undefined, status: this.checkingFile });
    // Set by onDetectorError if the worker answers this photo with an error.
    this.lastFrameError = undefined;
    const outcome = await checkPhoto(
      this.client,
      bitmap,
      file.name,
      () => this.lastFrameError,
      this.state.camera.problem?.noCamera === true,
    );
    // The photo may have waited (for the camera's last frame, a restart): show its result only if the
    // screen still shows it, not over a camera or another file chosen meanwhile.
    if (this.state.source === 'photo' && this.state.photoUrl === photoUrl) this.update(outcome);
  }

  /**
   * The video file being checked ended, or stopped with an error (`broken`). A file none of whose frames was
   * checked (cut short after its header, say) says so, and gives the camera back if it was on, to the people
   * it was following (their tracks ended only with the file's first answered frame); "Finished" would say it
   * was checked, with nobody in it.
   */
  private fileEnded(name: string, cameraWasOn: boolean, broken = false): void {
    this.video.onended = null;
    this.video.onerror = null;
    // Any frame of the file sent, answered or not (an answer still on its way is dropped below), had a
    // picture. (Not whether any frame is in flight: the camera's last one may be, and its answer is not the file's.)
    const checked = this.capture.framesSent > 0;
    // No more frames, and a result still on its way must not start a person after the file's end.
    this.capture.stop();
    if (checked) {
      this.counter.end();
      if (!broken) this.update({ status: `Finished ${name}` });
      else
        this.update({
          status: `Stopped ${name}`,
          fileProblem: `"${name}" could not be played to its end; the people seen until then are counted.`,
        });
      return;
    }
    const fileProblem = `No picture of "${name}" could be checked: the file may be damaged or cut short. Choose another video.`;
    this.update({ source: 'none', frame: undefined });
    if (!cameraWasOn) {
      this.update({ status: this.idleStatus(), fileProblem });
      return;
    }
    const started = this.startCamera();
    // Said once the camera is back, unless the guard chose something else meanwhile.
    const choice = this.sourceChoices;
    void started.then(() => {
      if (this.sourceChoices === choice) this.update({ fileProblem });
    });
  }

  private onResult(result: ResultMessage, frame?: ImageBitmap): void {
    if (this.state.source === 'video-file') {
      // The file's first answered frame: the camera's people (paused) end here, before the file's faces.
      if (this.fileFramesChecked === 0) this.counter.end();
      this.fileFramesChecked += 1;
    }
    const tracks = this.counter.observe(result.timestampMs, result.faces, frame, result);
    this.pacing.observed(result.timestampMs, result.faces.length, this.counter.peopleInView);
    const camera = this.state.source === 'camera';
    if (camera) this.checkRate.record(result.timestampMs, result.faces.length > 0);
    const decisions = tracks.map((track) => (track === undefined ? undefined : this.decisionShown(track)));
    const numbers = tracks.map((track) => track?.number);
    const recovered = this.failedFrames >= FAILED_FRAMES_BEFORE_WARNING;
    this.failedFrames = 0;
    this.update({
      frame: { ...result, numbers, decisions },
      slowChecks: camera ? this.checkRate.slow : undefined,
      ...(recovered
        ? { status: this.statusBeforeFailures ?? 'Watching the door' }
        : { status: this.statusNotStalled() }),
    });
  }

  /**
   * Says when the frame in flight has waited over {@link SLOW_ANSWER_MS} while a camera or video plays: no
   * boxes (they are old), and the picture dimmed under "Not checking faces" (see notChecking). The next answer
   * puts the status line back; a worker replaced for the hang says so itself.
   */
  private checkAnswering(): void {
    const { source, status } = this.state;
    // A finished file's last frame is not waited for (its answer is dropped).
    const watching = source === 'camera' || (source === 'video-file' && !this.video.ended);
    if (!watching || status === STALLED || status === RESTARTING) return;
    if ((this.client.waitingMs ?? 0) <= SLOW_ANSWER_MS) return;
    this.stalledFrom = status;
    this.update({ frame: undefined, status: STALLED });
  }

  /** The status line, or while the detector does not answer, the one from before it stopped answering. */
  private statusNotStalled(): string {
    return this.state.status === STALLED ? (this.stalledFrom ?? 'Watching the door') : this.state.status;
  }

  /**
   * A 96-pixel-wide JPEG of `box` in `frame`, the picture the person was counted in (an opt-in thumbnail).
   * Drawn before the first await: the frame is closed once the counter has seen it.
   */
  private async snapshot(box: Box, frame: ImageBitmap): Promise<Blob | undefined> {
    const side = 96;
    const canvas = new OffscreenCanvas(side, Math.round((side * box.height) / Math.max(1, box.width)));
    canvas
      .getContext('2d')
      ?.drawImage(frame, box.x, box.y, box.width, box.height, 0, 0, canvas.width, canvas.height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.7 }).catch(() => undefined);
  }

  /**
   * Stops the camera or file. `keepTracks`: the same view resumes soon (camera restarted, page shown
   * again), so the tracks stay for the tracker to bridge; otherwise they end and are counted now.
   */
  private stopSource(keepTracks = false): void {
    this.capture.stop();
    this.checkRate.reset();
    this.camera.close();
    // A run of failed frames belongs to the source that had it.
    this.failedFrames = 0;
    this.statusBeforeFailures = undefined;
    // Otherwise ended whatever the source says: tracks kept over a pause must not meet the faces of a file.
    if (keepTracks) this.counter.pause();
    else this.counter.end();
    this.video.onended = null;
    this.video.onerror = null;
    this.video.srcObject = null;
    if (this.video.src.startsWith('blob:')) URL.revokeObjectURL(this.video.src);
    this.video.removeAttribute('src');
    if (this.state.photoUrl !== undefined) URL.revokeObjectURL(this.state.photoUrl);
  }

  /**
   * Leaves in the origin's localStorage, for the next page that counts, the people at the door (the camera's
   * tracks, not a video file's), the counted people whose record is on its way, and what the shift log could
   * not write (a full disk; the next page's ShiftLog.open writes it). Done when the page is hidden and frozen
   * as well as when it goes: a phone often ends a hidden app without a `pagehide` (swiped away from the recent
   * apps, or discarded to free memory), and hidden is the last moment a page is sure to see. Ids make a record
   * written by both pages count once. Call after the counter is paused.
   */
  private handOver(): void {
    const storage = handoverStorage();
    if (storage === undefined) return;
    this.counter.saveForReload(storage, this.holdsCameraPeople());
    this.log.saveForReload(storage);
  }

  /**
   * This page goes on counting (shown again, or back from the back/forward cache): what it handed over is
   * its own again, and must not reach a later page once it is stale (tracks long gone, records since changed).
   */
  private takeBack(): void {
    handoverStorage()?.removeItem(TRACKS_OVER_RELOAD_KEY);
    handoverStorage()?.removeItem(UNSAVED_OVER_RELOAD_KEY);
  }

  /** Hidden page: camera and inference stop (battery, privacy); shown again: they resume. */
  private async onVisibilityChange(): Promise<void> {
    if (document.visibilityState === 'hidden') {
      this.resumeCameraOnShow ||= this.state.source === 'camera';
      if (this.state.source === 'video-file') {
        // Only a file still playing plays on when shown: play() on an ended one would start it again, and
        // count everyone in it a second time.
        this.resumeVideoOnShow = this.capture.filePlaying;
        this.capture.pauseFile();
      }
      if (this.state.source === 'camera') {
        this.stopSource(true);
        this.update({ source: 'none', status: 'Paused while MaskGuard is in the background' });
      }
      this.handOver();
      return;
    }
    this.takeBack();
    if (this.state.source === 'video-file') {
      // The file paused with the page goes on where it stopped. The flag is taken before waiting: hidden again
      // meanwhile, the page sets it anew for the next show.
      const resume = this.resumeVideoOnShow;
      this.resumeVideoOnShow = false;
      await this.capture.resumeFile(resume);
    } else if (this.resumeCameraOnShow) {
      this.resumeCameraOnShow = false;
      this.update({ status: 'Starting the camera…' });
      // The same door, seen again: people still in view keep their tracks (see DoorCounter.pause).
      await this.openCameraSource(true);
    }
  }

  /**
   * Why faces are not being checked while a camera or a video is on, whose picture may still move (the
   * detector restarting, frames failing, the camera paused by the phone): the screen must not look as if it
   * watched. Undefined while faces are checked, or when nothing is on (the problem panel says why).
   */
  get notChecking(): string | undefined {
    const { source, status } = this.state;
    if (source !== 'camera' && source !== 'video-file') return undefined;
    if (status === RESTARTING || status === NO_PICTURE || status.endsWith(NOT_CHECKED)) return status;
    return undefined;
  }

  /**
   * The detector's errors. A fatal one (it keeps crashing, or a restarted worker cannot load its models)
   * stops checking and says so; boot() reports a failure to load at start itself. A run of failed frames
   * turns the status line into a warning and clears the boxes, so a quiet screen is never mistaken for an
   * empty door; the next good frame puts the status back.
   */
  private onDetectorError(error: ErrorMessage): void {
    if (error.fatal) {
      if (!this.state.modelsReady) return;
      // The camera's people paused, not ended, as in failedToLoad: "Start camera" brings the same people
      // back, not new ones. A video file's end here.
      this.stopSource(this.holdsCameraPeople());
      this.update({
        source: 'none',
        fatal: { advice: `${error.message} ${TRY_AGAIN}`, detail: error.detail },
        frame: undefined,
        status: 'Stopped: faces are not being checked',
      });
      return;
    }
    this.lastFrameError = `${error.message}${error.detail ? ` (${error.detail})` : ''}`;
    this.failedFrames += 1;
    const warning = `${error.message} ${NOT_CHECKED}`;
    // Said again if something else took the status line meanwhile (the camera unmuted, a worker restarted)
    // while the frames still fail.
    // An answer, if an error: the detector answers again (and the line before it stopped is the one to keep).
    const status = this.statusNotStalled();
    if (this.failedFrames >= FAILED_FRAMES_BEFORE_WARNING && status !== warning) {
      if (this.failedFrames === FAILED_FRAMES_BEFORE_WARNING) this.statusBeforeFailures = status;
      this.update({ frame: undefined, status: warning });
    } else if (status !== this.state.status) this.update({ status });
  }

  /**
   * What the box of `track` says its person was counted as: the guard's decision if they changed it (in
   * History or on the Shift screen), none if they took the person out of the count, else the tracker's.
   */
  private decisionShown(track: FaceTrack): Decision | undefined {
    const change = track.number === undefined ? undefined : this.guardChanges.get(track.number);
    return change === 'removed' ? undefined : (change ?? this.counter.decisionOf(track.trackId));
  }

  /**
   * Re-reads the tally, and the guard's changes, from the log. Never rejects: a failed read is said on the
   * status line.
   */
  private async refreshTally(): Promise<void> {
    try {
      const shift = this.log.currentShift();
      // The tally and the guard's changes from one read of the shift's people.
      const events = shift === undefined ? [] : await this.log.events(shift.id);
      const tally = tallyDecisions(events);
      // The changes to people of earlier shifts are kept (a person counted uncertain before the guard ended
      // the shift may still be decided at the door, and their record revised there): numbers are never given
      // twice by one page. Those of this shift's people are as just read (a person put back is no change).
      const changes = guardChangesOf(events);
      const inThisShift = new Set(events.map((e) => e.number));
      for (const [number, change] of this.guardChanges)
        if (!inThisShift.has(number)) changes.set(number, change);
      this.guardChanges = changes;
      // An alert about a person the guard has since changed or removed is over.
      const alerts = this.state.alerts.filter((a) => {
        const change = this.guardChanges.get(a.number);
        return change === undefined || change === a.decision;
      });
      if (alerts.length !== this.state.alerts.length) this.update({ alerts });
      this.update({ tally });
      if (this.state.tallyProblem !== undefined) this.update({ tallyProblem: undefined });
    } catch (error) {
      this.update({
        tallyProblem: `The tally could not be read (${errorText(error)}); it may be out of date.`,
      });
    }
  }

  private setPreferences(change: Partial<Preferences>): void {
    const preferences = { ...this.state.preferences, ...change };
    savePreferences(preferences);
    this.update({ preferences });
  }

  private update(change: Partial<GuardState>): void {
    this.state = { ...this.state, ...change };
    this.dispatchEvent(new Event('change'));
  }

  // --- For the shift views (src/pipeline/shift-actions.ts): the door name and tally changes made by hand. ---

  /** Sets the door name recorded with the next shift (the camera starts one on its first count). */
  setDoor(door: string): void {
    const trimmed = door.trim();
    if (trimmed !== '') this.setPreferences({ door: trimmed });
  }

  /** Re-reads the running shift's tally after the shift log was changed outside the camera path. */
  async reloadTally(): Promise<void> {
    await this.refreshTally();
  }
}
