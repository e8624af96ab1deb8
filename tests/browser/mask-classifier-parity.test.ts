import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLASS_NAMES,
  INPUT_SIZE,
  MODEL_URL_PATH,
  PIXEL_OFFSET,
  PIXEL_SCALE,
  decideMaskClass,
  toModelInput,
} from '../../src/shared/mask-classifier-spec.ts';
import { loadRgb } from '../../scripts/classifier/face-image.ts';
import { pictures, readMaskDataset } from '../../scripts/classifier/mask-dataset.ts';
import { loadLayersModelFromDir } from '../../scripts/classifier/model-files.ts';
import { useWasmBackend } from '../../scripts/classifier/tf-wasm.ts';
import { DIST_DIR, SHARED_DIR, launchApp, type AppSession } from '../helpers/browser.ts';

/**
 * The shipped classifier, as served from dist/ (after `vite build`), gives in Chromium the same class and
 * probabilities within 1e-3 as in Node (wasm), on each of the app's two backends: webgl (what a phone with
 * a GPU runs; here Chromium's software GL) and wasm (what the worker picks without a GPU, as on this
 * machine). Both sides get the same 224×224 RGB bytes, decoded once here with sharp, so only the model
 * runs differ.
 */

const PICTURES = 20;
const TOLERANCE = 1e-3;

/**
 * Page code, as a string so the test transform cannot rewrite it. Uses the UMD builds of tfjs and its
 * wasm backend (added as script tags from the test-only node_modules mount), the model from the app's own
 * origin, and the same normalization as the spec module.
 */
const PAGE_CLASSIFY = `async ({ pixels, size, modelPath, backend }) => {
  const tf = window.tf;
  tf.wasm.setWasmPaths('/__node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend(backend))) throw new Error('backend ' + backend + ' did not initialise');
  await tf.ready();
  const model = await tf.loadLayersModel('/' + modelPath);
  // Also the pooled backbone features: unlike confident softmax outputs they are far from saturation, so
  // they show any drift of the backbone itself.
  const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('features').output });
  const probabilities = [];
  const pooled = [];
  for (const base64 of pixels) {
    const rgb = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const values = new Float32Array(size * size * 3);
    for (let i = 0; i < values.length; i++) values[i] = (rgb[i] - ${PIXEL_OFFSET}) * ${PIXEL_SCALE};
    const x = tf.tensor4d(values, [1, size, size, 3]);
    const y = model.predict(x);
    const f = features.predict(x);
    probabilities.push(Array.from(await y.data()));
    pooled.push(Array.from(await f.data()));
    tf.dispose([x, y, f]);
  }
  return { backend: tf.getBackend(), probabilities, pooled };
}`;

describe('mask classifier parity: Chromium vs Node', () => {
  let app: AppSession;
  beforeAll(async () => {
    app = await launchApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives the same class and probabilities within 1e-3 on 20 test pictures, on webgl and on wasm', async () => {
    const modelDir = join(DIST_DIR, 'models/mask-classifier');
    expect(
      existsSync(join(modelDir, 'model.json')),
      'dist/ holds the model: run `npx vite build` first',
    ).toBe(true);
    // Ten of each class from the test split, in file order.
    const test = pictures(readMaskDataset(join(SHARED_DIR, 'data/mask-crops')), 'test');
    const chosen = CLASS_NAMES.flatMap((_, k) => test.filter((p) => p.label === k).slice(0, PICTURES / 2));
    const pixels = await Promise.all(chosen.map((p) => loadRgb(p.path)));

    await useWasmBackend();
    const model = await loadLayersModelFromDir(modelDir);
    const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('features').output });
    const nodeProbabilities: number[][] = [];
    const nodePooled: number[][] = [];
    for (const rgb of pixels) {
      tf.tidy(() => {
        const x = tf.tensor4d(toModelInput(rgb), [1, INPUT_SIZE, INPUT_SIZE, 3]);
        nodeProbabilities.push(Array.from((model.predict(x) as tf.Tensor).dataSync()));
        nodePooled.push(Array.from((features.predict(x) as tf.Tensor).dataSync()));
      });
    }
    model.dispose();

    const page = await app.context.newPage();
    // Any page of the app's origin will do; a plain-text file keeps the app and its service worker out.
    await page.goto(`${app.server.url}__shared/models/imagenet_labels.txt`);
    await page.addScriptTag({ url: '/__node_modules/@tensorflow/tfjs/dist/tf.min.js' });
    await page.addScriptTag({
      url: '/__node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
    });
    for (const backend of ['webgl', 'wasm']) {
      const input = {
        pixels: pixels.map((rgb) => Buffer.from(rgb).toString('base64')),
        size: INPUT_SIZE,
        modelPath: MODEL_URL_PATH,
        backend,
      };
      const browser = (await page.evaluate(`(${PAGE_CLASSIFY})(${JSON.stringify(input)})`)) as {
        backend: string;
        probabilities: number[][];
        pooled: number[][];
      };
      expect(browser.backend).toBe(backend);
      const worst = Math.max(
        ...nodeProbabilities.flatMap((p, i) => p.map((v, c) => Math.abs(v - browser.probabilities[i][c]))),
      );
      const worstFeature = Math.max(
        ...nodePooled.flatMap((p, i) => p.map((v, c) => Math.abs(v - browser.pooled[i][c]))),
      );
      console.info(
        `parity (${backend}): largest difference ${worst.toExponential(2)} in probabilities, ` +
          `${worstFeature.toExponential(2)} in pooled features`,
      );
      expect(browser.probabilities.map((p) => decideMaskClass(p))).toEqual(
        nodeProbabilities.map((p) => decideMaskClass(p)),
      );
      expect(worst, backend).toBeLessThanOrEqual(TOLERANCE);
      expect(worstFeature, backend).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(app.foreignRequests).toEqual([]);
  });
});
