/**
 * The page ⇄ worker protocol and the client that owns the worker, tested without a real worker: a fake
 * worker answers over a real MessageChannel, so transfers really detach buffers.
 */
import { describe, expect, it, vi } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { DetectionClient, type WorkerLike } from '../../src/pipeline/detection-client.ts';
import {
  transferablesOf,
  type InitRequest,
  type WorkerMessage,
  type WorkerRequest,
} from '../../src/shared/protocol.ts';

/** A stand-in for an ImageBitmap: transferable (an ArrayBuffer) with a `close()` to count closes. */
function fakeBitmap(): ImageBitmap & ArrayBuffer & { closed: number } {
  const buffer = new ArrayBuffer(64) as ArrayBuffer & { closed: number; close(): void };
  buffer.closed = 0;
  buffer.close = () => buffer.closed++;
  return buffer as unknown as ImageBitmap & ArrayBuffer & { closed: number };
}

type Behaviour = (
  request: WorkerRequest,
  reply: (message: WorkerMessage) => void,
  worker: FakeWorker,
) => void;

/** A worker whose other end is `behaviour`, across a MessageChannel. */
class FakeWorker implements WorkerLike {
  onmessage: Worker['onmessage'] = null;
  onerror: Worker['onerror'] = null;
  received: WorkerRequest[] = [];
  terminated = false;
  private readonly channel = new MessageChannel();

  constructor(behaviour: Behaviour) {
    this.channel.port1.on('message', (data: WorkerMessage) => {
      this.onmessage?.call(this as unknown as Worker, { data } as MessageEvent);
    });
    this.channel.port2.on('message', (request: WorkerRequest) => {
      this.received.push(request);
      behaviour(request, (message) => this.channel.port2.postMessage(message), this);
    });
  }
  postMessage(message: WorkerRequest, transfer?: Transferable[] | StructuredSerializeOptions): void {
    this.channel.port1.postMessage(message, transfer as ArrayBuffer[]);
  }
  terminate(): void {
    this.terminated = true;
    this.channel.port1.close();
  }
  crash(message: string): void {
    this.onerror?.call(this as unknown as Worker, { message, preventDefault() {} } as ErrorEvent);
  }
}

/** A well-behaved worker: ready at once, answers frames with one face. */
const healthy: Behaviour = (request, reply) => {
  if (request.type === 'init') {
    reply({ type: 'progress', stage: 'Loading', fraction: 0.5 });
    reply({ type: 'ready', classifierBackend: 'wasm', detectorDelegate: request.detectorDelegate ?? 'CPU' });
  } else if (request.type === 'frame') {
    reply({
      type: 'result',
      frameId: request.frameId,
      timestampMs: request.timestampMs,
      width: 640,
      height: 480,
      faces: [],
      timings: { detectMs: 1, cropMs: 1, classifyMs: 1, totalMs: 3 },
    });
  }
};

/** The worker's answer to a frame that failed inside it (an error it caught). */
const frameFailed = (frameId: number): WorkerMessage => ({
  type: 'error',
  fatal: false,
  frameId,
  message: 'A frame could not be checked.',
});

function clientWith(behaviours: Behaviour[], options = {}) {
  const workers: FakeWorker[] = [];
  const client = new DetectionClient({
    baseUrl: 'http://localhost/',
    createWorker: () => {
      const worker = new FakeWorker(behaviours[Math.min(workers.length, behaviours.length - 1)]!);
      workers.push(worker);
      return worker;
    },
    ...options,
  });
  return { client, workers };
}

describe('protocol', () => {
  it('transfers a frame bitmap (the sender loses it) and nothing else', () => {
    const bitmap = fakeBitmap();
    const frame: WorkerRequest = { type: 'frame', frameId: 1, timestampMs: 0, mode: 'video', bitmap };
    expect(transferablesOf(frame)).toEqual([bitmap]);
    expect(transferablesOf({ type: 'stats' })).toEqual([]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(frame, transferablesOf(frame) as unknown as ArrayBuffer[]);
    expect(bitmap.byteLength).toBe(0);
    port1.close();
    port2.close();
  });
});

describe('DetectionClient', () => {
  it('loads, reports progress, and answers a frame with the transferred bitmap', async () => {
    const { client, workers } = clientWith([healthy]);
    const progress = vi.fn();
    client.addEventListener('progress', progress);
    const ready = await client.start();
    expect(ready.classifierBackend).toBe('wasm');
    expect(progress).toHaveBeenCalledTimes(1);
    expect((workers[0]!.received[0] as InitRequest).baseUrl).toBe('http://localhost/');
    const bitmap = fakeBitmap();
    const result = await client.submit(bitmap, 100, 'video');
    expect(result?.type).toBe('result');
    expect(result?.frameId).toBe(1);
    expect(bitmap.byteLength).toBe(0); // transferred, not copied
    expect(client.idle).toBe(true);
    client.stop();
  });

  it('keeps one frame in flight: a frame offered while busy is closed here and never sent', async () => {
    let answer: (() => void) | undefined;
    const slow: Behaviour = (request, reply, worker) => {
      if (request.type !== 'frame') return healthy(request, reply, worker);
      answer = () => healthy(request, reply, worker);
    };
    const { client, workers } = clientWith([slow]);
    await client.start();
    const first = client.submit(fakeBitmap(), 1, 'video');
    await vi.waitFor(() => expect(answer).toBeDefined());
    const second = fakeBitmap();
    expect(await client.submit(second, 2, 'video')).toBeUndefined();
    expect(second.closed).toBe(1);
    answer!();
    expect((await first)?.frameId).toBe(1);
    expect(workers[0]!.received.filter((r) => r.type === 'frame')).toHaveLength(1);
    client.stop();
  });

  it('lets a photo wait for the frame in flight instead of skipping it, still one frame at a time', async () => {
    const answers: (() => void)[] = [];
    const slow: Behaviour = (request, reply, worker) => {
      if (request.type !== 'frame') return healthy(request, reply, worker);
      answers.push(() => healthy(request, reply, worker));
    };
    const { client, workers } = clientWith([slow]);
    await client.start();
    const video = client.submit(fakeBitmap(), 1, 'video');
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    const photo = fakeBitmap();
    const checked = client.submit(photo, 2, 'image');
    // Not sent while the video frame is in flight, and not closed either.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(workers[0]!.received.filter((r) => r.type === 'frame')).toHaveLength(1);
    expect(photo.closed).toBe(0);
    answers[0]!();
    expect((await video)?.frameId).toBe(1);
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    answers[1]!();
    expect((await checked)?.frameId).toBe(2);
    expect(photo.byteLength).toBe(0); // transferred once its turn came
    client.stop();
  });

  it('sends a waiting photo to the replacement when the worker crashes on the frame in flight', async () => {
    let crashNext = true;
    const crashOnce: Behaviour = (request, reply, worker) => {
      if (request.type !== 'frame' || !crashNext) return healthy(request, reply, worker);
      crashNext = false;
      setTimeout(() => worker.crash('out of memory'), 10);
    };
    const { client, workers } = clientWith([crashOnce, healthy]);
    await client.start();
    const video = client.submit(fakeBitmap(), 1, 'video');
    await vi.waitFor(() => expect(workers[0]!.received.some((r) => r.type === 'frame')).toBe(true));
    const checked = client.submit(fakeBitmap(), 2, 'image');
    expect(await video).toBeUndefined();
    expect((await checked)?.type).toBe('result');
    expect(workers).toHaveLength(2);
    client.stop();
  });

  it('answers a frame the worker dropped with undefined', async () => {
    const dropping: Behaviour = (request, reply, worker) =>
      request.type === 'frame'
        ? reply({ type: 'dropped', frameId: request.frameId })
        : healthy(request, reply, worker);
    const { client } = clientWith([dropping]);
    expect(await client.submit(fakeBitmap(), 1, 'video')).toBeUndefined();
    expect(client.idle).toBe(true);
    client.stop();
  });

  it('rejects start with the guard-readable message when the models cannot load', async () => {
    const broken: Behaviour = (_request, reply) =>
      reply({
        type: 'error',
        fatal: true,
        message: 'MaskGuard could not load its models.',
        detail: 'HTTP 404',
      });
    const { client } = clientWith([broken]);
    // The guard's words and the technical cause, apart: the screen shows the one and keeps the other aside.
    await expect(client.start()).rejects.toMatchObject({
      name: 'DetectorError',
      message: 'MaskGuard could not load its models.',
      detail: 'HTTP 404',
    });
  });

  it('restarts a crashed worker, gives up the frame in flight, and goes on', async () => {
    const crashing: Behaviour = (request, reply, worker) =>
      request.type === 'frame' ? worker.crash('out of memory') : healthy(request, reply, worker);
    const { client, workers } = clientWith([crashing, healthy]);
    const restarts: unknown[] = [];
    client.addEventListener('restart', (e) => restarts.push((e as CustomEvent).detail));
    expect(await client.submit(fakeBitmap(), 1, 'video')).toBeUndefined();
    expect(workers[0]!.terminated).toBe(true);
    expect(restarts).toEqual([{ reason: 'out of memory', attempt: 1 }]);
    const result = await client.submit(fakeBitmap(), 2, 'video');
    expect(result?.type).toBe('result');
    expect(workers).toHaveLength(2);
    client.stop();
  });

  it('restarts a worker that crashed on the GPU delegate with the CPU delegate', async () => {
    const crashing: Behaviour = (request, reply, worker) =>
      request.type === 'frame' ? worker.crash('GL abort') : healthy(request, reply, worker);
    const { client, workers } = clientWith([crashing, healthy], { detectorDelegate: 'GPU' });
    await client.submit(fakeBitmap(), 1, 'video');
    await client.start();
    expect((workers[0]!.received[0] as InitRequest).detectorDelegate).toBe('GPU');
    expect((workers[1]!.received[0] as InitRequest).detectorDelegate).toBe('CPU');
    client.stop();
  });

  it('takes a worker that does not answer a frame in time for hung, and restarts it', async () => {
    const hanging: Behaviour = (request, reply, worker) => {
      if (request.type !== 'frame') healthy(request, reply, worker);
    };
    const { client, workers } = clientWith([hanging, healthy], { frameTimeoutMs: 50 });
    expect(await client.submit(fakeBitmap(), 1, 'video')).toBeUndefined();
    expect(workers[0]!.terminated).toBe(true);
    expect((await client.submit(fakeBitmap(), 2, 'video'))?.type).toBe('result');
    client.stop();
  });

  it('waits for the replacement when the worker crashes while loading', async () => {
    const crashOnInit: Behaviour = (request, reply, worker) =>
      request.type === 'init' ? worker.crash('wasm abort') : healthy(request, reply, worker);
    const { client, workers } = clientWith([crashOnInit, healthy]);
    const restarts: unknown[] = [];
    client.addEventListener('restart', (e) => restarts.push((e as CustomEvent).detail));
    // The caller of start() hears of the second worker's success, not of the first one's crash.
    await expect(client.start()).resolves.toMatchObject({ type: 'ready' });
    expect(workers).toHaveLength(2);
    expect(restarts).toEqual([{ reason: 'wasm abort', attempt: 1 }]);
    expect((await client.submit(fakeBitmap(), 1, 'video'))?.type).toBe('result');
    client.stop();
  });

  it('rejects start() once it gives up on workers that crash while loading, and closes a frame offered then', async () => {
    const crashOnInit: Behaviour = (request, reply, worker) =>
      request.type === 'init' ? worker.crash('wasm abort') : healthy(request, reply, worker);
    const { client, workers } = clientWith([crashOnInit], { maxRestarts: 1 });
    await expect(client.start()).rejects.toMatchObject({
      message: 'The detector crashed while loading.',
      detail: 'wasm abort',
    });
    expect(workers).toHaveLength(2);
    // No worker can take a frame: submit rejects and the bitmap is closed, not leaked.
    const bitmap = fakeBitmap();
    await expect(client.submit(bitmap, 1, 'video')).rejects.toThrow('crashed while loading');
    expect(bitmap.closed).toBe(1);
    client.stop();
  });

  it('gives up with a fatal error after too many crashes in a row', async () => {
    const crashing: Behaviour = (request, reply, worker) =>
      request.type === 'frame' ? worker.crash('boom') : healthy(request, reply, worker);
    const { client, workers } = clientWith([crashing], { maxRestarts: 2 });
    const errors: { fatal: boolean; message: string }[] = [];
    client.addEventListener('error', (e) => errors.push((e as CustomEvent).detail));
    for (let i = 0; i < 3; i++) await client.submit(fakeBitmap(), i, 'video');
    expect(workers).toHaveLength(3);
    expect(errors.at(-1)).toMatchObject({
      fatal: true,
      message: 'The detector keeps crashing.',
    });
  });

  it('gives a start after giving up the full budget of restarts again', async () => {
    const crashing: Behaviour = (request, reply, worker) =>
      request.type === 'frame' ? worker.crash('boom') : healthy(request, reply, worker);
    const { client, workers } = clientWith([crashing], { maxRestarts: 2 });
    const errors: { fatal: boolean }[] = [];
    client.addEventListener('error', (e) => errors.push((e as CustomEvent).detail));
    for (let i = 0; i < 3; i++) await client.submit(fakeBitmap(), i, 'video');
    expect(errors.filter((e) => e.fatal)).toHaveLength(1);
    // The guard tries again: two more restarts before the next fatal error, not none.
    await client.start();
    for (let i = 0; i < 3; i++) await client.submit(fakeBitmap(), 10 + i, 'video');
    expect(workers).toHaveLength(6);
    expect(errors.filter((e) => e.fatal)).toHaveLength(2);
  });

  it.each([
    ['stopped', (client: DetectionClient) => client.stop()],
    ['given up on', (_client: DetectionClient, worker: FakeWorker) => worker.crash('boom')],
  ])(
    'rejects a waiting photo, and makes no new worker, when the detector is %s meanwhile',
    async (_, end) => {
      let answer: (() => void) | undefined;
      const slow: Behaviour = (request, reply, worker) => {
        if (request.type !== 'frame') return healthy(request, reply, worker);
        answer = () => healthy(request, reply, worker);
      };
      const { client, workers } = clientWith([slow], { maxRestarts: 0 });
      await client.start();
      const video = client.submit(fakeBitmap(), 1, 'video');
      await vi.waitFor(() => expect(answer).toBeDefined());
      const photo = fakeBitmap();
      const checked = client.submit(photo, 2, 'image');
      await new Promise((resolve) => setTimeout(resolve, 20)); // the photo is waiting now
      end(client, workers[0]!);
      await expect(checked).rejects.toThrow('The detector stopped before the photo was checked.');
      expect(photo.closed).toBe(1);
      expect(await video).toBeUndefined();
      expect(workers).toHaveLength(1);
    },
  );

  it('replaces a worker whose every frame fails (an error it catches, such as a wasm abort), and goes on', async () => {
    const broken: Behaviour = (request, reply, worker) =>
      request.type === 'frame' ? reply(frameFailed(request.frameId)) : healthy(request, reply, worker);
    const { client, workers } = clientWith([broken, healthy], { maxFailedFrames: 3 });
    const restarts: string[] = [];
    client.addEventListener('restart', (e) => restarts.push((e as CustomEvent).detail.reason));
    await client.start();
    for (let i = 0; i < 3; i++) expect(await client.submit(fakeBitmap(), i, 'video')).toBeUndefined();
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(restarts).toEqual(['3 frames failed in a row (A frame could not be checked.)']);
    expect((await client.submit(fakeBitmap(), 4, 'video'))?.type).toBe('result');
    client.stop();
  });

  it('keeps a worker whose frames fail now and then', async () => {
    let n = 0;
    const flaky: Behaviour = (request, reply, worker) =>
      request.type === 'frame' && n++ % 2 === 0
        ? reply(frameFailed(request.frameId))
        : healthy(request, reply, worker);
    const { client, workers } = clientWith([flaky], { maxFailedFrames: 2 });
    for (let i = 0; i < 8; i++) await client.submit(fakeBitmap(), i, 'video');
    expect(workers).toHaveLength(1);
    client.stop();
  });

  it('takes a worker whose models make no progress for too long for hung, and loads in a new one', async () => {
    const hangs: Behaviour = () => {};
    const { client, workers } = clientWith([hangs, healthy], { loadTimeoutMs: 50 });
    const ready = await client.start();
    expect(ready.type).toBe('ready');
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    client.stop();
  });

  it('rejects a start still loading, and stats still waiting, when stopped', async () => {
    const slow: Behaviour = () => {};
    const { client } = clientWith([slow]);
    const starting = client.start();
    const stats = client.stats();
    client.stop();
    await expect(starting).rejects.toThrow('stopped');
    await expect(stats).rejects.toThrow('stopped');
  });
});
