import * as tf from '@tensorflow/tfjs-core';
import { activationTarget, type AdaptiveNetwork, type ImageBatch } from '../adnn/index.js';
import { perturb, type GeneratedInputs } from '../generator/index.js';
import { adamUpdate, AdamSchedule, type AdamConfig } from '../nn/index.js';
import { attackInBatches, lossAndGradient, type BaselineAttack, type BaselineProgress } from './common.js';
import { runAttackLoop } from './iterate.js';
import { resolveOptions, type OptionSpecs } from './options.js';

/**
 * ILFO (Haque et al., "ILFO: Adversarial Attack on Adaptive Neural Networks",
 * CVPR 2020): per input, optimise delta directly by back-propagation through
 * the AdNN's soft pass on
 *   L(delta) = lambda * sum_i relu(target - p_i(x + delta)) + ||delta||_2^2,
 * keep the lowest-loss iterate, then project it into the epsilon ball and clamp
 * x + delta to the input range (docs/design.md §2 "Baselines").
 */
export interface IlfoOptions {
  /** Gradient steps per input (300: DeepPerform's setting; the original ran 1000). */
  iterations: number;
  /**
   * 'adam': the original ILFO code (Adam, lr 5e-4, lambda 1e5, lowest-loss
   * iterate). 'sgd': DeepPerform's re-implementation (SGD, lr 0.01, lambda 1e6).
   */
  optimizer: 'adam' | 'sgd';
  /** 'auto': the chosen optimizer's published setting (adam 5e-4, sgd 0.01). */
  learningRate: number | 'auto';
  /** Weight of the activation hinge; 'auto': adam 1e5, sgd 1e6. */
  lambda: number | 'auto';
  /** Inputs optimised together (each has its own delta and its own gradient). */
  batchSize: number;
}

/**
 * Default: the original authors' Adam setting, at DeepPerform's 300 iterations.
 * Adam normalises each pixel's step, so the attack does not depend on the scale
 * of the model's gradients. Measured on sdn-tiny (30 embedded test seeds,
 * tau 0.5, 300 iterations, `node bench/baselines.mjs --seeds=30 --only=ilfo
 * [--ilfo-optimizer=sgd]`): mean I-FLOPs Linf 0.1 / L2 2.0 were 223% / 230%
 * with Adam and 4.5% / 8.9% with the re-implementation's SGD. Its steps are
 * 0.01 * 1e6 * dp/dx: within 50 steps pixels of delta reach the thousands,
 * ||delta||^2 then outweighs the hinge, and the lowest-loss iterate is one of
 * the first, almost unperturbed (measured on 16 seeds: max |delta| 4,682 at
 * step 50 with SGD, 0.03 with Adam).
 */
export const ILFO_DEFAULTS: Readonly<IlfoOptions> = Object.freeze({
  iterations: 300,
  optimizer: 'adam',
  learningRate: 'auto',
  lambda: 'auto',
  batchSize: 100,
});

const SPECS: OptionSpecs<IlfoOptions> = {
  iterations: { kind: 'count' },
  optimizer: { kind: 'choice', values: ['adam', 'sgd'] },
  learningRate: { kind: 'positive-or-auto' },
  lambda: { kind: 'positive-or-auto' },
  batchSize: { kind: 'count' },
};

/** The published (learning rate, lambda) of each optimizer. */
export const ILFO_PUBLISHED = { adam: { learningRate: 5e-4, lambda: 1e5 }, sgd: { learningRate: 0.01, lambda: 1e6 } } as const;

/** The p a block needs to run at tau (ILFO's hinge target): the model's rule, see adnn's activationTarget. */
export { activationTarget };

/** ILFO's loss per input, [B]: lambda * sum_i relu(target - p_i) + ||delta||_2^2. */
export function ilfoLoss(p: tf.Tensor2D, delta: tf.Tensor4D, target: number, lambda: number): tf.Tensor1D {
  return tf.tidy(() => {
    const hinge = tf.sum(tf.relu(tf.sub(target, p)), 1);
    const size = tf.sum(tf.square(tf.reshape(delta, [delta.shape[0], -1])), 1);
    return tf.add(tf.mul(lambda, hinge), size) as tf.Tensor1D;
  });
}

export function ilfo(
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  attack: BaselineAttack,
  seed: number,
  options?: Partial<IlfoOptions> | Readonly<Record<string, unknown>>,
  onProgress?: BaselineProgress,
): GeneratedInputs {
  const opts = resolveOptions('ilfo', ILFO_DEFAULTS, SPECS, options);
  void seed; // ILFO starts from delta = 0 and draws nothing at random.
  const progress = { stepsPerBatch: opts.iterations, onProgress };
  return attackInBatches(network, seeds, opts.batchSize, progress, (x, _b, tick) => ilfoBatch(network, x, attack, opts, tick));
}

function ilfoBatch(network: AdaptiveNetwork, x: tf.Tensor4D, attack: BaselineAttack, opts: IlfoOptions, tick: () => void): tf.Tensor4D {
  const published = ILFO_PUBLISHED[opts.optimizer];
  const lambda = opts.lambda === 'auto' ? published.lambda : opts.lambda;
  const lr = opts.learningRate === 'auto' ? published.learningRate : opts.learningRate;
  const target = activationTarget(network.meta.kind, attack.tau);
  const range = network.meta.input.range;
  // The AdNN only ever sees valid inputs: x + delta clamped to the range
  // (the clamped pixels get no gradient from the hinge, only from ||delta||^2).
  const loss = (seeds: tf.Tensor4D, d: tf.Tensor) =>
    ilfoLoss(network.soft(tf.clipByValue(tf.add(seeds, d), range[0], range[1]) as tf.Tensor4D, attack.tau).p, d as tf.Tensor4D, target, lambda);
  const zeros = () => tf.tidy(() => tf.variable(tf.zerosLike(x), false));
  const delta = zeros();
  const best = { delta: zeros(), loss: tf.tidy(() => tf.variable(tf.fill([x.shape[0]], Infinity), false)) };
  const adam = opts.optimizer === 'adam' ? { m: zeros(), v: zeros() } : undefined;
  // Adam's scalars by iteration, t = 1 first (the loop may ask for any iteration's, more than once).
  const schedule = new AdamSchedule(adamConfig());
  const adamScalars = adam ? Array.from({ length: opts.iterations }, () => schedule.next(lr)) : [];
  const state = [delta, best.delta, best.loss, ...(adam ? [adam.m, adam.v] : [])];
  try {
    runAttackLoop({
      network,
      x,
      state,
      iterations: opts.iterations,
      key: `ilfo ${opts.optimizer} lr=${lr} lambda=${lambda} target=${target} tau=${attack.tau}`,
      tick,
      scalars: (i) => (adam ? adamScalars[i] : Float32Array.of(lr)),
      step: (seeds, scalars, [d, bestDelta, bestLoss, m, v]) => {
        const { loss: perInput, grad } = lossAndGradient((at) => loss(seeds, at), d as tf.Tensor4D);
        // The iterate is judged before it moves, as the original keeps its best delta.
        offerBest({ delta: bestDelta, loss: bestLoss }, d, perInput);
        perInput.dispose();
        if (m && v) {
          const next = adamUpdate(d, grad, { m, v }, scalars, adamConfig());
          m.assign(next.m as tf.Tensor4D);
          v.assign(next.v as tf.Tensor4D);
          d.assign(next.value as tf.Tensor4D);
        } else {
          d.assign(tf.add(tf.mul(tf.neg(scalars), grad), d));
        }
      },
    });
    tf.tidy(() => offerBest(best, delta, loss(x, delta)));
    return tf.tidy(() => perturb(x, best.delta, attack.norm, attack.epsilon, range));
  } finally {
    tf.dispose(state);
  }
}

/** tf.train.adam's defaults, which ILFO used: beta 0.9 / 0.999 and the backend's epsilon. */
function adamConfig(): AdamConfig {
  return { beta1: 0.9, beta2: 0.999, epsilon: tf.backend().epsilon() };
}

/** Keeps, for each input, the lowest-loss delta seen so far (the original keeps the best iterate). */
function offerBest(best: { delta: tf.Variable; loss: tf.Variable }, delta: tf.Tensor, loss: tf.Tensor): void {
  tf.tidy(() => {
    const better = tf.cast(tf.less(loss, best.loss), 'float32');
    const mask = tf.reshape(better, [-1, 1, 1, 1]);
    // best + better * (delta - best): each input's row switches on its own.
    best.delta.assign(tf.add(best.delta, tf.mul(mask, tf.sub(delta, best.delta))));
    best.loss.assign(tf.minimum(loss, best.loss));
  });
}
