import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ScheduledAdam } from './optimizer.js';

describe('ScheduledAdam', () => {
  it('applies a new learning rate from the next step on', () => {
    const w = tf.variable(tf.scalar(1));
    const opt = new ScheduledAdam(0.1, 0.5, 0.999);
    const step = (): number => {
      opt.minimize(() => tf.square(w) as tf.Scalar);
      return w.dataSync()[0];
    };
    // Adam's first step moves by about the rate (m / sqrt(v) = sign of the gradient): 1 -> 0.9.
    const first = step();
    expect(first).toBeCloseTo(0.9, 4);
    opt.setLearningRate(0);
    expect(opt.rate).toBe(0);
    expect(step()).toBe(first);
    opt.setLearningRate(0.01);
    // Third update: m/sqrt(v) after bias correction is still close to 1 (gradients of one sign): moves ~0.01.
    const moved = first - step();
    expect(moved).toBeGreaterThan(0.008);
    expect(moved).toBeLessThan(0.0105);
    opt.dispose();
    w.dispose();
  });
});
