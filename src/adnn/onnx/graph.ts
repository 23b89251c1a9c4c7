import * as tf from '@tensorflow/tfjs-core';
import type { InputSpec } from '../contract.js';
import { OnnxModelError } from './errors.js';
import { evaluate, isSupported, SUPPORTED_OPS } from './interpreter.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from './model.js';
import { IMAGE, prologue, type InputTransform } from './prologue.js';
import { isInts, OnnxNodeError, valueOfTensor, type Value } from './value.js';

/**
 * A model ready to split and run: the graph behind the input prologue, what
 * a batch-1 pass told about every value (shape, integer or float, whether it
 * depends on the image) and the FLOPs of every node.
 */
export interface PreparedGraph {
  file: string;
  model: OnnxModel;
  /** Prologue first, then the graph's nodes in file order (topological, as ONNX requires). */
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  input: InputSpec;
  values: Map<string, ValueInfo>;
  /** Per-input FLOPs of each node (2 x multiply-accumulates, docs/design.md §3). */
  flops: Map<OnnxNode, number>;
}

export interface ValueInfo {
  ints: boolean;
  /** Shape at batch 1. */
  shape: number[];
  /** Computed from the image: a float one may be carried between stages; the rest is recomputed where needed. */
  fromImage: boolean;
}

export const OPSETS = [13, 17] as const;

export function prepareGraph(file: string, model: OnnxModel, transform: InputTransform): PreparedGraph {
  if (model.opset < OPSETS[0] || model.opset > OPSETS[1]) {
    throw new OnnxModelError(file, 'opset_import', `operator set ${model.opset} is not supported; export with opset_version between ${OPSETS[0]} and ${OPSETS[1]}`);
  }
  const unsupported = model.graph.nodes.find((n) => !isSupported(n));
  if (unsupported) {
    throw new OnnxModelError(file, `node "${unsupported.name}"`, `operator ${unsupported.domain ? `${unsupported.domain}.` : ''}${unsupported.op} is not supported (supported: ${SUPPORTED_OPS.join(', ')})`);
  }
  const input = inputSpec(file, model, transform);
  const pro = prologue(model.graph.inputs[0].name, input.channels, transform);
  const initializers = new Map(model.graph.initializers);
  for (const t of pro.initializers) initializers.set(t.name, t);
  const nodes = [...pro.nodes, ...model.graph.nodes];
  const values = inferValues(file, nodes, initializers, input, { inputName: model.graph.inputs[0].name, layout: transform.layout });
  const flops = new Map(nodes.map((n) => [n, nodeFlops(n, values, initializers)]));
  return { file, model, nodes, initializers, input, values, flops };
}

/** The single image input, [batch, C, H, W] (or NHWC) with fixed C, H and W. */
function inputSpec(file: string, model: OnnxModel, t: InputTransform): InputSpec {
  const inputs = model.graph.inputs;
  if (inputs.length !== 1) throw new OnnxModelError(file, 'graph inputs', `the graph must take one input (the image batch), it takes ${inputs.length}: ${inputs.map((i) => i.name).join(', ')}`);
  const shape = inputs[0].shape;
  const fixed = shape?.slice(1).every((d) => typeof d === 'number' && d > 0);
  if (shape?.length !== 4 || !fixed) {
    throw new OnnxModelError(file, `input "${inputs[0].name}"`, `shape must be [batch, C, H, W] (layout NCHW) or [batch, H, W, C] (NHWC) with fixed sizes besides the batch, got [${shape?.map((d) => d ?? '?').join(', ') ?? 'unknown'}]`);
  }
  const [a, b, c] = shape.slice(1) as number[];
  const spec = t.layout === 'NCHW' ? { channels: a, height: b, width: c } : { height: a, width: b, channels: c };
  for (const [key, v] of [['mean', t.mean], ['std', t.std]] as const) {
    if (v && v.length !== 1 && v.length !== spec.channels) {
      throw new OnnxModelError(file, `input.normalize.${key}`, `has ${v.length} values; the input has ${spec.channels} channels in layout ${t.layout} (give 1 or ${spec.channels})`);
    }
  }
  if (t.std?.some((s) => s === 0)) throw new OnnxModelError(file, 'input.normalize.std', 'a standard deviation of 0 divides by zero');
  return { ...spec, range: [0, 1] };
}

/** One pass at batch 1 on a blank image: every value's kind and shape, and any node that fails, named. */
function inferValues(file: string, nodes: OnnxNode[], initializers: Map<string, OnnxTensor>, input: InputSpec, read: { inputName: string; layout: string }): Map<string, ValueInfo> {
  const { inputName, layout } = read;
  const inputDims = (layout === 'NCHW' ? [input.channels, input.height, input.width] : [input.height, input.width, input.channels]).join(', ');
  const info = new Map<string, ValueInfo>();
  tf.tidy(() => {
    const values = new Map<string, Value>();
    for (const [name, t] of initializers) values.set(name, valueOfTensor(t));
    values.set(IMAGE, tf.zeros([1, input.height, input.width, input.channels]));
    const fromImage = new Set([IMAGE]);
    for (const node of nodes) {
      try {
        evaluate([node], values);
      } catch (e) {
        if (e instanceof OnnxNodeError) {
          const detail = e.message.replace(/^node "[^"]*" \([^)]*\): /, '');
          // A node on the input that fails usually means the layout was misread.
          const hint = node.inputs.some((i) => fromImage.has(i) && values.get(i) !== undefined && i === inputName) ? `; the input was read as ${layout} [batch, ${inputDims}]: check model.input.layout` : '';
          throw new OnnxModelError(file, `node "${node.name}" (${node.op})`, detail + hint);
        }
        throw e;
      }
      if (node.inputs.some((i) => fromImage.has(i))) node.outputs.forEach((o) => fromImage.add(o));
    }
    for (const [name, v] of values) {
      info.set(name, { ints: isInts(v), shape: isInts(v) ? v.dims : v.shape, fromImage: fromImage.has(name) });
    }
  });
  return info;
}

/** Convolutions, transposed ones and dense layers; everything else is free (src/adnn/flops.ts). */
function nodeFlops(node: OnnxNode, values: Map<string, ValueInfo>, initializers: Map<string, OnnxTensor>): number {
  const shapeOf = (name: string | undefined) => (name ? values.get(name)?.shape ?? initializers.get(name)?.dims : undefined) ?? [];
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const w = shapeOf(node.inputs[1]);
  if (node.op === 'Conv') {
    // Eq.: 2 x (C_in / groups) x C_out x kh x kw x H_out x W_out; W is [C_out, C_in / groups, kh, kw].
    const out = shapeOf(node.outputs[0]);
    return 2 * size(w) * size(out.slice(2));
  }
  if (node.op === 'ConvTranspose') {
    // Every input pixel meets the whole kernel: 2 x C_in x C_out x kh x kw x H_in x W_in.
    return 2 * size(w) * size(shapeOf(node.inputs[0]).slice(2));
  }
  if (node.op === 'Gemm' || node.op === 'MatMul') {
    const a = shapeOf(node.inputs[0]);
    const trans = node.op === 'Gemm' && node.attrs.get('transA') === 1;
    const k = trans ? a[0] : a[a.length - 1];
    // At batch 1 the output holds exactly one input's results.
    return 2 * k * size(shapeOf(node.outputs[0]));
  }
  return 0;
}
