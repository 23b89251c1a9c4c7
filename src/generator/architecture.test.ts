import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { Discriminator, Generator, GeneratorShapeError } from './architecture.js';

beforeAll(useCpu);

describe('generator shapes', () => {
  it('gives back the input shape for 28x28x1 and 32x32x3, in [-1, 1]', () => {
    for (const [h, c] of [
      [28, 1],
      [32, 3],
    ]) {
      const g = new Generator({ height: h, width: h, channels: c, range: [0, 1] }, 2, 1);
      const x = tf.randomUniform([2, h, h, c]) as tf.Tensor4D;
      const y = g.apply(x, false);
      expect(y.shape).toEqual([2, h, h, c]);
      expect(tf.max(tf.abs(y)).dataSync()[0]).toBeLessThanOrEqual(1);
    }
  });

  it('refuses inputs too small for three downsampling convolutions', () => {
    expect(() => new Generator({ height: 8, width: 8, channels: 1, range: [0, 1] }, 2, 1)).toThrow(GeneratorShapeError);
  });

  it('full-width FLOPs at 32x32x3 match the hand count of the layer list', () => {
    const g = new Generator({ height: 32, width: 32, channels: 3, range: [0, 1] }, 64, 1);
    const conv = (ci: number, co: number, k: number, o: number) => 2 * ci * co * k * k * o * o;
    const enc = conv(3, 64, 3, 30) + conv(64, 128, 3, 14) + conv(128, 256, 3, 6);
    // residual blocks at 6x6 (reflection-padded 3x3 convs keep 6x6) plus 1x1 shortcuts
    const res =
      conv(256, 512, 3, 6) + conv(512, 512, 3, 6) + conv(256, 512, 1, 6) +
      2 * (conv(512, 512, 3, 6) + conv(512, 512, 3, 6)) +
      conv(512, 256, 3, 6) + conv(256, 256, 3, 6) + conv(512, 256, 1, 6);
    // transposed convs: MACs = in * out * k * k * input pixels
    const dec = conv(256, 128, 3, 6) + conv(128, 64, 3, 13) + conv(64, 3, 6, 27);
    expect(g.flops()).toBe(enc + res + dec);
    g.store.dispose();
  });

  it('discriminator maps 28x28 to a 3x3 map of probabilities', () => {
    const d = new Discriminator({ height: 28, width: 28, channels: 1, range: [0, 1] }, 3);
    const out = d.apply(tf.randomUniform([2, 28, 28, 1]) as tf.Tensor4D, false);
    expect(out.shape).toEqual([2, 3, 3, 1]);
  });
});
