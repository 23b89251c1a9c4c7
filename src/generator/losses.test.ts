import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../test/helpers/tf.js';
import { discriminatorLoss, generatorGanLoss, perfLoss, pertLoss, totalLoss } from './losses.js';

beforeAll(useCpu);

const p = tf.tensor2d([
  [1, 0.5],
  [0, 0.8],
]);

describe('losses of Eq. 4-8, by hand', () => {
  it('L_perf mse = mean((1 - p)^2)', () => {
    // (0 + 0.25 + 1 + 0.04) / 4
    expect(perfLoss(p, 'mse').dataSync()[0]).toBeCloseTo(0.3225, 6);
  });

  it('L_perf flops-mse weights blocks by their FLOPs share', () => {
    // weights 0.25, 0.75: row0 0 + 0.75*0.25 = 0.1875; row1 0.25*1 + 0.75*0.04 = 0.28
    expect(perfLoss(p, 'flops-mse', [100, 300]).dataSync()[0]).toBeCloseTo((0.1875 + 0.28) / 2, 6);
  });

  it('L_perf bce = -mean(log p), p clipped at 1e-7', () => {
    const expected = -(0 + Math.log(0.5) + Math.log(1e-7) + Math.log(0.8)) / 4;
    expect(perfLoss(p, 'bce').dataSync()[0]).toBeCloseTo(expected, 3);
  });

  it('L_pert hinges on the norm above epsilon', () => {
    const delta = tf.tensor4d([0.3, -0.1, 0.05, 0.02], [2, 1, 2, 1]);
    // Linf norms 0.3 and 0.05; eps 0.1 -> (0.2 + 0) / 2
    expect(pertLoss(delta as tf.Tensor4D, 'linf', 0.1).dataSync()[0]).toBeCloseTo(0.1, 6);
    // L2 norms sqrt(0.1) and sqrt(0.0029); eps 0.1 -> (0.316228 - 0.1 + 0) / 2
    expect(pertLoss(delta as tf.Tensor4D, 'l2', 0.1).dataSync()[0]).toBeCloseTo((Math.sqrt(0.1) - 0.1) / 2, 6);
  });

  it('least-squares GAN losses', () => {
    const real = tf.tensor1d([1, 0.5]);
    const fake = tf.tensor1d([0, 0.5]);
    // 0.5 * (mean(0, 0.25) + mean(0, 0.25))
    expect(discriminatorLoss(real, fake).dataSync()[0]).toBeCloseTo(0.125, 6);
    expect(generatorGanLoss(fake).dataSync()[0]).toBeCloseTo((1 + 0.25) / 2, 6);
  });

  it('Eq. 8 total, with and without the GAN term', () => {
    const parts = { gan: tf.scalar(2), perf: tf.scalar(3), pert: tf.scalar(5) };
    expect(totalLoss(parts, { alpha: 1, beta: 0.001, gan: true }).dataSync()[0]).toBeCloseTo(5.005, 6);
    expect(totalLoss(parts, { alpha: 2, beta: 0.1, gan: false }).dataSync()[0]).toBeCloseTo(6.5, 6);
  });
});
