import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../adnn/index.js';
import type { Discriminator, Generator } from './architecture.js';
import type { Attack } from './generate.js';
import { discriminatorLoss, generatorGanLoss, perfLoss, pertLoss, totalLoss, type PerfInputs, type PerfLoss } from './losses.js';
import { addInRange, boundDelta, perturb } from './projection.js';
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
  /** hinge and log-hinge: how far past the threshold a reached p must go. Default 0.1. */
  margin?: number;
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
  /** The threshold of this step's losses: the suite's, or the tau curriculum's. */
  tau: number;
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
  const adv = tf.tidy(() => perturb(c.x, c.g.apply(c.x, true), c.attack.norm, c.attack.epsilon, range, c.g.bound));
  return { loss: () => discriminatorLoss(c.d.apply(c.x, true), c.d.apply(adv, true)), dispose: () => adv.dispose() };
}

/** G's objective (Eq. 8); the terms are kept in `parts` (the caller disposes them). */
export function generatorObjective(c: StepContext, parts: ObjectiveParts): () => tf.Scalar {
  const { g, x, attack, config } = c;
  const range = c.network.meta.input.range;
  return () => {
    const raw = g.apply(x, true);
    // G's output bounded into the ball once: the test input and Eq. 7 both read it.
    const bounded = boundDelta(raw, attack.norm, attack.epsilon, g.bound);
    const adv = addInRange(x, bounded, range);
    const gan = config.gan ? generatorGanLoss(c.d.apply(adv, true)) : tf.scalar(0);
    const perf = perfLoss(config.perfLoss, perfInputs(c, adv), { margin: config.margin ?? 0.1 }); // Eq. 6
    // Eq. 7 on what G proposes: its raw output under projection; a 'scale' bound is inside the ball by construction (0).
    const pert = pertLoss(g.bound === 'project' ? raw : bounded, attack.norm, attack.epsilon);
    parts.gan = tf.keep(gan);
    parts.perf = tf.keep(perf);
    parts.pert = tf.keep(pert);
    return totalLoss({ gan, perf, pert }, config); // Eq. 8
  };
}

/**
 * What L_perf reads from the AdNN on the generated inputs, at this step's tau
 * (a model whose later gates read earlier decisions, SkipNet, gives the p that
 * the real execution at that tau acts on). uniform-ce reads every exit's
 * logits where the model has them; p then comes from the same pass
 * (1 - max softmax of the exit before each block, the contract's early-exit p).
 */
function perfInputs(c: StepContext, adv: tf.Tensor4D): PerfInputs {
  const { network, tau } = c;
  const base = { kind: network.meta.kind, tau, baseFlops: network.meta.baseFlops, blockFlops: c.blockFlops };
  if (c.config.perfLoss === 'uniform-ce' && network.meta.kind === 'early-exit' && network.exitLogits) {
    const exitLogits = network.exitLogits(adv);
    const p = tf.stack(exitLogits.slice(0, -1).map((l) => tf.sub(1, tf.max(tf.softmax(l), 1))), 1) as tf.Tensor2D;
    return { ...base, p, exitLogits };
  }
  const { p, logits } = network.soft(adv, tau);
  logits.dispose();
  return { ...base, p };
}
