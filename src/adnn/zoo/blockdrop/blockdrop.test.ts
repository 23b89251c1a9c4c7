import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/index.js';
import { ParamStore } from '../../../nn/index.js';
import { totalFlops } from '../../flops.js';
import { checkCostModel, thresholdsBetween } from '../resnet/check-cost-model.js';
import type { SkippingNetwork } from '../resnet/skipping.js';
import { blockDrop110Config, blockDropTinyConfig, buildBlockDrop } from './blockdrop.js';
import { entries } from './index.js';
import { PolicyGating } from './policy.js';

// Its own set-up: models are built while the file is collected, before
// test/setup/backend.ts runs, and need engine/'s backends registered at import.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('BlockDrop FLOPs (2 x MAC)', () => {
  it('the policy network (ResNet-8 agent on the full 32x32x3 image) costs 24,484,736 per image', () => {
    const agent = new PolicyGating(new ParamStore(0), [32, 32, 3], { stages: [1, 1, 1], widths: [16, 32, 64] }, 54);
    const stem = 2 * 3 * 16 * 9 * 32 * 32; // 884,736
    const block1 = 2 * (2 * 16 * 16 * 9 * 32 * 32); // 9,437,184
    const block2 = 2 * 16 * 32 * 9 * 16 * 16 + 2 * 32 * 32 * 9 * 16 * 16; // 2,359,296 + 4,718,592
    const block3 = 2 * 32 * 64 * 9 * 8 * 8 + 2 * 64 * 64 * 9 * 8 * 8; // 2,359,296 + 4,718,592
    const heads = 2 * 64 * 54 + 2 * 64 * 1; // logits 6,912 + value head 128; the shortcuts are parameter-free
    expect(stem + block1 + block2 + block3 + heads).toBe(24_484_736);
    expect(agent.flops).toBe(24_484_736);
  });

  it('blockdrop-110: 54 conditional blocks; stem, agent and classifier in the base', () => {
    const net = buildBlockDrop('blockdrop-110', blockDrop110Config(), 0);
    const b = 2 * (2 * 16 * 16 * 9 * 32 * 32); // 9,437,184 (each stage's non-downsampling block)
    const down = 2 * 16 * 32 * 9 * 16 * 16 + 2 * 32 * 32 * 9 * 16 * 16; // 7,077,888 (so is 32->64 at 8x8)
    expect(net.meta.blocks.map((x) => x.flops)).toEqual([...Array(18).fill(b), down, ...Array(17).fill(b), down, ...Array(17).fill(b)]);
    expect(net.meta.baseFlops).toBe(884_736 + 24_484_736 + 2 * 64 * 10);
    // The backbone with every block: 884,736 + 18 * 9,437,184 + 2 * (7,077,888 + 17 * 9,437,184) + 1,280 = 505,775,360.
    expect(totalFlops(net.meta) - 24_484_736).toBe(505_775_360);
    expect(totalFlops(net.meta)).toBe(530_260_096);
    net.dispose();
  });

  it('blockdrop-tiny (28x28x1, [2,2,2] blocks of 8/16/32, agent 4/8/16)', () => {
    const net = buildBlockDrop('blockdrop-tiny', blockDropTinyConfig(), 0);
    const b8 = 2 * (2 * 8 * 8 * 9 * 784); // 1,806,336
    const down = 2 * 8 * 16 * 9 * 196 + 2 * 16 * 16 * 9 * 196; // 1,354,752 (the same for 16->32 at 7x7)
    expect(net.meta.blocks.map((x) => x.flops)).toEqual([b8, b8, down, b8, down, b8]);
    // Agent: stem 2*1*4*9*784 = 56,448; block 4->4 at 28x28: 2*(2*4*4*9*784) = 451,584;
    // 4->8 s2 to 14x14: 2*4*8*9*196 + 2*8*8*9*196 = 112,896 + 225,792;
    // 8->16 s2 to 7x7: 2*8*16*9*49 + 2*16*16*9*49 = 112,896 + 225,792; heads 2*16*6 + 2*16*1 = 224.
    const agent = 56_448 + 451_584 + 338_688 + 338_688 + 224; // 1,185,632
    // Backbone stem 2*1*8*9*784 = 112,896 and classifier 2*32*10 = 640.
    expect(net.meta.baseFlops).toBe(112_896 + agent + 640);
    expect(net.meta.baseFlops).toBe(1_299_168);
    net.dispose();
  });

  it('is registered as blockdrop-110 and blockdrop-tiny', () => {
    expect(entries.map((e) => [e.arch, e.size])).toEqual([
      ['blockdrop-110', 'full'],
      ['blockdrop-tiny', 'tiny'],
    ]);
  });
});

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
      const check = checkCostModel(net, x, thresholdsBetween(net, x, [0.2, 0.5, 0.8]));
      expect(check.mismatches).toEqual([]);
      expect(check.mix.every((m) => m.ran > 0 && m.skipped > 0)).toBe(true);
      expect(check.mix.some((m) => m.distinctFlops > 1)).toBe(true);
    });

    it('the policy reads the image alone: p does not depend on tau', () => {
      const [a, b] = [net.soft(x, 0.1), net.soft(x, 0.9)];
      expect(tf.max(tf.abs(tf.sub(a.p, b.p))).dataSync()[0]).toBe(0);
      tf.dispose([a.p, a.logits, b.p, b.logits]);
    });

    it('predicts what the soft pass predicts, with every block and with the decisions at tau 0.5', () => {
      for (const tau of [-0.01, 0.5]) {
        const soft = net.soft(x, tau);
        const argmax = Array.from(tf.argMax(soft.logits, 1).dataSync());
        tf.dispose([soft.logits, soft.p]);
        expect(Array.from(net.run(x, tau).predictions)).toEqual(argmax);
      }
      expect(Array.from(net.run(x, -0.01).flops).every((f) => f === totalFlops(net.meta))).toBe(true);
      expect(Array.from(net.run(x, 1.01).flops).every((f) => f === net.meta.baseFlops)).toBe(true);
    });
  });
}

adaptiveChecks('blockdrop-tiny', () => buildBlockDrop('blockdrop-tiny', blockDropTinyConfig(), 3), 24);
adaptiveChecks('blockdrop-110', () => buildBlockDrop('blockdrop-110', blockDrop110Config(), 3), 3);

describe('blockdrop-tiny staged training', () => {
  it('trains the backbone alone in the warm-up epochs, then the policy too', () => {
    const net = buildBlockDrop('blockdrop-tiny', blockDropTinyConfig(), 1);
    const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10).toFloat() as tf.Tensor2D;
    const agentVars = [...net.namedWeights()].filter(([n]) => n.startsWith('agent.') && !n.includes('running')).map(([, v]) => v.name);
    const reached = () => {
      const { value, grads } = tf.variableGrads(() => net.trainingLoss(x, y), net.trainableVariables());
      const names = Object.keys(grads);
      tf.dispose([value, ...Object.values(grads)]);
      return agentVars.filter((n) => names.includes(n)).length;
    };
    // warmupFraction 0.4 of 10 epochs: epochs 0-3 warm up.
    net.beginEpoch(3, 10);
    expect(reached()).toBe(0);
    net.beginEpoch(4, 10);
    // Every agent weight but the value head (never read by the objective, as in the original).
    expect(reached()).toBe(agentVars.filter((n) => !n.startsWith('agent.vnet')).length);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('samples its decisions from the policy after the warm-up, reproducibly per epoch', () => {
    const net = buildBlockDrop('blockdrop-tiny', blockDropTinyConfig(), 1);
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10), 'int32'), 10).toFloat() as tf.Tensor2D;
    const loss = () => {
      const l = net.trainingLoss(x, y);
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    };
    net.beginEpoch(5, 10);
    const [first, second] = [loss(), loss()];
    // A fresh draw per step: the same batch sees other blocks dropped.
    expect(second).not.toBe(first);
    // The draws start over with the epoch, so a resumed run sees the same ones.
    net.beginEpoch(5, 10);
    expect(loss()).toBe(first);
    tf.dispose([x, y]);
    net.dispose();
  });
});
