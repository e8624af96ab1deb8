import * as tf from '@tensorflow/tfjs';
import { importBackbone } from './backbone.ts';
import type { Uint8Grid } from './dequantize.ts';
import { HEAD_LAYERS, applyHead, type HeadConfig } from './head.ts';
import type { WeightStorage } from './model-files.ts';

/**
 * The shipped classifier as one tfjs layers model: the imported backbone without its ImageNet top, its
 * map pooled into features, then the trained head. Input: normalized 224×224 RGB (see
 * src/shared/mask-classifier-spec.ts); output: [P(with_mask), P(without_mask)].
 */

/**
 * Which backbone map the head reads, and how it is pooled:
 * - `paper`: the last 7×7×1280 map (after Conv_1), one global average: 1280 features, the paper's model;
 * - `rows`: block 16's 7×7×320 map (Conv_1 left out), each of its 7 rows averaged apart: 2,240 features.
 *   The rows keep where on the face a pattern is (a mask covers the lower rows, a beard or a shadow does
 *   not look the same there), and the mid-level map is less tied to ImageNet's classes; it held up better
 *   under the door-camera shifts of val (see scripts/train.ts).
 */
export type FeatureLayout = 'paper' | 'rows' | 'block15';

/** The backbone, cut where `layout` reads it. */
export function featureBackbone(tflitePath: string, layout: FeatureLayout) {
  return importBackbone(tflitePath, {
    includeTop: false,
    withoutLastConvolution: layout !== 'paper',
    withoutLastBlock: layout === 'block15',
  });
}

/** The pooling layers of `layout`: the same in the feature pass of training and in the shipped model. */
export function poolFeatures(map: tf.SymbolicTensor, layout: FeatureLayout): tf.SymbolicTensor {
  if (layout === 'paper') {
    return tf.layers.globalAveragePooling2d({ name: 'features' }).apply(map) as tf.SymbolicTensor;
  }
  if (layout === 'block15') return tf.layers.flatten({ name: 'features' }).apply(map) as tf.SymbolicTensor;
  const [, , width] = map.shape;
  const rows = tf.layers
    .averagePooling2d({ name: 'features_rows', poolSize: [1, width!], strides: [1, width!] })
    .apply(map) as tf.SymbolicTensor;
  return tf.layers.flatten({ name: 'features' }).apply(rows) as tf.SymbolicTensor;
}

/** Builds the classifier from the backbone file and copies the trained head's weights into it. */
export function assembleClassifier(
  tflitePath: string,
  head: tf.LayersModel,
  config: HeadConfig,
  layout: FeatureLayout,
): { model: tf.LayersModel; grids: Map<string, Uint8Grid> } {
  const { model: backbone, grids } = featureBackbone(tflitePath, layout);
  const pooled = poolFeatures(backbone.outputs[0] as tf.SymbolicTensor, layout);
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
 * few); the head's kernels are float16, or uint8 when `headStorage` says so, and so are the kernels of
 * `trainedLayers` (backbone layers that fine-tuning changed, whose TFLite bytes no longer apply).
 */
export function storagePolicy(
  headStorage: WeightStorage,
  trainedLayers: readonly string[] = [],
): (name: string) => WeightStorage {
  return (name) => {
    const trained = trainedLayers.some((layer) => name.startsWith(`${layer}/`));
    if (trained || name.startsWith('mask_head_')) return name.endsWith('kernel') ? headStorage : 'float32';
    return name.endsWith('/kernel') || name.endsWith('/depthwise_kernel') ? 'uint8' : 'float32';
  };
}
