/**
 * Model checksums. The classifier's: written into model.json by the training script, checked by the fetch
 * the worker hands tfjs (here with a stand-in fetch), and present for the model the app ships. The face
 * detector's: checked by checkFileIntegrity against the SHA-256 the build puts into the worker.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DamagedFileError,
  checkFileIntegrity,
  integrityCheckedFetch,
  isDamagedFile,
  sha256Hex,
} from '../../src/shared/model-integrity.ts';

const MODEL_DIR = join(import.meta.dirname, '../../public/models/mask-classifier');

/** A fetch that serves `files` by name (the last path segment), as a server would. */
function serve(files: Record<string, Uint8Array<ArrayBuffer> | string>): typeof fetch {
  return async (input) => {
    const name = String(input).split('/').pop()!;
    const body = files[name];
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
  };
}

describe('integrityCheckedFetch', () => {
  const weights = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const manifest = async (digest?: string) =>
    JSON.stringify({
      weightsManifest: [{ paths: ['w.bin'] }],
      ...(digest === undefined ? {} : { userDefinedMetadata: { weightsSha256: { 'w.bin': digest } } }),
    });

  it('passes model.json through and a weight file with the listed SHA-256, bytes unchanged', async () => {
    const checked = integrityCheckedFetch(
      serve({ 'model.json': await manifest(await sha256Hex(weights)), 'w.bin': weights }),
    );
    expect((await (await checked('http://app/m/model.json')).json()).weightsManifest).toHaveLength(1);
    expect(new Uint8Array(await (await checked('http://app/m/w.bin')).arrayBuffer())).toEqual(weights);
  });

  it('rejects a weight file of the same length with other bytes', async () => {
    const damaged = weights.slice();
    damaged[3] ^= 0x10;
    const checked = integrityCheckedFetch(
      serve({ 'model.json': await manifest(await sha256Hex(weights)), 'w.bin': damaged }),
    );
    await checked('http://app/m/model.json');
    await expect(checked('http://app/m/w.bin')).rejects.toThrow('w.bin is damaged');
  });

  it('rejects a weight file model.json lists no checksum for', async () => {
    const checked = integrityCheckedFetch(serve({ 'model.json': await manifest(), 'w.bin': weights }));
    await checked('http://app/m/model.json');
    await expect(checked('http://app/m/w.bin')).rejects.toThrow('lists no checksum for w.bin');
  });

  it('checks model.json itself against the SHA-256 it is given: a damaged one is a damaged file', async () => {
    const good = await manifest(await sha256Hex(weights));
    const damaged = good.replace('w.bin', 'w.bim');
    const digest = await sha256Hex(new TextEncoder().encode(good));
    const intact = integrityCheckedFetch(serve({ 'model.json': good }), digest);
    expect((await (await intact('http://app/m/model.json')).json()).weightsManifest).toHaveLength(1);
    const checked = integrityCheckedFetch(serve({ 'model.json': damaged }), digest);
    const failure = await checked('http://app/m/model.json').catch((error: unknown) => error);
    expect(isDamagedFile(failure)).toBe(true);
    expect(String(failure)).toContain('model.json is damaged');
  });

  it('leaves a failed response to tfjs (it reports the HTTP status)', async () => {
    const checked = integrityCheckedFetch(serve({}));
    expect((await checked('http://app/m/model.json')).status).toBe(404);
  });
});

describe('checkFileIntegrity', () => {
  const bytes = new Uint8Array([9, 8, 7, 6]);
  const url = 'http://app/models/face%20detector.tflite';

  it('accepts the bytes whose SHA-256 is the expected one', async () => {
    const expected = createHash('sha256').update(bytes).digest('hex');
    await expect(checkFileIntegrity(url, bytes, expected, 'the app build')).resolves.toBeUndefined();
  });

  it('refuses other bytes with a DamagedFileError that names the file and where its checksum comes from', async () => {
    const expected = createHash('sha256').update(bytes).digest('hex');
    const damaged = bytes.slice();
    damaged[0] ^= 1;
    const error = await checkFileIntegrity(url, damaged, expected, 'the app build').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DamagedFileError);
    expect((error as Error).message).toBe(
      'face detector.tflite is damaged: its SHA-256 is not the one the app build lists',
    );
    expect(isDamagedFile(new Error('loading failed', { cause: error }))).toBe(true);
  });

  it('refuses a file with no expected checksum (not taken for damaged)', async () => {
    const error = await checkFileIntegrity(url, bytes, undefined, 'the app build').catch((e: unknown) => e);
    expect((error as Error).message).toBe('the app build lists no checksum for face detector.tflite');
    expect(isDamagedFile(error)).toBe(false);
  });
});

describe('the shipped mask classifier', () => {
  it('lists the SHA-256 of each of its weight files in model.json', () => {
    const model = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8'));
    const paths: string[] = model.weightsManifest.flatMap((group: { paths: string[] }) => group.paths);
    expect(Object.keys(model.userDefinedMetadata.weightsSha256).sort()).toEqual([...paths].sort());
    for (const path of paths) {
      const digest = createHash('sha256')
        .update(readFileSync(join(MODEL_DIR, path)))
        .digest('hex');
      expect(model.userDefinedMetadata.weightsSha256[path], path).toBe(digest);
    }
  });
});
