/**
 * Adds TFLite metadata (input normalization) to a model that lacks it, keeping the original bytes intact.
 *
 * Why: MediaPipe's BlazeFace models in `@mediapipe/face_detection` carry no metadata, and tasks-vision's
 * `FaceDetector` refuses a float32 input without `NormalizationOptions` ("Input tensor has type float32:
 * it requires specifying NormalizationOptions metadata to preprocess input images").
 *
 * How: a FlatBuffer is addressed by relative offsets, so the original file can be moved as one block.
 * We write a new root `Model` table in front of it whose fields point into the moved original (its
 * operator codes, subgraphs, …), plus new `buffers` and `metadata` vectors that list the original entries
 * and one more each: a `Buffer` holding the `ModelMetadata` flatbuffer (identifier M001) and a `Metadata`
 * entry named TFLITE_METADATA pointing at it. The original moves by a multiple of 16, so the 16-byte
 * alignment of its weight buffers holds. The original's own root offset becomes unused bytes.
 * The output is a pure function of the input: byte-for-byte the same on every run.
 */
import { Builder } from 'flatbuffers';
import { CheckedFlatBuffer } from './checked-reader.ts';
import * as S from './metadata-schema.ts';

/** Per-channel input normalization: the model sees `(pixel - mean) / std`. */
export interface Normalization {
  mean: number[];
  std: number[];
}

/** What we say about the model in its metadata. */
export interface MetadataInfo {
  name: string;
  description: string;
  normalization: Normalization;
}

/** Builds the `ModelMetadata` flatbuffer (file identifier M001) for a one-input image model. */
export function buildModelMetadata(info: MetadataInfo): Uint8Array {
  const b = new Builder(512);
  const floats = (values: number[]) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
    return b.endVector();
  };
  const tables = (offsets: number[]) => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
    return b.endVector();
  };
  const mean = floats(info.normalization.mean);
  const std = floats(info.normalization.std);
  b.startObject(S.NormalizationOptions.fieldCount);
  b.addFieldOffset(S.NormalizationOptions.mean, mean, 0);
  b.addFieldOffset(S.NormalizationOptions.std, std, 0);
  const normalization = b.endObject();

  b.startObject(S.ProcessUnit.fieldCount);
  b.addFieldInt8(S.ProcessUnit.options_type, S.ProcessUnitOptionsType.NormalizationOptions, 0);
  b.addFieldOffset(S.ProcessUnit.options, normalization, 0);
  const processUnit = b.endObject();

  const processUnits = tables([processUnit]);
  const inputName = b.createString('image');
  b.startObject(S.TensorMetadata.fieldCount);
  b.addFieldOffset(S.TensorMetadata.name, inputName, 0);
  b.addFieldOffset(S.TensorMetadata.process_units, processUnits, 0);
  const inputTensor = b.endObject();

  const inputs = tables([inputTensor]);
  b.startObject(S.SubGraphMetadata.fieldCount);
  b.addFieldOffset(S.SubGraphMetadata.input_tensor_metadata, inputs, 0);
  const subgraph = b.endObject();

  const subgraphs = tables([subgraph]);
  const name = b.createString(info.name);
  const description = b.createString(info.description);
  // 1.0.0: we use only fields of the schema's first version.
  const minParser = b.createString('1.0.0');
  b.startObject(S.ModelMetadata.fieldCount);
  b.addFieldOffset(S.ModelMetadata.name, name, 0);
  b.addFieldOffset(S.ModelMetadata.description, description, 0);
  b.addFieldOffset(S.ModelMetadata.subgraph_metadata, subgraphs, 0);
  b.addFieldOffset(S.ModelMetadata.min_parser_version, minParser, 0);
  const root = b.endObject();
  b.finish(root, S.METADATA_IDENTIFIER);
  return b.asUint8Array().slice();
}

/** A little-endian forward writer for the new header; `later` patches offsets once targets are known. */
class HeaderWriter {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  pos = 0;

  private grow(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    next.set(this.bytes);
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
  u16(v: number): number {
    this.grow(2);
    this.view.setUint16(this.pos, v, true);
    return (this.pos += 2) - 2;
  }
  u32(v: number): number {
    this.grow(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    return (this.pos += 4) - 4;
  }
  raw(data: Uint8Array): number {
    this.grow(data.length);
    this.bytes.set(data, this.pos);
    return (this.pos += data.length) - data.length;
  }
  /** Zero padding until `(pos + bias) % n === 0`. */
  align(n: number, bias = 0): void {
    while ((this.pos + bias) % n !== 0) this.raw(new Uint8Array(1));
  }
  setU16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }
  setU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }
  /** Writes the uoffset at `at` so that it points at `target`. */
  pointAt(at: number, target: number): void {
    if (target <= at) throw new Error('internal error: a uoffset must point forward');
    this.setU32(at, target - at);
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

/** Writes a table as [vtable][padding][soffset, fields…] and returns the table's position. */
function writeTable(
  w: HeaderWriter,
  fieldCount: number,
  fields: { slot: number; write: () => number }[],
): number {
  const vtable = w.pos;
  const slotOffsets: number[] = new Array<number>(fieldCount).fill(0);
  w.u16(4 + 2 * fieldCount);
  w.u16(4 + 4 * fields.length);
  const entries = slotOffsets.map(() => w.u16(0));
  w.align(4);
  const table = w.pos;
  w.u32(table - vtable); // soffset: vtable = table - soffset
  for (const field of fields) {
    const at = field.write();
    slotOffsets[field.slot] = at - table;
  }
  // Fill the vtable entries now that the fields' positions are known.
  entries.forEach((entryPos, slot) => w.setU16(entryPos, slotOffsets[slot]!));
  return table;
}

/**
 * Returns a copy of the TFLite model `original` with `metadata` attached as TFLITE_METADATA.
 * @throws Error with a clear message when the input is not a complete TFLite model, already has
 *   TFLITE_METADATA, or uses features this surgery cannot move (buffers stored by file offset).
 */
export function attachMetadata(original: Uint8Array, metadata: Uint8Array, label = 'model'): Uint8Array {
  const r = new CheckedFlatBuffer(original, label);
  if (original.length < 8 || r.identifier() !== S.TFLITE_IDENTIFIER) {
    throw new Error(
      `${label}: not a TFLite model (no "${S.TFLITE_IDENTIFIER}" file identifier at bytes 4–8)`,
    );
  }
  const model = r.root();
  // Refuse fields of a newer schema rather than silently dropping them.
  const vtable = model - r.i32(model);
  for (let slot = S.Model.fieldCount; 4 + 2 * slot < r.u16(vtable); slot++) {
    if (r.u16(vtable + 4 + 2 * slot) !== 0) throw new Error(`${label}: Model has unknown field ${slot}`);
  }
  const buffers = r.tableVectorField(model, S.Model.buffers);
  for (const [i, buffer] of buffers.entries()) {
    r.vectorField(buffer, S.Buffer.data, 1); // bounds-checks the weights: catches truncation
    const offsetField = r.field(buffer, S.Buffer.offset);
    if (offsetField !== 0 && r.u64(offsetField) !== 0) {
      throw new Error(`${label}: buffer ${i} is stored by file offset, which moving the model would break`);
    }
  }
  const subgraphs = r.tableVectorField(model, S.Model.subgraphs);
  if (subgraphs.length !== 1) throw new Error(`${label}: expected one subgraph, found ${subgraphs.length}`);
  const inputs = r.vectorField(subgraphs[0]!, S.SubGraph.inputs, 4);
  if (inputs.length !== 1) throw new Error(`${label}: expected one input tensor, found ${inputs.length}`);
  const metadataEntries = r.tableVectorField(model, S.Model.metadata);
  for (const entry of metadataEntries) {
    if (r.stringField(entry, S.Metadata.name) === S.METADATA_NAME) {
      throw new Error(`${label}: already has ${S.METADATA_NAME}`);
    }
  }

  const w = new HeaderWriter();
  const rootAt = w.u32(0);
  w.raw(new TextEncoder().encode(S.TFLITE_IDENTIFIER));
  // Targets inside the moved original are known only once the header's size is; record and patch.
  const toOriginal: { at: number; target: number }[] = [];
  const toHeader: { at: number; target: () => number }[] = [];
  const keep = (slot: number) => ({
    slot,
    write: () => {
      const at = w.u32(0);
      toOriginal.push({ at, target: r.indirect(r.field(model, slot)) });
      return at;
    },
  });
  let buffersVector = 0;
  let metadataVector = 0;
  const fields: { slot: number; write: () => number }[] = [];
  const versionField = r.field(model, S.Model.version);
  if (versionField !== 0) fields.push({ slot: S.Model.version, write: () => w.u32(r.u32(versionField)) });
  for (const slot of [S.Model.operator_codes, S.Model.subgraphs, S.Model.description]) {
    if (r.field(model, slot) !== 0) fields.push(keep(slot));
  }
  fields.push({
    slot: S.Model.buffers,
    write: () => {
      const at = w.u32(0);
      toHeader.push({ at, target: () => buffersVector });
      return at;
    },
  });
  if (r.field(model, S.Model.metadata_buffer) !== 0) fields.push(keep(S.Model.metadata_buffer));
  fields.push({
    slot: S.Model.metadata,
    write: () => {
      const at = w.u32(0);
      toHeader.push({ at, target: () => metadataVector });
      return at;
    },
  });
  if (r.field(model, S.Model.signature_defs) !== 0) fields.push(keep(S.Model.signature_defs));
  fields.sort((a, b) => a.slot - b.slot);
  const newModel = writeTable(w, S.Model.fieldCount, fields);
  w.setU32(rootAt, newModel);

  // buffers: the original ones, then ours.
  w.align(4);
  buffersVector = w.pos;
  w.u32(buffers.length + 1);
  for (const buffer of buffers) toOriginal.push({ at: w.u32(0), target: buffer });
  const newBufferRef = w.u32(0);
  // metadata: the original entries, then ours.
  metadataVector = w.pos;
  w.u32(metadataEntries.length + 1);
  for (const entry of metadataEntries) toOriginal.push({ at: w.u32(0), target: entry });
  const newMetadataRef = w.u32(0);

  // Our Buffer: its data vector's bytes must be 16-aligned (force_align: 16 in the schema).
  let dataRef = 0;
  const newBuffer = writeTable(w, 1, [{ slot: S.Buffer.data, write: () => (dataRef = w.u32(0)) }]);
  w.align(16, 4);
  const dataVector = w.u32(metadata.length);
  w.raw(metadata);
  w.pointAt(dataRef, dataVector);
  w.pointAt(newBufferRef, newBuffer);

  // Our Metadata entry: name TFLITE_METADATA, buffer = index of our Buffer.
  w.align(4);
  let nameRef = 0;
  const newEntry = writeTable(w, 2, [
    { slot: S.Metadata.name, write: () => (nameRef = w.u32(0)) },
    { slot: S.Metadata.buffer, write: () => w.u32(buffers.length) },
  ]);
  w.align(4);
  const nameBytes = new TextEncoder().encode(S.METADATA_NAME);
  const nameString = w.u32(nameBytes.length);
  w.raw(nameBytes);
  w.raw(new Uint8Array(1)); // strings are NUL-terminated
  w.pointAt(nameRef, nameString);
  w.pointAt(newMetadataRef, newEntry);

  w.align(16);
  const shift = w.pos;
  for (const { at, target } of toHeader) w.pointAt(at, target());
  for (const { at, target } of toOriginal) w.pointAt(at, shift + target);
  const header = w.result();
  const out = new Uint8Array(header.length + original.length);
  out.set(header);
  out.set(original, header.length);
  return out;
}
