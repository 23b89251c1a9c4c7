import * as tf from '@tensorflow/tfjs-core';
import type { AttrValue, OnnxNode, OnnxTensor } from './model.js';

/**
 * A value flowing through the interpreter: a float tensor (differentiable,
 * NCHW as the graph has it) or a small integer array (shapes, axes, indices:
 * what Shape / Gather / Concat chains compute), kept as plain numbers so
 * Reshape and Slice can read them without leaving the tape.
 */
export interface IntArray {
  ints: number[];
  dims: number[];
}
export type Value = tf.Tensor | IntArray;

export function isInts(v: Value | undefined): v is IntArray {
  return v !== undefined && !(v instanceof tf.Tensor);
}

/** A node the interpreter cannot evaluate with the values it was given. */
export class OnnxNodeError extends Error {
  override readonly name = 'OnnxNodeError';
  constructor(
    readonly node: OnnxNode,
    detail: string,
  ) {
    super(`node "${node.name}" (${node.op}): ${detail}`);
  }
}

export function valueOfTensor(t: OnnxTensor): Value {
  return t.dtype === 'int' ? { ints: [...(t.data as number[])], dims: t.dims } : tf.tensor(t.data as Float32Array, t.dims, 'float32');
}

export function tensorOf(node: OnnxNode, v: Value | undefined, what: string): tf.Tensor {
  if (v === undefined) throw new OnnxNodeError(node, `${what} is missing`);
  // Integer values used as data (rare: a Cast to float) become float tensors.
  return isInts(v) ? tf.tensor(v.ints, v.dims, 'float32') : v;
}

export function intsOf(node: OnnxNode, v: Value | undefined, what: string): number[] {
  if (v === undefined) throw new OnnxNodeError(node, `${what} is missing`);
  if (!isInts(v)) throw new OnnxNodeError(node, `${what} must be a constant integer tensor (computed from shapes or stored in the model)`);
  return v.ints;
}

export function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const v = node.attrs.get(name);
  return typeof v === 'number' ? v : fallback;
}

export function attrFloat(node: OnnxNode, name: string, fallback: number): number {
  const v = node.attrs.get(name);
  return typeof v === 'number' ? v : fallback;
}

export function attrInts(node: OnnxNode, name: string): number[] | undefined {
  const v: AttrValue | undefined = node.attrs.get(name);
  return Array.isArray(v) ? v : undefined;
}

export function attrString(node: OnnxNode, name: string, fallback: string): string {
  const v = node.attrs.get(name);
  return typeof v === 'string' ? v : fallback;
}

/** An axis counted from the end when negative. */
export function axis(a: number, rank: number): number {
  return a < 0 ? a + rank : a;
}
