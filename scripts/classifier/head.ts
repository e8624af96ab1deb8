import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../../src/shared/mask-classifier-spec.ts';
import { seededRandom, shuffleInPlace } from './augment.ts';

/**
 * The classification head of the paper (section II.B): pooled backbone features → dense (ReLU) →
 * dropout → dense of two with softmax; trained on cached features of a frozen backbone.
 */

/** Hyperparameters of the head and its training. */
export interface HeadConfig {
  hiddenUnits: number;
  dropout: number;
  optimizer: 'sgd' | 'adam';
  learningRate: number;
  momentum: number;
  batchSize: number;
  epochs: number;
  labelSmoothing: number;
  /**
   * 'cosine' anneals SGD's learning rate from `learningRate` towards 0 over the epochs (per epoch), so the
   * last epochs settle instead of hopping between minima; 'constant' is the paper's setting.
   */
  schedule: 'constant' | 'cosine';
  seed: number;
}

/** Learning rate of epoch `epoch` (from 0) under `config.schedule`. */
export function learningRateAt(config: HeadConfig, epoch: number): number {
  if (config.schedule === 'constant') return config.learningRate;
  return cosineRate(config.learningRate, epoch, config.epochs);
}

/** `rate` annealed by a half cosine towards 0 over `epochs` epochs: the rate of epoch `epoch` (from 0). */
export function cosineRate(rate: number, epoch: number, epochs: number): number {
  return rate * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs));
}

/** Loss and accuracy of one epoch, on the (augmented, dropout on) train copy and on clean val. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
}

/** Layer names of the head; the shipped model keeps them so its weights can be found by name. */
export const HEAD_LAYERS = {
  dense: 'mask_head_dense',
  dropout: 'mask_head_dropout',
  output: 'mask_head_output',
};

/** Builds the head as layers applied to `features` (a [batch, featureSize] symbolic tensor). */
export function applyHead(features: tf.SymbolicTensor, config: HeadConfig): tf.SymbolicTensor {
  const hidden = tf.layers
    .dense({
      name: HEAD_LAYERS.dense,
      units: config.hiddenUnits,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed }),
    })
    .apply(features);
  const dropped = tf.layers
    .dropout({ name: HEAD_LAYERS.dropout, rate: config.dropout, seed: config.seed })
    .apply(hidden);
  return tf.layers
    .dense({
      name: HEAD_LAYERS.output,
      units: CLASS_NAMES.length,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed + 1 }),
    })
    .apply(dropped) as tf.SymbolicTensor;
}

/** One-hot targets, smoothed towards uniform by `smoothing`. */
function targets(labels: readonly number[], smoothing: number): tf.Tensor2D {
  const k = CLASS_NAMES.length;
  const values = new Float32Array(labels.length * k).fill(smoothing / k);
  labels.forEach((label, i) => (values[i * k + label] += 1 - smoothing));
  return tf.tensor2d(values, [labels.length, k]);
}

/** Rows of `features` (row size `size`) in the order of `order`. */
function gather(features: Float32Array, size: number, order: readonly number[]): tf.Tensor2D {
  const out = new Float32Array(order.length * size);
  order.forEach((row, i) => out.set(features.subarray(row * size, (row + 1) * size), i * size));
  return tf.tensor2d(out, [order.length, size]);
}

/**
 * Trains the head. Epoch e (from 0) sees augmented copy e mod copies of every training picture, like
 * an on-the-fly augmenting generator, in an order shuffled by a seeded generator.
 */
export async function trainHead(
  trainCopies: Float32Array[],
  trainLabels: readonly number[],
  valFeatures: Float32Array,
  valLabels: readonly number[],
  featureSize: number,
  config: HeadConfig,
  onEpoch: (record: EpochRecord) => void,
): Promise<{ head: tf.LayersModel; history: EpochRecord[] }> {
  const input = tf.input({ shape: [featureSize], name: 'features' });
  const head = tf.model({ inputs: input, outputs: applyHead(input, config), name: 'mask_head' });
  if (config.optimizer === 'adam' && config.schedule !== 'constant') {
    throw new Error('a learning-rate schedule is only implemented for SGD');
  }
  const sgd = tf.train.momentum(config.learningRate, config.momentum);
  const optimizer = config.optimizer === 'adam' ? tf.train.adam(config.learningRate) : sgd;
  head.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const random = seededRandom(config.seed);
  const valX = gather(
    valFeatures,
    featureSize,
    valLabels.map((_, i) => i),
  );
  const valY = targets(valLabels, 0);
  const history: EpochRecord[] = [];
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    sgd.setLearningRate(learningRateAt(config, epoch));
    const order = shuffleInPlace(
      trainLabels.map((_, i) => i),
      random,
    );
    const x = gather(trainCopies[epoch % trainCopies.length], featureSize, order);
    const y = targets(
      order.map((i) => trainLabels[i]),
      config.labelSmoothing,
    );
    const fit = await head.fit(x, y, { epochs: 1, batchSize: config.batchSize, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
    const [valLoss, valAcc] = head.evaluate(valX, valY, { batchSize: 256 }) as tf.Scalar[];
    const record: EpochRecord = {
      epoch: epoch + 1,
      trainLoss: Number(fit.history.loss[0]),
      trainAccuracy: Number(fit.history.acc[0]),
      valLoss: (await valLoss.data())[0],
      valAccuracy: (await valAcc.data())[0],
    };
    tf.dispose([valLoss, valAcc]);
    history.push(record);
    onEpoch(record);
  }
  tf.dispose([valX, valY]);
  return { head, history };
}

/** P(class) rows of the head for `features`, as a flat array (row size CLASS_NAMES.length). */
export function predictHead(head: tf.LayersModel, features: Float32Array, featureSize: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor2d(features, [features.length / featureSize, featureSize]);
    return (head.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}
