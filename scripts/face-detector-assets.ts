/**
 * The face detector's files as the app serves them: the BlazeFace models from `@mediapipe/face_detection`
 * with normalization metadata added, and the tasks-vision wasm that the detection worker loads.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachMetadata, buildModelMetadata } from './tflite/add-metadata.ts';

/** BlazeFace takes RGB scaled to [-1, 1]: (pixel - 127.5) / 127.5. */
export const BLAZEFACE_NORMALIZATION = { mean: [127.5], std: [127.5] };

/** One generated detector model: where it comes from and where it goes (under `public/`). */
export interface DetectorModelSpec {
  source: string;
  target: string;
  name: string;
  description: string;
}

/** The two detector models. `target` paths are the ones `src/worker/face-detector.ts` requests. */
export function detectorModels(nodeModules: string): DetectorModelSpec[] {
  const dir = join(nodeModules, '@mediapipe/face_detection');
  return [
    {
      source: join(dir, 'face_detection_short_range.tflite'),
      target: 'models/face-detector-short-range.tflite',
      name: 'BlazeFace short range',
      description: 'Faces within about 2 m; 128x128 input.',
    },
    {
      source: join(dir, 'face_detection_full_range.tflite'),
      target: 'models/face-detector-full-range.tflite',
      name: 'BlazeFace full range',
      description: 'Faces within about 5 m; 192x192 input.',
    },
  ];
}

/**
 * The tasks-vision wasm the worker loads. The worker is a module worker, so it uses the module variant of
 * the loader (the classic one calls `importScripts`, which module workers lack); that variant exists only
 * with SIMD, which every browser with module workers supports.
 */
export function visionWasmFiles(nodeModules: string): { source: string; target: string }[] {
  const dir = join(nodeModules, '@mediapipe/tasks-vision/wasm');
  return ['vision_wasm_module_internal.js', 'vision_wasm_module_internal.wasm'].map((file) => ({
    source: join(dir, file),
    target: `vendor/mediapipe/${file}`,
  }));
}

/** Adds the metadata tasks-vision needs to one BlazeFace model. */
export function withDetectorMetadata(spec: DetectorModelSpec, original: Uint8Array): Uint8Array {
  const metadata = buildModelMetadata({
    name: spec.name,
    description: spec.description,
    normalization: BLAZEFACE_NORMALIZATION,
  });
  return attachMetadata(original, metadata, spec.source);
}

/**
 * SHA-256 (lowercase hex) of each face detector file `npm run models` writes under `publicDir` (the models
 * and the tasks-vision runtime), by its `target` path. The build puts them into the detection worker
 * (vite.config.ts), which checks the bytes it loads against them.
 * @throws Error that names `npm run models` when a file has not been generated yet
 */
export function detectorChecksums(publicDir: string, nodeModules: string): Record<string, string> {
  const checksums: Record<string, string> = {};
  for (const { target } of [...detectorModels(nodeModules), ...visionWasmFiles(nodeModules)]) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(publicDir, target));
    } catch (error) {
      throw new Error(`public/${target} is missing; run \`npm run models\` first (${String(error)})`, {
        cause: error,
      });
    }
    checksums[target] = createHash('sha256').update(bytes).digest('hex');
  }
  return checksums;
}
