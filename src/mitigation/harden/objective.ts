import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, AdnnMeta } from '../../adnn/index.js';

/**
 * Eq. 12 (§6.1), as implemented here. For a training seed x with label y and
 * its generated input x' = x + delta:
 *
 *   L12 = task(x', y) + flopsWeight * |FLOPs(x') - FLOPs(x)| / sum_i FLOPs_i
 *
 * FLOPs are counted by the real execution and have no gradient, so both sides
 * use Eq. 5's relaxation FLOPs(x) ~ base + sum_i FLOPs_i p_i(x) from the soft
 * pass; the always-run base cancels in the difference.
 */

/** w_i = FLOPs_i / sum_j FLOPs_j: Eq. 5's cost weights, normalised so the FLOPs term lies in [0, 1]. */
export function blockWeights(meta: Pick<AdnnMeta, 'blocks'>): number[] {
  const total = meta.blocks.reduce((s, b) => s + b.flops, 0);
  return meta.blocks.map((b) => (total > 0 ? b.flops / total : 0));
}

/**
 * Eq. 12's FLOPs term, relaxed: mean over the batch of |sum_i w_i (p_i(x') - p_i(x))|.
 * Only the total matters, as in Eq. 12 (|FLOPs(x') - FLOPs(x)|): x' may run
 * other blocks than x as long as they cost the same. `pSeed` must carry no
 * gradient (see eq12Loss).
 */
export function flopsGap(pAdv: tf.Tensor2D, pSeed: tf.Tensor2D, weights: readonly number[]): tf.Scalar {
  return tf.tidy(() => {
    const diff = tf.sub(pAdv, pSeed);
    return tf.mean(tf.abs(tf.sum(tf.mul(diff, tf.tensor1d(weights as number[])), 1))) as tf.Scalar;
  });
}

/**
 * Eq. 12's accuracy term: x' keeps the right prediction y. Early-exit models
 * (those with `exitLogits`) predict at whichever exit the input leaves from,
 * so every exit learns y (mean of their cross-entropies); other models
 * predict from the soft pass's logits, which for skipping models are those of
 * the execution at tau (straight-through gates).
 */
export function taskLoss(network: AdaptiveNetwork, xAdv: tf.Tensor4D, labels: tf.Tensor2D, softLogits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    if (!network.exitLogits) return tf.losses.softmaxCrossEntropy(labels, softLogits) as tf.Scalar;
    const losses = network.exitLogits(xAdv).map((l) => tf.losses.softmaxCrossEntropy(labels, l));
    return tf.div(tf.addN(losses), losses.length) as tf.Scalar;
  });
}

export interface Eq12Settings {
  /** Weight of the FLOPs term against the task term. */
  flopsWeight: number;
  /** Threshold the soft pass follows (SkipNet's later gates read earlier decisions at tau). */
  tau: number;
}

export interface Eq12Parts {
  task: tf.Scalar;
  flops: tf.Scalar;
  total: tf.Scalar;
}

/**
 * Eq. 12 on a batch of generated inputs. `pSeed` = p(x) of their seeds, held
 * fixed (a constant, no gradient): the seeds' cost is the target, not
 * something to move. With a gradient through p(x) the cheapest way to close
 * the gap would be to make the seeds as slow as x', the opposite of
 * hardening; the seeds' own cost is left to the family's training loss on the
 * clean data. hardenAdnn reads it from the model being retrained each step,
 * or once from the model before retraining (retrain.ts, FlopsTarget).
 */
export function eq12Loss(network: AdaptiveNetwork, xAdv: tf.Tensor4D, pSeed: tf.Tensor2D, labels: tf.Tensor2D, s: Eq12Settings): Eq12Parts {
  return tf.tidy(() => {
    const { logits, p } = network.soft(xAdv, s.tau);
    const task = taskLoss(network, xAdv, labels, logits);
    const flops = flopsGap(p, pSeed, blockWeights(network.meta));
    const total = tf.add(task, tf.mul(s.flopsWeight, flops)) as tf.Scalar;
    return { task, flops, total };
  });
}
