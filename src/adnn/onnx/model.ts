import { int64, packedFloat32, packedInt64, ProtoDecodeError, readFields, utf8, type ProtoField } from './protobuf.js';

/**
 * An ONNX ModelProto as the interpreter and the stage splitter need it.
 * Nodes and initializers keep their original bytes, so a stage's graph for
 * onnxruntime is written from exactly what the exporter wrote.
 */

export type AttrValue = number | string | number[] | OnnxTensor;

export interface OnnxNode {
  name: string;
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrValue>;
  /** The NodeProto as it was in the file. */
  bytes: Uint8Array;
}

/** Float tensors as float32; integer ones (int64 / int32) as plain numbers. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dtype: 'float32' | 'int';
  data: Float32Array | number[];
  bytes: Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  /** Numbers for fixed dims, strings for symbolic ones, undefined when unknown. */
  shape?: (number | string | undefined)[];
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  /** Version of the default ('' / ai.onnx) operator set. */
  opset: number;
  /** The OperatorSetIdProto entries as they were in the file. */
  opsetBytes: Uint8Array[];
  graph: OnnxGraph;
}

// TensorProto.DataType
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const DTYPE_NAMES: Record<number, string> = { 2: 'uint8', 3: 'int8', 9: 'bool', 10: 'float16', 11: 'double', 16: 'bfloat16' };

/** Decodes a ModelProto; throws ProtoDecodeError (bytes) or RangeError (content) with a message saying what is wrong. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  let irVersion = 0;
  let graph: OnnxGraph | undefined;
  let opset = 0;
  const opsetBytes: Uint8Array[] = [];
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wire === 0) irVersion = int64(f.value);
    else if (f.field === 7 && f.wire === 2) graph = decodeGraph(f.value);
    else if (f.field === 8 && f.wire === 2) {
      opsetBytes.push(f.value);
      let domain = '';
      let version = 0;
      for (const g of readFields(f.value)) {
        if (g.field === 1 && g.wire === 2) domain = utf8(g.value);
        if (g.field === 2 && g.wire === 0) version = int64(g.value);
      }
      if (domain === '' || domain === 'ai.onnx') opset = version;
    }
  }
  if (!graph) throw new ProtoDecodeError('no graph (is this an ONNX model file?)');
  return { irVersion, opset, opsetBytes, graph };
}

function decodeGraph(bytes: Uint8Array): OnnxGraph {
  const g: OnnxGraph = { nodes: [], initializers: new Map(), inputs: [], outputs: [] };
  for (const f of readFields(bytes)) {
    if (f.wire !== 2) continue;
    if (f.field === 1) g.nodes.push(decodeNode(f.value, g.nodes.length));
    else if (f.field === 5) {
      const t = decodeTensor(f.value);
      g.initializers.set(t.name, t);
    } else if (f.field === 11) g.inputs.push(decodeValueInfo(f.value));
    else if (f.field === 12) g.outputs.push(decodeValueInfo(f.value));
  }
  // Initializers may be listed as inputs too (IR < 4); only the others are fed.
  g.inputs = g.inputs.filter((i) => !g.initializers.has(i.name));
  return g;
}

function decodeNode(bytes: Uint8Array, index: number): OnnxNode {
  const n: OnnxNode = { name: '', op: '', domain: '', inputs: [], outputs: [], attrs: new Map(), bytes };
  for (const f of readFields(bytes)) {
    if (f.wire !== 2) continue;
    if (f.field === 1) n.inputs.push(utf8(f.value));
    else if (f.field === 2) n.outputs.push(utf8(f.value));
    else if (f.field === 3) n.name = utf8(f.value);
    else if (f.field === 4) n.op = utf8(f.value);
    else if (f.field === 7) n.domain = utf8(f.value);
    else if (f.field === 5) {
      const [name, value] = decodeAttr(f.value);
      if (value !== undefined) n.attrs.set(name, value);
    }
  }
  if (n.name === '') n.name = `${n.op}_${index}`;
  return n;
}

/** AttributeProto: f (2), i (3), s (4), t (5), floats (7), ints (8); graphs and strings lists are not needed. */
function decodeAttr(bytes: Uint8Array): [string, AttrValue | undefined] {
  let name = '';
  let value: AttrValue | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  let type = 0;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wire === 2) name = utf8(f.value);
    else if (f.field === 2 && f.wire === 5) value = f.value.getFloat32(0, true);
    else if (f.field === 3 && f.wire === 0) value = int64(f.value);
    else if (f.field === 4 && f.wire === 2) value = utf8(f.value);
    else if (f.field === 5 && f.wire === 2) value = decodeTensor(f.value);
    else if (f.field === 7) floats.push(...packedFloat32(f));
    else if (f.field === 8) ints.push(...packedInt64(f));
    else if (f.field === 20 && f.wire === 0) type = int64(f.value);
  }
  // type 6 FLOATS, 7 INTS: empty lists have no elements to mark them.
  if (type === 6 || floats.length > 0) value = floats;
  if (type === 7 || ints.length > 0) value = ints;
  return [name, value];
}

function decodeTensor(bytes: Uint8Array): OnnxTensor {
  let name = '';
  let type = 0;
  const dims: number[] = [];
  let raw: Uint8Array | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  for (const f of readFields(bytes)) {
    if (f.field === 1) dims.push(...packedInt64(f));
    else if (f.field === 2 && f.wire === 0) type = int64(f.value);
    else if (f.field === 4) floats.push(...packedFloat32(f));
    else if (f.field === 5 || f.field === 7) ints.push(...packedInt64(f));
    else if (f.field === 8 && f.wire === 2) name = utf8(f.value);
    else if (f.field === 9 && f.wire === 2) raw = f.value;
    else if (f.field === 14 && f.wire === 0 && int64(f.value) === 1) throw new RangeError(`tensor ${name || '(unnamed)'} keeps its data in an external file; export with the weights inside the model`);
  }
  const size = dims.reduce((a, b) => a * b, 1);
  const t = (dtype: OnnxTensor['dtype'], data: OnnxTensor['data']): OnnxTensor => {
    if (data.length !== size) throw new RangeError(`tensor ${name || '(unnamed)'} has ${data.length} values for shape [${dims}]`);
    return { name, dims, dtype, data, bytes };
  };
  if (type === FLOAT) return t('float32', raw ? rawFloats(raw) : Float32Array.from(floats));
  if (type === INT64 || type === INT32) return t('int', raw ? rawInts(raw, type === INT64 ? 8 : 4) : ints);
  throw new RangeError(`tensor ${name || '(unnamed)'} has element type ${DTYPE_NAMES[type] ?? type}; only float32, int32 and int64 are supported`);
}

function rawFloats(raw: Uint8Array): Float32Array {
  // A copy: raw_data need not be 4-byte aligned within the file.
  const out = new Float32Array(raw.byteLength >> 2);
  new Uint8Array(out.buffer).set(raw.subarray(0, out.length * 4));
  return out;
}

function rawInts(raw: Uint8Array, width: 4 | 8): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.byteLength / width }, (_, i) => (width === 8 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true)));
}

function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '' };
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.wire === 2) info.name = utf8(f.value);
    if (f.field === 2 && f.wire === 2) info.shape = tensorShape(f.value);
  }
  return info;
}

/** TypeProto.tensor_type (1) -> shape (2) -> dim (1) -> dim_value (1) | dim_param (2). */
function tensorShape(typeBytes: Uint8Array): OnnxValueInfo['shape'] {
  const sub = (b: Uint8Array, field: number): ProtoField[] => readFields(b).filter((f) => f.field === field && f.wire === 2);
  const tensorType = sub(typeBytes, 1)[0];
  if (tensorType?.wire !== 2) return undefined;
  const shape = sub(tensorType.value, 2)[0];
  if (shape?.wire !== 2) return undefined;
  return sub(shape.value, 1).map((d) => {
    if (d.wire !== 2) return undefined;
    let dim: number | string | undefined;
    for (const g of readFields(d.value)) {
      if (g.field === 1 && g.wire === 0) dim = int64(g.value);
      if (g.field === 2 && g.wire === 2) dim = utf8(g.value);
    }
    return dim;
  });
}
