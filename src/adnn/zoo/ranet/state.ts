import type * as tf from '@tensorflow/tfjs-core';

/**
 * What one segment hands to the next: not one feature map (as in SDN) but the
 * feature maps at several scales that later blocks still need.
 */
export interface RaState {
  /** Stem outputs of the sub-networks not started yet, by sub-network (undefined once started). */
  inputs: (tf.Tensor4D | undefined)[];
  /** Features of every block of the previous sub-network, read by the current one's fusion blocks. */
  previous: tf.Tensor4D[][];
  /** Features of the finished blocks of the current sub-network, for the next one. */
  current: tf.Tensor4D[][];
  /** Output of the last block that ran. */
  x?: tf.Tensor4D;
  /** Current sub-network, -1 before the first block. */
  flow: number;
}

/**
 * Where each tensor of a state sits in a flat list of its distinct tensors:
 * how a state crosses a stage boundary (a graph has a list of inputs and
 * outputs). The same code path gives the same layout for every batch.
 */
export interface StateLayout {
  /** -1 where a slot is empty. */
  inputs: number[];
  previous: number[][];
  current: number[][];
  x: number;
  flow: number;
}

/** The distinct tensors of a state, in a fixed traversal order, and its layout. */
export function flattenState(s: RaState): { tensors: tf.Tensor4D[]; layout: StateLayout } {
  const index = new Map<tf.Tensor4D, number>();
  const tensors: tf.Tensor4D[] = [];
  const at = (t: tf.Tensor4D | undefined): number => {
    if (!t) return -1;
    let i = index.get(t);
    if (i === undefined) {
      i = tensors.push(t) - 1;
      index.set(t, i);
    }
    return i;
  };
  const layout: StateLayout = {
    inputs: s.inputs.map(at),
    previous: s.previous.map((fs) => fs.map(at)),
    current: s.current.map((fs) => fs.map(at)),
    x: at(s.x),
    flow: s.flow,
  };
  return { tensors, layout };
}

/** The state a flat list of tensors holds in `layout` (the inverse of flattenState). */
export function unflattenState(layout: StateLayout, tensors: readonly tf.Tensor4D[]): RaState {
  const get = (i: number): tf.Tensor4D => {
    const t = tensors[i];
    if (!t) throw new RangeError(`RaNet state: tensor ${i} missing (${tensors.length} given)`);
    return t;
  };
  return {
    inputs: layout.inputs.map((i) => (i < 0 ? undefined : get(i))),
    previous: layout.previous.map((fs) => fs.map(get)),
    current: layout.current.map((fs) => fs.map(get)),
    x: layout.x < 0 ? undefined : get(layout.x),
    flow: layout.flow,
  };
}
