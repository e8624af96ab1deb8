import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { dequantize, ohwiToHwio, type Uint8Grid } from './dequantize.ts';
import { TfliteFormatError, readTflite, type TfliteGraph, type TfliteOperator } from './tflite-reader.ts';
import {
  Activation,
  AddOptionsField,
  BuiltinOperator,
  Conv2DOptionsField,
  DepthwiseConv2DOptionsField,
  Padding,
  Pool2DOptionsField,
} from './tflite-schema.ts';

/**
 * Turns the quantization-aware-trained MobileNetV2 TFLite file into the equivalent float tfjs model.
 * Batch norm is already folded into the convolutions and ReLU6 is fused into them, so every TFLite
 * operator maps onto one Keras-style layer (plus an activation layer for a fused ADD activation).
 *
 * Two passes keep the promise "a clear error, never a half-built model": {@link planBackbone} reads and
 * checks the whole graph into plain arrays first, and only a complete plan is turned into tfjs layers.
 */

/** The operator graph as layers to build, with float weights already in tfjs layout. */
export interface BackbonePlan {
  inputShape: [number, number, number];
  layers: PlannedLayer[];
  /** Graph tensor index of the model's output. */
  output: number;
}

/** One layer of the plan. `inputs`/`output` are TFLite tensor indices. */
export type PlannedLayer = { name: string; inputs: number[]; output: number } & (
  | {
      kind: 'conv' | 'depthwise';
      kernel: WeightPlan;
      bias: WeightPlan;
      strides: [number, number];
      padding: 'same' | 'valid';
      activation: 'linear' | 'relu' | 'relu6';
    }
  | { kind: 'add'; activation: 'linear' | 'relu' | 'relu6' }
  | { kind: 'averagePool'; poolSize: [number, number]; strides: [number, number]; padding: 'same' | 'valid' }
  | { kind: 'reshape'; targetShape: number[] }
  | { kind: 'softmax' }
);

/** A weight in tfjs layout, with the uint8 grid it came from when there is one. */
export interface WeightPlan {
  shape: number[];
  values: Float32Array;
  grid: Uint8Grid | undefined;
}

/** Options for {@link planBackbone}. */
export interface BackboneOptions {
  /**
   * Keep the ImageNet top (average pool, 1×1 logits convolution, softmax). Without it the output is the
   * last 7×7×1280 ReLU6 feature map, which is what Keras' `MobileNetV2(include_top=False)` returns.
   */
  includeTop: boolean;
  /**
   * Without the top, also leave out the last 1×1 convolution (Conv_1, 320 → 1280 channels): the output is
   * then block 16's 7×7×320 projection, a mid-level map less tied to ImageNet's classes.
   */
  withoutLastConvolution?: boolean;
  /**
   * With `withoutLastConvolution`, also leave out block 16 (expand, depthwise, project): the output is block
   * 15's 7×7×160 map, the input of the block that fine-tuning trains.
   */
  withoutLastBlock?: boolean;
}

const ACTIVATIONS: Record<number, 'linear' | 'relu' | 'relu6'> = {
  [Activation.NONE]: 'linear',
  [Activation.RELU]: 'relu',
  [Activation.RELU6]: 'relu6',
};

function activationOf(code: number, where: string): 'linear' | 'relu' | 'relu6' {
  const activation = ACTIVATIONS[code];
  if (activation === undefined) throw new TfliteFormatError(`${where}: unsupported fused activation ${code}`);
  return activation;
}

function paddingOf(code: number): 'same' | 'valid' {
  // tfjs 'same' pads like TensorFlow (the extra row/column at the end), which is what TFLite SAME means.
  return code === Padding.VALID ? 'valid' : 'same';
}

/** A readable, unique layer name from TFLite's "MobilenetV2/expanded_conv_3/expand/Conv2D_Fold;…". */
function layerName(graph: TfliteGraph, op: TfliteOperator, index: number, taken: Set<string>): string {
  const source = graph.tensors[op.inputs[1] ?? op.outputs[0]]?.name.split(';')[0] ?? '';
  const parts = source.split('/').slice(1);
  const stem = (parts.length > 1 ? parts.slice(0, -1) : parts).join('_').replace(/[^A-Za-z0-9_]/g, '_');
  let name = stem === '' ? `op_${index}` : stem;
  while (taken.has(name)) name = `${name}_${index}`;
  taken.add(name);
  return name;
}

function planConvolution(graph: TfliteGraph, op: TfliteOperator, name: string): PlannedLayer {
  const [inputIndex, filterIndex, biasIndex] = op.inputs;
  const input = graph.tensors[inputIndex];
  const filter = graph.tensors[filterIndex];
  const bias = graph.tensors[biasIndex];
  if (input === undefined || filter === undefined || bias === undefined || filter.shape.length !== 4) {
    throw new TfliteFormatError(`${name}: a convolution needs input, 4-D filter and bias tensors`);
  }
  const depthwise = op.builtinCode === BuiltinOperator.DEPTHWISE_CONV_2D;
  const F = depthwise ? DepthwiseConv2DOptionsField : Conv2DOptionsField;
  const file = graph.bytes;
  const options = op.optionsTable;
  if (options === 0) throw new TfliteFormatError(`${name}: convolution without options`);
  if (file.i32(options, F.dilationW, 1) !== 1 || file.i32(options, F.dilationH, 1) !== 1) {
    throw new TfliteFormatError(`${name}: dilated convolutions are not supported`);
  }
  const filterFloat = dequantize(filter);
  // The quantization spec fixes a bias's scale as input scale × weight scale when the file omits it.
  const inputScale = input.quantization?.scale[0];
  const filterScale = filter.quantization?.scale[0];
  const biasFloat = dequantize(
    bias,
    inputScale !== undefined && filterScale !== undefined ? inputScale * filterScale : undefined,
  );
  // TFLite stores conv filters [out, h, w, in] and depthwise filters [1, h, w, in × multiplier];
  // tfjs wants [h, w, in, out] and [h, w, in, multiplier], and channel c of a depthwise filter is
  // (input c / multiplier, multiplier c % multiplier), so the depthwise case is a plain reshape.
  let kernel: WeightPlan;
  if (depthwise) {
    const [, h, w, channels] = filter.shape;
    const multiplier = file.i32(options, DepthwiseConv2DOptionsField.depthMultiplier, 1) || 1;
    kernel = {
      shape: [h, w, channels / multiplier, multiplier],
      values: filterFloat.values,
      grid: filterFloat.grid,
    };
  } else {
    const reordered = ohwiToHwio(filterFloat.values, filter.shape);
    kernel = { ...reordered, grid: filterFloat.grid };
  }
  const outChannels = depthwise ? filter.shape[3] : filter.shape[0];
  if (biasFloat.values.length !== outChannels) {
    throw new TfliteFormatError(`${name}: ${biasFloat.values.length} biases for ${outChannels} channels`);
  }
  return {
    name,
    kind: depthwise ? 'depthwise' : 'conv',
    inputs: [inputIndex],
    output: op.outputs[0],
    kernel,
    bias: { shape: [outChannels], values: biasFloat.values, grid: undefined },
    strides: [file.i32(options, F.strideH), file.i32(options, F.strideW)],
    padding: paddingOf(file.i8(options, F.padding)),
    activation: activationOf(file.i8(options, F.fusedActivation), name),
  };
}

/**
 * Reads the graph into a complete, checked plan. Throws {@link TfliteFormatError} for anything this
 * importer cannot reproduce exactly (unknown operators, dilations, odd activations, missing tensors).
 */
export function planBackbone(graph: TfliteGraph, options: BackboneOptions): BackbonePlan {
  const input = graph.tensors[graph.inputs[0]];
  if (input === undefined || input.shape.length !== 4) {
    throw new TfliteFormatError('the model input is not a 4-D image tensor');
  }
  const taken = new Set<string>();
  const layers: PlannedLayer[] = [];
  let output = graph.outputs[0];
  // The top starts at the global average pool; its input is the 7×7×1280 feature map.
  let cut = options.includeTop
    ? -1
    : graph.operators.findIndex((op) => op.builtinCode === BuiltinOperator.AVERAGE_POOL_2D);
  if (cut >= 0 && options.withoutLastConvolution) {
    cut -= 1;
    if (graph.operators[cut]?.builtinCode !== BuiltinOperator.CONV_2D) {
      throw new TfliteFormatError('no 1×1 convolution right before the average pool to leave out');
    }
    if (options.withoutLastBlock) {
      const block = [BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.CONV_2D];
      if (block.some((code, k) => graph.operators[cut - 3 + k]?.builtinCode !== code)) {
        throw new TfliteFormatError('no expand, depthwise, project block right before the last convolution');
      }
      cut -= 3;
    }
  }
  for (const [index, op] of graph.operators.entries()) {
    if (index === cut) {
      output = op.inputs[0];
      break;
    }
    const name = layerName(graph, op, index, taken);
    const file = graph.bytes;
    const io = { name, inputs: op.inputs, output: op.outputs[0] };
    switch (op.builtinCode) {
      case BuiltinOperator.CONV_2D:
      case BuiltinOperator.DEPTHWISE_CONV_2D:
        layers.push(planConvolution(graph, op, name));
        break;
      case BuiltinOperator.ADD:
        layers.push({
          ...io,
          kind: 'add',
          activation: activationOf(file.i8(op.optionsTable, AddOptionsField.fusedActivation), name),
        });
        break;
      case BuiltinOperator.AVERAGE_POOL_2D: {
        const o = op.optionsTable;
        layers.push({
          ...io,
          kind: 'averagePool',
          poolSize: [
            file.i32(o, Pool2DOptionsField.filterHeight),
            file.i32(o, Pool2DOptionsField.filterWidth),
          ],
          strides: [file.i32(o, Pool2DOptionsField.strideH), file.i32(o, Pool2DOptionsField.strideW)],
          padding: paddingOf(file.i8(o, Pool2DOptionsField.padding)),
        });
        break;
      }
      case BuiltinOperator.RESHAPE: {
        const shape = graph.tensors[op.outputs[0]]?.shape ?? [];
        layers.push({ ...io, inputs: [op.inputs[0]], kind: 'reshape', targetShape: shape.slice(1) });
        break;
      }
      case BuiltinOperator.SOFTMAX:
        layers.push({ ...io, kind: 'softmax' });
        break;
      default:
        throw new TfliteFormatError(`operator ${index}: unsupported builtin operator ${op.builtinCode}`);
    }
  }
  if (layers.length === 0) throw new TfliteFormatError('the model has no operators');
  const [, h, w, c] = input.shape;
  return { inputShape: [h, w, c], layers, output };
}

/** Builds tfjs layers from a complete plan. Returns the model and the uint8 grid of each weight. */
export function buildFromPlan(
  plan: BackbonePlan,
  graph: TfliteGraph,
  name = 'mobilenet_v2',
): { model: tf.LayersModel; grids: Map<string, Uint8Grid> } {
  const grids = new Map<string, Uint8Grid>();
  const input = tf.input({ shape: plan.inputShape, name: 'image' });
  const symbols = new Map<number, tf.SymbolicTensor>([[graph.inputs[0], input]]);
  const take = (index: number): tf.SymbolicTensor => {
    const symbol = symbols.get(index);
    if (symbol === undefined) throw new TfliteFormatError(`tensor ${index} is used before it is computed`);
    return symbol;
  };
  for (const layer of plan.layers) {
    let out: tf.SymbolicTensor;
    switch (layer.kind) {
      case 'conv':
      case 'depthwise': {
        const common = {
          name: layer.name,
          kernelSize: [layer.kernel.shape[0], layer.kernel.shape[1]] as [number, number],
          strides: layer.strides,
          padding: layer.padding,
          activation: layer.activation,
          useBias: true,
          weights: [tf.tensor(layer.kernel.values, layer.kernel.shape), tf.tensor(layer.bias.values)],
        };
        const built =
          layer.kind === 'conv'
            ? tf.layers.conv2d({ ...common, filters: layer.kernel.shape[3] })
            : tf.layers.depthwiseConv2d({ ...common, depthMultiplier: layer.kernel.shape[3] });
        out = built.apply(take(layer.inputs[0])) as tf.SymbolicTensor;
        const kernelName = layer.kind === 'conv' ? 'kernel' : 'depthwise_kernel';
        if (layer.kernel.grid !== undefined) grids.set(`${layer.name}/${kernelName}`, layer.kernel.grid);
        break;
      }
      case 'add': {
        out = tf.layers.add({ name: layer.name }).apply(layer.inputs.map(take)) as tf.SymbolicTensor;
        if (layer.activation !== 'linear') {
          out = tf.layers
            .activation({ name: `${layer.name}_${layer.activation}`, activation: layer.activation })
            .apply(out) as tf.SymbolicTensor;
        }
        break;
      }
      case 'averagePool':
        out = tf.layers
          .averagePooling2d({
            name: layer.name,
            poolSize: layer.poolSize,
            strides: layer.strides,
            padding: layer.padding,
          })
          .apply(take(layer.inputs[0])) as tf.SymbolicTensor;
        break;
      case 'reshape':
        out = tf.layers
          .reshape({ name: layer.name, targetShape: layer.targetShape })
          .apply(take(layer.inputs[0])) as tf.SymbolicTensor;
        break;
      case 'softmax':
        out = tf.layers.softmax({ name: layer.name }).apply(take(layer.inputs[0])) as tf.SymbolicTensor;
        break;
    }
    symbols.set(layer.output, out);
  }
  return { model: tf.model({ inputs: input, outputs: take(plan.output), name }), grids };
}

/**
 * Reads a MobileNetV2 TFLite file and returns the equivalent float tfjs model (input: (pixel − 128) / 128,
 * NHWC 224×224×3), plus the uint8 grid of every kernel so that a saved model can keep the exact bytes.
 */
export function importBackbone(
  path: string,
  options: BackboneOptions,
): { model: tf.LayersModel; grids: Map<string, Uint8Grid> } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new TfliteFormatError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const graph = readTflite(bytes, path);
  return buildFromPlan(planBackbone(graph, options), graph);
}
