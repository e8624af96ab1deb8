/** Reads back the TFLITE_METADATA of a TFLite model: used to verify what `attachMetadata` wrote. */
import { CheckedFlatBuffer } from './checked-reader.ts';
import * as S from './metadata-schema.ts';
import type { Normalization } from './add-metadata.ts';

/** The parts of a model's metadata that MaskGuard relies on. */
export interface ReadMetadata {
  name: string | undefined;
  /** Index of the buffer that holds the metadata flatbuffer. */
  bufferIndex: number;
  /** Normalization of the first input tensor, if it has one. */
  normalization: Normalization | undefined;
}

function floats(r: CheckedFlatBuffer, table: number, slot: number): number[] {
  const { start, length } = r.vectorField(table, slot, 4);
  return Array.from({ length }, (_, i) => r.f32(start + 4 * i));
}

/** Finds TFLITE_METADATA in a TFLite model and decodes it; undefined when the model has none. */
export function readModelMetadata(model: Uint8Array, label = 'model'): ReadMetadata | undefined {
  const r = new CheckedFlatBuffer(model, label);
  if (r.identifier() !== S.TFLITE_IDENTIFIER) throw new Error(`${label}: not a TFLite model`);
  const root = r.root();
  const entry = r
    .tableVectorField(root, S.Model.metadata)
    .find((e) => r.stringField(e, S.Metadata.name) === S.METADATA_NAME);
  if (entry === undefined) return undefined;
  const bufferIndex = r.u32(r.field(entry, S.Metadata.buffer));
  const buffer = r.tableVectorField(root, S.Model.buffers)[bufferIndex];
  if (buffer === undefined) throw new Error(`${label}: metadata points at missing buffer ${bufferIndex}`);
  const { start, length } = r.vectorField(buffer, S.Buffer.data, 1);
  const m = new CheckedFlatBuffer(model.subarray(start, start + length), `${label} metadata`);
  if (m.identifier() !== S.METADATA_IDENTIFIER) throw new Error(`${label}: metadata lacks "M001"`);
  const meta = m.root();
  const subgraph = m.tableVectorField(meta, S.ModelMetadata.subgraph_metadata)[0];
  const input = subgraph && m.tableVectorField(subgraph, S.SubGraphMetadata.input_tensor_metadata)[0];
  const unit = input && m.tableVectorField(input, S.TensorMetadata.process_units)[0];
  let normalization: Normalization | undefined;
  if (
    unit !== undefined &&
    m.u8(m.field(unit, S.ProcessUnit.options_type)) === S.ProcessUnitOptionsType.NormalizationOptions
  ) {
    const options = m.tableField(unit, S.ProcessUnit.options);
    normalization = {
      mean: floats(m, options, S.NormalizationOptions.mean),
      std: floats(m, options, S.NormalizationOptions.std),
    };
  }
  return { name: m.stringField(meta, S.ModelMetadata.name), bufferIndex, normalization };
}
