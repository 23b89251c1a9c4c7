import { ProtoWriter } from './protobuf.js';

/** ONNX TensorProto.DataType codes used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export type AttrValue = number | string | number[] | { ints: number[] } | { float: number };

/** One operator: its inputs and outputs are value names ('' for an omitted optional input). */
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integers are written as INT, other numbers as FLOAT, arrays as INTS. */
  attrs?: Record<string, AttrValue>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  type: DataTypeCode;
  /** Little-endian raw bytes, as in TensorProto.raw_data. */
  raw: Uint8Array;
}

/** A graph input or output: element type and shape, strings for symbolic dims. */
export interface OnnxValueInfo {
  name: string;
  type: DataTypeCode;
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

/** Opset 17 (ONNX 1.12) with IR version 8: every op used here has its final form there. */
export const OPSET = 17;
const IR_VERSION = 8;

// Field numbers from onnx.proto3.
const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** Serialises a ModelProto that InferenceSession.create accepts as bytes. */
export function encodeModel(graph: OnnxGraph, producer = 'deepperform'): Uint8Array {
  const model = new ProtoWriter()
    .varint(1, IR_VERSION)
    .string(2, producer)
    .message(7, encodeGraph(graph))
    .message(8, new ProtoWriter().string(1, '').varint(2, OPSET));
  return model.finish();
}

function encodeGraph(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  g.nodes.forEach((n, i) => w.message(1, encodeNode(n, i)));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, encodeTensor(t));
  for (const v of g.inputs) w.message(11, encodeValueInfo(v));
  for (const v of g.outputs) w.message(12, encodeValueInfo(v));
  return w;
}

function encodeNode(n: OnnxNode, index: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op}_${index}`).string(4, n.op);
  for (const [name, value] of Object.entries(n.attrs ?? {})) w.message(5, encodeAttr(name, value));
  return w;
}

function encodeAttr(name: string, value: AttrValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof value === 'string') return w.string(4, value).varint(20, ATTR_TYPE.STRING);
  if (Array.isArray(value)) return w.packedVarints(8, value).varint(20, ATTR_TYPE.INTS);
  if (typeof value === 'object' && 'ints' in value) return w.packedVarints(8, value.ints).varint(20, ATTR_TYPE.INTS);
  if (typeof value === 'object') return w.float(2, value.float).varint(20, ATTR_TYPE.FLOAT);
  if (Number.isInteger(value)) return w.varint(3, value).varint(20, ATTR_TYPE.INT);
  return w.float(2, value).varint(20, ATTR_TYPE.FLOAT);
}

function encodeTensor(t: OnnxTensor): ProtoWriter {
  return new ProtoWriter().packedVarints(1, t.dims).varint(2, t.type).string(8, t.name).bytes(9, t.raw);
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().varint(1, v.type).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}
