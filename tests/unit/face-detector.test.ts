/**
 * How the worker drives one MediaPipe detector (detectOn): the timestamps it is given, and what happens when
 * its WebGL context is lost. The detector itself runs in the browser tests (worker-modes, live-camera).
 */
import { describe, expect, it } from 'vitest';
import type { FaceDetector } from '@mediapipe/tasks-vision';
import { detectOn, type DetectorInstance } from '../../src/worker/face-detector.ts';

/** A detector that records its timestamps, on a canvas whose context can be lost. */
function fakeInstance(contextType: 'webgl2' | 'webgl' = 'webgl2') {
  const timestamps: number[] = [];
  const context = { lost: false, isContextLost: () => context.lost };
  const canvas = {
    getContext: (type: string) => (type === contextType ? context : null),
  } as unknown as OffscreenCanvas;
  const detector = {
    detectForVideo: (_image: unknown, timestamp: number) => {
      timestamps.push(timestamp);
      return { detections: [] };
    },
  } as unknown as FaceDetector;
  const instance: DetectorInstance = { detector, canvas, lastTimestamp: -Infinity };
  return { instance, timestamps, context };
}

const image = {} as ImageBitmap;

describe('detectOn', () => {
  it('gives each detector strictly increasing timestamps, 1 ms on when a frame brings none later', () => {
    const { instance, timestamps } = fakeInstance();
    for (const t of [100, 100, 50, 101.5, 200]) detectOn(instance, image, t);
    expect(timestamps).toEqual([100, 101, 102, 103, 200]);
  });

  it('keeps one clock per detector', () => {
    const short = fakeInstance();
    const full = fakeInstance();
    detectOn(short.instance, image, 100);
    detectOn(short.instance, image, 100); // the zoomed-out pass of the same frame
    detectOn(full.instance, image, 100);
    expect(short.timestamps).toEqual([100, 101]);
    expect(full.timestamps).toEqual([100]);
  });

  it.each(['webgl2', 'webgl'] as const)(
    'refuses to run a detector whose %s context is lost, instead of finding nothing',
    (type) => {
      const { instance, timestamps, context } = fakeInstance(type);
      detectOn(instance, image, 100);
      context.lost = true;
      expect(() => detectOn(instance, image, 200)).toThrow(/lost its WebGL context/);
      expect(timestamps).toEqual([100]);
    },
  );
});
