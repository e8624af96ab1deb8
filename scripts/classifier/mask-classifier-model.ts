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

/** Builds the classifier from the backbone file and copies the trained head's weights into it. */
export function assembleClassifier(
  tflitePath: string,
  head: tf.LayersModel,
  config: HeadConfig,
): { model: tf.LayersModel; grids: Map<string, Uint8Grid> } {
  const { model: backbone, grids } = importBackbone(tflitePath, { includeTop: false });
  const pooled = tf.layers
    .globalAveragePooling2d({ name: 'features' })
    .apply(backbone.outputs[0]) as tf.SymbolicTensor;
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
    return name.endsWith('/kernel') || name.endsWith('/depthwise_kernel') ? 'uint8' : 'float32';
  };
}
