/**
 * A photo chosen instead of the camera: decoded on the page, checked once by the detection worker in
 * single-image mode (no tracking: photos are not counted), and what the screen says about it.
 */
import { errorText } from '../shared/error-text.ts';
import type { DetectionClient } from './detection-client.ts';
import type { LiveFrame } from './guard-controller.ts';

/** The decoded photo, or why it is not one (in the guard's words). */
export async function decodePhoto(file: File): Promise<ImageBitmap | { problem: string }> {
  try {
    return await createImageBitmap(file);
  } catch {
    return { problem: `"${file.name}" is not a readable photo. Choose a JPEG or PNG.` };
  }
}

/** What the screen shows once a photo was checked: its faces, or why it was not checked. */
export type PhotoOutcome =
  | { frame: LiveFrame; status: string; fileProblem?: undefined }
  | { frame?: undefined; status: string; fileProblem: string };

/**
 * Checks `bitmap` (transferred to the worker, which closes it). `lastFrameError` gives the worker's error
 * message for this photo when it answered with one instead of a result (reported apart, as an event).
 * `noCamera`: the device has no camera, so the result does not send the guard to "Start camera".
 */
export async function checkPhoto(
  client: DetectionClient,
  bitmap: ImageBitmap,
  name: string,
  lastFrameError: () => string | undefined,
  noCamera = false,
): Promise<PhotoOutcome> {
  // Why the photo was not checked: no worker could start, or the worker answered with an error.
  let failure: string | undefined;
  const result = await client.submit(bitmap, performance.now(), 'image').catch((error: unknown) => {
    failure = errorText(error);
    return undefined;
  });
  if (result === undefined) {
    failure ??= lastFrameError();
    return {
      status: `${name} was not checked`,
      fileProblem:
        failure === undefined
          ? 'The detector was busy; choose the photo again.'
          : `"${name}" could not be checked: ${failure}`,
    };
  }
  const { width, height, faces, timings } = result;
  return {
    frame: {
      width,
      height,
      faces,
      numbers: faces.map(() => undefined),
      decisions: faces.map(() => undefined),
      timings,
    },
    // The camera made way for the photo: the door is not watched until the guard starts it again.
    status:
      `${faces.length} face${faces.length === 1 ? '' : 's'} in ${name} (photos are not counted). ` +
      (noCamera
        ? 'No camera was found on this device: photos and video files can still be checked.'
        : 'The camera is off: tap “Start camera” to watch the door again.'),
  };
}
