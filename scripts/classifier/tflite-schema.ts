/**
 * The few parts of the public TFLite flatbuffer schema that the backbone importer reads
 * (tensorflow/lite/schema/schema.fbs). Field numbers are the `id` order of each table's fields: a reader
 * finds field `n` at vtable offset `4 + 2n`. Only what MobileNetV2 needs is listed.
 */

/** The four-byte file identifier of a TFLite model (`file_identifier "TFL3"` in schema.fbs). */
export const TFLITE_FILE_IDENTIFIER = 'TFL3';

/** Field numbers of `table Model`. */
export const ModelField = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 } as const;

/** Field numbers of `table OperatorCode`. */
export const OperatorCodeField = {
  deprecatedBuiltinCode: 0,
  customCode: 1,
  version: 2,
  builtinCode: 3,
} as const;

/** Field numbers of `table SubGraph`. */
export const SubGraphField = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;

/** Field numbers of `table Tensor`. */
export const TensorField = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4 } as const;

/** Field numbers of `table QuantizationParameters`. */
export const QuantizationField = { min: 0, max: 1, scale: 2, zeroPoint: 3, quantizedDimension: 6 } as const;

/** Field numbers of `table Operator`. */
export const OperatorField = {
  opcodeIndex: 0,
  inputs: 1,
  outputs: 2,
  builtinOptionsType: 3,
  builtinOptions: 4,
} as const;

/** Field numbers of `table Buffer`. `offset`/`size` point outside the flatbuffer in models over 2 GB. */
export const BufferField = { data: 0, offset: 1, size: 2 } as const;

/** Field numbers of `table Conv2DOptions`. */
export const Conv2DOptionsField = {
  padding: 0,
  strideW: 1,
  strideH: 2,
  fusedActivation: 3,
  dilationW: 4,
  dilationH: 5,
} as const;

/** Field numbers of `table DepthwiseConv2DOptions`. */
export const DepthwiseConv2DOptionsField = {
  padding: 0,
  strideW: 1,
  strideH: 2,
  depthMultiplier: 3,
  fusedActivation: 4,
  dilationW: 5,
  dilationH: 6,
} as const;

/** Field numbers of `table AddOptions`. */
export const AddOptionsField = { fusedActivation: 0 } as const;

/** Field numbers of `table Pool2DOptions`. */
export const Pool2DOptionsField = {
  padding: 0,
  strideW: 1,
  strideH: 2,
  filterWidth: 3,
  filterHeight: 4,
  fusedActivation: 5,
} as const;

/** `enum BuiltinOperator` values used by MobileNetV2. */
export const BuiltinOperator = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  RESHAPE: 22,
  SOFTMAX: 25,
  /** Codes at or above this only fit in the int32 `builtin_code` field, not the int8 deprecated one. */
  PLACEHOLDER_FOR_GREATER_OP_CODES: 127,
} as const;

/** `enum TensorType`. */
export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, INT8: 9 } as const;

/** `enum Padding`. */
export const Padding = { SAME: 0, VALID: 1 } as const;

/** `enum ActivationFunctionType`. */
export const Activation = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 } as const;
