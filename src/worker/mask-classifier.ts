/**
 * The mask classifier in the worker: the shipped MobileNetV2 (tfjs layers model) on the webgl backend,
 * which renders to an OffscreenCanvas inside the worker, falling back to wasm where WebGL is missing.
 * All faces of a frame are cropped (2D OffscreenCanvas) and classified in one batch.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { webglRendererOf } from './webgl.ts';
// The wasm binaries are bundled as assets of our own origin (precached by the service worker), with their
// SHA-256 taken at build time (vite.config.ts, sha256Imports).
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmPlainSha256 from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?sha256';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmSimdSha256 from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?sha256';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// model.json's own SHA-256, from the build: the weights' checksums are in it, so it needs one from elsewhere.
import modelJsonSha256 from '../../public/models/mask-classifier/model.json?sha256';
import type { Box } from '../shared/geometry.ts';
import {
  CLASS_NAMES,
  FEATURES_LAYER,
  INPUT_SIZE,
  MODEL_URL_PATH,
  checkedProbabilities,
  toModelInput,
  type MaskProbabilities,
} from '../shared/mask-classifier-spec.ts';
import { integrityCheckedFetch, isDamagedFile } from '../shared/model-integrity.ts';
import { unitRows } from '../shared/tracking/appearance.ts';
import { checkedObjectUrl, type StageProgress } from './fetch-model.ts';

/** Loads and runs the shipped mask classifier. */
export class MaskClassifier {
  private canvas: OffscreenCanvas | undefined;
  private context: OffscreenCanvasRenderingContext2D | undefined;

  /**
   * The model with a second output, its features (FEATURES_LAYER), read as each face's appearance in the same
   * pass; the model itself when it has no such layer. It shares the model's weights.
   */
  private readonly network: tf.LayersModel;
  private readonly hasFeatures: boolean;

  private constructor(
    model: tf.LayersModel,
    readonly backend: string,
  ) {
    const features = model.layers.find((layer) => layer.name === FEATURES_LAYER);
    this.hasFeatures = features !== undefined;
    this.network =
      features === undefined
        ? model
        : tf.model({
            inputs: model.inputs,
            outputs: [model.outputs[0]!, features.output as tf.SymbolicTensor],
          });
  }

  /**
   * Picks a backend (webgl unless `preferred` says wasm; wasm when webgl fails to start, or to run the
   * model), loads the model with byte progress, and warms it up (so the first frame is not slow), checking
   * its answer.
   */
  static async load(
    baseUrl: string,
    preferred: 'webgl' | 'wasm',
    onProgress: StageProgress,
    webglRenderer?: string,
  ) {
    // WebGL on a software renderer (no GPU, or a blocklisted one) ran MobileNetV2 ~15× slower than wasm
    // here (≈900 ms against ≈60 ms per face, headless Chromium on SwiftShader), so it is skipped there.
    const order = preferred === 'wasm' || softwareWebGL(webglRenderer) ? ['wasm'] : ['webgl', 'wasm'];
    // Why each backend failed, for the guard's error detail (a missing or evicted wasm file is not the same
    // problem as a browser without WebAssembly).
    const failures: string[] = [];
    const url = new URL(MODEL_URL_PATH, baseUrl).href;
    for (const name of order) {
      let model: tf.LayersModel;
      try {
        if (name === 'wasm') await useCheckedWasmBinaries(baseUrl);
        if (!(await tf.setBackend(name))) {
          failures.push(`${name}: failed to initialise`);
          continue;
        }
        await tf.ready();
      } catch (error) {
        // A damaged file (now deleted from the cache) is its own message, not "no backend could run".
        if (isDamagedFile(error)) throw error;
        failures.push(`${name}: ${String(error)}`);
        continue;
      }
      // Files that cannot be fetched or are damaged fail the same on every backend: said as they are.
      try {
        model = await tf.loadLayersModel(url, {
          onProgress: (fraction) => onProgress(fraction),
          // Each weight file is checked against model.json's SHA-256 (a damaged file would load and answer NaN).
          fetchFunc: integrityCheckedFetch(fetch, modelJsonSha256),
        });
      } catch (error) {
        throw new Error(`Could not load the mask classifier (${url}): ${String(error)}`, { cause: error });
      }
      // Run once (so the first frame is not slow), and checked: a backend that starts but cannot run the
      // network (a mobile GPU's shader that fails to compile, a context lost meanwhile) falls back like one
      // that cannot start.
      try {
        const loaded = model;
        const warm = tf.tidy(() => loaded.predict(tf.zeros([1, INPUT_SIZE, INPUT_SIZE, 3])) as tf.Tensor);
        try {
          checkedProbabilities(await warm.data(), 1);
        } finally {
          warm.dispose();
        }
        return new MaskClassifier(model, name);
      } catch (error) {
        model.dispose();
        failures.push(`${name}: ${String(error)}`);
      }
    }
    throw new Error(`No backend could run the classifier (${failures.join('; ')})`);
  }

  /**
   * Crops `crops` (frame pixels) out of `frame`, resizes each to the model's input, and classifies them all
   * in one batch. Returns P(without_mask) per crop, each crop's appearance (its features scaled to unit
   * length; none when the model has no features layer), and the time of the crop and classify stages.
   */
  async classify(frame: ImageBitmap, crops: readonly Box[], turns: readonly number[] = []) {
    if (crops.length === 0)
      return {
        probabilities: [] as MaskProbabilities,
        appearances: [] as (Float32Array | undefined)[],
        cropMs: 0,
        classifyMs: 0,
      };
    const t0 = performance.now();
    const pixels = this.cropFaces(frame, crops, turns);
    const t1 = performance.now();
    const output = tf.tidy(() => {
      const perCrop = INPUT_SIZE * INPUT_SIZE;
      const input = new Float32Array(crops.length * perCrop * 3);
      crops.forEach((_, i) =>
        input.set(
          toModelInput(pixels.data.subarray(i * perCrop * 4, (i + 1) * perCrop * 4)),
          i * perCrop * 3,
        ),
      );
      const batch = tf.tensor4d(input, [crops.length, INPUT_SIZE, INPUT_SIZE, 3]);
      const outputs = this.network.predict(batch);
      // One tensor, read back once (on WebGL every read waits for the GPU): each face's two probabilities, then
      // its features when the model has them.
      return Array.isArray(outputs) ? tf.concat(outputs, 1) : outputs;
    });
    let values: Awaited<ReturnType<tf.Tensor['data']>>;
    try {
      values = await output.data();
    } finally {
      // Also when reading fails (a lost WebGL context): a failing frame must not leak its output.
      output.dispose();
    }
    const classes = CLASS_NAMES.length;
    const width = values.length / crops.length;
    if (!Number.isInteger(width) || width < classes || (!this.hasFeatures && width !== classes))
      throw new Error(`The mask classifier gave ${values.length} numbers for ${crops.length} faces`);
    const probs = new Float32Array(crops.length * classes);
    const features = this.hasFeatures ? new Float32Array(crops.length * (width - classes)) : undefined;
    for (let i = 0; i < crops.length; i++) {
      probs.set(values.subarray(i * width, i * width + classes), i * classes);
      features?.set(values.subarray(i * width + classes, (i + 1) * width), i * (width - classes));
    }
    const t2 = performance.now();
    const probabilities = checkedProbabilities(probs, crops.length);
    return {
      probabilities,
      appearances: unitRows(features, crops.length),
      cropMs: t1 - t0,
      classifyMs: t2 - t1,
    };
  }

  /**
   * Draws every crop, resized to the model's input (and turned upright, `turns` quarter turns back, see
   * faceTurns), into one column of a 2D OffscreenCanvas and reads it
   * back as one RGBA block ([n × 224, 224]). The canvas resamples with smoothing (close to the area/Lanczos
   * downscaling the training pictures had) and costs a few milliseconds, where tfjs's cropAndResize on
   * WebGL cost over 100 ms per frame here, most of it reading the batch back.
   */
  private cropFaces(frame: ImageBitmap, crops: readonly Box[], turns: readonly number[]): ImageData {
    const height = INPUT_SIZE * crops.length;
    if (this.canvas === undefined || this.canvas.height < height) {
      this.canvas = new OffscreenCanvas(INPUT_SIZE, height);
      const context = this.canvas.getContext('2d', { willReadFrequently: true });
      if (context === null) throw new Error('2D canvas is unavailable in this worker');
      this.context = context;
    }
    const context = this.context!;
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    // Cleared first: a transparent picture (a PNG chosen as a photo) must not show the previous crop through.
    context.clearRect(0, 0, INPUT_SIZE, height);
    const half = INPUT_SIZE / 2;
    crops.forEach((c, i) => {
      // A face turned `turns` quarter turns clockwise (see faceTurns) is turned back upright, as trained.
      context.setTransform(1, 0, 0, 1, half, i * INPUT_SIZE + half);
      context.rotate((-(turns[i] ?? 0) * Math.PI) / 2);
      context.drawImage(frame, c.x, c.y, c.width, c.height, -half, -half, INPUT_SIZE, INPUT_SIZE);
    });
    context.setTransform(1, 0, 0, 1, 0, 0);
    return context.getImageData(0, 0, INPUT_SIZE, height);
  }

  /** Live tensors and their bytes (model weights included); constant from frame to frame when nothing leaks. */
  static memory(): { liveTensors: number; tensorBytes: number } {
    const memory = tf.memory();
    return { liveTensors: memory.numTensors, tensorBytes: memory.numBytes };
  }
}

/**
 * True when WebGL exists but renders in software (SwiftShader, llvmpipe): no use for a neural network.
 * `renderer` is the renderer of a context the worker already has (the face detector's, see
 * FaceDetectorSet.webglRenderer); without it, a context is made to ask, which costs one of the 4 WebGL
 * contexts a worker keeps (losing it does not give its place back).
 */
export function softwareWebGL(renderer = probeWebGLRenderer()): boolean {
  return renderer !== undefined && /swiftshader|llvmpipe|software/i.test(renderer);
}

/** The renderer of a WebGL context made for the purpose (undefined without WebGL). */
function probeWebGLRenderer(): string | undefined {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (gl === null) return undefined;
    const renderer = webglRendererOf(gl);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return undefined;
  }
}

/**
 * Points tfjs at the wasm binaries it may load, the two the service worker keeps (plain and SIMD) as object
 * URLs of bytes checked against their build-time SHA-256: a binary damaged in the phone's cache is refused,
 * and deleted from it, instead of being run (its data may still compile). The threaded binary is only used
 * on a cross-origin-isolated page, which MaskGuard never is, so it is not precached and not checked.
 */
async function useCheckedWasmBinaries(baseUrl: string): Promise<void> {
  const checked = (path: string, sha256: string) =>
    checkedObjectUrl(new URL(path, baseUrl).href, 'mask classifier runtime', sha256, 'application/wasm');
  setWasmPaths({
    'tfjs-backend-wasm.wasm': await checked(wasmPlain, wasmPlainSha256),
    'tfjs-backend-wasm-simd.wasm': await checked(wasmSimd, wasmSimdSha256),
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, baseUrl).href,
  });
}
