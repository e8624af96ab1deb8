/**
 * `npm run models`: writes the generated assets under `public/` (not committed): the two face detector
 * models with metadata, and the tasks-vision wasm. Runs before dev, build and test. Deterministic:
 * a file is rewritten only when its bytes change.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { detectorModels, visionWasmFiles, withDetectorMetadata } from './face-detector-assets.ts';

const root = resolve(import.meta.dirname, '..');
const nodeModules = join(root, 'node_modules');
const publicDir = join(root, 'public');

async function writeIfChanged(path: string, bytes: Uint8Array): Promise<boolean> {
  const current = await readFile(path).catch(() => undefined);
  if (current !== undefined && Buffer.compare(current, bytes) === 0) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return true;
}

async function main(): Promise<void> {
  for (const spec of detectorModels(nodeModules)) {
    const original = await readFile(spec.source).catch((error: unknown) => {
      throw new Error(`cannot read ${spec.source} (run \`npm install\`): ${String(error)}`);
    });
    const bytes = withDetectorMetadata(spec, new Uint8Array(original));
    const changed = await writeIfChanged(join(publicDir, spec.target), bytes);
    console.log(`${changed ? 'wrote' : 'up to date'} public/${spec.target} (${bytes.length} bytes)`);
  }
  // Compared byte for byte, not by size: a loader and its wasm from two tasks-vision versions must never ship.
  for (const file of visionWasmFiles(nodeModules)) {
    if (await writeIfChanged(join(publicDir, file.target), await readFile(file.source)))
      console.log(`copied public/${file.target}`);
  }
}

main().catch((error: unknown) => {
  console.error(`npm run models: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
