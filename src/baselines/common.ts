import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import type { Attack, GeneratedInputs } from '../generator/index.js';
import { UserError } from '../util/errors.js';

/** What every baseline attacks with: the suite's norm and epsilon, and the AdNN's threshold tau. */
export type BaselineAttack = Attack & { tau: number };

/** A baseline was asked for something it cannot do, or given options it does not take. */
export class BaselineError extends UserError {
  override readonly name: string = 'BaselineError';
}

/** DeepSloth was given a model it does not apply to (it attacks early exits only). */
export class UnsupportedModelError extends BaselineError {
  override readonly name = 'UnsupportedModelError';
}

/**
 * Reports `done` of `total` optimisation steps of a per-input attack (every
 * batch's steps count), so a reporter can show progress while it runs: the
 * attacks are synchronous and block the event loop for their whole length.
 */
export type BaselineProgress = (done: number, total: number) => void;

/** Steps of one batch's optimisation, and where to report them. */
export interface StepProgress {
  stepsPerBatch: number;
  onProgress?: BaselineProgress;
}

/**
 * Runs a per-batch attack over all seeds and times it end to end: `msPerInput`
 * is the total wall time (tensor set-up, every optimisation step, projection
 * and read-back) divided by the number of inputs, so it is honest about
 * batching: with batch size B it is the time of one batch divided by B.
 * `attack(x, batchIndex, step)` returns the perturbed batch (it owns nothing it
 * is given) and calls `step()` after each of its `progress.stepsPerBatch` steps.
 */
export function attackInBatches(
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  batchSize: number,
  progress: StepProgress,
  attack: (x: tf.Tensor4D, batchIndex: number, step: () => void) => tf.Tensor4D,
): GeneratedInputs {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new BaselineError(`batchSize must be a whole number >= 1, got ${batchSize}`);
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const out = new Float32Array(seeds.count * size);
  const total = Math.ceil(seeds.count / batchSize) * progress.stepsPerBatch;
  let done = 0;
  const step = () => progress.onProgress?.(++done, total);
  const started = performance.now();
  for (let start = 0, b = 0; start < seeds.count; start += batchSize, b++) {
    const n = Math.min(batchSize, seeds.count - start);
    const x = tf.tensor4d(seeds.images.subarray(start * size, (start + n) * size), [n, height, width, channels]);
    const adv = attack(x, b, step);
    x.dispose();
    // Read outside any tidy: tidy walks a returned TypedArray element by element.
    out.set(adv.dataSync(), start * size);
    adv.dispose();
  }
  const ms = performance.now() - started;
  return { images: out, count: seeds.count, msPerInput: seeds.count ? ms / seeds.count : 0 };
}

/** A per-input loss to minimise, [B], as a function of the iterate (an input batch or a perturbation). */
export type PerInputLoss = (at: tf.Tensor4D) => tf.Tensor1D;

/**
 * The per-input loss at `at` and its gradient with respect to `at`, from one
 * backward pass through the AdNN. The loss is summed before differentiating,
 * so each input's gradient is its own. Every per-input attack (ILFO,
 * DeepSloth, deepperform-refine) takes its gradients here, inside the
 * iteration that iterate.ts runs on tfjs or traces into one onnxruntime
 * program. The caller owns both results.
 */
export function lossAndGradient(loss: PerInputLoss, at: tf.Tensor4D): { loss: tf.Tensor1D; grad: tf.Tensor4D } {
  const captured: { loss?: tf.Tensor1D } = {};
  const { value, grad } = tf.valueAndGrad((v: tf.Tensor4D) => {
    const perInput = loss(v);
    captured.loss = tf.keep(perInput);
    return tf.sum(perInput) as tf.Scalar;
  })(at);
  value.dispose();
  return { loss: captured.loss!, grad: grad as tf.Tensor4D };
}

/** A distinct, reproducible random seed for each batch of one run. */
export function batchSeed(seed: number, batchIndex: number): number {
  return (seed + batchIndex * 7919) | 0;
}
