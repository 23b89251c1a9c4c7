import * as tf from '@tensorflow/tfjs-core';
import { executedFlops, runBatched, type AdaptiveNetwork } from '../adnn/index.js';
import { adamDirection, type AdamConfig } from '../nn/index.js';

/**
 * The step size at step t (0-based) of k: constant, or cosine-annealed,
 * size * (1 + cos(pi t / k)): twice `size` at t = 0 down towards 0 at the last
 * step ((k + 1) * size in all). Early steps cross the ball; late ones settle
 * without overshooting.
 */
export function scheduledStep(size: number, t: number, k: number, schedule: 'constant' | 'cosine'): number {
  return schedule === 'constant' ? size : size * (1 + Math.cos((Math.PI * t) / k));
}

/**
 * The unit step of steepest descent under the norm: Linf sign(g) (a step of
 * size s moves every pixel by s); L2 g / ||g|| per input (moves the input by s).
 */
export function steepest(g: tf.Tensor4D, norm: 'linf' | 'l2'): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.sign(g);
    const n = tf.sqrt(tf.sum(tf.square(g), [1, 2, 3], true));
    return tf.div(g, tf.add(n, 1e-12));
  });
}

/** Adam as Kingma & Ba give it: beta1 0.9, beta2 0.999, eps 1e-8. */
const ADAM: AdamConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** The bias corrections 1 - beta1^t and 1 - beta2^t of Adam's step t (1-based). */
export function adamCorrections(t: number): [number, number] {
  return [1 - ADAM.beta1 ** t, 1 - ADAM.beta2 ** t];
}

/**
 * Adam's step per pixel of each input, m_hat / (sqrt(v_hat) + eps), entries of
 * size <= ~1, +-1 at the first step (the sign of g), so a step size means what
 * it means for sign steps; under L2 rescaled to unit length per input. Updates
 * the moments in place (they may be state of a traced iteration); the
 * corrections are adamCorrections(t) as one-element tensors.
 */
export function adamStep(g: tf.Tensor4D, moments: { m: tf.Variable; v: tf.Variable }, correction1: tf.Tensor, correction2: tf.Tensor, norm: 'linf' | 'l2'): tf.Tensor4D {
  const { direction, m, v } = adamDirection(g, moments, correction1, correction2, ADAM);
  moments.m.assign(m);
  moments.v.assign(v);
  return norm === 'l2' ? steepest(direction as tf.Tensor4D, 'l2') : (direction as tf.Tensor4D);
}

/**
 * The costliest iterate so far, per input, as state of the traced step: the
 * image and its cost by Eq. 5 ([B], -1 before the first).
 */
export interface KeptIterate {
  best: tf.Variable;
  bestCost: tf.Variable;
}

/**
 * Judges the iterate `a` inside the step (before the step moves it): its
 * cost by Eq. 5 on soft(a, tau) and the model's decision rule
 * (executedFlops), and keeps it per input where it is strictly costlier than
 * the kept one, so the earliest wins ties. Per row, no reduction over the
 * batch (iterate.ts's contract); no gradient flows through it.
 */
export function keepCostlier(network: AdaptiveNetwork, tau: number, a: tf.Tensor4D, kept: KeptIterate): void {
  const cost = executedFlops(network.meta, network.soft(a, tau).p, tau);
  const bestCost = kept.bestCost as tf.Tensor1D;
  const costlier = tf.greater(cost, bestCost);
  // The image as a 0/1 blend, exact for finite pixels (1 * a + 0 * best is a): where() would need a Tile the lowering lacks.
  const take = tf.reshape(tf.cast(costlier, 'float32'), [-1, 1, 1, 1]);
  kept.best.assign(tf.add(tf.mul(take, a), tf.mul(tf.sub(1, take), kept.best)));
  kept.bestCost.assign(tf.where(costlier, cost, bestCost));
}

/**
 * Per input, the costliest of `candidates` (batches of `count` images, in
 * the order they were reached) by the real adaptive execution at tau, the
 * earliest on ties. The in-graph judgement follows the contract; this one is
 * what the measurement counts, so offering the start first means no input
 * ends cheaper than it started even where the two disagree at a threshold.
 */
export function costliestOf(network: AdaptiveNetwork, tau: number, candidates: readonly Float32Array[], count: number): Float32Array {
  const out = candidates[0].slice();
  const size = out.length / Math.max(count, 1);
  const best = Float64Array.from(runBatched(network, { images: candidates[0], count }, tau).flops);
  for (const images of candidates.slice(1)) {
    const { flops } = runBatched(network, { images, count }, tau);
    for (let i = 0; i < count; i++) {
      if (flops[i] > best[i]) {
        best[i] = flops[i];
        out.set(images.subarray(i * size, (i + 1) * size), i * size);
      }
    }
  }
  return out;
}
