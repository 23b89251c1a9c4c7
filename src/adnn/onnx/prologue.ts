import { ProtoWriter } from '../../engine/ort/protobuf.js';
import type { OnnxNode, OnnxTensor } from './model.js';

/**
 * What deepperform feeds (NHWC images in [0, 1]) turned into what the graph
 * expects (its layout, normalised by mean and std): a few nodes put in front
 * of the graph, so the interpreter and every onnxruntime stage run them like
 * the graph's own.
 */

/** The name under which the image batch enters (not a legal PyTorch tensor name, so no clash). */
export const IMAGE = '@deepperform/image';

export interface InputTransform {
  layout: 'NCHW' | 'NHWC';
  mean?: number[];
  std?: number[];
}

export function prologue(graphInput: string, channels: number, t: InputTransform): { nodes: OnnxNode[]; initializers: OnnxTensor[] } {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const steps: { op: string; operand?: OnnxTensor; perm?: number[] }[] = [];
  if (t.layout === 'NCHW') steps.push({ op: 'Transpose', perm: [0, 3, 1, 2] });
  const shape = t.layout === 'NCHW' ? [1, channels, 1, 1] : [1, 1, 1, channels];
  const constant = (name: string, values: number[]) => floatTensor(`@deepperform/${name}`, shape, Array.from({ length: channels }, (_, c) => values[values.length === 1 ? 0 : c]));
  if (t.mean) steps.push({ op: 'Sub', operand: constant('mean', t.mean) });
  if (t.std) steps.push({ op: 'Div', operand: constant('std', t.std) });
  if (steps.length === 0) steps.push({ op: 'Identity' });
  let current = IMAGE;
  steps.forEach((s, i) => {
    const output = i === steps.length - 1 ? graphInput : `@deepperform/input${i}`;
    const inputs = s.operand ? [current, s.operand.name] : [current];
    if (s.operand) initializers.push(s.operand);
    nodes.push(node(`@deepperform/${s.op}`, s.op, inputs, output, s.perm));
    current = output;
  });
  return { nodes, initializers };
}

function node(name: string, op: string, inputs: string[], output: string, perm?: number[]): OnnxNode {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  w.string(2, output).string(3, name).string(4, op);
  // AttributeProto: name (1), ints (8), type (20) = INTS (7)
  if (perm) w.message(5, new ProtoWriter().string(1, 'perm').packedVarints(8, perm).varint(20, 7));
  return { name, op, domain: '', inputs, outputs: [output], attrs: new Map(perm ? [['perm', perm]] : []), bytes: w.finish() };
}

export function floatTensor(name: string, dims: number[], values: number[]): OnnxTensor {
  const data = Float32Array.from(values);
  // TensorProto: dims (1), data_type (2) = FLOAT, name (8), raw_data (9)
  const bytes = new ProtoWriter().packedVarints(1, dims).varint(2, 1).string(8, name).bytes(9, new Uint8Array(data.buffer)).finish();
  return { name, dims, dtype: 'float32', data, bytes };
}
