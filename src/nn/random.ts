import * as tf from '@tensorflow/tfjs-core';

/**
 * Seeded random tensors: the only place src calls tfjs's random ops
 * (scripts/check-seeds.test.ts). tfjs's normal sampler (randomNormal,
 * truncatedNormal) takes a falsy seed as none and draws from Math.random, so
 * seed 0, a seed like any other here (the default), changed from run to run.
 * Its uniform sampler checks for null instead and hashes the seed's decimal
 * text; passing 0 to the normal one as the text '0' gives it that same
 * meaning, and every other seed draws what it always drew.
 */
function normalSeed(seed: number): number {
  // randomNormal's type says number; it only calls toString() on the seed.
  return (seed === 0 ? '0' : seed) as unknown as number;
}

export function seededNormal<R extends tf.Rank>(shape: tf.ShapeMap[R], mean: number, stdDev: number, seed: number): tf.Tensor<R> {
  return tf.randomNormal(shape, mean, stdDev, 'float32', normalSeed(seed));
}

export function seededUniform<R extends tf.Rank>(shape: tf.ShapeMap[R], min: number, max: number, seed: number): tf.Tensor<R> {
  return tf.randomUniform(shape, min, max, 'float32', seed);
}

/** tf.dropout with a seed (its mask is uniform, which reads 0 as a seed). */
export function seededDropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  return tf.dropout(x, rate, undefined, seed) as T;
}
