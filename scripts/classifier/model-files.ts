import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { sha256Hex, type WeightsIntegrity } from '../../src/shared/model-integrity.ts';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Uint8Grid } from './dequantize.ts';

/**
 * Writes and reads the shipped classifier as a tfjs layers model (`model.json` + one weights file) with a
 * weights manifest we write ourselves, because tfjs' own savers cannot quantize. tf.loadLayersModel
 * dequantizes on load (`quantization: {dtype: 'uint8', scale, min}` → q × scale + min; `{dtype:
 * 'float16'}`), in Node and in the browser alike.
 */

/** How a weight is stored. */
export type WeightStorage = 'float32' | 'float16' | 'uint8';

/** Name of the single weights file next to model.json. */
export const WEIGHTS_FILE = 'group1-shard1of1.bin';

/** float32 → IEEE half-precision bits, rounding to nearest even (what tfjs' float16 decoder expects). */
export function toFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (half + (rest > halfway || (rest === halfway && (half & 1) === 1) ? 1 : 0));
  }
  let half = mantissa >>> 13;
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) {
    half += 1;
    if (half === 0x400) {
      half = 0;
      e += 1;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | half;
}

interface EncodedWeight {
  spec: tf.io.WeightsManifestEntry;
  bytes: Uint8Array;
}

/**
 * Encodes one weight. A weight with a known uint8 grid (an imported backbone kernel) is stored as exactly
 * the TFLite bytes it came from, so quantization costs the backbone nothing; other uint8 weights get
 * tfjs' min/max affine quantization.
 */
function encodeWeight(
  name: string,
  shape: number[],
  values: Float32Array,
  storage: WeightStorage,
  grid: Uint8Grid | undefined,
): EncodedWeight {
  if (storage === 'float32') {
    return { spec: { name, shape, dtype: 'float32' }, bytes: new Uint8Array(values.slice().buffer) };
  }
  if (storage === 'float16') {
    const halves = Uint16Array.from(values, toFloat16Bits);
    return {
      spec: { name, shape, dtype: 'float32', quantization: { dtype: 'float16' } },
      bytes: new Uint8Array(halves.buffer),
    };
  }
  let min: number;
  let scale: number;
  if (grid !== undefined) {
    scale = grid.scale;
    min = -grid.zeroPoint * grid.scale;
  } else {
    // Keep 0 exactly representable (tfjs' own quantizer does the same) so zero weights stay zero.
    min = values.reduce((m, v) => Math.min(m, v), 0);
    const max = values.reduce((m, v) => Math.max(m, v), 0);
    scale = max > min ? (max - min) / 255 : 1;
  }
  const q = Uint8Array.from(values, (v) => Math.max(0, Math.min(255, Math.round((v - min) / scale))));
  if (grid !== undefined) {
    // The grid must reproduce the float values (up to float32 rounding); anything else is a bug upstream.
    const worst = values.reduce((w, v, i) => Math.max(w, Math.abs(q[i] * scale + min - v)), 0);
    if (worst > scale * 1e-3) throw new Error(`${name}: values are not on their uint8 grid (error ${worst})`);
  }
  return { spec: { name, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min } }, bytes: q };
}

/** Options for {@link saveLayersModel}. */
export interface SaveOptions {
  /** Storage of each weight by its name (e.g. `Conv_1/kernel`). */
  storageOf: (name: string) => WeightStorage;
  /** Exact uint8 grids of imported kernels, by weight name. */
  grids?: Map<string, Uint8Grid>;
}

/**
 * Saves `model` into `dir` (which is emptied first) as model.json + {@link WEIGHTS_FILE}.
 * Returns the total size in bytes.
 */
export async function saveLayersModel(
  model: tf.LayersModel,
  dir: string,
  options: SaveOptions,
): Promise<number> {
  const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve, reject) => {
    model
      .save(
        tf.io.withSaveHandler(async (a) => {
          resolve(a);
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      )
      .catch(reject);
  });
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  const buffer = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data ?? new ArrayBuffer(0));
  const encoded: EncodedWeight[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new Error(`${spec.name}: unexpected dtype ${spec.dtype}`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(buffer.slice(offset, offset + 4 * count));
    offset += 4 * count;
    encoded.push(
      encodeWeight(
        spec.name,
        spec.shape,
        values,
        options.storageOf(spec.name),
        options.grids?.get(spec.name),
      ),
    );
  }
  const weights = new Uint8Array(encoded.reduce((n, e) => n + e.bytes.length, 0));
  let at = 0;
  for (const e of encoded) {
    weights.set(e.bytes, at);
    at += e.bytes.length;
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'MaskGuard scripts/train.ts',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: encoded.map((e) => e.spec) }],
    // The worker refuses a weight file whose checksum differs (src/shared/model-integrity.ts).
    userDefinedMetadata: {
      weightsSha256: { [WEIGHTS_FILE]: await sha256Hex(weights) },
    } satisfies WeightsIntegrity,
  };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(modelJson);
  writeFileSync(join(dir, 'model.json'), json);
  writeFileSync(join(dir, WEIGHTS_FILE), weights);
  return json.length + weights.length;
}

/** Loads a layers model saved in `dir` (model.json and its weight files) in Node, dequantizing weights. */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const handler: tf.io.IOHandler = {
    load: async () => {
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of modelJson.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const path of group.paths) buffers.push(new Uint8Array(readFileSync(join(dir, path))).buffer);
      }
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
      };
    },
  };
  return tf.loadLayersModel(handler);
}

/** Total size in bytes of the files in `dir` that make up the model (model.json and weights). */
export function modelSizeBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f === 'model.json' || f.endsWith('.bin'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}
