import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, toModelInput } from '../../src/shared/mask-classifier-spec.ts';
import { AUGMENTATIONS, augment } from './augment.ts';
import { DOMAIN_SHIFTS } from './domain-shifts.ts';
import { loadRgb } from './face-image.ts';
import type { InferenceItem, InferenceModel, PoolRequest, WorkerReply } from './inference-protocol.ts';
import { featureBackbone, poolFeatures } from './mask-classifier-model.ts';
import { loadLayersModelFromDir } from './model-files.ts';
import { useWasmBackend } from './tf-wasm.ts';

/**
 * Child process of the inference pool: decodes (and optionally augments) pictures, runs one network on
 * them and sends back one output row per picture. A picture that cannot be decoded is reported and
 * gets a row of NaN, so one bad file never stops a run.
 */

const send = (reply: WorkerReply): void => {
  process.send?.(reply);
};

/** Backbone plus pooling: the features the head is trained on (see FeatureLayout). */
async function openModel(model: InferenceModel): Promise<tf.LayersModel> {
  if (model.kind === 'classifier') return loadLayersModelFromDir(model.modelDir);
  const { model: backbone } = featureBackbone(model.tflitePath, model.layout);
  const pooled = poolFeatures(backbone.outputs[0] as tf.SymbolicTensor, model.layout);
  return tf.model({ inputs: backbone.inputs, outputs: pooled });
}

let network: tf.LayersModel | undefined;
let outputSize = 0;

async function run(id: number, items: InferenceItem[]): Promise<void> {
  if (network === undefined) throw new Error('run before init');
  const failed: { index: number; message: string }[] = [];
  const pixels = new Float32Array(items.length * INPUT_SIZE * INPUT_SIZE * 3);
  for (const [index, item] of items.entries()) {
    try {
      let rgb = await loadRgb(item.path);
      if (item.seed !== null) {
        rgb = await augment(rgb, INPUT_SIZE, item.seed, AUGMENTATIONS[item.augmentation ?? 'paper']);
      }
      if (item.shift !== undefined) rgb = await DOMAIN_SHIFTS[item.shift](rgb, INPUT_SIZE);
      pixels.set(toModelInput(rgb), index * INPUT_SIZE * INPUT_SIZE * 3);
    } catch (error) {
      failed.push({ index, message: (error as Error).message });
    }
  }
  const outputs = tf.tidy(() => {
    const x = tf.tensor4d(pixels, [items.length, INPUT_SIZE, INPUT_SIZE, 3]);
    return (network as tf.LayersModel).predict(x) as tf.Tensor;
  });
  const values = (await outputs.data()) as Float32Array;
  outputs.dispose();
  for (const f of failed) values.fill(NaN, f.index * outputSize, (f.index + 1) * outputSize);
  send({ type: 'result', id, outputs: values, failed });
}

process.on('message', (message: PoolRequest) => {
  const handle = async (): Promise<void> => {
    if (message.type === 'init') {
      await useWasmBackend();
      network = await openModel(message.model);
      outputSize = network.outputs[0].shape.at(-1) ?? 0;
      send({ type: 'ready', outputSize });
    } else {
      await run(message.id, message.items);
    }
  };
  handle().catch((error: unknown) => {
    send({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
