import * as tf from '@tensorflow/tfjs-core';
import type { OnnxNode } from './model.js';
import { attrFloat, attrInt, attrInts, axis, isInts, OnnxNodeError, tensorOf, type IntArray, type Value } from './value.js';

/** Elementwise, normalisation, dense and reduction operators. */

type Inputs = (Value | undefined)[];

const BINARY: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  Add: tf.add,
  Sub: tf.sub,
  Mul: tf.mul,
  Div: tf.div,
};

const INT_BINARY: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => Math.trunc(a / b),
};

/** Add, Sub, Mul, Div with numpy broadcasting; on shape integers too (scalars or equal lengths). */
export function binary(node: OnnxNode, [a, b]: Inputs): Value {
  if (isInts(a) && isInts(b)) return intBinary(node, a, b);
  return BINARY[node.op](tensorOf(node, a, 'input A'), tensorOf(node, b, 'input B'));
}

function intBinary(node: OnnxNode, a: IntArray, b: IntArray): IntArray {
  const f = INT_BINARY[node.op];
  if (a.ints.length === 1 || b.ints.length === 1 || a.ints.length === b.ints.length) {
    const n = Math.max(a.ints.length, b.ints.length);
    const at = (v: IntArray, i: number) => v.ints[v.ints.length === 1 ? 0 : i];
    return { ints: Array.from({ length: n }, (_, i) => f(at(a, i), at(b, i))), dims: a.ints.length >= b.ints.length ? a.dims : b.dims };
  }
  throw new OnnxNodeError(node, `integer operands of lengths ${a.ints.length} and ${b.ints.length} do not broadcast`);
}

export function unary(node: OnnxNode, [x]: Inputs): tf.Tensor {
  const t = tensorOf(node, x, 'input X');
  switch (node.op) {
    case 'Relu':
      return tf.relu(t);
    case 'LeakyRelu':
      return tf.leakyRelu(t, attrFloat(node, 'alpha', 0.01));
    case 'Sigmoid':
      return tf.sigmoid(t);
    case 'Tanh':
      return tf.tanh(t);
    default:
      throw new OnnxNodeError(node, 'not an activation');
  }
}

/** Clip (opset >= 11): min and max are optional inputs. */
export function clip(node: OnnxNode, [x, lo, hi]: Inputs): tf.Tensor {
  const scalar = (v: Value | undefined, fallback: number): number => {
    if (v === undefined) return fallback;
    const t = tensorOf(node, v, 'bound');
    if (t.size !== 1) throw new OnnxNodeError(node, 'min and max must be scalars');
    return t.dataSync()[0];
  };
  return tf.clipByValue(tensorOf(node, x, 'input'), scalar(lo, -3.4e38), scalar(hi, 3.4e38));
}

/** Inference-mode batch norm over axis 1: (x - mean) / sqrt(var + eps) * scale + B. */
export function batchNorm(node: OnnxNode, [x, scale, bias, mean, variance]: Inputs): tf.Tensor {
  const t = tensorOf(node, x, 'input X');
  const shape = [1, t.shape[1]!, ...Array<number>(Math.max(t.rank - 2, 0)).fill(1)];
  const p = (v: Value | undefined, what: string) => tf.reshape(tensorOf(node, v, what), shape);
  const eps = attrFloat(node, 'epsilon', 1e-5);
  const inv = tf.div(p(scale, 'scale'), tf.sqrt(tf.add(p(variance, 'input_var'), eps)));
  return tf.add(tf.mul(tf.sub(t, p(mean, 'input_mean')), inv), p(bias, 'B'));
}

/** Y = alpha * A' B' + beta * C. */
export function gemm(node: OnnxNode, [a, b, c]: Inputs): tf.Tensor {
  let y = tf.matMul(tensorOf(node, a, 'A') as tf.Tensor2D, tensorOf(node, b, 'B') as tf.Tensor2D, attrInt(node, 'transA', 0) === 1, attrInt(node, 'transB', 0) === 1);
  const alpha = attrFloat(node, 'alpha', 1);
  if (alpha !== 1) y = tf.mul(y, alpha);
  if (c !== undefined) {
    const beta = attrFloat(node, 'beta', 1);
    y = tf.add(y, beta === 1 ? tensorOf(node, c, 'C') : tf.mul(tensorOf(node, c, 'C'), beta));
  }
  return y;
}

export function matMul(node: OnnxNode, [a, b]: Inputs): tf.Tensor {
  const x = tensorOf(node, a, 'A');
  const y = tensorOf(node, b, 'B');
  // A batch of matrices times one matrix: fold the batch into the rows.
  if (x.rank > 2 && y.rank === 2) {
    const rows = tf.reshape(x, [-1, x.shape[x.rank - 1]!]);
    return tf.reshape(tf.matMul(rows, y), [...x.shape.slice(0, -1), y.shape[1]!]);
  }
  return tf.matMul(x, y);
}

export function softmax(node: OnnxNode, [x]: Inputs): tf.Tensor {
  const t = tensorOf(node, x, 'input');
  const a = axis(attrInt(node, 'axis', -1), t.rank);
  if (a === t.rank - 1) return tf.softmax(t);
  const perm = Array.from({ length: t.rank }, (_, i) => i);
  [perm[a], perm[t.rank - 1]] = [perm[t.rank - 1], perm[a]];
  return tf.transpose(tf.softmax(tf.transpose(t, perm)), perm);
}

/** ReduceMean: axes from the attribute (opset <= 17), every axis when absent. */
export function reduceMean(node: OnnxNode, [x, axesInput]: Inputs): tf.Tensor {
  const t = tensorOf(node, x, 'input');
  const given = attrInts(node, 'axes') ?? (isInts(axesInput) ? axesInput.ints : undefined);
  const axes = (given ?? Array.from({ length: t.rank }, (_, i) => i)).map((a) => axis(a, t.rank));
  return tf.mean(t, axes, attrInt(node, 'keepdims', 1) === 1);
}
