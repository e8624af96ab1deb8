/**
 * The face detector: MediaPipe tasks-vision `FaceDetector` with our BlazeFace models (short range for
 * `near`, full range for `far`, both merged for `auto`). One instance per model and running mode, made on
 * first use. GPU delegate first, CPU when the GPU delegate cannot start.
 */
import { FaceDetector } from '@mediapipe/tasks-vision';
import { mergeDetections, type Detection } from '../shared/face-crop.ts';
import type { DetectionRange, FrameMode } from '../shared/protocol.ts';
import { fetchModel, type ByteProgress } from './fetch-model.ts';

/** Where the tasks-vision wasm loader and binary are (the package declares the type but does not export it). */
type WasmFileset = Parameters<typeof FaceDetector.createFromOptions>[0];

/** Which BlazeFace model. */
type DetectorModel = 'short' | 'full';

const MODEL_FILES: Record<DetectorModel, string> = {
  short: 'models/face-detector-short-range.tflite',
  full: 'models/face-detector-full-range.tflite',
};

/** Models per range. */
const RANGE_MODELS: Record<DetectionRange, DetectorModel[]> = {
  near: ['short'],
  far: ['full'],
  auto: ['short', 'full'],
};

/** The faces' minimum detector score: MediaPipe's default and the reference answers' setting. */
export const MIN_DETECTION_CONFIDENCE = 0.5;

/**
 * Runs BlazeFace on frames. Video-mode timestamps are forced to increase strictly (MediaPipe rejects a
 * timestamp that does not), which also covers two frames captured in the same millisecond.
 */
export class FaceDetectorSet {
  private readonly models = new Map<DetectorModel, Uint8Array>();
  private readonly instances = new Map<string, FaceDetector>();
  private lastVideoTimestamp = -Infinity;
  private moduleFactory: unknown;
  /** The delegate actually in use; CPU after a GPU failure. */
  delegate: 'GPU' | 'CPU';

  constructor(
    private readonly baseUrl: string,
    private readonly wasm: WasmFileset,
    preferredDelegate: 'GPU' | 'CPU',
  ) {
    this.delegate = preferredDelegate;
  }

  /** Downloads the model files `range` needs (others stay unloaded until asked for). */
  async load(range: DetectionRange, onProgress: ByteProgress): Promise<void> {
    for (const model of RANGE_MODELS[range]) {
      if (this.models.has(model)) continue;
      const url = new URL(MODEL_FILES[model], this.baseUrl).href;
      this.models.set(model, await fetchModel(url, 'face detector model', onProgress));
    }
    // Make the instances now, so that a corrupt model fails at load time, not on the first frame.
    for (const model of RANGE_MODELS[range]) await this.instance(model, 'video');
  }

  /** Faces in `frame`, in frame pixels, highest score first. */
  async detect(frame: ImageBitmap, range: DetectionRange, mode: FrameMode, timestampMs: number) {
    let timestamp = timestampMs;
    if (mode === 'video') {
      timestamp = Math.max(timestampMs, this.lastVideoTimestamp + 1);
      this.lastVideoTimestamp = timestamp;
    }
    const found: Detection[] = [];
    for (const model of RANGE_MODELS[range]) {
      if (!this.models.has(model)) await this.load(range, () => {});
      const detector = await this.instance(model, mode);
      const result = mode === 'video' ? detector.detectForVideo(frame, timestamp) : detector.detect(frame);
      for (const d of result.detections) {
        const b = d.boundingBox;
        if (b === undefined) continue;
        found.push({
          box: { x: b.originX, y: b.originY, width: b.width, height: b.height },
          score: d.categories[0]?.score ?? 0,
        });
      }
    }
    return { faces: RANGE_MODELS[range].length > 1 ? mergeDetections(found) : found, timestamp };
  }

  private async instance(model: DetectorModel, mode: FrameMode): Promise<FaceDetector> {
    const key = `${model}/${mode}`;
    const existing = this.instances.get(key);
    if (existing !== undefined) return existing;
    const bytes = this.models.get(model);
    if (bytes === undefined) throw new Error(`face detector model ${model} is not loaded`);
    await this.provideModuleFactory();
    const create = (delegate: 'GPU' | 'CPU') =>
      FaceDetector.createFromOptions(this.wasm, {
        // tasks-vision keeps a reference; give it its own copy so a second instance can use the bytes too.
        baseOptions: { modelAssetBuffer: bytes.slice(), delegate },
        runningMode: mode === 'video' ? 'VIDEO' : 'IMAGE',
        minDetectionConfidence: MIN_DETECTION_CONFIDENCE,
      });
    let detector: FaceDetector;
    try {
      detector = await create(this.delegate);
    } catch (error) {
      if (this.delegate === 'CPU') throw error;
      // The GPU delegate needs WebGL2 in the worker; without it, the CPU path is the same model.
      this.delegate = 'CPU';
      detector = await create('CPU');
    }
    this.instances.set(key, detector);
    return detector;
  }

  /**
   * tasks-vision loads its wasm loader by URL and expects the loader to set `self.ModuleFactory`, which it
   * then clears. A module loader runs only once per worker (the module map caches it), so from the second
   * detector instance on nothing would set it again ("ModuleFactory not set"). We import the loader
   * ourselves and put its factory back before every instance is made.
   */
  private async provideModuleFactory(): Promise<void> {
    this.moduleFactory ??= (
      (await import(/* @vite-ignore */ String(this.wasm.wasmLoaderPath))) as { default: unknown }
    ).default;
    (self as unknown as { ModuleFactory: unknown }).ModuleFactory = this.moduleFactory;
  }

  /** Frees the MediaPipe graphs. */
  close(): void {
    for (const detector of this.instances.values()) detector.close();
    this.instances.clear();
  }
}
