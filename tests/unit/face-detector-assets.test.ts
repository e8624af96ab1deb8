import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BLAZEFACE_NORMALIZATION,
  detectorChecksums,
  detectorModels,
  visionWasmFiles,
  withDetectorMetadata,
} from '../../scripts/face-detector-assets.ts';
import { readModelMetadata } from '../../scripts/tflite/read-metadata.ts';

const root = resolve(import.meta.dirname, '../..');
const specs = detectorModels(join(root, 'node_modules'));

describe.each(specs)('detector model $target', (spec) => {
  const original = new Uint8Array(readFileSync(spec.source));

  it('the source model has no metadata (why we add it)', () => {
    expect(readModelMetadata(original)).toBeUndefined();
  });

  it('the generated file in public/ carries TFLITE_METADATA with BlazeFace normalization', () => {
    const generated = new Uint8Array(readFileSync(join(root, 'public', spec.target)));
    const metadata = readModelMetadata(generated);
    expect(metadata?.name).toBe(spec.name);
    expect(metadata?.normalization).toEqual(BLAZEFACE_NORMALIZATION);
  });

  it('keeps the original bytes intact, 16-aligned, after the new header', () => {
    const out = withDetectorMetadata(spec, original);
    const shift = out.length - original.length;
    expect(shift % 16).toBe(0);
    expect(Buffer.compare(out.subarray(shift), original)).toBe(0);
    expect(new TextDecoder().decode(out.subarray(4, 8))).toBe('TFL3');
  });

  it('gives identical bytes on every run', () => {
    const a = withDetectorMetadata(spec, original);
    const b = withDetectorMetadata(spec, original.slice());
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('fails clearly on a truncated model', () => {
    expect(() => withDetectorMetadata(spec, original.subarray(0, Math.floor(original.length * 0.6)))).toThrow(
      /truncated or is not a TFLite model/,
    );
  });

  it('fails clearly on a file that is not a TFLite model', () => {
    expect(() => withDetectorMetadata(spec, new TextEncoder().encode('<html>not found</html>'))).toThrow(
      /not a TFLite model/,
    );
  });

  it('refuses to add metadata twice', () => {
    const once = withDetectorMetadata(spec, original);
    expect(() => withDetectorMetadata(spec, once)).toThrow(/already has TFLITE_METADATA/);
  });
});

describe('detectorChecksums (built into the worker by vite.config.ts)', () => {
  it('gives the SHA-256 of each generated model and runtime file by the path the worker requests', () => {
    const checksums = detectorChecksums(join(root, 'public'), join(root, 'node_modules'));
    const targets = [...specs, ...visionWasmFiles(join(root, 'node_modules'))].map((file) => file.target);
    expect(Object.keys(checksums).sort()).toEqual(targets.sort());
    expect(targets).toContain('vendor/mediapipe/vision_wasm_module_internal.wasm');
    for (const target of targets) {
      const bytes = readFileSync(join(root, 'public', target));
      expect(checksums[target]).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('says to run `npm run models` when the models have not been generated', () => {
    const empty = mkdtempSync(join(tmpdir(), 'maskguard-no-models-'));
    try {
      expect(() => detectorChecksums(empty, join(root, 'node_modules'))).toThrow(
        /public\/models\/face-detector-short-range\.tflite is missing; run `npm run models` first/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
