import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { FlopsCounter, loadAdnn, zooEntry, type AdaptiveNetwork } from '../../adnn/index.js';
import { packageRoot } from '../../util/package-root.js';
import { DetectorFeatureError } from './errors.js';
import { featureGeometry, firstConvOf } from './features.js';

beforeAll(useCpu);

interface Case {
  arch: string;
  /** [H, W, C] of the first layer's output on a 28x28x1 input. */
  shape: [number, number, number];
  /** 2 x in x out x 3 x 3 x H x W, counted by hand. */
  flops: number;
  /** Weight names in the saved model. */
  conv: string;
  bias?: string;
  bn?: string;
  stride: number;
  /** Input normalisation from the model file's config. */
  norm: (config: Record<string, unknown>) => { mean: number; std: number } | null;
}

const first = (v: number[] | number) => ([] as number[]).concat(v)[0];
const scalar = (n: { mean: number[] | number; std: number[] | number } | null | undefined) => (n ? { mean: first(n.mean), std: first(n.std) } : null);

const CASES: Case[] = [
  // conv 1 -> 8 with bias, 3x3, stride 1 at 28x28: 2 * 8 * 9 * 784 = 112,896; then ReLU (no BN).
  { arch: 'sdn-tiny', shape: [28, 28, 8], flops: 112_896, conv: 'segment0.conv0.weight', bias: 'segment0.conv0.bias', stride: 1, norm: (c) => scalar(c.normalize as never) },
  // Stem conv 1 -> 8 without bias, BN, ReLU: the same count.
  { arch: 'skipnet-tiny', shape: [28, 28, 8], flops: 112_896, conv: 'conv1.weight', bn: 'bn1', stride: 1, norm: (c) => scalar(c.normalize as never) },
  { arch: 'blockdrop-tiny', shape: [28, 28, 8], flops: 112_896, conv: 'conv1.weight', bn: 'bn1', stride: 1, norm: (c) => scalar(c.normalize as never) },
  // The first stem layer: conv 1 -> 8, stride 2 to 14x14 (2 * 8 * 9 * 196 = 28,224), BN, ReLU.
  { arch: 'ranet-tiny', shape: [14, 14, 8], flops: 28_224, conv: 'stem0.conv.weight', bn: 'stem0.bn', stride: 2, norm: (c) => scalar(c.normalize as never) },
];

/** The first layer written out from the saved weights: (normalised x) * W (+ b), BN with running statistics, ReLU. */
function byHand(c: Case, x: tf.Tensor4D, weights: Map<string, tf.Tensor>, config: Record<string, unknown>): tf.Tensor4D {
  return tf.tidy(() => {
    const w = (name: string) => weights.get(name)!;
    const n = c.norm(config);
    const input = (n ? tf.div(tf.sub(x, n.mean), n.std) : x) as tf.Tensor4D;
    const pad = c.stride === 1 ? 'same' : ([[0, 0], [1, 1], [1, 1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]);
    let y: tf.Tensor = tf.conv2d(input, w(c.conv) as tf.Tensor4D, c.stride, pad);
    if (c.bias) y = tf.add(y, w(c.bias));
    if (c.bn) {
      const scale = tf.div(w(`${c.bn}.weight`), tf.sqrt(tf.add(w(`${c.bn}.running_var`), 1e-5)));
      y = tf.add(tf.mul(tf.sub(y, w(`${c.bn}.running_mean`)), scale), w(`${c.bn}.bias`));
    }
    return tf.relu(y) as tf.Tensor4D;
  });
}

describe('firstConv of every zoo family (the detector features)', () => {
  it.each(CASES)('$arch (trained fixture): shape $shape, FLOPs counted, equals conv + BN + ReLU from the saved weights', async (c) => {
    const { network, metadata } = await loadAdnn(join(packageRoot(), 'fixtures/models', c.arch));
    const config = metadata.config as Record<string, unknown>;
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 11) as tf.Tensor4D;
    const counter = new FlopsCounter();
    const out = network.firstConv!(x, counter);
    expect(out.shape).toEqual([2, ...c.shape]);
    expect(counter.value).toBe(c.flops);
    const expected = byHand(c, x, network.namedWeights(), config);
    expect(tf.max(tf.abs(tf.sub(out, expected))).dataSync()[0]).toBeLessThan(1e-4);
    // After the ReLU: nothing negative, and some responses cut to zero.
    expect(tf.min(out).dataSync()[0]).toBe(0);
    tf.dispose([x, out, expected]);
    expect(featureGeometry(network)).toEqual({ shape: c.shape, dim: c.shape[0] * c.shape[1] * c.shape[2], flops: c.flops });
    network.dispose();
  });

  it.each([
    // 32x32x3 stems: ResNet-56 3 -> 16, MobileNet 3 -> 32, VGG-16 3 -> 64, all 3x3 at 32x32.
    ['sdn-resnet56', [32, 32, 16], 2 * 3 * 16 * 9 * 1024],
    ['sdn-mobilenet', [32, 32, 32], 2 * 3 * 32 * 9 * 1024],
    ['sdn-vgg16', [32, 32, 64], 2 * 3 * 64 * 9 * 1024],
  ] as const)('%s (full SDN): first layer %j, %d FLOPs', (arch, shape, flops) => {
    const entry = zooEntry(arch);
    const network = entry.build(entry.defaultConfig({ height: 32, width: 32, channels: 3, range: [0, 1] }, 10), 0);
    expect(featureGeometry(network)).toEqual({ shape, dim: shape[0] * shape[1] * shape[2], flops });
    network.dispose();
  });

  it('a model without firstConv is refused with its name and what to add', () => {
    const entry = zooEntry('sdn-tiny');
    const network = entry.build(entry.defaultConfig(), 0);
    const bare = { meta: { ...network.meta, name: 'my-gated-net', arch: 'custom' } } as unknown as AdaptiveNetwork;
    expect(() => firstConvOf(bare)).toThrow(DetectorFeatureError);
    expect(() => firstConvOf(bare)).toThrow(/model my-gated-net \(custom\) has no firstConv\(x\).*add a method firstConv\(x\)/);
    network.dispose();
  });
});
