import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/**
 * Selects tfjs' wasm backend in this Node process, single-threaded: parallelism comes from running one
 * process per core (see feature-pool.ts), and `@tensorflow/tfjs-node` cannot be installed here.
 */
export async function useWasmBackend(): Promise<void> {
  if (tf.getBackend() === 'wasm') return;
  setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialise');
  await tf.ready();
}
