/**
 * The page's side of the detection worker: the one module that owns the worker's life. It starts the
 * worker, loads the models, sends frames with one in flight (a frame offered while one is in flight is
 * closed and skipped here, before it crosses), and restarts the worker when it crashes or hangs.
 *
 * @fires progress - CustomEvent<ProgressMessage> while models load
 * @fires ready - CustomEvent<ReadyMessage> when models are loaded (again after a restart)
 * @fires error - CustomEvent<ErrorMessage> for fatal and per-frame errors
 * @fires restart - CustomEvent<{ reason: string; attempt: number }> when a crashed worker is replaced
 */
import {
  transferablesOf,
  type DetectionRange,
  type ErrorMessage,
  type FrameMode,
  type InitRequest,
  type ReadyMessage,
  type ResultMessage,
  type StatsMessage,
  type WorkerMessage,
  type WorkerRequest,
} from '../shared/protocol.ts';

/** Options of {@link DetectionClient}. */
export interface DetectionClientOptions {
  /** Base URL the worker resolves model and wasm paths against (default: the document's base). */
  baseUrl?: string;
  range?: DetectionRange;
  classifierBackend?: InitRequest['classifierBackend'];
  detectorDelegate?: InitRequest['detectorDelegate'];
  /** How long a frame may take before the worker is taken for hung and restarted. Default {@link FRAME_TIMEOUT_MS}. */
  frameTimeoutMs?: number;
  /** Restarts allowed before giving up (counted since the last successful frame). */
  maxRestarts?: number;
  /**
   * Frames the worker answers with an error in a row before it is taken for broken and replaced. The worker
   * catches what a frame throws, so a MediaPipe wasm abort or a lost WebGL context would otherwise fail every
   * frame from then on without ever crashing the worker. Default 5.
   */
  maxFailedFrames?: number;
  /**
   * How long the models may load without any progress message before the worker is taken for hung. Generous:
   * on a first visit the 12 MiB detector runtime downloads with no progress of its own, over a link the
   * precache shares. Default 5 min.
   */
  loadTimeoutMs?: number;
  /** Makes the worker; tests pass a fake that speaks the protocol over a MessageChannel. */
  createWorker?: () => WorkerLike;
}

/** The part of `Worker` the client uses. */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror'>;

/**
 * Why the detector cannot run, in the guard's words (`message`), with the technical cause apart (`detail`:
 * for a support call, not for the screen's main text).
 */
export class DetectorError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'DetectorError';
  }
}

/** Answered frame, or `undefined` when the frame was skipped (worker busy or restarting). */
export type FrameOutcome = ResultMessage | undefined;

/**
 * A frame taking longer than this is taken for hung: 10 s, over 20 times the slowest frame measured here (6
 * faces, auto range: p95 417 ms), and short enough that the screen does not claim to watch while frozen for
 * long. The guard controller pauses the counter when the worker is replaced, so the people in view keep their
 * tracks across the hang and the restart.
 */
export const FRAME_TIMEOUT_MS = 10_000;

/**
 * A frame unanswered this long (ms) means the detector is stuck (a hung worker is replaced only after
 * FRAME_TIMEOUT_MS, 10 s; see GuardController): the screen says faces are not being checked from then on, instead of showing the
 * last boxes under "Watching the door" while people walk in unseen. 2 s is over four times the slowest frame
 * measured (p95 417 ms, 6 faces, auto range).
 */
export const SLOW_ANSWER_MS = 2000;

function createWorker(): WorkerLike {
  return new Worker(new URL('../worker/detection.worker.ts', import.meta.url), {
    type: 'module',
    name: 'maskguard-detection',
  });
}

/** See the module comment. */
export class DetectionClient extends EventTarget {
  private worker: WorkerLike | undefined;
  private ready: Promise<ReadyMessage> | undefined;
  private inFlight:
    | {
        frameId: number;
        resolve: (outcome: FrameOutcome) => void;
        timer: ReturnType<typeof setTimeout>;
        /** When it was sent (performance.now()). */
        sentAt: number;
      }
    | undefined;
  private statsWaiters: { resolve: (stats: StatsMessage) => void; reject: (error: Error) => void }[] = [];
  /** Photos waiting for the frame in flight to finish (see {@link submit}). */
  private idleWaiters: (() => void)[] = [];
  /** Rejects the start in progress (the worker is stopped before its models are loaded). */
  private rejectLoading: ((error: Error) => void) | undefined;
  private nextFrameId = 1;
  private restarts = 0;
  /** Frames answered with an error since the last result. */
  private failedFrames = 0;
  private range: DetectionRange;
  private stopped = false;

  private readonly options: DetectionClientOptions;

  constructor(options: DetectionClientOptions = {}) {
    super();
    this.options = { ...options };
    this.range = options.range ?? 'auto';
  }

  /**
   * Starts the worker and loads the models; resolves when ready, rejects with a guard-readable error. A
   * start from nothing (the first, or after a stop or after giving up) has the full budget of restarts.
   */
  start(): Promise<ReadyMessage> {
    this.stopped = false;
    if (this.ready === undefined) {
      this.restarts = 0;
      this.ready = this.spawn();
    }
    return this.ready;
  }

  /** How long (ms) the frame in flight has waited for its answer; undefined when none is in flight. */
  get waitingMs(): number | undefined {
    return this.inFlight === undefined ? undefined : performance.now() - this.inFlight.sentAt;
  }

  /** True when a frame offered now would be processed rather than skipped. */
  get idle(): boolean {
    return this.worker !== undefined && this.inFlight === undefined;
  }

  /**
   * Offers one frame. The bitmap is transferred to the worker, or closed here when a frame is already in
   * flight (one frame in flight, never a queue). Resolves with the result, or undefined if skipped.
   *
   * A photo (`mode` 'image') is not one frame of a stream that the next will replace but the one picture the
   * guard chose: it waits for the frame in flight (typically the camera's last, just stopped) instead of
   * being skipped, and is still the only frame sent at a time.
   */
  async submit(bitmap: ImageBitmap, timestampMs: number, mode: FrameMode, detectOnly = false) {
    try {
      await this.start();
      while (mode === 'image' && this.inFlight !== undefined) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
        // The frame may have ended with its worker: wait for a replacement, but never bring back a detector
        // that was stopped or given up on meanwhile.
        if (this.ready === undefined)
          throw new DetectorError('The detector stopped before the photo was checked.');
        await this.ready;
      }
    } catch (error) {
      // No worker to take it: the frame is ours to close.
      bitmap.close();
      throw error;
    }
    if (!this.idle) {
      bitmap.close();
      return undefined;
    }
    const frameId = this.nextFrameId++;
    return new Promise<FrameOutcome>((resolve) => {
      const timer = globalThis.setTimeout(
        () => this.crashed(`a frame took longer than ${this.options.frameTimeoutMs ?? FRAME_TIMEOUT_MS} ms`),
        this.options.frameTimeoutMs ?? FRAME_TIMEOUT_MS,
      );
      this.inFlight = { frameId, resolve, timer, sentAt: performance.now() };
      this.send({ type: 'frame', frameId, timestampMs, mode, bitmap, detectOnly });
    });
  }

  /** Switches between near, far and auto detection from the next frame on. */
  setRange(range: DetectionRange): void {
    this.range = range;
    if (this.worker !== undefined) this.send({ type: 'set-range', range });
  }

  /** Live tensor count and frame counters from the worker. */
  async stats(): Promise<StatsMessage> {
    await this.start();
    return new Promise((resolve, reject) => {
      this.statsWaiters.push({ resolve, reject });
      this.send({ type: 'stats' });
    });
  }

  /** Stops the worker; a later `start()` makes a new one. A start still loading rejects. */
  stop(): void {
    this.stopped = true;
    this.rejectLoading?.(new Error('The detector was stopped'));
    this.dropWorker('The detector was stopped');
  }

  private send(request: WorkerRequest): void {
    this.worker?.postMessage(request, transferablesOf(request));
  }

  private spawn(): Promise<ReadyMessage> {
    const worker = (this.options.createWorker ?? createWorker)();
    this.worker = worker;
    return new Promise<ReadyMessage>((resolve, reject) => {
      this.rejectLoading = reject;
      const loadTimeoutMs = this.options.loadTimeoutMs ?? 300_000;
      let loadTimer: ReturnType<typeof setTimeout> | undefined;
      const loaded = () => {
        globalThis.clearTimeout(loadTimer);
        loadTimer = undefined;
        if (this.rejectLoading === reject) this.rejectLoading = undefined;
      };
      // A crash (or a hang while loading) is retried like any other: whoever waits for this start waits for
      // the replacement's, and hears of a failure only once the client gives up.
      const failed = (what: 'crashed' | 'hung', reason: string) => {
        if (this.worker !== worker) return;
        loaded();
        this.crashed(reason);
        if (this.ready !== undefined) this.ready.then(resolve, reject);
        else
          reject(
            new DetectorError(
              `The detector ${what === 'hung' ? 'stopped' : 'crashed'} while loading.`,
              reason,
            ),
          );
      };
      const waitForProgress = () => {
        globalThis.clearTimeout(loadTimer);
        loadTimer = globalThis.setTimeout(
          () => failed('hung', `the models made no progress for ${loadTimeoutMs} ms`),
          loadTimeoutMs,
        );
      };
      waitForProgress();
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        const message = event.data;
        switch (message.type) {
          case 'progress':
            if (loadTimer !== undefined) waitForProgress();
            this.emit('progress', message);
            return;
          case 'ready':
            loaded();
            this.emit('ready', message);
            resolve(message);
            return;
          case 'result':
            if (this.inFlight?.frameId === message.frameId) this.restarts = 0;
            this.failedFrames = 0;
            this.finishInFlight(message, message.frameId);
            return;
          case 'dropped':
            this.finishInFlight(undefined, message.frameId);
            return;
          case 'stats':
            this.statsWaiters.shift()?.resolve(message);
            return;
          case 'error':
            this.emit('error', message);
            if (message.frameId !== undefined) this.finishInFlight(undefined, message.frameId);
            if (message.fatal) {
              loaded();
              reject(new DetectorError(message.message, message.detail));
              this.stop();
            } else if (
              message.frameId !== undefined &&
              ++this.failedFrames >= (this.options.maxFailedFrames ?? 5)
            ) {
              this.crashed(`${this.failedFrames} frames failed in a row (${message.message})`);
            }
            return;
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        if (this.worker !== worker) return;
        if (loadTimer !== undefined) failed('crashed', event.message || 'the detection worker crashed');
        else this.crashed(event.message || 'the detection worker crashed');
      };
      this.send({
        type: 'init',
        baseUrl: this.options.baseUrl ?? document.baseURI,
        range: this.range,
        classifierBackend: this.options.classifierBackend,
        detectorDelegate: this.options.detectorDelegate,
      });
    });
  }

  /** Replaces a crashed or hung worker; the frame in flight is given up (answered as skipped). */
  private crashed(reason: string): void {
    this.dropWorker(`The detector restarted (${reason})`);
    if (this.stopped) return;
    // A crash with the GPU delegate is most likely the delegate's: the restarted worker uses the CPU.
    if (this.options.detectorDelegate === 'GPU') this.options.detectorDelegate = 'CPU';
    const attempt = ++this.restarts;
    if (attempt > (this.options.maxRestarts ?? 3)) {
      const error: ErrorMessage = {
        type: 'error',
        fatal: true,
        message: 'The detector keeps crashing.',
        detail: reason,
      };
      this.emit('error', error);
      return;
    }
    this.emit('restart', { reason, attempt });
    this.ready = this.spawn();
    this.ready.catch(() => {});
  }

  /** Ends the current worker: its frame in flight is answered as skipped, its stats requests fail. */
  private dropWorker(why: string): void {
    this.finishInFlight(undefined);
    for (const waiter of this.statsWaiters.splice(0)) waiter.reject(new Error(why));
    this.failedFrames = 0;
    this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
  }

  private finishInFlight(outcome: FrameOutcome, frameId?: number): void {
    const pending = this.inFlight;
    if (pending === undefined || (frameId !== undefined && pending.frameId !== frameId)) return;
    globalThis.clearTimeout(pending.timer);
    this.inFlight = undefined;
    pending.resolve(outcome);
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
