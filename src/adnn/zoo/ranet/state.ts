import * as tf from '@tensorflow/tfjs-core';

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

/** Every tensor a state holds, each once (a block output can also be one of its features). */
export function stateTensors(s: RaState): Set<tf.Tensor> {
  const all = new Set<tf.Tensor>();
  for (const t of s.inputs) if (t) all.add(t);
  for (const t of [...s.previous.flat(), ...s.current.flat()]) all.add(t);
  if (s.x) all.add(s.x);
  return all;
}

/** Applies `fn` to every tensor once, keeping shared tensors shared. */
export function mapState(s: RaState, fn: (t: tf.Tensor4D) => tf.Tensor4D): RaState {
  const done = new Map<tf.Tensor4D, tf.Tensor4D>();
  const f = (t: tf.Tensor4D): tf.Tensor4D => {
    let out = done.get(t);
    if (!out) {
      out = fn(t);
      done.set(t, out);
    }
    return out;
  };
  return {
    inputs: s.inputs.map((t) => (t ? f(t) : undefined)),
    previous: s.previous.map((fs) => fs.map(f)),
    current: s.current.map((fs) => fs.map(f)),
    x: s.x ? f(s.x) : undefined,
    flow: s.flow,
  };
}

/** Disposes what `before` held and `after` no longer does. */
export function release(before: RaState, after?: RaState): void {
  const kept = after ? stateTensors(after) : new Set<tf.Tensor>();
  for (const t of stateTensors(before)) if (!kept.has(t)) t.dispose();
}

/** Keeps every tensor of a state alive past the enclosing tf.tidy. */
export function keepState(s: RaState): void {
  for (const t of stateTensors(s)) tf.keep(t);
}
