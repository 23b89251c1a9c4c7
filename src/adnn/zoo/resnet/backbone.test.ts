import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/index.js';
import { ParamStore } from '../../../nn/index.js';
import { CifarResNet } from './backbone.js';
import { ResidualUnit, ZeroPadShortcut } from './residual.js';
import { straightThrough } from './straight-through.js';

beforeAll(async () => {
  // The cpu backend with the gradients registered (the straight-through test differentiates).
  await initBackend({ backend: 'cpu' });
});

describe('CIFAR ResNet FLOPs (2 x MAC, 32x32x3)', () => {
  it('a basic block of 16 channels at 32x32 costs 9,437,184', () => {
    const unit = new ResidualUnit(new ParamStore(0), 'b', [32, 32, 16], 16, 1, 'zero-pad');
    // two conv3x3 16->16 at 32x32: 2 x (2 * 16 * 16 * 9 * 1024) = 2 x 4,718,592
    expect(unit.residualFlops).toBe(2 * (2 * 16 * 16 * 9 * 32 * 32));
    expect(unit.residualFlops).toBe(9_437_184);
  });

  it('ResNet-110 with every block: 505,775,360 FLOPs with parameter-free shortcuts (about 505.8M)', () => {
    const net = new CifarResNet(new ParamStore(0), '', [32, 32, 3], { stages: [18, 18, 18], widths: [16, 32, 64], shortcut: 'zero-pad' });
    const stem = 2 * 3 * 16 * 9 * 1024; // 884,736
    const block16 = 2 * (2 * 16 * 16 * 9 * 1024); // 9,437,184 at 32x32
    const block32 = 2 * (2 * 32 * 32 * 9 * 256); // 9,437,184 at 16x16
    const block64 = 2 * (2 * 32 * 32 * 9 * 256 * 4) / 4; // 64ch at 8x8: 2 x 2*64*64*9*64 = 9,437,184
    const down32 = 2 * 16 * 32 * 9 * 256 + 2 * 32 * 32 * 9 * 256; // 2,359,296 + 4,718,592 = 7,077,888
    const down64 = 2 * 32 * 64 * 9 * 64 + 2 * 64 * 64 * 9 * 64; // 2,359,296 + 4,718,592 = 7,077,888
    const fc = 2 * 64 * 10; // 1,280
    const blocks = net.units.reduce((s, u) => s + u.residualFlops + u.shortcutFlops, 0);
    expect(net.stemFlops).toBe(stem);
    expect(blocks).toBe(18 * block16 + down32 + 17 * block32 + down64 + 17 * block64);
    const total = net.stemFlops + blocks + fc;
    expect(total).toBe(884_736 + 169_869_312 + 167_510_016 + 167_510_016 + 1_280);
    expect(total).toBe(505_775_360);
    expect((total / 1e6).toFixed(1)).toBe('505.8');
  });

  it('SkipNet\'s conv1x1 projection shortcuts add 2 x 262,144 FLOPs to the same network', () => {
    const net = new CifarResNet(new ParamStore(0), '', [32, 32, 3], { stages: [18, 18, 18], widths: [16, 32, 64], shortcut: 'conv' });
    const shortcuts = net.units.map((u) => u.shortcutFlops).filter((f) => f > 0);
    // conv1x1 16->32 s2 at 16x16: 2*16*32*256; 32->64 s2 at 8x8: 2*32*64*64
    expect(shortcuts).toEqual([262_144, 262_144]);
  });
});

describe('parameter-free downsampling shortcut (BlockDrop DownsampleB)', () => {
  it('averages 2x2 windows and appends zero channels', () => {
    // 1 image, 2x2, 1 channel -> 1x1 with 2 channels: mean of 1,2,3,4 = 2.5, then 0.
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = new ZeroPadShortcut(2, 1).apply(x);
    expect(y.shape).toEqual([1, 1, 1, 2]);
    expect(Array.from(y.dataSync())).toEqual([2.5, 0]);
  });

  it('an odd map keeps the strided conv\'s size (7 -> 4)', () => {
    const unit = new ResidualUnit(new ParamStore(0), 'b', [7, 7, 16], 32, 2, 'zero-pad');
    expect(unit.outputShape).toEqual([4, 4, 32]);
    const y = unit.apply(tf.ones([2, 7, 7, 16]) as tf.Tensor4D, false);
    expect(y.shape).toEqual([2, 4, 4, 32]);
  });
});

describe('straight-through gate', () => {
  it('forward value is 1[p > tau], gradient passes through unchanged', () => {
    const p = tf.tensor1d([0.2, 0.5, 0.7]);
    expect(Array.from(straightThrough(p, 0.5).dataSync())).toEqual([0, 0, 1]);
    // d/dp sum(w * gate(p)) = w
    const g = tf.grad((q: tf.Tensor) => tf.sum(tf.mul(straightThrough(q as tf.Tensor1D, 0.5), tf.tensor1d([1, 2, 3]))))(p);
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
  });
});
