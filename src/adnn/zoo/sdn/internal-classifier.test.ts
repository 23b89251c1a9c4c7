import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../../test/helpers/tf.js';
import { ParamStore } from '../../../nn/index.js';
import { InternalClassifier } from './internal-classifier.js';

beforeAll(useCpu);

describe('InternalClassifier: the SDN feature reduction rule', () => {
  // Side s >= 4: kernel r = floor(s / 4), the linear layer reads floor(s / r)^2 * C features; s < 4: s^2 * C.
  const cases: [number, number, boolean][] = [
    [32, 4 * 4 * 16, true], // r = 8
    [16, 4 * 4 * 16, true], // r = 4
    [14, 4 * 4 * 16, true], // r = 3, floor(14 / 3) = 4
    [8, 4 * 4 * 16, true], // r = 2
    [7, 7 * 7 * 16, false], // r = 1: no pooling, no alpha
    [4, 4 * 4 * 16, false], // r = 1
    [2, 2 * 2 * 16, false], // below 4: flattened as it is
  ];
  it.each(cases)('side %i -> %i features (alpha kept: %s)', (side, features, pooled) => {
    const store = new ParamStore(0);
    const ic = new InternalClassifier(store, 'ic', [side, side, 16], 100);
    expect(ic.features).toBe(features);
    expect(ic.flops()).toBe(2 * features * 100);
    expect(store.named().has('ic.alpha')).toBe(pooled);
    store.dispose();
  });

  it('mixes alpha * maxpool + (1 - alpha) * avgpool before the linear layer (hand-computed)', () => {
    const store = new ParamStore(0);
    const ic = new InternalClassifier(store, 'ic', [8, 8, 1], 2);
    const w = store.named();
    w.get('ic.alpha')!.assign(tf.scalar(0.25));
    // Linear: class 0 sums the 16 pooled values, class 1 reads only the first one.
    const kernel = Array.from({ length: 16 }, (_, i) => [1, i === 0 ? 1 : 0]);
    w.get('ic.linear.weight')!.assign(tf.tensor2d(kernel));
    // Each 2x2 window holds 0, 0, 0, 4: max 4, mean 1, so every pooled value is 0.25 * 4 + 0.75 * 1 = 1.75.
    const x = tf.tidy(() => tf.tile(tf.tensor4d([0, 0, 0, 4], [1, 2, 2, 1]), [1, 4, 4, 1])) as tf.Tensor4D;
    const logits = ic.apply(x).arraySync()[0];
    expect(logits[0]).toBeCloseTo(16 * 1.75, 5);
    expect(logits[1]).toBeCloseTo(1.75, 5);
    x.dispose();
    store.dispose();
  });
});
