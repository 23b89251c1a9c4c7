import * as tf from '@tensorflow/tfjs-core';
import type { OnnxNode, OnnxTensor } from './model.js';
import { sliceInts, transposeInts } from './ints.js';
import { attrInt, attrInts, attrString, axis, intsOf, isInts, OnnxNodeError, tensorOf, valueOfTensor, type IntArray, type Value } from './value.js';

/**
 * Shape operators. On integer arrays (Shape / Gather / Concat chains that
 * PyTorch emits for `x.view(x.size(0), -1)`) they compute plain numbers, so
 * those chains fold to constants on every call; on tensors they are tfjs ops.
 */

type Inputs = (Value | undefined)[];
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

export function constant(node: OnnxNode): Value {
  const v = node.attrs.get('value');
  if (v !== undefined && typeof v === 'object' && !Array.isArray(v)) return valueOfTensor(v as OnnxTensor);
  const f = node.attrs.get('value_float');
  if (typeof f === 'number') return tf.scalar(f);
  const i = node.attrs.get('value_int');
  if (typeof i === 'number') return { ints: [i], dims: [] };
  const is = attrInts(node, 'value_ints');
  if (is) return { ints: is, dims: [is.length] };
  throw new OnnxNodeError(node, 'only value, value_float, value_int and value_ints constants are supported');
}

export function shape(node: OnnxNode, [x]: Inputs): IntArray {
  const dims = isInts(x) ? x.dims : tensorOf(node, x, 'input').shape;
  const start = axis(attrInt(node, 'start', 0), dims.length);
  const end = axis(attrInt(node, 'end', dims.length), dims.length);
  const ints = dims.slice(start, end);
  return { ints, dims: [ints.length] };
}

export function gather(node: OnnxNode, [x, idx]: Inputs): Value {
  const indices = intsOf(node, idx, 'indices');
  const indexDims = (idx as IntArray).dims;
  if (isInts(x)) {
    if (x.dims.length !== 1) throw new OnnxNodeError(node, 'gathering from an integer array of rank > 1 is not supported');
    return { ints: indices.map((i) => x.ints[i < 0 ? i + x.ints.length : i]), dims: indexDims };
  }
  const t = tensorOf(node, x, 'data');
  const a = axis(attrInt(node, 'axis', 0), t.rank);
  const positive = indices.map((i) => (i < 0 ? i + t.shape[a] : i));
  const out = tf.gather(t, tf.tensor1d(positive, 'int32'), a);
  return tf.reshape(out, [...t.shape.slice(0, a), ...indexDims, ...t.shape.slice(a + 1)]);
}

export function cast(node: OnnxNode, [x]: Inputs): Value {
  const to = attrInt(node, 'to', 1);
  if (to === 1) return tensorOf(node, x, 'input');
  if (to === 6 || to === 7) {
    if (isInts(x)) return x;
    throw new OnnxNodeError(node, 'casting a computed float tensor to integers is not supported');
  }
  throw new OnnxNodeError(node, `cast to element type ${to} is not supported`);
}

export function reshape(node: OnnxNode, [x, s]: Inputs): Value {
  const target = intsOf(node, s, 'shape');
  const dims = isInts(x) ? x.dims : tensorOf(node, x, 'data').shape;
  // 0 copies the input's dimension (allowzero = 0, the default).
  const resolved = target.map((d, i) => (d === 0 ? dims[i] : d));
  if (isInts(x)) {
    const known = size(resolved.filter((d) => d !== -1));
    return { ints: x.ints, dims: resolved.map((d) => (d === -1 ? x.ints.length / known : d)) };
  }
  return tf.reshape(tensorOf(node, x, 'data'), resolved);
}

export function flatten(node: OnnxNode, [x]: Inputs): tf.Tensor {
  const t = tensorOf(node, x, 'input');
  const a = axis(attrInt(node, 'axis', 1), t.rank);
  return tf.reshape(t, [size(t.shape.slice(0, a)), size(t.shape.slice(a))]);
}

export function transpose(node: OnnxNode, [x]: Inputs): Value {
  const rank = isInts(x) ? x.dims.length : tensorOf(node, x, 'data').rank;
  const perm = attrInts(node, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  return isInts(x) ? transposeInts(x, perm) : tf.transpose(tensorOf(node, x, 'data'), perm);
}

/** ConstantOfShape: a tensor of the given shape filled with `value` (default float 0). */
export function constantOfShape(node: OnnxNode, [s]: Inputs): Value {
  const dims = intsOf(node, s, 'input');
  const v = node.attrs.get('value') as OnnxTensor | undefined;
  const fill = v && typeof v === 'object' && 'data' in v ? Number(v.data[0] ?? 0) : 0;
  if (v?.dtype === 'int') return { ints: Array<number>(size(dims)).fill(fill), dims };
  return tf.fill(dims, fill);
}

export function neg(node: OnnxNode, [x]: Inputs): Value {
  return isInts(x) ? { ints: x.ints.map((v) => -v), dims: x.dims } : tf.neg(tensorOf(node, x, 'X'));
}

export function concat(node: OnnxNode, inputs: Inputs): Value {
  const present = inputs.filter((v): v is Value => v !== undefined);
  if (present.every(isInts)) return { ints: present.flatMap((v) => v.ints), dims: [present.reduce((n, v) => n + v.ints.length, 0)] };
  const ts = present.map((v, i) => tensorOf(node, v, `input ${i}`));
  return tf.concat(ts, axis(attrInt(node, 'axis', 0), ts[0].rank));
}

/** Slice (opset >= 10): starts, ends, axes, steps as inputs; ends past the end are clamped. */
export function slice(node: OnnxNode, [x, st, en, ax, sp]: Inputs): Value {
  const starts = intsOf(node, st, 'starts');
  const ends = intsOf(node, en, 'ends');
  const dims = isInts(x) ? x.dims : tensorOf(node, x, 'data').shape;
  const axes = ax === undefined ? starts.map((_, i) => i) : intsOf(node, ax, 'axes').map((a) => axis(a, dims.length));
  const steps = sp === undefined ? starts.map(() => 1) : intsOf(node, sp, 'steps');
  const begin = dims.map(() => 0);
  const end = [...dims];
  const stride = dims.map(() => 1);
  axes.forEach((a, i) => {
    const n = dims[a];
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    stride[a] = steps[i];
    begin[a] = steps[i] > 0 ? clamp(starts[i], 0, n) : clamp(starts[i], -1, n - 1);
    end[a] = steps[i] > 0 ? clamp(ends[i], 0, n) : clamp(ends[i], -1, n - 1);
  });
  if (isInts(x)) return sliceInts(x, begin, end, stride);
  if (stride.some((s) => s < 0)) throw new OnnxNodeError(node, 'negative steps on float tensors are not supported');
  const t = tensorOf(node, x, 'data');
  // tf.slice has a gradient on every backend; stridedSlice only where steps are needed.
  if (stride.every((s) => s === 1)) return tf.slice(t, begin, end.map((e, i) => Math.max(e - begin[i], 0)));
  return tf.stridedSlice(t, begin, end, stride);
}

function axesOf(node: OnnxNode, v: Value | undefined): number[] | undefined {
  return attrInts(node, 'axes') ?? (v === undefined ? undefined : intsOf(node, v, 'axes'));
}

export function squeeze(node: OnnxNode, [x, a]: Inputs): Value {
  const dims = isInts(x) ? x.dims : tensorOf(node, x, 'data').shape;
  const axes = (axesOf(node, a) ?? dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((i) => axis(i, dims.length));
  const kept = dims.filter((_, i) => !axes.includes(i));
  return isInts(x) ? { ints: x.ints, dims: kept } : tf.reshape(tensorOf(node, x, 'data'), kept);
}

export function unsqueeze(node: OnnxNode, [x, a]: Inputs): Value {
  const dims = isInts(x) ? x.dims : tensorOf(node, x, 'data').shape;
  const axes = axesOf(node, a);
  if (!axes) throw new OnnxNodeError(node, 'axes are missing');
  const rank = dims.length + axes.length;
  const inserted = new Set(axes.map((i) => axis(i, rank)));
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(inserted.has(i) ? 1 : dims[next++]);
  return isInts(x) ? { ints: x.ints, dims: out } : tf.reshape(tensorOf(node, x, 'data'), out);
}

/** Pad (opset >= 11): pads [x1_begin, x2_begin, ..., x1_end, ...] as an input; constant or reflect. */
export function pad(node: OnnxNode, [x, p, value]: Inputs): tf.Tensor {
  const t = tensorOf(node, x, 'data');
  const pads = intsOf(node, p, 'pads');
  if (pads.some((v) => v < 0)) throw new OnnxNodeError(node, 'negative pads (cropping) are not supported');
  const pairs = t.shape.map((_, i) => [pads[i], pads[i + t.rank]] as [number, number]);
  const mode = attrString(node, 'mode', 'constant');
  if (mode === 'reflect') return tf.mirrorPad(t, pairs, 'reflect');
  if (mode !== 'constant') throw new OnnxNodeError(node, `pad mode ${mode} is not supported (constant and reflect are)`);
  const fill = value === undefined ? 0 : tensorOf(node, value, 'constant_value').dataSync()[0];
  return pairs.every(([a, b]) => a === 0 && b === 0) ? t : tf.pad(t, pairs, fill);
}
