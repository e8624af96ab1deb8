/**
 * `npm run app-crops -- [--data ../shared/data/mask-crops] [--out .cache/app-crops]`
 *
 * Cuts every picture of a data set laid out like mask-crops the way the app cuts faces: the built app's
 * detector (auto range, dist/harness.html, single-image mode) finds the face, and the worker's crop of it (the
 * face box grown by FACE_CROP_MARGIN and clamped, faceCrop) is written as PNG; a picture without a face is
 * written whole. The output is a data set of its own (same split.csv rows, same splits and groups), which
 * `npm run train -- --app-crops DIR` trains on beside the originals. Every split is cut, test included,
 * so that the shipped model's test figure can also be given on the crops it sees in use; nothing is chosen on
 * test. Needs `npm run build`. Run it again whenever the detector, its box calibration or the margin change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLASS_NAMES } from '../src/shared/mask-classifier-spec.ts';
import { SHARED_DIR } from '../tests/helpers/browser.ts';
import { writeCrop } from './classifier/face-image.ts';
import { formatDuration } from './classifier/progress.ts';
import { readMaskDataset } from './classifier/mask-dataset.ts';
import { openHarness } from './lib/harness-session.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(SHARED_DIR, 'data/mask-crops') },
    out: { type: 'string', default: join(ROOT, '.cache/app-crops') },
  },
});
const dataDir = resolve(args.data);
const outDir = resolve(args.out);
const rows = readMaskDataset(dataDir);
const started = performance.now();
const session = await openHarness({ '/__data/': dataDir }, { range: 'auto' });
let withFace = 0;
const outRows: string[] = [];
const written = new Set<string>();
try {
  for (const [i, picture] of rows.entries()) {
    const result = await session.detectUrl(
      `/__data/${picture.relativePath.split('/').map(encodeURIComponent).join('/')}`,
      'image',
    );
    if (result === undefined) throw new Error(`${picture.relativePath}: the detector skipped it`);
    // The worker's own crop of its best face: exactly what the classifier is given in the app.
    const crop = result.faces[0]?.crop;
    if (crop !== undefined) withFace++;
    const relativePath = picture.relativePath.replace(/\.[^./]+$/, '.png');
    if (written.has(relativePath))
      throw new Error(`${picture.relativePath}: a second picture would be written as ${relativePath}`);
    written.add(relativePath);
    const file = join(outDir, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    await writeCrop(picture.path, crop, result.width, result.height, file);
    outRows.push([relativePath, CLASS_NAMES[picture.label], picture.split, picture.group].join(','));
    if ((i + 1) % 250 === 0 || i + 1 === rows.length)
      process.stderr.write(`app crops: ${i + 1}/${rows.length}\n`);
  }
} finally {
  await session.close();
}
writeFileSync(join(outDir, 'split.csv'), `path,label,split,group\n${outRows.join('\n')}\n`);
process.stdout.write(
  `${rows.length} pictures cut into ${outDir} (${withFace} with a face, the rest whole) in ` +
    `${formatDuration((performance.now() - started) / 1000)}\n`,
);
