/**
 * The guard's session, wired end to end: camera (or a chosen file) → detection worker → face tracker →
 * shift log, with alerts for newly counted unmasked people. Components render its `state` and call its
 * methods; they hold no logic of their own.
 *
 * @fires change - whenever `state` changes
 */
import {
  FaceTracker,
  EMPTY_TALLY,
  type LiveTrack,
  type PersonCounted,
  type Tally,
} from '../shared/tracking/index.ts';
import type { Box } from '../shared/geometry.ts';
import type { DetectionRange, FaceResult, StageTimings } from '../shared/protocol.ts';
import { WITHOUT_MASK_THRESHOLD } from '../shared/mask-classifier-spec.ts';
import type { ShiftLog } from '../storage/index.ts';
import { UnmaskedAlarm } from './alerts.ts';
import {
  closeCamera,
  describeCameraError,
  openCamera,
  setTorch,
  torchSupported,
  type CameraProblem,
  type Facing,
} from './camera.ts';
import type { DetectionClient } from './detection-client.ts';
import { loadPreferences, savePreferences, type Preferences } from './preferences.ts';

/**
 * The tracker's uncertain band, placed around the classifier's decision threshold (P(without_mask) ≥ 0.25,
 * chosen on the validation split to favour without_mask recall): a person whose average stays within
 * 0.10 below to 0.15 above it is counted "uncertain" rather than forced into a class.
 */
export const TRACKER_THRESHOLDS = {
  withMaskThreshold: Math.max(0, WITHOUT_MASK_THRESHOLD - 0.1),
  withoutMaskThreshold: Math.min(1, WITHOUT_MASK_THRESHOLD + 0.15),
};

/** The last processed frame, for the overlay. */
export interface LiveFrame {
  width: number;
  height: number;
  faces: FaceResult[];
  /** Track of each face (same index), when tracking (camera and video files). */
  trackIds: (number | undefined)[];
  timings: StageTimings;
}

/** The status line while a crashed detection worker is being replaced. */
const RESTARTING = 'The detector restarted; resuming…';

/** How long a person alert stays on screen. */
export const ALERT_VISIBLE_MS = 4000;

/**
 * The most recent person the guard should look at, for the visual alert: an unmasked person (with sound and
 * vibration), or one the app could not decide on (`uncertain`: on screen only, so that a doubtful face does
 * not sound like an unmasked one, but the guard still knows to look while the person is at the door).
 */
export interface PersonAlert {
  trackId: number;
  atMs: number;
  decision: 'without_mask' | 'uncertain';
}

/** Everything the screen shows. */
export interface GuardState {
  /** One line saying what the app is doing. */
  status: string;
  modelsReady: boolean;
  /** A fatal problem (models could not load); the guard can only reload. */
  fatal?: string;
  source: 'none' | 'camera' | 'video-file' | 'photo';
  camera: { problem?: CameraProblem; torchAvailable: boolean; torchOn: boolean };
  photoUrl?: string;
  frame?: LiveFrame;
  tally: Tally;
  alert?: PersonAlert;
  preferences: Preferences;
  /** A problem with a chosen file; the app keeps working. */
  fileProblem?: string;
}

/** See the module comment. */
export class GuardController extends EventTarget {
  /** The element frames are read from; the screen shows this very element. */
  readonly video: HTMLVideoElement = document.createElement('video');
  state: GuardState;
  private stream: MediaStream | undefined;
  private tracker = new FaceTracker(TRACKER_THRESHOLDS);
  /** The status line when the detection worker last restarted, to put back when it is ready again. */
  private statusBeforeRestart: string | undefined;
  private readonly alarm = new UnmaskedAlarm();
  private capturing = false;
  private wakeLock: WakeLockSentinel | undefined;
  private resumeCameraOnShow = false;
  /** The chain of person records, in the order people were counted. */
  private recording: Promise<void> = Promise.resolve();

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
    this.state = {
      status: 'Loading models…',
      modelsReady: false,
      source: 'none',
      camera: { torchAvailable: false, torchOn: false },
      tally: EMPTY_TALLY,
      preferences,
    };
    client.setRange(preferences.range);
    client.addEventListener('progress', (event) => {
      const { stage, loadedBytes, totalBytes } = (event as CustomEvent).detail;
      const percent = totalBytes > 0 ? ` ${Math.round((100 * loadedBytes) / totalBytes)}%` : '';
      if (!this.state.modelsReady) this.update({ status: `${stage}…${percent}` });
    });
    client.addEventListener('restart', () => {
      if (this.state.status !== RESTARTING) this.statusBeforeRestart = this.state.status;
      this.update({ status: RESTARTING });
    });
    // Back to what the screen said (e.g. "Watching the door") once the new worker has its models, unless
    // something else has been said since.
    client.addEventListener('ready', () => {
      if (this.state.status === RESTARTING) this.update({ status: this.statusBeforeRestart ?? 'Ready' });
    });
    log.addEventListener('status', () => void this.refreshTally());
    document.addEventListener('visibilitychange', () => void this.onVisibilityChange());
  }

  /** Loads the models and opens the camera. */
  async boot(): Promise<void> {
    void this.refreshTally();
    try {
      const ready = await this.client.start();
      this.update({ modelsReady: true, status: `Ready (classifier on ${ready.classifierBackend})` });
    } catch (error) {
      this.update({
        fatal: error instanceof Error ? error.message : String(error),
        status: 'Models failed to load',
      });
      return;
    }
    await this.startCamera();
  }

  /** Opens the camera (again) and starts checking frames. Call from a tap to also allow the alarm sound. */
  async startCamera(): Promise<void> {
    this.alarm.unlock();
    this.stopSource();
    try {
      this.stream = await openCamera(this.state.preferences.facing);
    } catch (error) {
      this.update({ source: 'none', camera: { ...this.state.camera, problem: describeCameraError(error) } });
      return;
    }
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    this.update({
      source: 'camera',
      photoUrl: undefined,
      camera: { torchAvailable: torchSupported(this.stream), torchOn: false },
      status: 'Watching the door',
    });
    void this.keepScreenOn();
    this.capture();
  }

  /** Switches between the rear and the front camera. */
  async switchCamera(): Promise<void> {
    const facing: Facing = this.state.preferences.facing === 'environment' ? 'user' : 'environment';
    this.setPreferences({ facing });
    await this.startCamera();
  }

  async toggleTorch(): Promise<void> {
    if (this.stream === undefined) return;
    const on = !this.state.camera.torchOn;
    if (await setTorch(this.stream, on)) this.update({ camera: { ...this.state.camera, torchOn: on } });
  }

  setRange(range: DetectionRange): void {
    this.client.setRange(range);
    this.setPreferences({ range });
  }

  setMuted(muted: boolean): void {
    this.alarm.muted = muted;
    this.setPreferences({ muted });
  }

  /** Runs the pipeline on a chosen photo (single-image mode) or video file instead of the camera. */
  async openFile(file: File): Promise<void> {
    this.stopSource();
    this.update({ fileProblem: undefined });
    if (file.type.startsWith('video/')) {
      this.video.src = URL.createObjectURL(file);
      try {
        await this.video.play();
      } catch {
        this.update({
          source: 'none',
          fileProblem: `"${file.name}" could not be played. Choose another video.`,
        });
        return;
      }
      this.update({ source: 'video-file', photoUrl: undefined, status: `Checking ${file.name}` });
      this.video.onended = () => this.endTracks();
      this.capture();
      return;
    }
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      this.update({ fileProblem: `"${file.name}" is not a readable photo. Choose a JPEG or PNG.` });
      return;
    }
    const photoUrl = URL.createObjectURL(file);
    this.update({ source: 'photo', photoUrl, frame: undefined, status: `Checking ${file.name}` });
    const result = await this.client.submit(bitmap, performance.now(), 'image');
    if (result === undefined) {
      this.update({ fileProblem: 'The detector was busy; choose the photo again.' });
      return;
    }
    const { width, height, faces, timings } = result;
    this.update({
      frame: { width, height, faces, trackIds: faces.map(() => undefined), timings },
      status: `${faces.length} face${faces.length === 1 ? '' : 's'} in ${file.name} (photos are not counted)`,
    });
  }

  /** Reads frames while a camera or video file plays, one in flight. */
  private capture(): void {
    this.capturing = true;
    const next = () => {
      if (!this.capturing) return;
      if ('requestVideoFrameCallback' in this.video)
        this.video.requestVideoFrameCallback(() => void onFrame());
      else requestAnimationFrame(() => void onFrame());
    };
    let pending = false;
    const onFrame = async () => {
      next();
      if (pending || !this.client.idle || this.video.readyState < 2 || this.video.videoWidth === 0) return;
      pending = true;
      try {
        const bitmap = await createImageBitmap(this.video);
        const result = await this.client.submit(bitmap, performance.now(), 'video');
        if (result !== undefined && this.capturing) this.onResult(result.timestampMs, result);
      } catch {
        // A frame that cannot be grabbed (the source just stopped) is skipped.
      } finally {
        pending = false;
      }
    };
    next();
  }

  private onResult(
    timestampMs: number,
    result: { width: number; height: number; faces: FaceResult[]; timings: StageTimings },
  ): void {
    const update = this.tracker.update(
      timestampMs,
      result.faces.map((f) => ({ box: f.box, probWithoutMask: f.probs.without_mask, detScore: f.detScore })),
    );
    const trackIds = result.faces.map(
      (_, i) => update.tracks.find((t: LiveTrack) => t.observationIndex === i)?.id,
    );
    this.update({ frame: { ...result, trackIds } });
    for (const person of update.counted) {
      const box = update.tracks.find((t: LiveTrack) => t.id === person.trackId)?.box;
      void this.count(person, box === undefined ? undefined : this.thumbnailOf(person, box));
    }
  }

  /**
   * Records one counted person. Records are chained: two people counted in the same frame with no shift
   * running must not both try to start one (the second start would throw and lose a person).
   */
  private count(person: PersonCounted, thumbnail?: Promise<Blob | undefined>): Promise<void> {
    const now = performance.now();
    if (person.decision === 'without_mask') {
      this.alarm.ring();
      this.update({ alert: { trackId: person.trackId, atMs: now, decision: 'without_mask' } });
    } else if (person.decision === 'uncertain') {
      // Never hide an unmasked alert that is still on screen behind a doubtful one.
      const shown = this.state.alert;
      const unmaskedShown = shown?.decision === 'without_mask' && now - shown.atMs < ALERT_VISIBLE_MS;
      if (!unmaskedShown)
        this.update({ alert: { trackId: person.trackId, atMs: now, decision: 'uncertain' } });
    }
    this.recording = this.recording.then(async () => {
      try {
        if (this.log.currentShift() === undefined) await this.log.startShift(this.state.preferences.door);
        await this.log.recordPerson({
          decision: person.decision,
          averageConfidence: person.confidence,
          framesSeen: person.frames,
          timeInViewMs: person.timeInViewMs,
          thumbnail: await thumbnail,
        });
      } catch (error) {
        // recordPerson keeps the person queued in memory on a storage failure; this is anything else.
        this.update({
          status: `Could not record a person: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      await this.refreshTally();
    });
    return this.recording;
  }

  /**
   * A small JPEG of an unmasked person's face, only when the guard opted in (off by default: no face image
   * is stored). Taken from the picture on screen now; ShiftLog enforces the size caps.
   */
  private async thumbnailOf(person: PersonCounted, box: Box): Promise<Blob | undefined> {
    if (person.decision !== 'without_mask' || !this.log.getSetting('keepThumbnails')) return undefined;
    const side = 96;
    const canvas = new OffscreenCanvas(side, Math.round((side * box.height) / Math.max(1, box.width)));
    canvas
      .getContext('2d')
      ?.drawImage(this.video, box.x, box.y, box.width, box.height, 0, 0, canvas.width, canvas.height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.7 }).catch(() => undefined);
  }

  /** Ends every track (the source stopped): people seen long enough are counted now. */
  private endTracks(): void {
    const update = this.tracker.flush(performance.now());
    for (const person of update.counted) void this.count(person);
    this.tracker = new FaceTracker(TRACKER_THRESHOLDS);
  }

  private stopSource(): void {
    this.capturing = false;
    if (this.state.source === 'camera' || this.state.source === 'video-file') this.endTracks();
    closeCamera(this.stream);
    this.stream = undefined;
    this.video.onended = null;
    this.video.srcObject = null;
    if (this.video.src.startsWith('blob:')) URL.revokeObjectURL(this.video.src);
    this.video.removeAttribute('src');
    if (this.state.photoUrl !== undefined) URL.revokeObjectURL(this.state.photoUrl);
    void this.wakeLock?.release().catch(() => {});
    this.wakeLock = undefined;
  }

  /** Hidden page: camera and inference stop (battery, privacy); shown again: they resume. */
  private async onVisibilityChange(): Promise<void> {
    if (document.visibilityState === 'hidden') {
      this.resumeCameraOnShow = this.state.source === 'camera';
      if (this.state.source === 'video-file') this.video.pause();
      if (this.resumeCameraOnShow) {
        this.stopSource();
        this.update({ source: 'none', status: 'Paused while MaskGuard is in the background' });
      }
    } else if (this.resumeCameraOnShow) {
      this.resumeCameraOnShow = false;
      await this.startCamera();
    }
  }

  /** Screen Wake Lock while counting; the browser drops it when the page hides, so it is re-taken on start. */
  private async keepScreenOn(): Promise<void> {
    try {
      this.wakeLock = await navigator.wakeLock?.request('screen');
    } catch {
      // Not supported or refused (e.g. battery saver): the screen may dim, counting goes on.
    }
  }

  private async refreshTally(): Promise<void> {
    const shift = this.log.currentShift();
    const tally = shift === undefined ? EMPTY_TALLY : await this.log.tally({ shiftId: shift.id });
    this.update({ tally });
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
