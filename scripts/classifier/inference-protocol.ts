import type { AugmentationName } from './augment.ts';
import type { DomainShiftName } from './domain-shifts.ts';
import type { FeatureLayout } from './mask-classifier-model.ts';

/**
 * Messages between an inference pool (the training or evaluation CLI) and its child processes, one
 * per core, each with its own single-threaded wasm backend. Sent over Node IPC with the "advanced"
 * serialization so Float32Arrays travel without a JSON detour.
 */

/** Which network a child process runs. */
export type InferenceModel =
  | { kind: 'backbone-features'; tflitePath: string; layout: FeatureLayout }
  | { kind: 'classifier'; modelDir: string };

/**
 * One picture to run: its file and, for an augmented copy, the seed of the augmentation and its recipe
 * (default 'paper'); or, for a fixed domain-shifted copy (domain-shifts.ts), the shift's name.
 */
export interface InferenceItem {
  path: string;
  seed: number | null;
  augmentation?: AugmentationName;
  shift?: DomainShiftName;
}

/** Pool → child. */
export type PoolRequest =
  { type: 'init'; model: InferenceModel } | { type: 'run'; id: number; items: InferenceItem[] };

/** Child → pool. */
export type WorkerReply =
  | { type: 'ready'; outputSize: number }
  | { type: 'result'; id: number; outputs: Float32Array; failed: { index: number; message: string }[] }
  | { type: 'fatal'; message: string };
