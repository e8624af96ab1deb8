/**
 * `npm run eval:e2e -- --voc DIR [--range near|far|auto] [--out FILE] [--limit N]`
 *
 * Runs the real browser pipeline (the live screen's worker, single-image mode) in headless Chromium on
 * every image of a Pascal VOC folder (`images/`, `annotations/`) and prints face recall and precision at
 * IoU ≥ 0.5, classification accuracy on matched faces, and per-class AP with their mean, for all faces and
 * for faces at least 32 px tall. `--out` writes the predictions as JSON (boxes as [x0, y0, x1, y1] in the
 * image's pixels). Unreadable images and annotations are reported and skipped.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  e2eFailures,
  e2eMetrics,
  type E2EMetrics,
  type ImageFaces,
  type ScoredClass,
  wilsonInterval,
} from '../src/shared/detection-metrics.ts';
import { DETECTION_RANGES, type DetectionRange, type ResultMessage } from '../src/shared/protocol.ts';
import { annotationScale, parseVoc } from '../src/shared/voc.ts';
import { openHarness } from './lib/harness-session.ts';

/** One image's predictions in the `--out` file. */
export interface PredictionRecord {
  file: string;
  width: number;
  height: number;
  faces: {
    box: [number, number, number, number];
    detScore: number;
    label: ScoredClass;
    probs: Record<ScoredClass, number>;
  }[];
}

/** What {@link evaluateVoc} returns. */
export interface E2EReport {
  range: DetectionRange;
  images: number;
  skipped: { file: string; reason: string }[];
  all: E2EMetrics;
  atLeast32px: E2EMetrics;
  /** The faces behind the "all faces" recall and accuracy, by file, to look at one by one. */
  failures: {
    missed: { file: string; label: string; height: number; bestIou: number }[];
    misclassified: { file: string; label: string; predicted: ScoredClass; probWithoutMask: number }[];
  };
  predictions: { images: PredictionRecord[] };
}

/** Runs the pipeline on a VOC folder and computes the metrics. */
export async function evaluateVoc(
  vocDir: string,
  options: {
    range?: DetectionRange;
    limit?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<E2EReport> {
  const range = options.range ?? 'auto';
  const imagesDir = join(vocDir, 'images');
  const annotationsDir = join(vocDir, 'annotations');
  for (const dir of [imagesDir, annotationsDir]) {
    if (!existsSync(dir))
      throw new Error(`${dir} does not exist (expected a Pascal VOC folder with images/ and annotations/)`);
  }
  const files = (await readdir(imagesDir))
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort()
    .slice(0, options.limit);
  const skipped: E2EReport['skipped'] = [];
  const scored: ImageFaces[] = [];
  const records: PredictionRecord[] = [];
  const session = await openHarness({ '/__voc/': vocDir }, { range });
  try {
    for (const [i, file] of files.entries()) {
      options.onProgress?.(i, files.length);
      let voc;
      try {
        voc = parseVoc(await readFile(join(annotationsDir, file.replace(/\.[^.]+$/, '.xml')), 'utf8'));
      } catch (error) {
        skipped.push({
          file,
          reason: `annotation: ${error instanceof Error ? error.message : String(error)}`,
        });
        continue;
      }
      // A face the parser could not read would make its correct detection a false positive: skip the image.
      if (voc.skipped > 0) {
        skipped.push({
          file,
          reason: `annotation: ${voc.skipped} object(s) without a class name or a complete box`,
        });
        continue;
      }
      let result: ResultMessage | undefined;
      try {
        result = await session.detectUrl(`/__voc/images/${encodeURIComponent(file)}`);
      } catch (error) {
        skipped.push({ file, reason: `image: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      if (result === undefined) {
        skipped.push({ file, reason: 'the detector skipped the image' });
        continue;
      }
      // The annotation's boxes are in the pixels of the picture it was drawn on: a resized copy is scaled to
      // the image, anything else (a rotated picture, the wrong file) would misplace every box.
      const scale = annotationScale(voc, result);
      if (typeof scale === 'string') {
        skipped.push({ file, reason: `annotation: ${scale}` });
        continue;
      }
      const truth = voc.objects.map((o) => ({
        box: {
          x: o.box.x * scale,
          y: o.box.y * scale,
          width: o.box.width * scale,
          height: o.box.height * scale,
        },
        name: o.name,
        difficult: o.difficult,
      }));
      const faces = result.faces.map((f) => ({
        box: f.box,
        detScore: f.detScore,
        label: f.label,
        probs: f.probs,
      }));
      scored.push({ truth, predicted: faces });
      records.push({
        file: basename(file),
        width: result.width,
        height: result.height,
        faces: faces.map((f) => ({
          box: [f.box.x, f.box.y, f.box.x + f.box.width, f.box.y + f.box.height],
          detScore: f.detScore,
          label: f.label,
          probs: f.probs,
        })),
      });
    }
    options.onProgress?.(files.length, files.length);
  } finally {
    await session.close();
  }
  const all = { iouThreshold: 0.5, minHeight: 0 };
  const failures = e2eFailures(scored, all);
  return {
    range,
    images: records.length,
    skipped,
    all: e2eMetrics(scored, all),
    atLeast32px: e2eMetrics(scored, { iouThreshold: 0.5, minHeight: 32 }),
    failures: {
      missed: failures.missed.map((m) => ({
        file: records[m.image]!.file,
        label: m.truth.name,
        height: m.truth.box.height,
        bestIou: m.bestIou,
      })),
      misclassified: failures.misclassified.map((m) => ({
        file: records[m.image]!.file,
        label: m.truth.name,
        predicted: m.predicted.label,
        probWithoutMask: m.predicted.probs.without_mask,
      })),
    },
    predictions: { images: records },
  };
}

const percent = (v: number) => (Number.isNaN(v) ? '   n/a' : `${(100 * v).toFixed(1).padStart(5)}%`);

/** A rate with its count and 95 % Wilson interval, e.g. ` 93.7% 59/63 [84.8, 97.5]`. */
function rate(successes: number, trials: number): string {
  if (trials === 0) return percent(Number.NaN);
  const [low, high] = wilsonInterval(successes, trials).map((v) => (100 * v).toFixed(1));
  return `${percent(successes / trials)} ${successes}/${trials} [${low}, ${high}]`;
}

const COLUMN = 30;

/** The report as a table. */
export function formatReport(report: E2EReport): string {
  const rows = [
    ['faces (truth)', (m: E2EMetrics) => String(m.faces).padStart(6)],
    ['face recall @IoU0.5', (m: E2EMetrics) => rate(m.matched, m.faces)],
    ['face precision', (m: E2EMetrics) => rate(m.matched, m.predictions)],
    ['classification acc.', (m: E2EMetrics) => rate(m.correct, m.classified)],
    ['AP with_mask', (m: E2EMetrics) => percent(m.ap.with_mask)],
    ['AP without_mask', (m: E2EMetrics) => percent(m.ap.without_mask)],
    ['mAP', (m: E2EMetrics) => percent(m.mAP)],
  ] as const;
  const lines = [
    `range ${report.range}: ${report.images} images, ${report.skipped.length} skipped`,
    `${''.padEnd(22)}${'all faces'.padEnd(COLUMN)}faces ≥ 32 px`,
    ...rows.map(([name, f]) => `${name.padEnd(22)}${f(report.all).padEnd(COLUMN)}${f(report.atLeast32px)}`),
    'rates: count and 95 % Wilson interval in brackets',
    ...report.failures.missed.map(
      (m) =>
        `missed        ${m.file}: ${m.label}, ${Math.round(m.height)} px tall, best IoU ${m.bestIou.toFixed(2)}`,
    ),
    ...report.failures.misclassified.map(
      (m) =>
        `misclassified ${m.file}: ${m.label} taken for ${m.predicted}, P(without_mask) ${m.probWithoutMask.toFixed(3)}`,
    ),
    ...report.skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
  ];
  return lines.join('\n');
}

function positiveInteger(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${option} must be a whole number of at least 1, not "${text}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      voc: { type: 'string' },
      range: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  if (values.voc === undefined)
    throw new Error('usage: npm run eval:e2e -- --voc DIR [--range near|far|auto] [--out FILE]');
  if (!DETECTION_RANGES.includes(values.range as DetectionRange))
    throw new Error(`--range must be one of ${DETECTION_RANGES.join(', ')}`);
  const report = await evaluateVoc(resolve(values.voc), {
    range: values.range as DetectionRange,
    limit: values.limit === undefined ? undefined : positiveInteger(values.limit, '--limit'),
    onProgress: (done, total) => process.stderr.write(`\r${done}/${total} images`),
  });
  process.stderr.write('\n');
  console.log(formatReport(report));
  if (values.out !== undefined) await writeFile(values.out, JSON.stringify(report.predictions, null, 1));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`eval:e2e: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
