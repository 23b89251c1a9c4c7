import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlopsCounter } from './flops.js';
import { initBackend } from '../engine/index.js';
import { depthwiseByTaps, DepthwiseConv2d } from './depthwise.js';
import { ParamStore } from './params.js';

// The cpu backend has tfjs's own depthwise kernels and gradients to compare with.
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('DepthwiseConv2d', () => {
  it('costs 2 * C * k * k * Ho * Wo, not the 2 * C * C * k * k * Ho * Wo of a full conv', () => {
    const store = new ParamStore(0);
    const conv = new DepthwiseConv2d(store, 'dw', { channels: 512, kernel: 3, stride: 1, pad: 1 });
    expect(conv.flops([4, 4, 512])).toBe(2 * 512 * 9 * 4 * 4); // 147,456
    const down = new DepthwiseConv2d(store, 'down', { channels: 64, kernel: 3, stride: 2, pad: 1 });
    // pad 1, stride 2: 32 -> floor((32 + 2 - 3) / 2) + 1 = 16
    expect(down.outputShape([32, 32, 64])).toEqual([16, 16, 64]);
    expect(down.flops([32, 32, 64])).toBe(2 * 64 * 9 * 16 * 16); // 294,912
    const counter = new FlopsCounter();
    tf.tidy(() => down.apply(tf.zeros([2, 32, 32, 64]), counter));
    expect(counter.value).toBe(294_912);
    store.dispose();
  });

  it('filters each channel on its own (hand-computed 3x3 example, pad 1)', () => {
    // Channel 0: all-ones input, filter of ones -> counts of in-image neighbours (4 at corners, 6 at edges, 9 inside).
    // Channel 1: input 2 everywhere, filter with only the centre tap 0.5 -> 1 everywhere.
    const x = tf.tidy(() => tf.concat([tf.ones([1, 3, 3, 1]), tf.fill([1, 3, 3, 1], 2)], 3)) as tf.Tensor4D;
    const f = tf.tidy(() => {
      const centre = tf.tensor4d([0, 0, 0, 0, 0.5, 0, 0, 0, 0], [3, 3, 1, 1]);
      return tf.concat([tf.ones([3, 3, 1, 1]), centre], 2);
    }) as tf.Tensor4D;
    const y = depthwiseByTaps(x, f, 1, 1).arraySync()[0];
    expect(y.map((row) => row.map((px) => px[0]))).toEqual([
      [4, 6, 4],
      [6, 9, 6],
      [4, 6, 4],
    ]);
    expect(y.flat().map((px) => px[1])).toEqual(new Array(9).fill(1));
    tf.dispose([x, f]);
  });

  it('the taps form equals tf.depthwiseConv2d for strides 1 and 2 and every padding, values and gradients', () => {
    const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 3, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    for (const stride of [1, 2]) {
      for (const pad of [1, 'same', 'valid'] as const) {
        const ref = tf.depthwiseConv2d(x, f, stride, pad);
        const taps = depthwiseByTaps(x, f, stride, pad);
        expect(taps.shape).toEqual(ref.shape);
        expect(tf.max(tf.abs(tf.sub(taps, ref))).dataSync()[0]).toBeLessThan(1e-5);
        const w = tf.randomNormal(ref.shape, 0, 1, 'float32', 3);
        const gradOf = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D) =>
          tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), w)))([x, f]);
        const [gxRef, gfRef] = gradOf((a, b) => tf.depthwiseConv2d(a, b, stride, pad));
        const [gx, gf] = gradOf((a, b) => depthwiseByTaps(a, b, stride, pad));
        expect(tf.max(tf.abs(tf.sub(gx, gxRef))).dataSync()[0]).toBeLessThan(1e-4);
        expect(tf.max(tf.abs(tf.sub(gf, gfRef))).dataSync()[0]).toBeLessThan(1e-4);
        tf.dispose([ref, taps, w, gxRef, gfRef, gx, gf]);
      }
    }
    tf.dispose([x, f]);
  });
});
