import { TensorType } from './tflite-schema.ts';
import { TfliteFormatError, type TfliteTensor } from './tflite-reader.ts';

/** A uint8 grid that a weight's float values lie on exactly: real = scale × (q − zeroPoint). */
export interface Uint8Grid {
  scale: number;
  zeroPoint: number;
}

/** A constant tensor turned into float32, in TFLite's own layout. */
export interface DequantizedTensor {
  shape: number[];
  values: Float32Array;
  /** Set when the tensor was per-tensor uint8, so the shipped model can store the same bytes losslessly. */
  grid: Uint8Grid | undefined;
}

const ELEMENT_SIZE: Record<number, number> = {
  [TensorType.FLOAT32]: 4,
  [TensorType.INT32]: 4,
  [TensorType.UINT8]: 1,
  [TensorType.INT8]: 1,
};

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Dequantizes a constant tensor: uint8/int8 weights with real = scale × (q − zero_point) (one scale per
 * tensor, or one per channel along `quantizedDimension`); int32 biases with zero point 0 and, when the
 * file stores no scale, scale = input scale × weight scale (`fallbackScale`, as the TFLite
 * quantization spec defines it); float32 as is. The byte length must match the shape exactly.
 */
export function dequantize(tensor: TfliteTensor, fallbackScale?: number): DequantizedTensor {
  const size = ELEMENT_SIZE[tensor.type];
  if (size === undefined) {
    throw new TfliteFormatError(`tensor ${tensor.name}: unsupported tensor type ${tensor.type}`);
  }
  const count = elementCount(tensor.shape);
  if (tensor.data.length !== count * size) {
    throw new TfliteFormatError(
      `tensor ${tensor.name}: ${tensor.data.length} bytes of data, expected ${count * size} for shape ` +
        `[${tensor.shape.join(',')}]`,
    );
  }
  const view = new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const values = new Float32Array(count);
  if (tensor.type === TensorType.FLOAT32) {
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(4 * i, true);
    return { shape: tensor.shape, values, grid: undefined };
  }

  const q = tensor.quantization;
  const scales = q?.scale ?? (fallbackScale === undefined ? [] : [fallbackScale]);
  if (scales.length === 0) {
    throw new TfliteFormatError(`tensor ${tensor.name}: quantized tensor without a scale`);
  }
  const zeros = q?.zeroPoint ?? [0];
  // Per-axis quantization: the channel of element i is its coordinate along quantizedDimension.
  const axis = q?.quantizedDimension ?? 0;
  const inner = elementCount(tensor.shape.slice(axis + 1));
  const channels = tensor.shape[axis] ?? 1;
  if (scales.length !== 1 && scales.length !== channels) {
    throw new TfliteFormatError(`tensor ${tensor.name}: ${scales.length} scales for ${channels} channels`);
  }
  const read =
    tensor.type === TensorType.UINT8
      ? (i: number) => view.getUint8(i)
      : tensor.type === TensorType.INT8
        ? (i: number) => view.getInt8(i)
        : (i: number) => view.getInt32(4 * i, true);
  for (let i = 0; i < count; i++) {
    const c = scales.length === 1 ? 0 : Math.floor(i / inner) % channels;
    values[i] = scales[c] * (read(i) - (zeros[c] ?? zeros[0] ?? 0));
  }
  const grid =
    tensor.type === TensorType.UINT8 && scales.length === 1
      ? { scale: scales[0], zeroPoint: zeros[0] ?? 0 }
      : undefined;
  return { shape: tensor.shape, values, grid };
}

/**
 * Reorders a TFLite convolution filter [out, h, w, in] into the tfjs/Keras kernel layout [h, w, in, out].
 */
export function ohwiToHwio(values: Float32Array, shape: number[]): { values: Float32Array; shape: number[] } {
  const [o, h, w, i] = shape;
  const out = new Float32Array(values.length);
  for (let oo = 0; oo < o; oo++) {
    for (let hh = 0; hh < h; hh++) {
      for (let ww = 0; ww < w; ww++) {
        for (let ii = 0; ii < i; ii++) {
          out[((hh * w + ww) * i + ii) * o + oo] = values[((oo * h + hh) * w + ww) * i + ii];
        }
      }
    }
  }
  return { values: out, shape: [h, w, i, o] };
}
