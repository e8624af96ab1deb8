import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { InferenceItem, InferenceModel, PoolRequest, WorkerReply } from './inference-protocol.ts';
import { createProgressBar } from './progress.ts';

/**
 * Runs a network over many pictures with one child process per core (each a single-threaded wasm
 * backend: measured faster than wasm threads in one process, and tfjs-node is not available).
 * Batches go to whichever child is free, so a slow picture or a busy core does not stall the run.
 */

/** Outputs of a run: row i belongs to item i; rows of failed items are NaN. */
export interface InferenceResult {
  outputs: Float32Array;
  outputSize: number;
  /** Pictures that could not be decoded, by item index. */
  failed: Map<number, string>;
}

/** Options for {@link runInference}. */
export interface InferenceOptions {
  workers?: number;
  batchSize?: number;
  /** Progress bar label; no bar when undefined. */
  label?: string;
}

const WORKER = fileURLToPath(new URL('./inference-worker.ts', import.meta.url));

/** Runs `model` over `items` and returns one output row per item, in order. */
export async function runInference(
  model: InferenceModel,
  items: InferenceItem[],
  options: InferenceOptions = {},
): Promise<InferenceResult> {
  const batchSize = options.batchSize ?? 16;
  if (items.length === 0) return { outputs: new Float32Array(0), outputSize: 0, failed: new Map() };
  const workerCount = Math.max(
    1,
    Math.min(options.workers ?? availableParallelism(), Math.ceil(items.length / batchSize)),
  );
  const batches: { id: number; start: number; items: InferenceItem[] }[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    batches.push({ id: batches.length, start, items: items.slice(start, start + batchSize) });
  }
  const bar = options.label === undefined ? undefined : createProgressBar(options.label, items.length);
  const failed = new Map<number, string>();
  let outputs = new Float32Array(0);
  let outputSize = 0;
  let done = 0;
  let next = 0;
  const children: ChildProcess[] = [];

  try {
    await new Promise<void>((resolve, reject) => {
      let finishedWorkers = 0;
      const feed = (child: ChildProcess): void => {
        const batch = batches[next++];
        if (batch === undefined) {
          finishedWorkers += 1;
          if (finishedWorkers === workerCount) resolve();
          return;
        }
        child.send({ type: 'run', id: batch.id, items: batch.items } satisfies PoolRequest);
      };
      for (let w = 0; w < workerCount; w++) {
        const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
        children.push(child);
        child.on('exit', (code) => {
          if (code !== 0 && code !== null) reject(new Error(`inference worker exited with code ${code}`));
        });
        child.on('message', (reply: WorkerReply) => {
          if (reply.type === 'fatal') {
            reject(new Error(`inference worker failed: ${reply.message}`));
          } else if (reply.type === 'ready') {
            if (outputSize === 0) {
              outputSize = reply.outputSize;
              outputs = new Float32Array(items.length * outputSize);
            }
            feed(child);
          } else {
            const batch = batches[reply.id];
            outputs.set(reply.outputs, batch.start * outputSize);
            for (const f of reply.failed) failed.set(batch.start + f.index, f.message);
            done += batch.items.length;
            bar?.update(done);
            feed(child);
          }
        });
        child.send({ type: 'init', model } satisfies PoolRequest);
      }
      if (batches.length === 0) resolve();
    });
  } finally {
    for (const child of children) child.kill();
  }
  bar?.finish();
  return { outputs, outputSize, failed };
}
