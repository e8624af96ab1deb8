/**
 * The face detector: MediaPipe tasks-vision `FaceDetector` with our BlazeFace models (short range for
 * `near`, full range for `far`, both merged for `auto`). One instance per model (see {@link FaceDetectorSet}),
 * made when a range needing it is loaded. GPU delegate first, CPU when the GPU delegate cannot start.
 */
import { FaceDetector } from '@mediapipe/tasks-vision';
import {
  FACE_BOX_CALIBRATION,
  FULL_RANGE_CALIBRATION,
  ZOOMED_OUT_PADDINGS,
  faceBoxFromDetector,
  faceTurns,
  mergeDetections,
  type Detection,
} from '../shared/face-crop.ts';
import type { DetectionRange, FrameMode } from '../shared/protocol.ts';
import { checkedObjectUrl, fetchChecked, type StageProgress } from './fetch-model.ts';
import { webglRendererOf } from './webgl.ts';

/**
 * SHA-256 of each detector file, by its path in {@link MODEL_FILES} and {@link RUNTIME_FILES}: put here by the
 * build from the files it serves (vite.config.ts), so that a file damaged in the phone's cache is refused
 * (and deleted from it) instead of running.
 */
declare const __DETECTOR_FILE_SHA256__: Readonly<Record<string, string>>;

/**
 * The tasks-vision runtime, copied from `node_modules` to `public/vendor/mediapipe/` by `npm run models`: the
 * module variant of the loader, because this is a module worker (the classic loader calls `importScripts`).
 */
const RUNTIME_FILES = {
  loader: 'vendor/mediapipe/vision_wasm_module_internal.js',
  binary: 'vendor/mediapipe/vision_wasm_module_internal.wasm',
};

/** Where the tasks-vision wasm loader and binary are (the package declares the type but does not export it). */
type WasmFileset = Parameters<typeof FaceDetector.createFromOptions>[0];

/** Which BlazeFace model. */
type DetectorModel = 'short' | 'full';

const MODEL_FILES: Record<DetectorModel, string> = {
  short: 'models/face-detector-short-range.tflite',
  full: 'models/face-detector-full-range.tflite',
};

/** One detector pass: a model, on the frame itself or on a padded ("zoomed-out") copy of it. */
interface DetectorPass {
  model: DetectorModel;
  /** 0 for the frame itself, else the zoomed-out copy's padding (see zoomOut). */
  padding: number;
}

/**
 * Passes per range. Auto runs both models, plus the short-range model on two padded copies of the frame,
 * which find faces too close to the camera for either model (see ZOOMED_OUT_PADDINGS). The passes share the
 * two detectors (see FaceDetectorSet): a pass costs time (one short-range run, 5–10 ms here), not memory.
 *
 * Tried as a fourth auto pass, before the second padded copy, and left out (door photos, `npm run eval:e2e`):
 * the short-range model on a mirrored frame, on a brightened frame (luma 1st–99th percentile stretched, then
 * a gamma to mean 0.45), and the full-range model on the padded copy. None found any of the four faces the
 * three passes miss (a face in near darkness, two black masks with a hand or hair across them, a masked face
 * cut by the picture's edge); the brightened pass lost one it had. Also left out: a second look at each face
 * only the zoomed-out pass found (the short-range model again, on a window 1.6, 2, 2.5 or 3 × the face's
 * box round it), meant to tighten the coarse box; recall fell to 92.1–93.7 % (the dark face's box got worse).
 */
const RANGE_PASSES: Record<DetectionRange, DetectorPass[]> = {
  near: [{ model: 'short', padding: 0 }],
  far: [{ model: 'full', padding: 0 }],
  auto: [
    { model: 'short', padding: 0 },
    { model: 'full', padding: 0 },
    ...ZOOMED_OUT_PADDINGS.map((padding) => ({ model: 'short' as const, padding })),
  ],
};

/** Models a range needs. */
const rangeModels = (range: DetectionRange) => [...new Set(RANGE_PASSES[range].map((p) => p.model))];

/** The faces' minimum detector score: MediaPipe's default and the reference answers' setting. */
export const MIN_DETECTION_CONFIDENCE = 0.5;

/** One MediaPipe detector, the canvas whose WebGL context it runs on, and its own timestamp clock. */
export interface DetectorInstance {
  detector: FaceDetector;
  canvas: OffscreenCanvas;
  /** The last timestamp it was given (ms); MediaPipe rejects one that does not increase. */
  lastTimestamp: number;
}

/**
 * Runs BlazeFace on frames: ONE MediaPipe detector per model, in VIDEO mode, for every pass and every picture.
 *
 * Why one per model: each MediaPipe task makes its own WebGL context (on an OffscreenCanvas, even with the CPU
 * delegate: it uploads the picture through it), and Chromium keeps at most 4 live WebGL contexts in a worker;
 * making a 5th silently loses the oldest (measured: 8 made in a worker, the first 4 lost). A detector whose
 * context is lost finds nothing and throws nothing. With one instance per pass and running mode (as before),
 * a photo checked on a phone (classifier on webgl) lost every camera pass: the live screen then found no face
 * at all until the worker restarted. Now the worker holds 3: the two detectors' and the classifier's (webgl).
 *
 * Why VIDEO mode for photos too: BlazeFace keeps nothing from frame to frame (the same boxes as IMAGE mode for
 * the same picture, measured), so a photo is still checked on its own; only the timestamps must increase,
 * per detector. Each detector has its own clock: the zoomed-out passes run the short-range detector again in
 * the same frame, each 1 ms later on that detector's clock.
 */
export class FaceDetectorSet {
  private readonly models = new Map<DetectorModel, Uint8Array>();
  private readonly instances = new Map<DetectorModel, DetectorInstance>();
  private lastVideoTimestamp = -Infinity;
  private moduleFactory: unknown;
  /**
   * The tasks-vision runtime as MediaPipe is given it: object URLs of the checked bytes once
   * {@link checkRuntime} has run, so that what runs is what was checked, downloaded once.
   */
  private wasm: WasmFileset | undefined;
  /** The delegate actually in use; CPU after a GPU failure. */
  delegate: 'GPU' | 'CPU';

  constructor(
    private readonly baseUrl: string,
    preferredDelegate: 'GPU' | 'CPU',
  ) {
    this.delegate = preferredDelegate;
  }

  /** Downloads the model files `range` needs (others stay unloaded until asked for). */
  async load(range: DetectionRange, onProgress: StageProgress): Promise<void> {
    const missing = rangeModels(range).filter((model) => !this.models.has(model));
    for (const [i, model] of missing.entries()) {
      const url = new URL(MODEL_FILES[model], this.baseUrl).href;
      // The files of a range as one stage: the second file goes on from half-way, not back from zero.
      const bytes = await fetchChecked(
        url,
        'face detector model',
        __DETECTOR_FILE_SHA256__[MODEL_FILES[model]],
        (loaded, total) =>
          onProgress(total > 0 ? (i + Math.min(1, loaded / total)) / missing.length : undefined),
      );
      this.models.set(model, bytes);
    }
    // MediaPipe's runtime, downloaded and checked once (13 MB on a first visit; its progress is not added to
    // the models'): say that this stage is still under way.
    onProgress(undefined);
    await this.checkRuntime();
    // Make the detectors now, so that a corrupt model fails at load time, not on the first frame.
    for (const model of rangeModels(range)) {
      onProgress(undefined);
      await this.instance(model);
    }
  }

  /**
   * Downloads the tasks-vision loader and wasm, checks them against their SHA-256, and hands MediaPipe the
   * checked bytes as object URLs (MediaPipe fetches its runtime by URL, for every instance). A wasm damaged in
   * the cache may still compile (only its code is validated), and would then detect wrongly or abort in the
   * middle of a shift. The object URLs live as long as this set: instances are made on demand.
   */
  private async checkRuntime(): Promise<WasmFileset> {
    if (this.wasm !== undefined) return this.wasm;
    const checked = (path: string, type: string) =>
      checkedObjectUrl(
        new URL(path, this.baseUrl).href,
        'face detector runtime',
        __DETECTOR_FILE_SHA256__[path],
        type,
      );
    const wasmLoaderPath = await checked(RUNTIME_FILES.loader, 'text/javascript');
    let wasmBinaryPath: string;
    try {
      wasmBinaryPath = await checked(RUNTIME_FILES.binary, 'application/wasm');
    } catch (error) {
      URL.revokeObjectURL(wasmLoaderPath);
      throw error;
    }
    this.wasm = { wasmLoaderPath, wasmBinaryPath };
    return this.wasm;
  }

  /** Faces in `frame` (forehead-to-chin face boxes, frame pixels), merged over passes, best first. */
  async detect(frame: ImageBitmap, range: DetectionRange, mode: FrameMode, timestampMs: number) {
    let timestamp = timestampMs;
    if (mode === 'video') {
      timestamp = Math.max(timestampMs, this.lastVideoTimestamp + 1);
      this.lastVideoTimestamp = timestamp;
    }
    const found: Detection[] = [];
    for (const pass of RANGE_PASSES[range]) {
      if (!this.models.has(pass.model)) await this.load(range, () => {});
      const instance = await this.instance(pass.model);
      const view = pass.padding > 0 ? zoomOut(frame, pass.padding) : { image: frame, scale: 1, dx: 0, dy: 0 };
      const image = view.image;
      try {
        const result = detectOn(instance, image, timestamp);
        for (const d of result.detections) {
          const b = d.boundingBox;
          if (b === undefined) continue;
          const box = {
            x: (b.originX - view.dx) / view.scale,
            y: (b.originY - view.dy) / view.scale,
            width: b.width / view.scale,
            height: b.height / view.scale,
          };
          const calibration = pass.model === 'full' ? FULL_RANGE_CALIBRATION : FACE_BOX_CALIBRATION;
          // Keypoints are normalized to the picture's width and height: back to pixels for their direction.
          const [eyeA, eyeB, , mouth] = (d.keypoints ?? []).map((k) => ({
            x: k.x * image.width,
            y: k.y * image.height,
          }));
          const turns = eyeA && eyeB && mouth ? faceTurns(eyeA, eyeB, mouth) : 0;
          found.push({
            box: faceBoxFromDetector(box, calibration, turns),
            score: d.categories[0]?.score ?? 0,
            coarse: pass.padding > 0,
            ...(turns !== 0 ? { turns } : {}),
          });
        }
      } finally {
        if (image !== frame) image.close();
      }
    }
    return { faces: mergeDetections(found), timestamp };
  }

  private async instance(model: DetectorModel): Promise<DetectorInstance> {
    const existing = this.instances.get(model);
    if (existing !== undefined) return existing;
    const bytes = this.models.get(model);
    if (bytes === undefined) throw new Error(`face detector model ${model} is not loaded`);
    const wasm = await this.checkRuntime();
    await this.provideModuleFactory(wasm);
    // Our own canvas, so that its WebGL context can be checked before each use (see detectOn).
    const canvas = new OffscreenCanvas(1, 1);
    const create = (delegate: 'GPU' | 'CPU') =>
      FaceDetector.createFromOptions(wasm, {
        // tasks-vision keeps a reference; give it its own copy so that the bytes stay ours.
        baseOptions: { modelAssetBuffer: bytes.slice(), delegate },
        canvas,
        runningMode: 'VIDEO',
        minDetectionConfidence: MIN_DETECTION_CONFIDENCE,
      });
    // Made and run once on a blank picture: MediaPipe has then surely made its WebGL context on the canvas
    // (so that checking it never makes one), and a model that cannot run fails now, not on the first frame.
    const make = async (delegate: 'GPU' | 'CPU') => {
      const detector = await create(delegate);
      const blankCanvas = new OffscreenCanvas(16, 16);
      blankCanvas.getContext('2d')?.fillRect(0, 0, 16, 16);
      const blank = blankCanvas.transferToImageBitmap();
      try {
        detector.detectForVideo(blank, 0);
      } catch (error) {
        detector.close();
        throw error;
      } finally {
        blank.close();
      }
      return detector;
    };
    let detector: FaceDetector;
    try {
      detector = await make(this.delegate);
    } catch (error) {
      if (this.delegate === 'CPU') throw error;
      // The GPU delegate needs WebGL2 in the worker; without it, the CPU path is the same model. Same canvas
      // (a context the failed attempt made there is reused, not a 5th one made); the failed attempt used up
      // the module factory.
      this.delegate = 'CPU';
      await this.provideModuleFactory(wasm);
      detector = await make('CPU');
    }
    const instance = { detector, canvas, lastTimestamp: 0 };
    this.instances.set(model, instance);
    return instance;
  }

  /**
   * tasks-vision loads its wasm loader by URL and expects the loader to set `self.ModuleFactory`, which it
   * then clears. A module loader runs only once per worker (the module map caches it), so from the second
   * detector instance on nothing would set it again ("ModuleFactory not set"). We import the loader
   * ourselves and put its factory back before every instance is made.
   */
  private async provideModuleFactory(wasm: WasmFileset): Promise<void> {
    this.moduleFactory ??= (
      (await import(/* @vite-ignore */ String(wasm.wasmLoaderPath))) as { default: unknown }
    ).default;
    (self as unknown as { ModuleFactory: unknown }).ModuleFactory = this.moduleFactory;
  }

  /**
   * The renderer of the WebGL context the detectors run on, for the classifier's choice of backend without a
   * context of its own (see softwareWebGL); undefined when no detector has a WebGL context.
   */
  webglRenderer(): string | undefined {
    for (const { canvas } of this.instances.values()) {
      const gl = contextOf(canvas);
      if (gl !== null && !gl.isContextLost()) return webglRendererOf(gl);
    }
    return undefined;
  }

  /**
   * Frees the MediaPipe graphs and the runtime's object URLs. The detectors' WebGL contexts keep their places
   * until their canvases are garbage-collected (MediaPipe's close does not release them).
   */
  close(): void {
    for (const { detector } of this.instances.values()) detector.close();
    this.instances.clear();
    if (this.wasm !== undefined) {
      URL.revokeObjectURL(String(this.wasm.wasmLoaderPath));
      URL.revokeObjectURL(String(this.wasm.wasmBinaryPath));
      this.wasm = undefined;
    }
  }
}

/**
 * Runs `instance` on `image` at `timestampMs`, or 1 ms after its last timestamp when that is not later. Throws
 * when the detector's WebGL context has been lost (the browser can drop it at any time: too many contexts,
 * a GPU reset): MediaPipe would then silently find nothing in every frame, and the guard would see an empty
 * doorway. The failed frames make the page restart the worker, which starts with fresh contexts.
 */
export function detectOn(instance: DetectorInstance, image: ImageBitmap, timestampMs: number) {
  if (contextLost(instance.canvas)) throw new Error('the face detector lost its WebGL context');
  const timestamp = Math.max(timestampMs, instance.lastTimestamp + 1);
  instance.lastTimestamp = timestamp;
  return instance.detector.detectForVideo(image, timestamp);
}

/** Whether the WebGL context MediaPipe made on `canvas` (when the detector was made) is lost. */
function contextLost(canvas: OffscreenCanvas): boolean {
  const gl = contextOf(canvas);
  return gl !== null && gl.isContextLost();
}

/**
 * The WebGL context MediaPipe made on a detector's canvas (WebGL2, or WebGL1 where that is all there is).
 * getContext returns the context already made on a canvas, and null for another context type.
 */
function contextOf(canvas: OffscreenCanvas): WebGL2RenderingContext | WebGLRenderingContext | null {
  return canvas.getContext('webgl2') ?? canvas.getContext('webgl');
}

/**
 * A zoomed-out view of the frame: the frame shrunk by 1 / (1 + 2 × padding) in the middle of a mid-grey
 * canvas of the frame's own size, as if it had a border `padding` × its longer side wide. The detector
 * resizes its input to 128² anyway, so shrinking here costs nothing in detail and keeps the pass as cheap
 * as the others. Boxes map back with `(v - dx) / scale`.
 */
function zoomOut(frame: ImageBitmap, padding: number) {
  const scale = 1 / (1 + 2 * padding);
  const canvas = new OffscreenCanvas(frame.width, frame.height);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('2D canvas is unavailable in this worker');
  context.fillStyle = '#808080';
  context.fillRect(0, 0, canvas.width, canvas.height);
  const dx = (frame.width * (1 - scale)) / 2;
  const dy = (frame.height * (1 - scale)) / 2;
  context.drawImage(frame, dx, dy, frame.width * scale, frame.height * scale);
  return { image: canvas.transferToImageBitmap(), scale, dx, dy };
}
