/**
 * The phone's camera: opening it (rear camera by default), switching, the torch, and what to tell the
 * guard when it cannot be opened.
 */

/** Which camera: the rear one (`environment`) looks at the door; the front one (`user`) at the guard. */
export type Facing = 'environment' | 'user';

/** Why the camera is not running, in words a guard can act on. */
export interface CameraProblem {
  title: string;
  advice: string;
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
      return { title: 'No camera was found on this device.', advice: fileHint };
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

/** Stops every track, which turns the camera (and its light) off. */
export function closeCamera(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}
