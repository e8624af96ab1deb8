/**
 * `npm run eval:e2e` and `npm run bench` on a tiny input: the form of their output, not their speed
 * (speed is the benchmark's business, on a quiet machine).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateVoc, formatReport } from '../../scripts/eval-e2e.ts';
import { formatBench, runBench } from '../../scripts/bench.ts';
import { IDLE_FRAME_INTERVAL_MS } from '../../src/pipeline/doorway-pacing.ts';
import { SHARED_DIR } from '../helpers/browser.ts';

describe('npm run eval:e2e', () => {
  it('scores a few door photos and writes predictions in the agreed form', async () => {
    const report = await evaluateVoc(join(SHARED_DIR, 'data/door-photos'), { limit: 4 });
    expect(report.images + report.skipped.length).toBe(4);
    expect(report.all.faces).toBeGreaterThanOrEqual(4);
    for (const metrics of [report.all, report.atLeast32px]) {
      for (const value of [metrics.recall, metrics.precision]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    for (const image of report.predictions.images) {
      expect(Object.keys(image).sort()).toEqual(['faces', 'file', 'height', 'width']);
      expect(image.file).toMatch(/\.jpg$/);
      for (const face of image.faces) {
        expect(Object.keys(face).sort()).toEqual(['box', 'detScore', 'label', 'probs']);
        expect(face.box).toHaveLength(4);
        expect(face.box[2]).toBeGreaterThan(face.box[0]);
        expect(['with_mask', 'without_mask']).toContain(face.label);
        expect(face.probs.with_mask + face.probs.without_mask).toBeCloseTo(1, 5);
      }
    }
    const table = formatReport(report);
    expect(table).toMatch(/face recall @IoU0\.5/);
    expect(table).toMatch(/mAP/);
    // Each failure behind the recall and accuracy figures is listed by file, and only those.
    expect(report.failures.missed).toHaveLength(report.all.faces - report.all.matched);
    expect(report.failures.misclassified).toHaveLength(report.all.classified - report.all.correct);
    for (const m of report.failures.misclassified) {
      expect(table).toContain(`misclassified ${m.file}: ${m.label} taken for ${m.predicted}`);
    }
    for (const m of report.failures.missed) expect(table).toContain(`missed        ${m.file}: ${m.label}`);
  }, 300_000);

  it('reports and skips unreadable images and annotations, and scores the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskguard-voc-'));
    try {
      const door = join(SHARED_DIR, 'data/door-photos');
      mkdirSync(join(dir, 'images'));
      mkdirSync(join(dir, 'annotations'));
      const annotation = (photo: string) => readFileSync(join(door, 'annotations', `${photo}.xml`), 'utf8');
      const copy = (photo: string, as = photo) =>
        copyFileSync(join(door, 'images', `${photo}.jpg`), join(dir, 'images', `${as}.jpg`));
      // Good: scored.
      copy('2-photo');
      writeFileSync(join(dir, 'annotations/2-photo.xml'), annotation('2-photo'));
      // Not a picture.
      writeFileSync(join(dir, 'images/broken.jpg'), 'not a JPEG');
      writeFileSync(join(dir, 'annotations/broken.xml'), annotation('2-photo'));
      // No annotation file.
      copy('4-photo', 'unannotated');
      // An object without a box.
      copy('6-photo', 'boxless');
      writeFileSync(
        join(dir, 'annotations/boxless.xml'),
        annotation('6-photo').replace(/<ymax>[^<]*<\/ymax>/, ''),
      );
      // Annotated on a picture of another shape (e.g. before an EXIF rotation).
      copy('9-photo', 'rotated');
      writeFileSync(
        join(dir, 'annotations/rotated.xml'),
        annotation('9-photo').replace(/<height>[^<]*<\/height>/, '<height>120</height>'),
      );
      const report = await evaluateVoc(dir);
      expect(report.images).toBe(1);
      expect(report.all.faces).toBe(1);
      const reasons = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
      expect(Object.keys(reasons).sort()).toEqual([
        'boxless.jpg',
        'broken.jpg',
        'rotated.jpg',
        'unannotated.jpg',
      ]);
      expect(reasons['broken.jpg']).toMatch(/^image: /);
      expect(reasons['unannotated.jpg']).toMatch(/^annotation: .*ENOENT/);
      expect(reasons['boxless.jpg']).toMatch(/without a class name or a complete box/);
      expect(reasons['rotated.jpg']).toMatch(/drawn on a 240×120 picture, but the image is 240×240/);
      const table = formatReport(report);
      for (const file of Object.keys(reasons)) expect(table).toContain(`skipped ${file}: `);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('fails clearly on a folder that is not a VOC folder', async () => {
    await expect(evaluateVoc('/nonexistent')).rejects.toThrow(/does not exist/);
  });
});

describe('npm run bench', () => {
  it('measures load, latency per stage, fps, memory and precache on a few frames', async () => {
    const report = await runBench({
      framesPerConfig: 3,
      memoryFrames: 150,
      sustainedSeconds: 1,
      doorwaySeconds: 3,
      tiny: true,
    });
    expect(report.load.coldMs).toBeGreaterThan(0);
    expect(report.latency.map((l) => [l.range, l.size, l.faces])).toEqual([
      ['near', '640x480', 0],
      ['near', '640x480', 1],
    ]);
    for (const row of report.latency) {
      expect(row.frames).toBe(3);
      expect(row.total.median).toBeGreaterThan(0);
      expect(row.detectOnly.median).toBeGreaterThan(0);
    }
    expect(report.latency[1]!.classify.median).toBeGreaterThan(0);
    // The faces the pipeline found, not only those composed in.
    expect(report.latency.map((l) => l.facesFound)).toEqual([0, 1]);
    expect(report.sustainedFps.fps).toBeGreaterThan(0);
    // Counted by the worker itself, which starts fresh for the memory readings.
    expect([report.memory.framesA, report.memory.framesB]).toEqual([100, 150]);
    expect(report.memory.tensorsB).toBe(report.memory.tensorsA);
    // The worker's heap, read through CDP: a few MB, and present both times.
    expect(report.memory.heapA).toBeGreaterThan(1_000_000);
    expect(report.memory.heapB).toBeGreaterThan(1_000_000);
    expect(report.precache.totalBytes).toBeGreaterThan(10_000_000);
    expect(['webgl', 'wasm']).toContain(report.backend);
    expect(report.foreignRequests).toEqual([]);
    expect(report.load.warmMs).toBeGreaterThan(0);
    expect(report.warmLoadFetched).toEqual([]);
    expect(formatBench(report)).toMatch(/Sustained: .* processed frames\/s/);
    // The whole app on an empty doorway: paced to at most two frames a second (a few frames in 3 s), and the
    // browser's CPU read (Linux).
    expect(report.emptyDoorway?.framesPerSecond).toBeGreaterThan(0);
    expect(report.emptyDoorway?.framesPerSecond).toBeLessThanOrEqual(1000 / IDLE_FRAME_INTERVAL_MS + 0.5);
    expect(report.emptyDoorway?.cpuCores).toBeGreaterThan(0);
    expect(formatBench(report)).toMatch(/Empty doorway .* frames checked\/s, browser CPU \d/);
  }, 600_000);
});
