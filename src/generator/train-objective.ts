import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../adnn/index.js';
import type { Discriminator, Generator } from './architecture.js';
import type { Attack } from './generate.js';
import { discriminatorLoss, generatorGanLoss, perfLoss, pertLoss, totalLoss, type PerfLoss } from './losses.js';
import { perturb } from './projection.js';
import type { LossValues } from './record.js';

/**
 * The two objectives of an Eq. 8 step, written once: the tfjs path
 * minimises them with tfjs's optimisers (train-step.ts), the compiled path
 * traces them with tfjs's backward pass into one program (train-compiled.ts).
 */

/** The parts of the training configuration one step reads (train.ts's GeneratorTrainConfig has them). */
export interface StepConfig {
  alpha: number;
  beta: number;
  gan: boolean;
  perfLoss: PerfLoss;
}

/** The loss values of one step. */
export type StepLosses = LossValues;

/** Everything one Eq. 8 step reads. */
export interface StepContext {
  g: Generator;
  d: Discriminator;
  gOpt: tf.Optimizer;
  dOpt: tf.Optimizer;
  network: AdaptiveNetwork;
  x: tf.Tensor4D;
  attack: Attack & { tau: number };
  config: StepConfig;
  blockFlops: number[];
  /** The scheduled learning rate of this step, of both optimisers (the loop has set it on gOpt and dOpt too). */
  learningRate: number;
  /** Steps the run's budget allows (Infinity under a time budget): a short run stays on tfjs (train-compiled.ts). */
  stepsAllowed: number;
}

/** The terms of G's objective, kept for reading after the step. */
export interface ObjectiveParts {
  gan?: tf.Scalar;
  perf?: tf.Scalar;
  pert?: tf.Scalar;
}

/** D's least-squares GAN loss on the seeds and G's current inputs; G is held fixed (its output is computed once, outside the closure). */
export function discriminatorObjective(c: StepContext): { loss: () => tf.Scalar; dispose: () => void } {
  const range = c.network.meta.input.range;
  const adv = tf.tidy(() => perturb(c.x, c.g.apply(c.x, true), c.attack.norm, c.attack.epsilon, range));
  return { loss: () => discriminatorLoss(c.d.apply(c.x, true), c.d.apply(adv, true)), dispose: () => adv.dispose() };
}

/** G's objective (Eq. 8); the terms are kept in `parts` (the caller disposes them). */
export function generatorObjective(c: StepContext, parts: ObjectiveParts): () => tf.Scalar {
  const { g, x, attack, config } = c;
  const range = c.network.meta.input.range;
  return () => {
    const delta = g.apply(x, true);
    const adv = perturb(x, delta, attack.norm, attack.epsilon, range);
    const gan = config.gan ? generatorGanLoss(c.d.apply(adv, true)) : tf.scalar(0);
    // At the suite's tau: a model whose later gates read earlier decisions
    // (SkipNet) gives the p that the real execution at tau acts on.
    const { p, logits } = c.network.soft(adv, attack.tau);
    logits.dispose();
    const perf = perfLoss(p, config.perfLoss, c.blockFlops); // Eq. 6
    const pert = pertLoss(delta, attack.norm, attack.epsilon); // Eq. 7
    parts.gan = tf.keep(gan);
    parts.perf = tf.keep(perf);
    parts.pert = tf.keep(pert);
    return totalLoss({ gan, perf, pert }, config); // Eq. 8
  };
}
