import { ByteBuffer } from 'flatbuffers';
import {
  BufferField,
  ModelField,
  OperatorCodeField,
  OperatorField,
  QuantizationField,
  SubGraphField,
  TFLITE_FILE_IDENTIFIER,
  TensorField,
} from './tflite-schema.ts';

/**
 * A reader for the parts of a TFLite flatbuffer that a float import needs: tensors (shape, type,
 * quantization, data) and the operator graph of the first subgraph. flatbuffers' ByteBuffer does the
 * little-endian reads; it does not check bounds, so every read here goes through {@link TfliteBytes.need}
 * and a truncated or foreign file fails with a {@link TfliteFormatError} instead of reading garbage.
 */

/** Thrown for a file that is not a readable TFLite model (wrong identifier, truncated, inconsistent). */
export class TfliteFormatError extends Error {
  override name = 'TfliteFormatError';
}

/** Per-tensor or per-axis affine quantization: real = scale × (q − zeroPoint). */
export interface TfliteQuantization {
  scale: number[];
  zeroPoint: number[];
  /** The axis that `scale`/`zeroPoint` run along when they hold more than one value. */
  quantizedDimension: number;
}

/** One tensor of the graph. `data` is empty for activations (tensors without a constant buffer). */
export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  /** A `TensorType` value. */
  type: number;
  quantization: TfliteQuantization | undefined;
  data: Uint8Array;
}

/** One operator: its builtin code, tensor indices, and the position of its options table (0 if none). */
export interface TfliteOperator {
  builtinCode: number;
  inputs: number[];
  outputs: number[];
  /** Absolute position of the builtin options table in the file, read with {@link TfliteBytes}. */
  optionsTable: number;
}

/** The first subgraph of a TFLite model, with the file's bytes for reading operator options. */
export interface TfliteGraph {
  bytes: TfliteBytes;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

/** Bounds-checked FlatBuffer access on top of flatbuffers' ByteBuffer. */
export class TfliteBytes {
  readonly bb: ByteBuffer;

  /** @param label names the file in error messages. */
  constructor(
    readonly bytes: Uint8Array,
    readonly label: string,
  ) {
    this.bb = new ByteBuffer(bytes);
  }

  /** Throws unless `[pos, pos + size)` lies inside the file. */
  need(pos: number, size: number, what: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || size < 0 || pos + size > this.bytes.length) {
      throw new TfliteFormatError(
        `${this.label}: ${what} at byte ${pos} (+${size}) lies outside the file (${this.bytes.length} bytes); ` +
          'the file is truncated or not a TFLite model',
      );
    }
  }

  /** Position of field `slot` of the table at `table`, or 0 when the field is absent (default value). */
  field(table: number, slot: number): number {
    this.need(table, 4, 'a table');
    const vtable = table - this.bb.readInt32(table);
    this.need(vtable, 4, 'a vtable');
    this.need(vtable, this.bb.readUint16(vtable), 'a vtable');
    const pos = this.bb.__offset(table, 4 + 2 * slot);
    return pos === 0 ? 0 : table + pos;
  }

  /** The scalar at field `slot` read with `read`, or `fallback` when the field is absent. */
  scalar(
    table: number,
    slot: number,
    size: 1 | 4 | 8,
    read: (pos: number) => number,
    fallback: number,
  ): number {
    const pos = this.field(table, slot);
    if (pos === 0) return fallback;
    this.need(pos, size, `field ${slot}`);
    return read(pos);
  }

  /** int32 field. */
  i32(table: number, slot: number, fallback = 0): number {
    return this.scalar(table, slot, 4, (p) => this.bb.readInt32(p), fallback);
  }

  /** uint32 field. */
  u32(table: number, slot: number, fallback = 0): number {
    return this.scalar(table, slot, 4, (p) => this.bb.readUint32(p), fallback);
  }

  /** int8 field (TFLite enums such as padding and activation are bytes). */
  i8(table: number, slot: number, fallback = 0): number {
    return this.scalar(table, slot, 1, (p) => this.bb.readInt8(p), fallback);
  }

  /** The table referenced by field `slot`, or 0 when absent. */
  table(table: number, slot: number): number {
    const pos = this.field(table, slot);
    if (pos === 0) return 0;
    this.need(pos, 4, `the offset of field ${slot}`);
    const target = this.bb.__indirect(pos);
    this.need(target, 4, `the table of field ${slot}`);
    return target;
  }

  /** Start and length of the vector at field `slot` (length 0 when absent). */
  vector(table: number, slot: number, elementSize: number): { start: number; length: number } {
    const pos = this.field(table, slot);
    if (pos === 0) return { start: 0, length: 0 };
    this.need(pos, 4, `the offset of vector field ${slot}`);
    const vectorPos = this.bb.__indirect(pos);
    this.need(vectorPos, 4, `the length of vector field ${slot}`);
    const length = this.bb.__vector_len(pos);
    const start = this.bb.__vector(pos);
    this.need(start, length * elementSize, `a vector of ${length} elements`);
    return { start, length };
  }

  /** The vector of tables at field `slot`, as absolute table positions. */
  tables(table: number, slot: number): number[] {
    const { start, length } = this.vector(table, slot, 4);
    return Array.from({ length }, (_, i) => {
      const target = this.bb.__indirect(start + 4 * i);
      this.need(target, 4, `table ${i} of vector field ${slot}`);
      return target;
    });
  }

  /** The vector of int32 at field `slot`. */
  ints(table: number, slot: number): number[] {
    const { start, length } = this.vector(table, slot, 4);
    return Array.from({ length }, (_, i) => this.bb.readInt32(start + 4 * i));
  }

  /** The string at field `slot`, or '' when absent. */
  string(table: number, slot: number): string {
    const { start, length } = this.vector(table, slot, 1);
    return length === 0 ? '' : new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }
}

function readQuantization(file: TfliteBytes, table: number): TfliteQuantization | undefined {
  if (table === 0) return undefined;
  const scales = file.vector(table, QuantizationField.scale, 4);
  if (scales.length === 0) return undefined;
  const zeros = file.vector(table, QuantizationField.zeroPoint, 8);
  const scale = Array.from({ length: scales.length }, (_, i) => file.bb.readFloat32(scales.start + 4 * i));
  const zeroPoint = Array.from({ length: zeros.length }, (_, i) =>
    Number(file.bb.readInt64(zeros.start + 8 * i)),
  );
  return { scale, zeroPoint, quantizedDimension: file.i32(table, QuantizationField.quantizedDimension) };
}

/**
 * Parses a TFLite model file into its first subgraph. Throws {@link TfliteFormatError} for a file that
 * is not TFLite (identifier other than `TFL3`), is truncated, or refers to tensors, buffers or operator
 * codes that do not exist.
 */
export function readTflite(bytes: Uint8Array, label = 'model'): TfliteGraph {
  const file = new TfliteBytes(bytes, label);
  file.need(0, 8, 'the file header');
  const identifier = new TextDecoder().decode(bytes.subarray(4, 8));
  if (identifier !== TFLITE_FILE_IDENTIFIER) {
    throw new TfliteFormatError(
      `${label}: not a TFLite model (file identifier ${JSON.stringify(identifier)}, expected "TFL3")`,
    );
  }
  const root = file.bb.readUint32(0);
  file.need(root, 4, 'the root table');
  const version = file.u32(root, ModelField.version);
  if (version !== 3) throw new TfliteFormatError(`${label}: TFLite schema version ${version}, expected 3`);

  // Files written before builtin_code existed only fill the deprecated int8 field; newer ones fill both,
  // and the larger of the two is the real code (schema.fbs, "Operator codes").
  const opcodes = file.tables(root, ModelField.operatorCodes).map((code) => {
    const deprecated = file.i8(code, OperatorCodeField.deprecatedBuiltinCode);
    return Math.max(deprecated, file.i32(code, OperatorCodeField.builtinCode));
  });

  const buffers = file.tables(root, ModelField.buffers).map((buffer) => {
    if (file.field(buffer, BufferField.offset) !== 0) {
      throw new TfliteFormatError(`${label}: buffers stored outside the flatbuffer are not supported`);
    }
    const { start, length } = file.vector(buffer, BufferField.data, 1);
    return bytes.subarray(start, start + length);
  });

  const subgraphs = file.tables(root, ModelField.subgraphs);
  if (subgraphs.length === 0) throw new TfliteFormatError(`${label}: the model has no subgraph`);
  const graph = subgraphs[0];

  const tensors = file.tables(graph, SubGraphField.tensors).map((tensor, index): TfliteTensor => {
    const bufferIndex = file.u32(tensor, TensorField.buffer);
    const data = buffers[bufferIndex];
    if (data === undefined) {
      throw new TfliteFormatError(`${label}: tensor ${index} refers to missing buffer ${bufferIndex}`);
    }
    return {
      index,
      name: file.string(tensor, TensorField.name),
      shape: file.ints(tensor, TensorField.shape),
      type: file.i8(tensor, TensorField.type),
      quantization: readQuantization(file, file.table(tensor, TensorField.quantization)),
      data,
    };
  });

  const checkTensors = (indices: number[], what: string): number[] => {
    for (const i of indices) {
      if (i !== -1 && tensors[i] === undefined) {
        throw new TfliteFormatError(`${label}: ${what} refers to missing tensor ${i}`);
      }
    }
    return indices;
  };

  const operators = file.tables(graph, SubGraphField.operators).map((op, i): TfliteOperator => {
    const opcodeIndex = file.u32(op, OperatorField.opcodeIndex);
    const builtinCode = opcodes[opcodeIndex];
    if (builtinCode === undefined) {
      throw new TfliteFormatError(`${label}: operator ${i} uses missing operator code ${opcodeIndex}`);
    }
    return {
      builtinCode,
      inputs: checkTensors(file.ints(op, OperatorField.inputs), `operator ${i}`),
      outputs: checkTensors(file.ints(op, OperatorField.outputs), `operator ${i}`),
      optionsTable: file.table(op, OperatorField.builtinOptions),
    };
  });

  return {
    bytes: file,
    tensors,
    operators,
    inputs: checkTensors(file.ints(graph, SubGraphField.inputs), 'the subgraph inputs'),
    outputs: checkTensors(file.ints(graph, SubGraphField.outputs), 'the subgraph outputs'),
  };
}
