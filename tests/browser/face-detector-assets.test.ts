/**
 * The generated detector models load in tasks-vision's FaceDetector, from our own origin only, and find
 * the reference faces of `../shared/models/samples/face.jpg` (REFERENCE.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchApp, type AppSession } from '../helpers/browser.ts';

interface Face {
  box: { originX: number; originY: number; width: number; height: number };
  score: number;
}

/** Reference boxes (x, y, width, height) from ../shared/models/samples/REFERENCE.md. */
const REFERENCE = {
  short: [
    [256, 70, 103, 103],
    [131, 104, 97, 97],
  ],
  full: [
    [249, 62, 108, 108],
    [125, 92, 108, 108],
    [440, 127, 54, 54],
    [0, 110, 48, 48],
  ],
} as const;

async function detect(page: Page, modelPath: string): Promise<Face[]> {
  const result = await page.evaluate(async (modelPath) => {
    const worker = new Worker('/__fixtures/detect-worker.js', { type: 'module' });
    const image = await createImageBitmap(await (await fetch('/__shared/models/samples/face.jpg')).blob());
    const reply = new Promise<{ faces?: unknown; error?: string }>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => resolve({ error: event.message });
    });
    worker.postMessage({ modelPath, image }, [image]);
    const data = await reply;
    worker.terminate();
    return data;
  }, modelPath);
  expect(result.error).toBeUndefined();
  return result.faces as Face[];
}

function expectFaces(faces: Face[], reference: readonly (readonly number[])[]): void {
  expect(faces).toHaveLength(reference.length);
  for (const [x, y, w, h] of reference) {
    const match = faces.find((f) => Math.abs(f.box.originX - x!) <= 10 && Math.abs(f.box.originY - y!) <= 10);
    expect(match, `a face near (${x}, ${y})`).toBeDefined();
    expect(Math.abs(match!.box.width - w!)).toBeLessThanOrEqual(10);
    expect(Math.abs(match!.box.height - h!)).toBeLessThanOrEqual(10);
    expect(match!.score).toBeGreaterThanOrEqual(0.5);
  }
}

describe('face detector assets served from our origin', () => {
  let app: AppSession;
  let page: Page;
  beforeAll(async () => {
    app = await launchApp();
    page = await app.context.newPage();
    await page.goto(app.server.url);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('short-range model finds the 2 reference faces', async () => {
    expectFaces(await detect(page, '/models/face-detector-short-range.tflite'), REFERENCE.short);
  });

  it('full-range model finds the 4 reference faces', async () => {
    expectFaces(await detect(page, '/models/face-detector-full-range.tflite'), REFERENCE.full);
  });

  // The fixture worker refuses other origins itself (as the app's worker does), so this shows where the files
  // came from; that the app's own worker sends nothing elsewhere is checked by the tests that run it.
  it('loaded the models and the wasm from the app origin', () => {
    expect(app.foreignRequests).toEqual([]);
    expect(app.server.requests).toContain('/models/face-detector-short-range.tflite');
    expect(app.server.requests).toContain('/vendor/mediapipe/vision_wasm_module_internal.wasm');
  });
});
