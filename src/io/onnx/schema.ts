// The subset of ONNX's protobuf schema (onnx/onnx.proto) that an exported model uses, as a
// protobufjs JSON descriptor, and the one function that serializes a ModelProto with it. The
// field numbers are the official ones (onnx.proto, proto2): the bytes are read by any ONNX
// consumer. protobufjs does the wire encoding; nothing here writes varints by hand.

import protobuf from "protobufjs/light.js";
import { FormatError } from "../../core/errors.js";

/** TensorProto.DataType values used by the exporter. */
export const ONNX_DTYPE = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values used by the exporter. */
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

const f = (type: string, id: number, rule?: "repeated") => (rule ? { type, id, rule } : { type, id });

/** protobufjs JSON descriptor of the ONNX messages we write (names and numbers as in onnx.proto). */
const DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: f("string", 1), ref_attr_name: f("string", 21), doc_string: f("string", 13), type: f("int32", 20),
            f: f("float", 2), i: f("int64", 3), s: f("bytes", 4), t: f("TensorProto", 5), g: f("GraphProto", 6),
            floats: f("float", 7, "repeated"), ints: f("int64", 8, "repeated"), strings: f("bytes", 9, "repeated"),
            tensors: f("TensorProto", 10, "repeated"), graphs: f("GraphProto", 11, "repeated"),
          },
        },
        ValueInfoProto: { fields: { name: f("string", 1), type: f("TypeProto", 2), doc_string: f("string", 3) } },
        NodeProto: {
          fields: {
            input: f("string", 1, "repeated"), output: f("string", 2, "repeated"), name: f("string", 3),
            op_type: f("string", 4), domain: f("string", 7), attribute: f("AttributeProto", 5, "repeated"), doc_string: f("string", 6),
          },
        },
        ModelProto: {
          fields: {
            ir_version: f("int64", 1), opset_import: f("OperatorSetIdProto", 8, "repeated"), producer_name: f("string", 2),
            producer_version: f("string", 3), domain: f("string", 4), model_version: f("int64", 5), doc_string: f("string", 6),
            graph: f("GraphProto", 7), metadata_props: f("StringStringEntryProto", 14, "repeated"),
          },
        },
        StringStringEntryProto: { fields: { key: f("string", 1), value: f("string", 2) } },
        GraphProto: {
          fields: {
            node: f("NodeProto", 1, "repeated"), name: f("string", 2), initializer: f("TensorProto", 5, "repeated"),
            doc_string: f("string", 10), input: f("ValueInfoProto", 11, "repeated"), output: f("ValueInfoProto", 12, "repeated"),
            value_info: f("ValueInfoProto", 13, "repeated"),
          },
        },
        TensorProto: {
          fields: {
            // proto2 declares the numeric arrays [packed = true]; we only write raw_data
            dims: f("int64", 1, "repeated"), data_type: f("int32", 2), name: f("string", 8), doc_string: f("string", 12),
            raw_data: f("bytes", 9),
          },
        },
        TensorShapeProto: {
          fields: { dim: f("Dimension", 1, "repeated") },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ["dim_value", "dim_param"] } },
              fields: { dim_value: f("int64", 1), dim_param: f("string", 2), denotation: f("string", 3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ["tensor_type"] } },
          fields: { tensor_type: f("Tensor", 1), denotation: f("string", 6) },
          nested: { Tensor: { fields: { elem_type: f("int32", 1), shape: f("TensorShapeProto", 2) } } },
        },
        OperatorSetIdProto: { fields: { domain: f("string", 1), version: f("int64", 2) } },
      },
    },
  },
};

let root: protobuf.Root | null = null;

/** The protobufjs type of an ONNX message (ModelProto, TensorProto, …), built once. */
export function onnxType(name: string): protobuf.Type {
  root ??= protobuf.Root.fromJSON(DESCRIPTOR);
  return root.lookupType(`onnx.${name}`);
}

/** Plain-object forms of the messages (snake_case field names as in onnx.proto). */
export interface TensorProtoObj { name: string; dims: number[]; data_type: number; raw_data: Uint8Array }
export interface AttributeProtoObj {
  name: string; type: number; f?: number; i?: number; s?: Uint8Array; t?: TensorProtoObj; floats?: number[]; ints?: number[];
}
export interface NodeProtoObj { name: string; op_type: string; input: string[]; output: string[]; attribute: AttributeProtoObj[]; doc_string?: string }
export interface DimObj { dim_value?: number; dim_param?: string }
export interface ValueInfoProtoObj { name: string; type: { tensor_type: { elem_type: number; shape: { dim: DimObj[] } } } }
export interface GraphProtoObj {
  name: string; node: NodeProtoObj[]; initializer: TensorProtoObj[]; input: ValueInfoProtoObj[]; output: ValueInfoProtoObj[];
}
export interface ModelProtoObj {
  ir_version: number; opset_import: { domain: string; version: number }[]; producer_name: string; producer_version: string;
  graph: GraphProtoObj; doc_string?: string;
}

/** Serializes a ModelProto (checked against the schema by protobufjs) to its wire bytes. */
export function encodeModel(model: ModelProtoObj): Uint8Array {
  const T = onnxType("ModelProto");
  const err = T.verify(model);
  if (err) throw new FormatError(`onnx.export: the ModelProto does not fit the ONNX schema (${err}); this is a bug in the exporter`);
  return T.encode(T.fromObject(model)).finish();
}

/** Parses ModelProto bytes back to a plain object (tests and tools; int64 fields as numbers). */
export function decodeModel(bytes: Uint8Array): ModelProtoObj {
  const T = onnxType("ModelProto");
  return T.toObject(T.decode(bytes), { longs: Number, bytes: Uint8Array as unknown as typeof String, defaults: false }) as ModelProtoObj;
}
