import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { copySlice } from './heap-kernels.js';
import { wasmFastKernelsRegistered } from './wasm-fast.js';
import { values, on } from '../../test/helpers/numeric.js';

const list = (t: tf.Tensor) => Array.from(t.dataSync());

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

/** The same computation on the cpu backend (tfjs' reference kernels) and on wasm with ours. */
async function sameOnBoth(fn: () => ArrayLike<number>[], tol = 1e-5): Promise<void> {
  const ref = await on('cpu', fn);
  const got = await on('wasm', fn);
  ref.forEach((r, i) => close(got[i], r, tol));
}

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await initBackend({ backend: 'wasm', env: {}, convEngine: 'tfjs' });
});

describe('wasm kernels replaced by ours', () => {
  it('are registered by initBackend', () => {
    expect(wasmFastKernelsRegistered()).toBe(true);
  });

  it('Identity and Cast to the same dtype share the buffer, and the original outlives the copy', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const before = tf.backend().numDataIds();
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    expect(tf.backend().numDataIds()).toBe(before); // no new buffer
    y.dispose();
    z.dispose();
    expect(list(x)).toEqual([1, 2, 3]);
    expect(list(tf.cast(tf.tensor1d([1.7, -2]), 'int32'))).toEqual([1, -2]); // a real cast still converts
  });

  it('Slice, hand-checked and against the cpu backend', async () => {
    await tf.setBackend('wasm');
    expect(list(tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), [0, 1], [2, 2]))).toEqual([2, 3, 5, 6]);
    const x = () => tf.tensor4d(values(2 * 5 * 6 * 3, 1), [2, 5, 6, 3]);
    await sameOnBoth(() => [
      tf.slice(x(), [0, 1, 1, 0], [2, 3, 4, 3]).dataSync(), // inner crop: runs of one row of channels
      tf.slice(x(), [1, 0, 0, 0], [1, 5, 6, 3]).dataSync(), // one image: a single run
      tf.slice(x(), [0, 2, 0, 1], [2, 2, 6, 2]).dataSync(), // channel sub-range: short runs
      tf.slice(tf.tensor1d([0, 1, 2, 3], 'int32'), [1], [2]).dataSync(),
    ]);
  });

  it('copySlice merges every trailing axis taken whole into one run', () => {
    const copies: number[] = [];
    const src = Float32Array.from({ length: 24 }, (_, i) => i);
    const out = new Float32Array(16);
    const sink = { set: (a: ArrayLike<number>, o: number) => {
      copies.push(a.length);
      out.set(a, o);
    } };
    copySlice(src, [2, 3, 4], [0, 1, 0], [2, 2, 4], sink); // rows 1-2 of both planes: two runs of 8
    expect(copies).toEqual([8, 8]);
    expect(Array.from(out)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23]);
  });

  it('MaxPoolGrad sends each gradient to the first largest value of its window', async () => {
    await tf.setBackend('wasm');
    // Windows 2x2, stride 2: [1,3 / 2,0] has its max at position 1; [5,5 / 5,5] ties, the first wins.
    const x = tf.tensor4d([1, 3, 5, 5, 2, 0, 5, 5], [1, 2, 4, 1]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d([10, 20], [1, 1, 2, 1]))))(x);
    expect(list(g)).toEqual([0, 10, 20, 0, 0, 0, 0, 0]);
  });

  it('AvgPoolGrad spreads each gradient over its window, divided by the window size', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 4, 1]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d([4, 8], [1, 1, 2, 1]))))(x);
    expect(list(g)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });

  it('pooling gradients match the cpu backend for overlapping, padded and strided windows', async () => {
    const x = () => tf.tensor4d(values(2 * 9 * 8 * 5, 2), [2, 9, 8, 5]);
    const both = (f: number, s: number, pad: 'same' | 'valid') => [
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, f, s, pad), 1.5)))(x()).dataSync(),
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, f, s, pad), 1.5)))(x()).dataSync(),
    ];
    await sameOnBoth(() => [...both(3, 2, 'same'), ...both(2, 2, 'valid'), ...both(3, 1, 'valid'), ...both(4, 4, 'valid')]);
  });

  it('Sum and Mean over leading axes, hand-checked and against the cpu backend', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 2, 3, 4], [2, 1, 1, 2]);
    expect(list(tf.sum(x, [0, 1, 2]))).toEqual([4, 6]);
    expect(tf.sum(x, [0, 1, 2], true).shape).toEqual([1, 1, 1, 2]);
    expect(list(tf.mean(x, [0, 1, 2]))).toEqual([2, 3]);
    const y = () => tf.tensor4d(values(3 * 4 * 5 * 6, 3), [3, 4, 5, 6]);
    await sameOnBoth(() => [
      tf.sum(y(), [0, 1, 2]).dataSync(),
      tf.mean(y(), [0, 1]).dataSync(),
      tf.mean(y(), [1, 2], true).dataSync(), // per image: the backend's own kernel
      tf.sum(y(), [3]).dataSync(),
      tf.sum(y(), [0, 2]).dataSync(), // not contiguous: the backend's own kernel
      tf.moments(y(), [0, 1, 2]).variance.dataSync(),
    ]);
  });

  it('FusedBatchNorm with per-channel statistics, hand-checked and against the cpu backend', async () => {
    await tf.setBackend('wasm');
    // (1 - 0) / 2 * 2 + 1 = 2 and (3 - 1) / 1 * 1 + 0 = 2 (eps ~ 0)
    const y = tf.batchNorm(tf.tensor4d([1, 3], [1, 1, 1, 2]), tf.tensor1d([0, 1]), tf.tensor1d([4, 1]), tf.tensor1d([1, 0]), tf.tensor1d([2, 1]), 1e-12);
    close(list(y), [2, 2]);
    const x = () => tf.tensor4d(values(2 * 3 * 3 * 4, 4), [2, 3, 3, 4]);
    const p = (seed: number, lo: number) => tf.add(tf.abs(tf.tensor1d(values(4, seed))), lo) as tf.Tensor1D;
    await sameOnBoth(() => [
      tf.batchNorm(x(), p(5, 0), p(6, 0.5), p(7, 0), p(8, 0.1), 1e-3).dataSync(),
      tf.batchNorm(x(), p(5, 0), p(6, 0.5)).dataSync(), // no offset, no scale
      tf.batchNorm(x(), tf.mean(x(), [0, 1, 2], true), tf.ones([1, 1, 1, 4])).dataSync(), // rank-4 statistics: the backend's own kernel
    ]);
  });

  it('LeakyRelu and its gradient, hand-checked and against the cpu backend', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([-2, 0, 3]);
    close(list(tf.leakyRelu(x, 0.1)), [-0.2, 0, 3]);
    // slope alpha at 0, as tfjs-core's where(x > 0, ...) gives
    close(list(tf.grad((a: tf.Tensor) => tf.sum(tf.leakyRelu(a, 0.1)))(x)), [0.1, 0.1, 1]);
    const z = () => tf.tensor4d(values(2 * 4 * 4 * 3, 9), [2, 4, 4, 3]);
    await sameOnBoth(() => [tf.leakyRelu(z(), 0.2).dataSync(), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(a, 0.2), z())))(z()).dataSync()]);
  });
});
