import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Deterministic values in [-1, 1) (a 32-bit LCG), so failures reproduce. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Deterministic values in [lo, hi) (the linear congruential sequence of C's rand), so failures reproduce. */
export function sequence(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return lo + ((hi - lo) * s) / 2 ** 31;
  });
}

/** n grey 28x28 images with pixels in [0.1, 0.9), from `sequence`. */
export const greyImages = (n: number, seed: number): tf.Tensor4D => tf.tensor4d(sequence(n * 784, seed, 0.1, 0.9), [n, 28, 28, 1]);

/** max |a - b| relative to the reference's largest magnitude. */
export function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(a.length).toBe(ref.length);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}

/** Runs fn on a backend (tests that compare cpu's reference kernels with wasm's). */
export async function on<T>(backend: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}
