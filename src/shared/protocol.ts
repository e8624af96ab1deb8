/**
 * The one protocol between the page and the detection worker. Every message is an interface with a `type`
 * field, joined in one union per direction; both ends switch over `type` exhaustively. Errors travel as one
 * message type. Frames travel as transferred `ImageBitmap`s: the sender loses them, the worker closes them.
 */
import type { Box } from './geometry.ts';
import type { MaskClass } from './mask-classifier-spec.ts';

/** Which BlazeFace model(s) to run: near = short range (≈2 m), far = full range (≈5 m), auto = both merged. */
export type DetectionRange = 'near' | 'far' | 'auto';

/** The detection ranges, in the order a settings control lists them. */
export const DETECTION_RANGES: readonly DetectionRange[] = ['auto', 'near', 'far'];

/** `video`: consecutive camera frames (tracking inside the detector); `image`: independent photos. */
export type FrameMode = 'video' | 'image';

// ---- page → worker ------------------------------------------------------------------------------

/** Load the models. The worker answers with `progress` messages, then `ready` or a fatal `error`. */
export interface InitRequest {
  type: 'init';
  /** Base URL of the app (the worker resolves `models/…` and `vendor/…` against it). */
  baseUrl: string;
  range: DetectionRange;
  /** Force a classifier backend (tests and the benchmark); default: webgl, falling back to wasm. */
  classifierBackend?: 'webgl' | 'wasm';
  /**
   * Detector delegate; default CPU. BlazeFace is tiny (128² or 192² input) and XNNPACK runs it in a few
   * milliseconds, while the GPU delegate aborted the whole wasm module in our tests ("The tensor can't fit
   * into OpenGL Texture2D View", VIDEO mode, headless Chromium). GPU stays available: it falls back to CPU
   * when it cannot start, and the client restarts a worker that crashed on GPU with CPU.
   */
  detectorDelegate?: 'GPU' | 'CPU';
}

/** One frame to process. The worker always closes `bitmap`, also when it drops the frame. */
export interface FrameRequest {
  type: 'frame';
  /** Chosen by the page, echoed in the answer. */
  frameId: number;
  /** Capture time in milliseconds; in video mode the worker forces it to increase strictly. */
  timestampMs: number;
  mode: FrameMode;
  bitmap: ImageBitmap;
  /** Skip the classifier (the benchmark's detector-only floor). */
  detectOnly?: boolean;
}

/** Change the detection range; takes effect from the next frame (models load lazily). */
export interface SetRangeRequest {
  type: 'set-range';
  range: DetectionRange;
}

/** Ask for a `stats` answer (live tensors, frames processed/dropped). */
export interface StatsRequest {
  type: 'stats';
}

/** Every message the page sends. */
export type WorkerRequest = InitRequest | FrameRequest | SetRangeRequest | StatsRequest;

// ---- worker → page ------------------------------------------------------------------------------

/** Model loading progress, in bytes of all model files the worker fetches. */
export interface ProgressMessage {
  type: 'progress';
  /** What is loading, in the guard's words. */
  stage: string;
  /** How far this stage is, 0 to 1; undefined when the server does not say how large the files are. */
  fraction: number | undefined;
}

/** Models are loaded; which backends run them. */
export interface ReadyMessage {
  type: 'ready';
  classifierBackend: string;
  detectorDelegate: 'GPU' | 'CPU';
}

/** One face in a frame. */
export interface FaceResult {
  /**
   * Forehead-to-chin face box in frame pixels (the detector's box, calibrated: see face-crop.ts), clipped to
   * the frame: a face cut by the frame's edge is the part that shows.
   */
  box: Box;
  /** The region that was cropped and classified (the face box with its margin, clamped to the frame), frame pixels. */
  crop: Box;
  detScore: number;
  label: MaskClass;
  probs: Record<MaskClass, number>;
  /**
   * The face's appearance (the classifier's features of the crop, unit length; see
   * src/shared/tracking/appearance.ts), for telling two people at one spot apart. Absent when the model has
   * no features layer. The page keeps it in memory only.
   */
  appearance?: Float32Array;
}

/** Milliseconds spent per stage of one frame. */
export interface StageTimings {
  detectMs: number;
  cropMs: number;
  classifyMs: number;
  totalMs: number;
}

/** The answer to one processed frame. */
export interface ResultMessage {
  type: 'result';
  frameId: number;
  /** The timestamp the detector used (≥ the one sent, strictly increasing in video mode). */
  timestampMs: number;
  width: number;
  height: number;
  faces: FaceResult[];
  timings: StageTimings;
}

/** A frame arrived while another was in flight and was closed unprocessed (never queued). */
export interface DroppedMessage {
  type: 'dropped';
  frameId: number;
}

/** Worker health figures, for the benchmark and the leak tests. */
export interface StatsMessage {
  type: 'stats';
  liveTensors: number;
  /** Bytes held by tfjs tensors. */
  tensorBytes: number;
  framesProcessed: number;
  framesDropped: number;
  /** Frames the worker holds right now (0 or 1: one frame in flight). */
  framesHeld: number;
  maxFramesHeld: number;
}

/** Something went wrong. `fatal`: the worker cannot go on (e.g. a model failed to load). */
export interface ErrorMessage {
  type: 'error';
  fatal: boolean;
  /** A sentence a guard can act on. */
  message: string;
  /** The technical cause, for the log. */
  detail?: string;
  /** The frame that failed, when one did; it counts as answered. */
  frameId?: number;
}

/** Every message the worker sends. */
export type WorkerMessage =
  ProgressMessage | ReadyMessage | ResultMessage | DroppedMessage | StatsMessage | ErrorMessage;

/** Transferables of a request: the frame's bitmap moves to the worker instead of being copied. */
export function transferablesOf(request: WorkerRequest): Transferable[] {
  return request.type === 'frame' ? [request.bitmap] : [];
}

/** For exhaustive switches: a compile error when a message type is not handled. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}
