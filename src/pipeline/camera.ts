/**
 * The phone's camera: opening it (rear camera by default), switching, the torch, what to tell the guard
 * when it cannot be opened, and {@link DoorCamera}, which owns the one stream the app watches with.
 */

/** Which camera: the rear one (`environment`) looks at the door; the front one (`user`) at the guard. */
export type Facing = 'environment' | 'user';

/** Why the camera is not running, in words a guard can act on. */
export interface CameraProblem {
  title: string;
  advice: string;
  /** There is no camera to start: "Start camera" (or the other camera) would not help. */
  noCamera?: true;
}

/** Opens the camera facing `facing` (a preference: a laptop's only camera is used whatever it faces). */
export async function openCamera(facing: Facing): Promise<MediaStream> {
  if (navigator.mediaDevices?.getUserMedia === undefined) {
    throw Object.assign(new Error('getUserMedia is unavailable'), { name: 'InsecureContextError' });
  }
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
}

/** Turns a getUserMedia failure into what happened and what to do. */
export function describeCameraError(error: unknown): CameraProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const fileHint = 'You can still check a photo or a video file.';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return {
        title: 'Camera access was denied.',
        advice: `Allow the camera for this app in the browser's site settings, then tap "Start camera". ${fileHint}`,
      };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { title: 'No camera was found on this device.', advice: fileHint, noCamera: true };
    case 'NotReadableError':
    case 'AbortError':
      return {
        title: 'The camera is busy or failed to start.',
        advice: `Close other apps that use the camera, then tap "Start camera". ${fileHint}`,
      };
    case 'InsecureContextError':
      return {
        title: 'The camera needs a secure (HTTPS) connection.',
        advice: `Open MaskGuard over https:// (see the README, "On a phone"). ${fileHint}`,
      };
    default:
      return { title: 'The camera could not be started.', advice: `${String(error)}. ${fileHint}` };
  }
}

/** The video track's torch capability (Chrome on Android exposes it; most others do not). */
export function torchSupported(stream: MediaStream): boolean {
  const track = stream.getVideoTracks()[0];
  const capabilities = track?.getCapabilities?.() as
    (MediaTrackCapabilities & { torch?: boolean }) | undefined;
  return capabilities?.torch === true;
}

/** Switches the torch; resolves false when the camera refused. */
export async function setTorch(stream: MediaStream, on: boolean): Promise<boolean> {
  const track = stream.getVideoTracks()[0];
  if (track === undefined) return false;
  try {
    await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
    return true;
  } catch {
    return false;
  }
}

/**
 * How many cameras the device has, or undefined when the browser cannot say. Only meaningful once the
 * camera was allowed: before that, browsers list at most one unnamed camera whatever the device has.
 */
export async function countCameras(): Promise<number | undefined> {
  try {
    const devices = await navigator.mediaDevices?.enumerateDevices?.();
    return devices?.filter((device) => device.kind === 'videoinput').length;
  } catch {
    return undefined;
  }
}

/** Stops every track, which turns the camera (and its light) off. */
export function closeCamera(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** What a {@link DoorCamera} reports about the stream it has open. */
export interface CameraEvents {
  /** The camera stopped without the app asking: unplugged, taken by a call or another app, permission revoked. */
  lost(): void;
  /** The phone stopped sending pictures for a while (another app, an interruption) without ending the camera. */
  muted(): void;
  /** Pictures come again after {@link muted}. */
  unmuted(): void;
}

/**
 * The camera the app watches the door with: at most one stream open, with the screen kept on while it is.
 * Opens may overlap (a double tap, a tap while the boot's permission prompt is open): only the newest keeps
 * its camera; an older one that finishes later, or one that finishes after {@link close}, stops the stream
 * it got, so no camera is ever left running unseen.
 */
export class DoorCamera {
  private current: MediaStream | undefined;
  /** Bumped by every open and close: a slower, older open finds it changed and gives its camera up. */
  private generation = 0;
  private wakeLock: WakeLockSentinel | undefined;

  constructor(private readonly events: CameraEvents) {}

  /** The open stream, if any. */
  get stream(): MediaStream | undefined {
    return this.current;
  }

  /**
   * Closes any open stream and opens the camera facing `facing`. Resolves to the stream, or to undefined
   * when another open or a close came first. Rejects with getUserMedia's error (see
   * {@link describeCameraError}) unless it was overtaken too.
   */
  async open(facing: Facing): Promise<MediaStream | undefined> {
    this.close();
    const generation = this.generation;
    let stream: MediaStream;
    try {
      stream = await openCamera(facing);
    } catch (error) {
      if (generation !== this.generation) return undefined;
      throw error;
    }
    if (generation !== this.generation) {
      closeCamera(stream);
      return undefined;
    }
    this.current = stream;
    this.watch(stream);
    return stream;
  }

  /** Whether `stream` is still the one open (no close or other open since). */
  isOpen(stream: MediaStream): boolean {
    return this.current === stream;
  }

  /** Stops the camera (and its light), lets the screen sleep, and overtakes any open in progress. */
  close(): void {
    this.generation += 1;
    closeCamera(this.current);
    this.current = undefined;
    void this.wakeLock?.release().catch(() => {});
    this.wakeLock = undefined;
  }

  /** Screen Wake Lock while the camera is open (the browser drops it when the page hides). */
  async keepScreenOn(): Promise<void> {
    const generation = this.generation;
    try {
      const lock = await navigator.wakeLock?.request('screen');
      // The camera closed (or opened again) while the lock was being granted: this lock is nobody's.
      if (generation !== this.generation) void lock?.release().catch(() => {});
      else this.wakeLock = lock;
    } catch {
      // Not supported or refused (e.g. battery saver): the screen may dim, counting goes on.
    }
  }

  /** Switches the torch of the open camera; resolves false when there is none or it refused. */
  async setTorch(on: boolean): Promise<boolean> {
    return this.current === undefined ? false : setTorch(this.current, on);
  }

  private watch(stream: MediaStream): void {
    const ifOpen = (report: () => void) => () => {
      if (this.current === stream) report();
    };
    for (const track of stream.getVideoTracks()) {
      track.addEventListener(
        'ended',
        ifOpen(() => this.events.lost()),
      );
      track.addEventListener(
        'mute',
        ifOpen(() => this.events.muted()),
      );
      track.addEventListener(
        'unmute',
        ifOpen(() => this.events.unmuted()),
      );
    }
  }
}
