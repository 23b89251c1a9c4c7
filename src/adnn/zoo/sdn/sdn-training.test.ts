import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { EarlyExitNetwork } from './early-exit.js';
import { fullDefaults, SDN_NORMALIZATION, SdnConfigError, sdnLossWeights, type SdnFullConfig } from './config.js';
import { buildSdnMobilenet } from './sdn-mobilenet.js';
import { buildSdnResnet56 } from './sdn-resnet56.js';

// On wasm (test/setup/backend.ts): the backend runs here by default, and it has no depthwise backward kernels.

const narrow = (m: number): SdnFullConfig => ({ ...fullDefaults(), widthMultiplier: m });

function zeroClassifiers(net: EarlyExitNetwork): void {
  for (const [name, v] of net.namedWeights()) {
    if (/^(ic\d+\.linear|fc)\.(weight|bias)$/.test(name)) v.assign(tf.zerosLike(v));
  }
}

function oneHot(labels: number[], classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), 'float32') as tf.Tensor2D);
}

describe('SDN joint training weights (Kaya et al., sdn_train)', () => {
  it('ICs weigh min(max_i, 0.01 + epoch * max_i / epochs), the final classifier 1', () => {
    expect(sdnLossWeights(6)).toEqual([0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1]);
    // Epoch 1 of 100: 0.01 + max_i / 100.
    const first = sdnLossWeights(6, 1, 100);
    [0.0115, 0.013, 0.0145, 0.016, 0.0175, 0.019, 1].forEach((w, i) => expect(first[i]).toBeCloseTo(w, 10));
    expect(sdnLossWeights(6, 100, 100)).toEqual([0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1]);
    // MobileNet has five ICs: the first five weights.
    expect(sdnLossWeights(5)).toEqual([0.15, 0.3, 0.45, 0.6, 0.75, 1]);
  });

  it('trainingLoss sums the weighted cross-entropies: all-zero logits give ln(K) * sum of weights', () => {
    const net = buildSdnResnet56(narrow(0.25), 1);
    zeroClassifiers(net);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = oneHot([3, 97], 100);
    // Uniform softmax: each exit's cross-entropy is ln(100); weights 0.15 + ... + 0.9 + 1 = 4.15.
    expect(net.trainingLoss(x, y).dataSync()[0]).toBeCloseTo(Math.log(100) * 4.15, 4);
    const mobile = buildSdnMobilenet(narrow(0.25), 1);
    zeroClassifiers(mobile);
    // Five ICs: 0.15 + 0.3 + 0.45 + 0.6 + 0.75 + 1 = 3.25.
    expect(mobile.trainingLoss(x, y).dataSync()[0]).toBeCloseTo(Math.log(100) * 3.25, 4);
    tf.dispose([x, y]);
    net.dispose();
    mobile.dispose();
  });

  it('a training step reaches every trainable weight, depthwise filters included, on wasm', () => {
    const net = buildSdnMobilenet(narrow(0.125), 3);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const y = oneHot([0, 1], 100);
    const { value, grads } = tf.variableGrads(() => net.trainingLoss(x, y), net.trainableVariables());
    const named = [...net.namedWeights()].filter(([, v]) => v.trainable);
    const missing = named.filter(([, v]) => grads[v.name] === undefined).map(([n]) => n);
    expect(missing).toEqual([]);
    const dwGrad = grads[net.namedWeights().get('block0.depthwise.weight')!.name];
    expect(tf.max(tf.abs(dwGrad)).dataSync()[0]).toBeGreaterThan(0);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    tf.dispose([value, ...Object.values(grads), x, y]);
    net.dispose();
  });

  it('batch norm uses batch statistics in training and running ones in soft/run', () => {
    const net = buildSdnResnet56(narrow(0.25), 5);
    const mean = net.namedWeights().get('stem.conv.bn.running_mean')!;
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const y = oneHot([0, 1, 2, 3], 100);
    const before = mean.arraySync() as number[];
    tf.dispose([net.soft(x).logits, net.soft(x).p]);
    net.run(x, 0.5);
    expect(mean.arraySync()).toEqual(before);
    tf.tidy(() => net.trainingLoss(x, y));
    expect(mean.arraySync()).not.toEqual(before);
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe('full SDN configurations', () => {
  it('default: 32x32x3, 100 classes, CIFAR-100 normalisation; other channel counts are not normalised', () => {
    const c = fullDefaults();
    expect([c.input.height, c.input.width, c.input.channels, c.numClasses]).toEqual([32, 32, 3, 100]);
    expect(c.normalize).toEqual({ mean: [0.507, 0.487, 0.441], std: [0.267, 0.256, 0.276] });
    expect(fullDefaults({ height: 28, width: 28, channels: 1, range: [0, 1] }, 10).normalize).toBeNull();
  });

  it('the normalisation is folded in: x normalised by a model equals (x - mean) / std fed to an unnormalised one', () => {
    const cifar10 = SDN_NORMALIZATION.cifar10!;
    const withNorm = buildSdnMobilenet({ ...narrow(0.25), normalize: cifar10 }, 9);
    const without = buildSdnMobilenet({ ...narrow(0.25), normalize: null }, 9);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const z = tf.tidy(() => tf.div(tf.sub(x, tf.tensor1d([0.485, 0.456, 0.406])), tf.tensor1d([0.229, 0.224, 0.225]))) as tf.Tensor4D;
    const a = withNorm.soft(x);
    const b = without.soft(z);
    expect(tf.max(tf.abs(tf.sub(a.logits, b.logits))).dataSync()[0]).toBeLessThan(1e-3);
    tf.dispose([x, z, a.logits, a.p, b.logits, b.p]);
    withNorm.dispose();
    without.dispose();
  });

  it('refuses a configuration that does not fit, naming the arch and the field', () => {
    const bad = { ...fullDefaults(), normalize: { mean: [0.5], std: [0.5] } };
    expect(() => buildSdnResnet56(bad, 0)).toThrow(SdnConfigError);
    expect(() => buildSdnResnet56(bad, 0)).toThrow(/sdn-resnet56 configuration: normalize needs 3 means/);
    expect(() => buildSdnMobilenet({ ...fullDefaults(), numClasses: 1 }, 0)).toThrow(/numClasses/);
  });
});
