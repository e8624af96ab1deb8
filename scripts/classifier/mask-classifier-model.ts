import * as tf from '@tensorflow/tfjs';
import { importBackbone } from './backbone.ts';
import type { Uint8Grid } from './dequantize.ts';
import { HEAD_LAYERS, applyHead, type HeadConfig } from './head.ts';
import type { WeightStorage } from './model-files.ts';

/**
 * The shipped classifier as one tfjs layers model: the imported backbone without its ImageNet top,
 * global average pooling, then the trained head. Input: normalized 224×224 RGB (see
 * src/shared/mask-classifier-spec.ts); output: [P(with_mask), P(without_mask)].
 */

/**
 * How the backbone's last 7×7×1280 map becomes the head's features: `global`, one average over the whole
 * face (1280 features, the paper's model); `rows`, an average over the upper rows 0–3 (eyes, brows) and one
 * over the lower rows 3–6 (nose, mouth, chin: where a mask is), 2 × 1280 features, so that the head can
 * tell a dark mask over the mouth from a dark beard or shadow it would otherwise average with the rest.
 */
export type FeaturePooling = 'global' | 'rows';

/** The pooling layers of {@link FeaturePooling}, the same in the feature pass and the assembled model. */
export function poolFeatures(map: tf.SymbolicTensor, pooling: FeaturePooling): tf.SymbolicTensor {
  if (pooling === 'global') {
    return tf.layers.globalAveragePooling2d({ name: 'features' }).apply(map) as tf.SymbolicTensor;
  }
  const halves = tf.layers
    .averagePooling2d({ name: 'features_rows', poolSize: [4, 7], strides: [3, 7], padding: 'valid' })
    .apply(map) as tf.SymbolicTensor;
  return tf.layers.flatten({ name: 'features' }).apply(halves) as tf.SymbolicTensor;
}

/** Builds the classifier from the backbone file and copies the trained head's weights into it. */
export function assembleClassifier(
  tflitePath: string,
  head: tf.LayersModel,
  config: HeadConfig,
  inputLowPassSigma = 0,
  pooling: FeaturePooling = 'global',
): { model: tf.LayersModel; grids: Map<string, Uint8Grid> } {
  const { model: backbone, grids } = importBackbone(tflitePath, { includeTop: false, inputLowPassSigma });
  const pooled = poolFeatures(backbone.outputs[0] as tf.SymbolicTensor, pooling);
  const model = tf.model({
    inputs: backbone.inputs,
    outputs: applyHead(pooled, config),
    name: 'mask_classifier',
  });
  for (const name of [HEAD_LAYERS.dense, HEAD_LAYERS.output]) {
    model.getLayer(name).setWeights(head.getLayer(name).getWeights());
  }
  return { model, grids };
}

/**
 * How each weight of the shipped model is stored. Backbone kernels keep their original uint8 bytes
 * (lossless: they are the TFLite weights); biases stay float32 (they were int32 in the file and are
 * few); the head's kernels are float16, or uint8 when `headStorage` says so.
 */
export function storagePolicy(headStorage: WeightStorage): (name: string) => WeightStorage {
  return (name) => {
    if (name.startsWith('mask_head_')) return name.endsWith('/kernel') ? headStorage : 'float32';
    // The fixed input low-pass: a few Gaussian taps, kept exact.
    if (name.startsWith('input_lowpass_')) return 'float32';
    return name.endsWith('/kernel') || name.endsWith('/depthwise_kernel') ? 'uint8' : 'float32';
  };
}
