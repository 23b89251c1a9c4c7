import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/index.js';
import { totalFlops } from '../../flops.js';
import { checkCostModel, thresholdsBetween } from '../resnet/check-cost-model.js';
import type { SkippingNetwork } from '../resnet/skipping.js';
import { entries } from './index.js';
import { buildSkipNet, SKIPNET_OBJECTIVE, skipNet110Config, skipNet110FfConfig, skipNetTinyConfig } from './skipnet.js';

// Its own set-up: models are built while the file is collected, before
// test/setup/backend.ts runs, and need engine/'s backends registered at import.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const BLOCK_16_AT_32 = 2 * (2 * 16 * 16 * 9 * 32 * 32); // 9,437,184: two conv3x3 16->16 at 32x32
const DOWN_32 = 2 * 16 * 32 * 9 * 16 * 16 + 2 * 32 * 32 * 9 * 16 * 16; // 2,359,296 + 4,718,592 = 7,077,888
const DOWN_64 = 2 * 32 * 64 * 9 * 8 * 8 + 2 * 64 * 64 * 9 * 8 * 8; // the same 7,077,888 at 8x8
const BLOCKS_110 = [...Array(17).fill(BLOCK_16_AT_32), DOWN_32, ...Array(17).fill(BLOCK_16_AT_32), DOWN_64, ...Array(17).fill(BLOCK_16_AT_32)];
// Always run: stem conv 3->16 at 32x32, the first block, the two conv1x1 projection shortcuts
// (16->32 s2 at 16x16: 2*16*32*256; 32->64 s2 at 8x8: 2*32*64*64), the final Linear(64, 10).
const SKIPNET_110_BACKBONE_BASE = 884_736 + BLOCK_16_AT_32 + 262_144 + 262_144 + 1_280;

describe('SkipNet FLOPs (2 x MAC; the gates counted)', () => {
  it('skipnet-110: 53 conditional blocks; the recurrent gates with their LSTM in the base', () => {
    const net = buildSkipNet('skipnet-110', skipNet110Config(), 0);
    expect(net.meta.blocks.map((b) => b.flops)).toEqual(BLOCKS_110);
    // One gate before each of blocks 1..53: 18 read 16 channels, 18 read 32, 17 read 64.
    // Per gate: 1x1 conv C->10 on the pooled map (2*C*10) + LSTM step 2*4*10*(10+10) = 1,600 + Linear(10,1) = 20.
    const gates = 18 * (320 + 1_600 + 20) + 18 * (640 + 1_600 + 20) + 17 * (1_280 + 1_600 + 20); // 124,900
    expect(gates).toBe(124_900);
    expect(net.meta.baseFlops).toBe(SKIPNET_110_BACKBONE_BASE + gates);
    expect(net.meta.baseFlops).toBe(10_972_388);
    // Without the LSTM (the authors' counter leaves it out): 53 * 1,600 = 84,800 less.
    expect(net.meta.baseFlops - 53 * 1_600).toBe(10_887_588);
    expect(totalFlops(net.meta)).toBe(506_424_548);
    net.dispose();
  });

  it('skipnet-110-ff: FFGate-II (conv3x3 s2 C->C, Linear(C, 2)) before each conditional block', () => {
    const net = buildSkipNet('skipnet-110-ff', skipNet110FfConfig(), 0);
    expect(net.meta.blocks.map((b) => b.flops)).toEqual(BLOCKS_110);
    // conv3x3 stride 2: 16->16 at 16x16, 32->32 at 8x8, 64->64 at 4x4: each 2*C*C*9*(H/2)^2 = 1,179,648
    const conv = 2 * 16 * 16 * 9 * 256;
    expect(conv).toBe(1_179_648);
    const gates = 53 * conv + 18 * (2 * 16 * 2) + 18 * (2 * 32 * 2) + 17 * (2 * 64 * 2); // 62,529,152
    expect(net.meta.baseFlops).toBe(SKIPNET_110_BACKBONE_BASE + gates);
    expect(net.meta.baseFlops).toBe(73_376_640);
    net.dispose();
  });

  it('skipnet-tiny (28x28x1, [2,2,2] blocks of 8/16/32)', () => {
    const net = buildSkipNet('skipnet-tiny', skipNetTinyConfig(), 0);
    const b8 = 2 * (2 * 8 * 8 * 9 * 784); // 1,806,336 at 28x28
    const down16 = 2 * 8 * 16 * 9 * 196 + 2 * 16 * 16 * 9 * 196; // 451,584 + 903,168 = 1,354,752 (to 14x14)
    const down32 = 2 * 16 * 32 * 9 * 49 + 2 * 32 * 32 * 9 * 49; // the same at 7x7
    expect(net.meta.blocks.map((b) => b.flops)).toEqual([b8, down16, b8, down32, b8]);
    // stem 2*1*8*9*784 = 112,896; first block; shortcuts 2*8*16*196 + 2*16*32*49 = 50,176 each;
    // gates before blocks 1..5 reading 8, 8, 16, 16, 32 channels: 2*C*10 + 1,600 + 20 each; fc 2*32*10.
    const gates = [8, 8, 16, 16, 32].reduce((s, c) => s + 2 * c * 10 + 1_600 + 20, 0); // 9,700
    expect(net.meta.baseFlops).toBe(112_896 + b8 + 2 * 50_176 + gates + 640);
    expect(net.meta.baseFlops).toBe(2_029_924);
    net.dispose();
  });

  it('is registered as skipnet-110, skipnet-110-ff and skipnet-tiny', () => {
    expect(entries.map((e) => [e.arch, e.size])).toEqual([
      ['skipnet-110', 'full'],
      ['skipnet-110-ff', 'full'],
      ['skipnet-tiny', 'tiny'],
    ]);
    const tiny = entries[2].build(entries[2].defaultConfig({ height: 20, width: 24, channels: 3, range: [0, 1] }, 4), 0);
    expect(tiny.meta.input).toMatchObject({ height: 20, width: 24, channels: 3 });
    expect(tiny.meta.numClasses).toBe(4);
    tiny.dispose();
  });
});

/** The real execution against Eq. 5 at thresholds between observed p, and its predictions against the soft pass. */
function adaptiveChecks(name: string, build: () => SkippingNetwork, batch: number) {
  describe(`${name} adaptive execution`, () => {
    const net = build();
    const { height, width, channels } = net.meta.input;
    // Uniform noise at a different brightness per input, so the gates see different inputs.
    const x = tf.tidy(() => {
      const scale = tf.reshape(tf.linspace(0.1, 1, batch), [batch, 1, 1, 1]);
      return tf.mul(tf.randomUniform([batch, height, width, channels], 0, 1, 'float32', 5), scale) as tf.Tensor4D;
    });
    afterAll(() => {
      x.dispose();
      net.dispose();
    });

    it('counts the FLOPs of Eq. 5 for every input at several tau, and runs the blocks blocksRun says', () => {
      const taus = thresholdsBetween(net, x, [0.2, 0.5, 0.8]);
      const check = checkCostModel(net, x, taus);
      expect(check.mismatches).toEqual([]);
      // The thresholds really mix run and skipped blocks, and inputs differ in cost.
      expect(check.mix.every((m) => m.ran > 0 && m.skipped > 0)).toBe(true);
      expect(check.mix.some((m) => m.distinctFlops > 1)).toBe(true);
    });

    it('predicts what the soft pass predicts, with every block and with the decisions at tau 0.5', () => {
      for (const tau of [-0.01, 0.5]) {
        const soft = net.soft(x, tau);
        const argmax = Array.from(tf.argMax(soft.logits, 1).dataSync());
        tf.dispose([soft.logits, soft.p]);
        expect(Array.from(net.run(x, tau).predictions)).toEqual(argmax);
      }
      const all = net.run(x, -0.01);
      expect(Array.from(all.flops).every((f) => f === totalFlops(net.meta))).toBe(true);
      const none = net.run(x, 1.01);
      expect(Array.from(none.flops).every((f) => f === net.meta.baseFlops)).toBe(true);
    });
  });
}

adaptiveChecks('skipnet-tiny', () => buildSkipNet('skipnet-tiny', skipNetTinyConfig(), 3), 24);
adaptiveChecks('skipnet-110', () => buildSkipNet('skipnet-110', skipNet110Config(), 3), 3);
adaptiveChecks('skipnet-110-ff', () => buildSkipNet('skipnet-110-ff', skipNet110FfConfig(), 3), 3);

describe('skipnet-tiny training objective', () => {
  it('reaches the gates through the straight-through decisions', () => {
    const net = buildSkipNet('skipnet-tiny', skipNetTinyConfig(), 1);
    const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10).toFloat() as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => net.trainingLoss(x, y), net.trainableVariables());
    const named = [...net.namedWeights()].filter(([n]) => n.startsWith('control.') || n.startsWith('gate'));
    expect(named.length).toBe(5 * 2 + 3 + 2); // 5 embeddings (weight, bias), LSTM (3), projection (2)
    for (const [, v] of named) expect(tf.norm(grads[v.name]).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([value, x, y, ...Object.values(grads)]);
    net.dispose();
  });

  it('penalises the expected share of conditional FLOPs', () => {
    const net = buildSkipNet('skipnet-tiny', skipNetTinyConfig(), 1);
    // Blocks cost 1,806,336, 1,354,752, 1,806,336, 1,354,752, 1,806,336 (sum 8,128,512).
    // Input 1 runs only block 0, input 2 only block 1: mean share (1,806,336 + 1,354,752) / 2 / 8,128,512.
    const p = tf.tensor2d([
      [1, 0, 0, 0, 0],
      [0, 1, 0, 0, 0],
    ]);
    expect(net.computationShare(p).dataSync()[0]).toBeCloseTo((1_806_336 + 1_354_752) / 2 / 8_128_512, 6);
    net.dispose();
  });
});

describe('skipnet objective (README.md, "Training scheme")', () => {
  it('trains the gates towards the harder half of each batch, no FLOPs penalty, shifted and mirrored batches', () => {
    expect(SKIPNET_OBJECTIVE).toEqual({
      lambda: 0,
      warmupFraction: 0,
      sampleGates: false,
      difficulty: { share: 0.5, weight: 2 },
      augment: { pad: 2, flip: true },
    });
    expect(skipNetTinyConfig().objective.augment).toEqual({ pad: 2, flip: true });
    // The original's CIFAR loader: RandomCrop(32, padding=4).
    expect(skipNet110Config().objective.augment).toEqual({ pad: 4, flip: true });
    expect(skipNet110FfConfig().objective.difficulty).toEqual({ share: 0.5, weight: 2 });
  });

  it('refuses a difficulty share outside (0, 1) and a negative or fractional pad', () => {
    const bad = (objective: object) => () => buildSkipNet('skipnet-tiny', { ...skipNetTinyConfig(), objective: { ...SKIPNET_OBJECTIVE, ...objective } }, 0);
    expect(bad({ difficulty: { share: 1, weight: 2 } })).toThrow(/objective.difficulty/);
    expect(bad({ difficulty: { share: 0.5, weight: -1 } })).toThrow(/objective.difficulty/);
    expect(bad({ augment: { pad: -1, flip: true } })).toThrow(/objective.augment/);
    expect(bad({ augment: { pad: 1.5, flip: false } })).toThrow(/objective.augment/);
  });

  it('applies the augmentation to the batch it is given (and nothing else changes the loss)', () => {
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10).toFloat() as tf.Tensor2D;
    const lossWith = (augment: { pad: number; flip: boolean } | undefined) => {
      const net = buildSkipNet('skipnet-tiny', { ...skipNetTinyConfig(), objective: { ...SKIPNET_OBJECTIVE, augment } }, 1);
      const loss = net.trainingLoss(x, y).dataSync()[0];
      net.dispose();
      return loss;
    };
    const plain = lossWith(undefined);
    expect(lossWith({ pad: 0, flip: false })).toBeCloseTo(plain, 5);
    expect(Math.abs(lossWith({ pad: 2, flip: true }) - plain)).toBeGreaterThan(1e-4);
    tf.dispose([x, y]);
  });
});
