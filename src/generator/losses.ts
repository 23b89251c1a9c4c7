import * as tf from '@tensorflow/tfjs-core';
import { activationTarget, type AdnnKind } from '../adnn/index.js';
import { perturbationNorm, type Norm } from './projection.js';

/**
 * Forms of L_perf (Eq. 6), the suite's `generator.train.perfLoss`. Every one
 * is minimised, is built from plain differentiable tfjs ops on the AdNN's
 * outputs, and branches on the model kind only (never on tensor values).
 */
export type PerfLoss =
  | 'mse'
  | 'bce'
  | 'flops-mse'
  | 'masked-bce'
  | 'hinge'
  | 'log-hinge'
  | 'uniform-ce'
  | 'expected-cost'
  | 'log-expected-cost';

/** What the perf losses read from one pass of the AdNN on x + delta. */
export interface PerfInputs {
  kind: AdnnKind;
  /** Activation probability of each block, [B, K] (the contract's soft(x).p). */
  p: tf.Tensor2D;
  /** Early-exit models that have them: every exit's logits, the last the final classifier's. */
  exitLogits?: tf.Tensor2D[];
  /** The threshold the masks and hinges aim at: the suite's, or the tau curriculum's current one. */
  tau: number;
  baseFlops: number;
  blockFlops: number[];
}

export interface PerfLossOptions {
  /** hinge, log-hinge: how far past the threshold each reached p must go. */
  margin: number;
}

/** Floor of p (and of the FLOPs gain) inside a log, as the authors' BCE clips. */
const LOG_FLOOR = 1e-7;

/** Eq. 6: the batch's L_perf, the mean of each input's term. */
export function perfLoss(kind: PerfLoss, inputs: PerfInputs, options: PerfLossOptions): tf.Scalar {
  return tf.tidy(() => tf.mean(perfLossPerInput(kind, inputs, options)) as tf.Scalar);
}

/** Each input's L_perf term, [B]. */
export function perfLossPerInput(kind: PerfLoss, inputs: PerfInputs, options: PerfLossOptions): tf.Tensor1D {
  return tf.tidy(() => {
    const { p } = inputs;
    const k = p.shape[1];
    const logP = () => tf.log(tf.clipByValue(p, LOG_FLOOR, 1));
    const perExit = (t: tf.Tensor) => tf.div(tf.sum(t, 1), k) as tf.Tensor1D;
    switch (kind) {
      // The paper's MSE(p, 1).
      case 'mse':
        return perExit(tf.square(tf.sub(1, p)));
      // BCE(p, 1), as the authors' release trains.
      case 'bce':
        return perExit(tf.neg(logP()));
      // MSE with block i weighted by its FLOPs share (Eq. 5's weights).
      case 'flops-mse':
        return tf.sum(tf.mul(tf.square(tf.sub(1, p)), flopsShare(inputs.blockFlops)), 1) as tf.Tensor1D;
      case 'masked-bce':
        return perExit(tf.mul(reached(inputs), tf.neg(logP())));
      case 'hinge':
        return perExit(tf.mul(reached(inputs), tf.relu(tf.sub(hingeTarget(inputs, options), p))));
      case 'log-hinge':
        return perExit(tf.mul(reached(inputs), tf.relu(tf.sub(Math.log(hingeTarget(inputs, options)), logP()))));
      case 'uniform-ce':
        return uniformExits(inputs) ?? perExit(tf.neg(logP()));
      case 'expected-cost':
        return tf.sub(1, expectedCostShare(inputs)) as tf.Tensor1D;
      case 'log-expected-cost':
        return tf.neg(tf.log(tf.add(gainShare(inputs), LOG_FLOOR))) as tf.Tensor1D;
    }
  });
}

/**
 * 1 where the input reached the decision that p_i stands for, [B, K]. An
 * early-exit input reaches exit i (whose confidence gives p_i) iff every
 * earlier exit let it through, p_j > 1 - tau for j < i (the authors' release
 * masks the exits after the one taken the same way). Every gate of a skipping
 * model is evaluated, so nothing is masked there. The mask is a constant: its
 * step has a zero gradient.
 */
export function reached(inputs: Pick<PerfInputs, 'kind' | 'p' | 'tau'>): tf.Tensor2D {
  return tf.tidy(() => {
    const { p, kind, tau } = inputs;
    if (kind === 'skipping') return tf.onesLike(p);
    const cols = tf.unstack(p, 1);
    const out = [tf.onesLike(cols[0])];
    for (let i = 1; i < cols.length; i++) out.push(tf.mul(out[i - 1], tf.step(tf.sub(cols[i - 1], activationTarget(kind, tau)))));
    return tf.stack(out, 1) as tf.Tensor2D;
  });
}

/** The p a reached block must exceed for the hinge to be zero: the model's run threshold plus the margin. */
function hingeTarget(inputs: PerfInputs, options: PerfLossOptions): number {
  return activationTarget(inputs.kind, inputs.tau) + options.margin;
}

/**
 * DeepSloth's objective on the internal exits (the final classifier is left
 * alone): the mean over them of the cross-entropy to the uniform distribution.
 * Undefined without exit logits (skipping models, early-exit models without
 * exitLogits); the caller then falls back to BCE on p.
 */
function uniformExits(inputs: PerfInputs): tf.Tensor1D | undefined {
  const internal = inputs.exitLogits?.slice(0, -1);
  if (!internal?.length) return undefined;
  return tf.div(tf.addN(internal.map(uniformCrossEntropy)), internal.length) as tf.Tensor1D;
}

/** Cross-entropy between softmax(logits) and the uniform distribution, per input: -(1/C) sum_c log softmax_c. */
export function uniformCrossEntropy(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.mean(tf.logSoftmax(logits), 1)) as tf.Tensor1D);
}

/**
 * The chance that each block runs, [B, K], with p as the probability of
 * running: skipping models p_i itself; early-exit models the product of the
 * continuation probabilities up to it, p_0 ... p_i (block i needs every
 * exit before it to let the input through).
 */
export function runProbability(inputs: Pick<PerfInputs, 'kind' | 'p'>): tf.Tensor2D {
  return tf.tidy(() => {
    const { p, kind } = inputs;
    if (kind === 'skipping') return tf.clone(p);
    const cols = tf.unstack(p, 1);
    const out = [cols[0]];
    for (let i = 1; i < cols.length; i++) out.push(tf.mul(out[i - 1], cols[i]));
    return tf.stack(out, 1) as tf.Tensor2D;
  });
}

/** Eq. 5 in expectation: (base + sum_i FLOPs_i * P(block i runs)) / total FLOPs, per input. */
export function expectedCostShare(inputs: PerfInputs): tf.Tensor1D {
  return tf.tidy(() => {
    const gateable = inputs.blockFlops.reduce((a, b) => a + b, 0);
    const total = inputs.baseFlops + gateable;
    return tf.add(inputs.baseFlops / total, tf.mul(gainShare(inputs), gateable / total)) as tf.Tensor1D;
  });
}

/**
 * The expected share of the gateable FLOPs an input runs, sum_i FLOPs_i *
 * P(block i runs) / sum_i FLOPs_i, per input. Its log (log-expected-cost)
 * normalises each input: the gradient is d(gain)/gain, so an input whose
 * exits are confident and whose gradient is small weighs as much as one
 * close to running deeper.
 */
export function gainShare(inputs: PerfInputs): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(runProbability(inputs), flopsShare(inputs.blockFlops)), 1) as tf.Tensor1D);
}

/** Each block's share of the gateable FLOPs, [K]. */
function flopsShare(blockFlops: number[]): tf.Tensor1D {
  const total = blockFlops.reduce((a, b) => a + b, 0);
  return tf.tensor1d(blockFlops.map((f) => f / total));
}

/** Eq. 7: L_pert = mean(max(0, ||delta||_p - epsilon)), on the raw generator output. */
export function pertLoss(delta: tf.Tensor4D, norm: Norm, epsilon: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.relu(tf.sub(perturbationNorm(delta, norm), epsilon))) as tf.Scalar);
}

/** Least-squares GAN, discriminator side: real -> 1, generated -> 0. */
export function discriminatorLoss(real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake)))) as tf.Scalar);
}

/** Least-squares GAN, generator side (Eq. 4's L_GAN): generated inputs should look real. */
export function generatorGanLoss(fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(fake, 1))) as tf.Scalar);
}

export interface ObjectiveWeights {
  alpha: number;
  beta: number;
  gan: boolean;
}

/** Eq. 8: L = L_GAN + alpha * L_perf + beta * L_pert (L_GAN optional). */
export function totalLoss(parts: { gan: tf.Scalar; perf: tf.Scalar; pert: tf.Scalar }, w: ObjectiveWeights): tf.Scalar {
  return tf.tidy(() => {
    const core = tf.add(tf.mul(w.alpha, parts.perf), tf.mul(w.beta, parts.pert));
    return (w.gan ? tf.add(parts.gan, core) : core) as tf.Scalar;
  });
}
