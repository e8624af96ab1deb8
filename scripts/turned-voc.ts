/**
 * `npx tsx scripts/turned-voc.ts ../shared/data/door-photos OUT_DIR`: writes every picture of a Pascal VOC
 * folder turned a quarter clockwise (NAME-cw.jpg) and anticlockwise (NAME-ccw.jpg), boxes turned with them,
 * as a VOC folder for `npm run eval:e2e -- --voc OUT_DIR`: how the app reads faces on a phone held sideways
 * with its rotation locked.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeTurned } from './lib/turned-voc.ts';

const [vocDir, outDir] = process.argv.slice(2);
if (vocDir === undefined || outDir === undefined) {
  console.error('usage: npx tsx scripts/turned-voc.ts VOC_DIR OUT_DIR');
  process.exit(2);
}
let written = 0;
for (const photo of readdirSync(join(vocDir, 'images')).filter((f) => /\.(jpe?g|png)$/i.test(f))) {
  const base = photo.replace(/\.[^.]+$/, '');
  for (const clockwise of [true, false]) {
    await writeTurned(vocDir, photo, outDir, clockwise, `${base}-${clockwise ? 'cw' : 'ccw'}.jpg`);
    written++;
  }
}
console.log(`${written} pictures written to ${outDir}`);
