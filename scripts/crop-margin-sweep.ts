/**
 * `npx tsx scripts/crop-margin-sweep.ts [--split val] [--margins 0,0.1,0.2,0.25,0.3]`
 *
 * Chooses the classifier crop's margin (FACE_CROP_MARGIN in src/shared/face-crop.ts) on the VALIDATION
 * split, the way the app sees faces: the built app's detector (auto range, dist/harness.html) finds the
 * face in each picture, the face box is grown by each margin and clamped (faceCrop), cut out and resized
 * like every picture (face-image.ts), and the shipped classifier's accuracy at the app's threshold is
 * printed per margin. A picture without a detected face is classified whole. Needs `npm run build`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { faceCrop } from '../src/shared/face-crop.ts';
import type { Box } from '../src/shared/geometry.ts';
import { CLASS_NAMES, decideMaskClass } from '../src/shared/mask-classifier-spec.ts';
import { SHARED_DIR } from '../tests/helpers/browser.ts';
import { writeCrop } from './classifier/face-image.ts';
import { runInference } from './classifier/inference-pool.ts';
import { pictures, readMaskDataset } from './classifier/mask-dataset.ts';
import { openHarness } from './lib/harness-session.ts';

const { values: args } = parseArgs({
  options: {
    split: { type: 'string', default: 'val' },
    margins: { type: 'string', default: '0,0.1,0.2,0.25,0.3' },
  },
});
if (args.split === 'test') throw new Error('choices are never made on the test split');
const dataDir = join(SHARED_DIR, 'data/mask-crops');
const chosen = pictures(readMaskDataset(dataDir), args.split);

// The app's face box in every picture.
const session = await openHarness({}, { range: 'auto' });
const found: { width: number; height: number; box: Box | undefined }[] = [];
try {
  for (const picture of chosen) {
    const result = await session.detectUrl(`/__shared/data/mask-crops/${picture.relativePath}`, 'image');
    if (result === undefined) throw new Error(`${picture.relativePath}: no result`);
    found.push({ width: result.width, height: result.height, box: result.faces[0]?.box });
  }
} finally {
  await session.close();
}
process.stderr.write(`${found.filter((f) => f.box).length} of ${chosen.length} pictures with a face\n`);

const scratch = mkdtempSync(join(tmpdir(), 'crop-margin-'));
try {
  for (const margin of args.margins.split(',').map(Number)) {
    const dir = join(scratch, String(margin));
    mkdirSync(dir);
    const paths = await Promise.all(
      chosen.map(async (picture, i) => {
        const { width, height, box } = found[i]!;
        const file = join(dir, `${i}.png`);
        await writeCrop(
          picture.path,
          box === undefined ? undefined : faceCrop(box, width, height, margin),
          width,
          height,
          file,
        );
        return file;
      }),
    );
    const result = await runInference(
      { kind: 'classifier', modelDir: resolve(import.meta.dirname, '../public/models/mask-classifier') },
      paths.map((path) => ({ path, seed: null })),
      { label: `margin ${margin}` },
    );
    let right = 0;
    let missedUnmasked = 0;
    chosen.forEach((picture, i) => {
      const predicted = CLASS_NAMES.indexOf(decideMaskClass(result.outputs.subarray(i * 2, i * 2 + 2)));
      if (predicted === picture.label) right++;
      else if (CLASS_NAMES[picture.label] === 'without_mask') missedUnmasked++;
    });
    process.stdout.write(
      `margin ${margin}: accuracy ${((100 * right) / chosen.length).toFixed(2)}% of ${chosen.length}, ` +
        `unmasked faces missed ${missedUnmasked}\n`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
