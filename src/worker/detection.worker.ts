/**
 * The detection worker: frames in, faces with mask decisions out.
 *
 * A module worker (Vite bundles it as an ES module). tasks-vision's default loader calls `importScripts`,
 * which module workers lack, so we load its module variant (`vision_wasm_module_internal.js`, copied to
 * `public/vendor/mediapipe/` by `npm run models`).
 *
 * Frame discipline: one frame in flight. A frame that arrives while another is being processed is closed
 * at once and answered with `dropped`, never queued; every bitmap is closed on every path.
 */
import {
  assertNever,
  type DetectionRange,
  type FrameRequest,
  type InitRequest,
  type WorkerMessage,
  type WorkerRequest,
} from '../shared/protocol.ts';
import { decideMaskClass } from '../shared/mask-classifier-spec.ts';
import { FACE_CROP_MARGIN, faceCrop } from '../shared/face-crop.ts';
import { FaceDetectorSet } from './face-detector.ts';
import { MaskClassifier } from './mask-classifier.ts';
import { allowOnlySameOriginFetch } from './same-origin-fetch.ts';
import { errorText } from '../shared/error-text.ts';
import { isDamagedFile } from '../shared/model-integrity.ts';

declare const self: DedicatedWorkerGlobalScope;
allowOnlySameOriginFetch(self);

function post(message: WorkerMessage): void {
  self.postMessage(message);
}

let detectors: FaceDetectorSet | undefined;
let classifier: MaskClassifier | undefined;
let range: DetectionRange = 'auto';
let loading: Promise<void> | undefined;
/** Frames being processed right now: 0 or 1 (one frame in flight; a second one is dropped). */
let framesHeld = 0;
let maxFramesHeld = 0;
let framesProcessed = 0;
let framesDropped = 0;

/** What the guard reads when a model file failed its checksum (it has been deleted from the offline cache). */
const DAMAGED_MESSAGE =
  'A model file on this phone was damaged and has been deleted; it downloads again while the phone is online.';

const OFFLINE_MESSAGE =
  'A model file is not on this phone and could not be downloaded: the phone seems to be offline. Connect to the internet once.';

/**
 * Whether loading failed for want of a network: a download failed as `fetch` fails when it cannot reach the
 * server (Chromium "Failed to fetch", Firefox "NetworkError…", Safari "Load failed"; tfjs may pass it on as
 * text inside its own error). Decided from the error alone: the app normally runs offline, from its cache, so
 * `navigator.onLine` says nothing about why a load failed. An HTTP error status is not this.
 */
function isOffline(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause)
    if (/Failed to fetch|NetworkError|Load failed/i.test(e.message)) return true;
  return false;
}

async function init(request: InitRequest): Promise<void> {
  range = request.range;
  try {
    const base = request.baseUrl;
    detectors = new FaceDetectorSet(base, request.detectorDelegate ?? 'CPU');
    await detectors.load(range, (fraction) =>
      post({ type: 'progress', stage: 'Loading the face detector', fraction }),
    );
    classifier = await MaskClassifier.load(
      base,
      request.classifierBackend ?? 'webgl',
      (fraction) => post({ type: 'progress', stage: 'Loading the mask classifier', fraction }),
      detectors.webglRenderer(),
    );
    post({ type: 'ready', classifierBackend: classifier.backend, detectorDelegate: detectors.delegate });
  } catch (error) {
    post({
      type: 'error',
      fatal: true,
      message: isDamagedFile(error)
        ? DAMAGED_MESSAGE
        : isOffline(error)
          ? OFFLINE_MESSAGE
          : 'MaskGuard could not load its models.',
      detail: errorText(error),
    });
  }
}

async function processFrame(request: FrameRequest): Promise<void> {
  const { bitmap } = request;
  try {
    if (detectors === undefined || classifier === undefined) throw new Error('models are not loaded');
    const t0 = performance.now();
    const { faces, timestamp } = await detectors.detect(bitmap, range, request.mode, request.timestampMs);
    const t1 = performance.now();
    const crops = faces.map((f) => faceCrop(f.box, bitmap.width, bitmap.height, FACE_CROP_MARGIN));
    const { probabilities, appearances, cropMs, classifyMs } = request.detectOnly
      ? { probabilities: [], appearances: [], cropMs: 0, classifyMs: 0 }
      : await classifier.classify(
          bitmap,
          crops,
          faces.map((f) => f.turns ?? 0),
        );
    const t2 = performance.now();
    framesProcessed++;
    post({
      type: 'result',
      frameId: request.frameId,
      timestampMs: timestamp,
      width: bitmap.width,
      height: bitmap.height,
      faces: request.detectOnly
        ? []
        : faces.map((face, i) => {
            const pWithout = probabilities[i]!;
            const probs = { with_mask: 1 - pWithout, without_mask: pWithout };
            return {
              // The face as seen: the part of its box inside the frame (a face cut by the frame's edge is
              // drawn and matched by what shows). The crop is cut from the whole box, as in training.
              box: faceCrop(face.box, bitmap.width, bitmap.height),
              crop: crops[i]!,
              detScore: face.score,
              label: decideMaskClass([probs.with_mask, probs.without_mask]),
              probs,
              ...(appearances[i] === undefined ? {} : { appearance: appearances[i] }),
            };
          }),
      timings: { detectMs: t1 - t0, cropMs, classifyMs, totalMs: t2 - t0 },
    });
  } catch (error) {
    // A model loaded on demand (the range changed to one needing another model) can be found damaged here:
    // that is the guard's message, and no frame will do better until the file is downloaded again.
    const damaged = isDamagedFile(error);
    post({
      type: 'error',
      fatal: damaged,
      message: damaged ? DAMAGED_MESSAGE : 'A frame could not be checked.',
      detail: errorText(error),
      frameId: request.frameId,
    });
  } finally {
    bitmap.close();
  }
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'init':
      loading = init(request);
      return;
    case 'set-range':
      range = request.range;
      return;
    case 'stats':
      post({
        type: 'stats',
        ...MaskClassifier.memory(),
        framesProcessed,
        framesDropped,
        framesHeld,
        maxFramesHeld,
      });
      return;
    case 'frame':
      if (framesHeld > 0) {
        request.bitmap.close();
        framesDropped++;
        post({ type: 'dropped', frameId: request.frameId });
        return;
      }
      framesHeld++;
      maxFramesHeld = Math.max(maxFramesHeld, framesHeld);
      void (async () => {
        try {
          await loading;
          await processFrame(request);
        } finally {
          framesHeld--;
        }
      })();
      return;
    default:
      assertNever(request);
  }
};
