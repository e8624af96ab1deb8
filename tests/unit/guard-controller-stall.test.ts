/**
 * The live screen's status line while the detector does not answer a frame (GuardController.checkAnswering):
 * said after SLOW_ANSWER_MS, and put back to what it was once the detector answers (a result or an error),
 * through a worker restart, failed frames and a camera paused by the phone. The controller runs in Node here,
 * on the few page objects it touches at construction, with a stand-in detection client and shift log; its
 * watchdog tick is called by hand. Also the notice of a phone that checks the camera's picture too slowly to
 * count everyone (state.slowChecks, from CheckRate).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SLOW_ANSWER_MS } from '../../src/pipeline/detection-client.ts';

const noop = () => {};
const target = () => ({ addEventListener: noop, removeEventListener: noop });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Controller = any;
let make: () => { c: Controller; wait: (ms: number | undefined) => void; client: EventTarget };

beforeAll(async () => {
  vi.stubGlobal('document', {
    ...target(),
    visibilityState: 'visible',
    createElement: () => ({ ...target(), setAttribute: noop, removeAttribute: noop, src: '', pause: noop }),
  });
  vi.stubGlobal('window', target());
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: noop, removeItem: noop });
  // The watchdog's timer is not started: each test ticks it.
  vi.stubGlobal('setInterval', () => 0);
  const { GuardController } = await import('../../src/pipeline/guard-controller.ts');
  make = () => {
    let waiting: number | undefined;
    const client = Object.assign(new EventTarget(), { setRange: noop });
    Object.defineProperty(client, 'waitingMs', { get: () => waiting });
    const log = Object.assign(new EventTarget(), {
      status: { state: 'saved', pending: 0, message: '' },
      currentShift: () => undefined,
      getSetting: () => false,
      events: async () => [],
    });
    const c: Controller = new GuardController(client as never, log as never);
    c.update({ source: 'camera', status: 'Watching the door', modelsReady: true });
    return { c, client, wait: (ms) => (waiting = ms) };
  };
});

const STALLED = 'The detector is not answering. Faces are not being checked right now.';
const result = (frameId: number) => ({
  type: 'result',
  frameId,
  timestampMs: frameId,
  width: 640,
  height: 480,
  faces: [],
  timings: {},
});
const failed = (frameId: number) => ({ type: 'error', fatal: false, message: 'A frame failed.', frameId });

describe('the status line while the detector does not answer', () => {
  it('says so once a frame has waited over SLOW_ANSWER_MS, and not before', () => {
    const { c, wait } = make();
    wait(SLOW_ANSWER_MS - 100);
    c.checkAnswering();
    expect(c.state.status).toBe('Watching the door');
    wait(SLOW_ANSWER_MS + 100);
    c.checkAnswering();
    expect(c.state.status).toBe(STALLED);
    expect(c.notChecking).toBe(STALLED);
    expect(c.state.frame).toBeUndefined();
  });

  it('goes back to the line before once the detector answers', () => {
    const { c, wait } = make();
    wait(SLOW_ANSWER_MS + 500);
    c.checkAnswering();
    wait(undefined);
    c.onResult(result(1));
    expect(c.state.status).toBe('Watching the door');
    expect(c.notChecking).toBeUndefined();
  });

  it('never comes back as the line to put back after failed frames', () => {
    // A stall, then three frames answered with errors (the failed-frames warning), then a good frame.
    const { c, wait } = make();
    wait(SLOW_ANSWER_MS + 500);
    c.checkAnswering();
    wait(undefined);
    for (let i = 1; i <= 3; i++) c.onDetectorError(failed(i));
    expect(c.state.status).toBe('A frame failed. Faces are not being checked right now.');
    c.onResult(result(4));
    expect(c.state.status).toBe('Watching the door');
    expect(c.notChecking).toBeUndefined();
  });

  it('ends with an error answer too', () => {
    const { c, wait } = make();
    wait(SLOW_ANSWER_MS + 500);
    c.checkAnswering();
    wait(undefined);
    c.onDetectorError(failed(1));
    expect(c.state.status).toBe('Watching the door');
  });

  it('gives way to the restart, after which the line before the stall comes back', () => {
    const { c, client, wait } = make();
    wait(SLOW_ANSWER_MS + 500);
    c.checkAnswering();
    client.dispatchEvent(new Event('restart'));
    expect(c.state.status).toBe('The detector restarted; resuming…');
    wait(undefined);
    const ready = { classifierBackend: 'webgl', detectorDelegate: 'GPU' };
    client.dispatchEvent(new CustomEvent('ready', { detail: ready }));
    expect(c.state.status).toBe('Watching the door');
  });

  it('is said again for a frame still unanswered after the camera reopened', () => {
    const { c, wait } = make();
    wait(SLOW_ANSWER_MS + 500);
    c.checkAnswering();
    c.update({ status: 'Watching the door' }); // the camera reopened, the same frame still hangs
    wait(SLOW_ANSWER_MS + 5000);
    c.checkAnswering();
    expect(c.state.status).toBe(STALLED);
    wait(undefined);
    c.onResult(result(1));
    expect(c.state.status).toBe('Watching the door');
  });

  it('does not bring back "no picture" once the phone gave the camera back meanwhile', () => {
    const { c, wait } = make();
    c.camera.events.muted();
    wait(SLOW_ANSWER_MS + 500);
    c.checkAnswering();
    c.camera.events.unmuted();
    wait(undefined);
    c.onResult(result(1));
    expect(c.state.status).toBe('Watching the door');
    expect(c.notChecking).toBeUndefined();
  });

  it('is not said over a finished video file or a photo', () => {
    const { c, wait } = make();
    wait(SLOW_ANSWER_MS + 500);
    c.update({ source: 'photo', status: 'Checking a.jpg' });
    c.checkAnswering();
    expect(c.state.status).toBe('Checking a.jpg');
    c.update({ source: 'video-file', status: 'Finished a.webm' });
    c.video.ended = true;
    c.checkAnswering();
    expect(c.state.status).toBe('Finished a.webm');
  });
});

describe('the notice of a phone too slow to count everyone', () => {
  /** A result with one face at x = `x` (each far from the last, so that nobody is ever counted). */
  const withFace = (frameId: number, timestampMs: number, x: number) => ({
    ...result(frameId),
    timestampMs,
    faces: [
      {
        box: { x, y: 100, width: 60, height: 60 },
        crop: { x, y: 100, width: 60, height: 60 },
        detScore: 0.9,
        label: 'with_mask',
        probs: { with_mask: 0.9, without_mask: 0.1 },
      },
    ],
  });

  it('says how many pictures a second the camera gets checked when under 2, and goes once they are faster', () => {
    const { c } = make();
    for (let i = 0; i < 6; i++) c.onResult(withFace(i + 1, 10_000 + 700 * i, (i % 2) * 400));
    expect(c.state.slowChecks).toBeCloseTo(1000 / 700, 6);
    for (let i = 0; i < 6; i++) c.onResult(withFace(i + 7, 14_000 + 100 * i, (i % 2) * 400));
    expect(c.state.slowChecks).toBeUndefined();
  });

  it('says nothing for a video file, however slowly it is checked', () => {
    const { c } = make();
    c.update({ source: 'video-file' });
    c.fileFramesChecked = 1;
    for (let i = 0; i < 6; i++) c.onResult(withFace(i + 1, 10_000 + 700 * i, (i % 2) * 400));
    expect(c.state.slowChecks).toBeUndefined();
  });
});
