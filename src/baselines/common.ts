import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import type { Attack, GeneratedInputs } from '../generator/index.js';

/** What every baseline attacks with: the suite's norm and epsilon, and the AdNN's threshold tau. */
export type BaselineAttack = Attack & { tau: number };

/** A baseline was asked for something it cannot do, or given options it does not take. */
export class BaselineError extends Error {
  override readonly name: string = 'BaselineError';
}

/** DeepSloth was given a model it does not apply to (it attacks early exits only). */
export class UnsupportedModelError extends BaselineError {
  override readonly name = 'UnsupportedModelError';
}

/**
 * Runs a per-batch attack over all seeds and times it end to end: `msPerInput`
 * is the total wall time (tensor set-up, every optimisation step, projection
 * and read-back) divided by the number of inputs, so it is honest about
 * batching: with batch size B it is the time of one batch divided by B.
 * `attack(x, batchIndex)` returns the perturbed batch (it owns nothing it is given).
 */
export function attackInBatches(
  network: AdaptiveNetwork,
  seeds: ImageBatch,
  batchSize: number,
  attack: (x: tf.Tensor4D, batchIndex: number) => tf.Tensor4D,
): GeneratedInputs {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new BaselineError(`batchSize must be a whole number >= 1, got ${batchSize}`);
  const { height, width, channels } = network.meta.input;
  const size = height * width * channels;
  const out = new Float32Array(seeds.count * size);
  const started = performance.now();
  for (let start = 0, b = 0; start < seeds.count; start += batchSize, b++) {
    const n = Math.min(batchSize, seeds.count - start);
    const x = tf.tensor4d(seeds.images.subarray(start * size, (start + n) * size), [n, height, width, channels]);
    const adv = attack(x, b);
    x.dispose();
    // Read outside any tidy: tidy walks a returned TypedArray element by element.
    out.set(adv.dataSync(), start * size);
    adv.dispose();
  }
  const ms = performance.now() - started;
  return { images: out, count: seeds.count, msPerInput: seeds.count ? ms / seeds.count : 0 };
}

/** A distinct, reproducible random seed for each batch of one run. */
export function batchSeed(seed: number, batchIndex: number): number {
  return (seed + batchIndex * 7919) | 0;
}
