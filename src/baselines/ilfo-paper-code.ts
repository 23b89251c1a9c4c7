import * as tf from '@tensorflow/tfjs-core';
import { activationTarget, type AdaptiveNetwork, type ImageBatch } from '../adnn/index.js';
import type { GeneratedInputs, Norm } from '../generator/index.js';
import { attackInBatches, lossAndGradient, type BaselineAttack, type BaselineProgress } from './common.js';
import { runAttackLoop } from './iterate.js';
import { resolveOptions, type OptionSpecs } from './options.js';

/**
 * ILFO as the DeepPerform authors' released code ran it (their baseline in the
 * paper's Tables 4-7), beside the published ILFO (ilfo.ts). What differs, as
 * their ILFOAttack and generate_ilfo_perturbation.py have it:
 *  - plain SGD (lr 0.01), lambda 1e6, and the gradient is never reset between
 *    iterations (no zero_grad), so each step moves by the sum of every
 *    gradient so far: delta_{t+1} = delta_t - lr * sum_{s<=t} g_s;
 *  - the loss is lambda * sum_i relu(target - p_i) + ||delta||_p with p the
 *    attack's norm (not squared), averaged over their batch of 200 inputs: each
 *    input's gradient is 1/200 of its own loss's (their target is a fixed 0.5;
 *    here the model's rule at tau, as for the published ILFO, which is 0.5 at tau 0.5);
 *  - the network sees x + delta unclamped, and the last iterate is kept (no
 *    best-loss iterate);
 *  - then the perturbation is fitted to the budget: under Linf
 *    `clamp(delta, eps, eps)`, whose lower and upper bounds are both +eps, so
 *    every pixel moves by exactly +eps whatever the optimisation found; under
 *    L2 delta is rescaled to norm exactly eps (up as well as down). Last,
 *    x + delta is clamped to the input range.
 * Their models also ran in training mode (batch-norm statistics of the batch);
 * here the AdNN's soft pass is the same as for every other method.
 */
export interface IlfoPaperCodeOptions {
  /** Gradient steps per input (their 300). */
  iterations: number;
  /** SGD step size (their 0.01). */
  learningRate: number;
  /** Weight of the activation hinge (their 1e6). */
  lambda: number;
  /** Inputs optimised together here (each has its own delta; the 1/200 is fixed, see PAPER_BATCH). */
  batchSize: number;
}

export const ILFO_PAPER_CODE_DEFAULTS: Readonly<IlfoPaperCodeOptions> = Object.freeze({
  iterations: 300,
  learningRate: 0.01,
  lambda: 1e6,
  batchSize: 100,
});

/** Their batch: the loss was the mean over 200 inputs, so each input's loss counts 1/200. */
export const PAPER_BATCH = 200;

const SPECS: OptionSpecs<IlfoPaperCodeOptions> = {
  iterations: { kind: 'count' },
  learningRate: { kind: 'positive' },
  lambda: { kind: 'positive' },
  batchSize: { kind: 'count' },
};

/**
 * Their per-input loss, [B]: (lambda * sum_i relu(target - p_i) + ||delta||_norm) / 200.
 * At delta = 0 both norms have gradient 0, as torch's have: the L2 norm is
 * sqrt(sum delta^2 + 1e-24) (the plain square root's gradient there is NaN; the 1e-12 it
 * adds is below float32's step at 1), and |delta| is delta * sign(delta) (tfjs's abs has
 * gradient -1 at 0).
 */
export function ilfoPaperCodeLoss(p: tf.Tensor2D, delta: tf.Tensor4D, target: number, lambda: number, norm: Norm): tf.Tensor1D {
  return tf.tidy(() => {
    const hinge = tf.sum(tf.relu(tf.sub(target, p)), 1);
    const flat = tf.reshape(delta, [delta.shape[0], -1]);
    const size = norm === 'linf' ? tf.max(tf.mul(flat, tf.sign(flat)), 1) : tf.sqrt(tf.add(tf.sum(tf.square(flat), 1), 1e-24));
    return tf.div(tf.add(tf.mul(lambda, hinge), size), PAPER_BATCH) as tf.Tensor1D;
  });
}

export function ilfoPaperCode(
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  attack: BaselineAttack,
  seed: number,
  options?: Partial<IlfoPaperCodeOptions> | Readonly<Record<string, unknown>>,
  onProgress?: BaselineProgress,
): GeneratedInputs {
  const opts = resolveOptions('ilfo-paper-code', ILFO_PAPER_CODE_DEFAULTS, SPECS, options);
  void seed; // delta starts at 0; nothing is drawn at random.
  const progress = { stepsPerBatch: opts.iterations, onProgress };
  const range = network.meta.input.range;
  return attackInBatches(network, seeds, opts.batchSize, progress, (x, _b, tick) => {
    const delta = ilfoPaperCodeDelta(network, x, attack, opts, tick);
    try {
      return fitToBudget(x, delta, attack.norm, attack.epsilon, range);
    } finally {
      delta.dispose();
    }
  });
}

/** Their optimisation of one batch: the last delta, before it is fitted to the budget (the caller owns it). */
export function ilfoPaperCodeDelta(network: AdaptiveNetwork, x: tf.Tensor4D, attack: BaselineAttack, opts: IlfoPaperCodeOptions, tick: () => void = () => undefined): tf.Tensor4D {
  const target = activationTarget(network.meta.kind, attack.tau);
  const loss = (seeds: tf.Tensor4D, d: tf.Tensor4D) => ilfoPaperCodeLoss(network.soft(tf.add(seeds, d) as tf.Tensor4D, attack.tau).p, d, target, opts.lambda, attack.norm);
  const zeros = () => tf.tidy(() => tf.variable(tf.zerosLike(x), false));
  const state = [zeros(), zeros()];
  try {
    runAttackLoop({
      network,
      x,
      state,
      iterations: opts.iterations,
      key: `ilfo-paper-code lr=${opts.learningRate} lambda=${opts.lambda} target=${target} tau=${attack.tau} norm=${attack.norm}`,
      tick,
      scalars: () => Float32Array.of(opts.learningRate),
      step: (seeds, lr, [d, accumulated]) => {
        const { loss: perInput, grad } = lossAndGradient((at) => loss(seeds, at), d as tf.Tensor4D);
        perInput.dispose();
        // No zero_grad: the gradient buffer keeps every earlier gradient.
        const sum = tf.add(accumulated, grad);
        accumulated.assign(sum as tf.Tensor4D);
        d.assign(tf.sub(d, tf.mul(lr, sum)) as tf.Tensor4D);
      },
    });
    return tf.tidy(() => tf.clone(state[0]) as tf.Tensor4D);
  } finally {
    tf.dispose(state);
  }
}

/**
 * Their fit of delta to the budget, then x + delta clamped to the range.
 * Linf: clamp(delta, eps, eps) = +eps on every pixel. L2: delta * eps / ||delta||_2
 * (a zero delta, where their division gave NaN, stays zero).
 */
export function fitToBudget(x: tf.Tensor4D, delta: tf.Tensor4D, norm: Norm, epsilon: number, range: readonly [number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    let fitted: tf.Tensor4D;
    if (norm === 'linf') fitted = tf.clipByValue(delta, epsilon, epsilon);
    else {
      const n = tf.sqrt(tf.sum(tf.square(tf.reshape(delta, [delta.shape[0], -1])), 1));
      const scale = tf.where(tf.greater(n, 0), tf.div(epsilon, tf.maximum(n, 1e-30)), tf.zerosLike(n));
      fitted = tf.mul(delta, tf.reshape(scale, [-1, 1, 1, 1]));
    }
    return tf.clipByValue(tf.add(x, fitted), range[0], range[1]) as tf.Tensor4D;
  });
}
