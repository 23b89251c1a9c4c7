import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededDropout, seededNormal, seededUniform } from './random.js';

const values = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('seeded random tensors', () => {
  it('seed 0 gives the same normal draws every time (tfjs alone takes it from Math.random)', () => {
    const a = values(seededNormal([64], 0, 1, 0));
    expect(values(seededNormal([64], 0, 1, 0))).toEqual(a);
    expect(values(seededNormal([64], 0, 1, 1))).not.toEqual(a);
  });

  it('every other seed draws what tfjs draws for it', () => {
    for (const seed of [1, 7, 2022, -3]) {
      expect(values(seededNormal([16], 0.5, 2, seed))).toEqual(values(tf.randomNormal([16], 0.5, 2, 'float32', seed)));
      expect(values(seededUniform([16], -1, 1, seed))).toEqual(values(tf.randomUniform([16], -1, 1, 'float32', seed)));
    }
    // The uniform sampler already read 0 as a seed: unchanged there too.
    expect(values(seededUniform([16], 0, 1, 0))).toEqual(values(tf.randomUniform([16], 0, 1, 'float32', 0)));
  });

  it('dropout keeps or zeroes each value by its seed, the same way twice', () => {
    const x = tf.ones([1000]);
    const a = values(seededDropout(x, 0.5, 0));
    expect(values(seededDropout(x, 0.5, 0))).toEqual(a);
    // Kept values are scaled by 1 / (1 - rate).
    expect(new Set(a)).toEqual(new Set([0, 2]));
    x.dispose();
  });
});
