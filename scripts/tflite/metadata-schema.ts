/**
 * Field slots for attaching and reading TFLite metadata: the `Model`, `Buffer` and `Metadata` tables of the
 * public TFLite schema (tensorflow/lite/schema/schema.fbs) and the tables of the metadata schema
 * (tensorflow_lite_support/metadata/metadata_schema.fbs). A slot is the field's index in its table; a
 * union field takes two slots (its type, then its value).
 */
export const TFLITE_IDENTIFIER = 'TFL3';
export const METADATA_IDENTIFIER = 'M001';
/** The name under which TFLite runtimes (and MediaPipe tasks) look for the metadata buffer. */
export const METADATA_NAME = 'TFLITE_METADATA';

/** `table Model` */
export const Model = {
  version: 0,
  operator_codes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadata_buffer: 5,
  metadata: 6,
  signature_defs: 7,
  /** Number of fields we know of; a newer schema may have more, which we refuse rather than drop. */
  fieldCount: 8,
} as const;

/** `table SubGraph`: only what the surgery checks. */
export const SubGraph = { inputs: 1 } as const;

/** `table Buffer { data:[ubyte] (force_align: 16); offset:ulong; size:ulong; }` */
export const Buffer = { data: 0, offset: 1, size: 2 } as const;

/** `table Metadata { name:string; buffer:uint; }` */
export const Metadata = { name: 0, buffer: 1 } as const;

/** `table ModelMetadata` (metadata schema) */
export const ModelMetadata = {
  name: 0,
  description: 1,
  version: 2,
  subgraph_metadata: 3,
  author: 4,
  license: 5,
  associated_files: 6,
  min_parser_version: 7,
  fieldCount: 8,
} as const;

/** `table SubGraphMetadata` (metadata schema) */
export const SubGraphMetadata = {
  name: 0,
  description: 1,
  input_tensor_metadata: 2,
  output_tensor_metadata: 3,
  fieldCount: 9,
} as const;

/** `table TensorMetadata` (metadata schema) */
export const TensorMetadata = {
  name: 0,
  description: 1,
  dimension_names: 2,
  content: 3,
  process_units: 4,
  fieldCount: 7,
} as const;

/** `table ProcessUnit { options:ProcessUnitOptions; }`: slot 0 is the union's type, slot 1 its value. */
export const ProcessUnit = { options_type: 0, options: 1, fieldCount: 2 } as const;

/** `union ProcessUnitOptions`: NormalizationOptions is the first member (type 1). */
export const ProcessUnitOptionsType = { NormalizationOptions: 1 } as const;

/** `table NormalizationOptions { mean:[float]; std:[float]; }` */
export const NormalizationOptions = { mean: 0, std: 1, fieldCount: 2 } as const;
