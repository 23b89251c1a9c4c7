import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/index.js';
import { blocksRun, costModel, totalFlops } from '../../flops.js';
import { loadAdnn } from '../../model-io.js';
import { RANET_TINY_DEFAULT, withInput } from './config.js';
import { buildRanet } from './ranet.js';

// Its own set-up: models are built while the file is collected, before
// test/setup/backend.ts runs, and need engine/'s backends registered at import.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/*
 * ranet-tiny on 28x28x1, 10 classes: nChannels 8, growthRate 6, grFactor and
 * bnFactor 4-2-1-1, scales 1-2-3-3, one block per sub-network (block step 1),
 * 2 layers per block, compress 0.25, reduction 0.5, stride-2 first conv, exits
 * of 32 channels. Below, MACs per conv are in * out * k * k * oh * ow; a
 * bottleneck squeezes to min(in, bnFactor * out) with a 1x1 first. FLOPs = 2 x MACs.
 */
const MAC = {
  // First layer, finest first: 1->8 s2 (28->14), 8->8 at 14, 8->16 s2 (->7), 16->32 s2 (->4).
  stem: 1 * 8 * 9 * 196 + 8 * 8 * 9 * 196 + 8 * 16 * 9 * 49 + 16 * 32 * 9 * 16,
  // Sub-network 0 at 4x4, growth 24, bottleneck <= 96: layer 32->56, layer 56->80.
  flow0: 32 * 32 * 16 + 32 * 24 * 9 * 16 + (56 * 56 * 16 + 56 * 24 * 9 * 16),
  // Every exit: 3x3 s2 conv to 32 channels at 2x2, 3x3 s2 32->32 at 1x1, dense 32->10.
  exit: (inC: number) => inC * 32 * 9 * 4 + 32 * 32 * 9 * 1 + 32 * 10,
  // Sub-network 1 (7x7, growth 12 = 3 from the coarser network + 9 own), fusion block 1 (downsampling, transition):
  flow1Block1:
    // layer 0: up 1x1 32->12 and 3x3 12->3 at 4x4; own 1x1 16->16, 3x3 16->9 at 7x7 -> 28 channels
    32 * 12 * 16 + 12 * 3 * 9 * 16 + 16 * 16 * 49 + 16 * 9 * 9 * 49 +
    // layer 1: up 1x1 56->12, 3x3 12->3 at 4x4; own 1x1 28->18, 3x3 18->9 stride 2 -> 4x4, 40 channels
    56 * 12 * 16 + 12 * 3 * 9 * 16 + 28 * 18 * 49 + 18 * 9 * 9 * 16 +
    // last 1x1 on the coarse 80-channel output to floor(40/4) = 10, transition 50 -> 25
    80 * 10 * 16 + 50 * 25 * 16,
  // block 2 (normal, exit 1): 25 -> 37 -> 49 at 4x4, bottleneck <= 24
  flow1Block2: 25 * 24 * 16 + 24 * 12 * 9 * 16 + 37 * 24 * 16 + 24 * 12 * 9 * 16,
  // Sub-network 2 (14x14, growth 6 = 1 + 5), block 1 (down, transition), low features 16@7, 28@7, 40@4:
  flow2Block1:
    16 * 2 * 49 + 2 * 1 * 9 * 49 + 8 * 5 * 196 + 5 * 5 * 9 * 196 +
    28 * 2 * 49 + 2 * 1 * 9 * 49 + 14 * 5 * 196 + 5 * 5 * 9 * 49 +
    40 * 5 * 16 + 25 * 12 * 49,
  // block 2 (down, transition) at 7x7, low features 25@4, 37@4, 49@4
  flow2Block2:
    25 * 2 * 16 + 2 * 1 * 9 * 16 + 12 * 5 * 49 + 5 * 5 * 9 * 49 +
    37 * 2 * 16 + 2 * 1 * 9 * 16 + 18 * 5 * 49 + 5 * 5 * 9 * 16 +
    49 * 6 * 16 + 30 * 15 * 16,
  // block 3 (normal, exit 2): 15 -> 21 -> 27 at 4x4, bottleneck <= 6
  flow2Block3: 15 * 6 * 16 + 6 * 6 * 9 * 16 + 21 * 6 * 16 + 6 * 6 * 9 * 16,
  // Sub-network 3 (14x14, growth 6): block 1 (transition), low features 8@14, 14@14, 20@7
  flow3Block1:
    8 * 1 * 196 + 1 * 1 * 9 * 196 + 8 * 5 * 196 + 5 * 5 * 9 * 196 +
    14 * 1 * 196 + 1 * 1 * 9 * 196 + 14 * 5 * 196 + 5 * 5 * 9 * 196 +
    20 * 5 * 49 + 25 * 12 * 196,
  // block 2 (down, transition), low features 12@7, 18@7, 24@4
  flow3Block2:
    12 * 1 * 49 + 1 * 1 * 9 * 49 + 12 * 5 * 196 + 5 * 5 * 9 * 196 +
    18 * 1 * 49 + 1 * 1 * 9 * 49 + 18 * 5 * 196 + 5 * 5 * 9 * 49 +
    24 * 6 * 16 + 30 * 15 * 49,
  // block 3 (down), low features 15@4, 21@4, 27@4
  flow3Block3:
    15 * 1 * 16 + 1 * 1 * 9 * 16 + 15 * 5 * 49 + 5 * 5 * 9 * 49 +
    21 * 1 * 16 + 1 * 1 * 9 * 16 + 21 * 5 * 49 + 5 * 5 * 9 * 16 +
    27 * 6 * 16,
  // block 4 (normal, exit 3): 33 -> 39 -> 45 at 4x4
  flow3Block4: 33 * 6 * 16 + 6 * 6 * 9 * 16 + 39 * 6 * 16 + 6 * 6 * 9 * 16,
};

describe('ranet-tiny FLOPs (2 x MAC, 28x28x1)', () => {
  const net = buildRanet(RANET_TINY_DEFAULT, 1, 'ranet-tiny');

  it('the arithmetic above, summed', () => {
    expect(MAC.stem).toBe(257_184);
    expect(MAC.flow1Block1).toBe(184_136);
    expect(MAC.flow2Block1 + MAC.flow2Block2).toBe(100_661 + 36_439);
    expect(MAC.flow3Block1 + MAC.flow3Block2 + MAC.flow3Block3).toBe(181_300 + 111_231 + 26_901);
  });

  it('base = first layer + sub-network 0 + exit 0', () => {
    expect(net.meta.baseFlops).toBe(2 * (MAC.stem + MAC.flow0 + MAC.exit(80)));
    expect(net.meta.baseFlops).toBe(1_459_136);
  });

  it('each block is what runs between two exits, with its exit', () => {
    expect(net.meta.blocks.map((b) => b.flops)).toEqual([
      2 * (MAC.flow1Block1 + MAC.flow1Block2 + MAC.exit(49)),
      2 * (MAC.flow2Block1 + MAC.flow2Block2 + MAC.flow2Block3 + MAC.exit(27)),
      2 * (MAC.flow3Block1 + MAC.flow3Block2 + MAC.flow3Block3 + MAC.flow3Block4 + MAC.exit(45)),
    ]);
    expect(net.meta.blocks.map((b) => b.name)).toEqual([
      'scale1.block1-2+exit1',
      'scale2.block1-3+exit2',
      'scale3.block1-4+exit3',
    ]);
  });

  it('exitFlops are the cumulative costs of leaving at each exit', () => {
    expect(net.meta.exitFlops).toEqual([1_459_136, 2_172_880, 2_556_008, 3_352_184]);
    expect(totalFlops(net.meta)).toBe(3_352_184);
  });
});

describe('ranet-tiny adaptive execution', () => {
  const net = buildRanet(RANET_TINY_DEFAULT, 7, 'ranet-tiny');
  const x = tf.randomUniform([24, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;

  it('counts the same FLOPs as the cost model (Eq. 5) for every input and tau', () => {
    const soft = net.soft(x);
    const p = soft.p.arraySync();
    const conf = p.flat().map((v) => 1 - v).sort((a, b) => a - b);
    // Thresholds between observed confidences, so inputs leave at different exits.
    const taus = [0.2, 0.4, 0.6, 0.8].map((q) => conf[Math.floor(q * conf.length)] + 1e-4);
    const exitsTaken = new Set<number>();
    for (const tau of taus) {
      const exec = net.run(x, tau);
      p.forEach((row, b) => {
        const rule = blocksRun('early-exit', row, tau);
        expect(exec.flops[b]).toBe(costModel(net.meta, rule));
        expect(Array.from(exec.ran.subarray(b * 3, b * 3 + 3)).map(Boolean)).toEqual(rule);
        exitsTaken.add(rule.filter(Boolean).length);
      });
    }
    // The taus really spread the inputs over several exits.
    expect(exitsTaken.size).toBeGreaterThanOrEqual(3);
    tf.dispose([soft.logits, soft.p]);
  });

  it('at tau above every confidence all blocks run; at tau 0 nothing past exit 0 runs', () => {
    const all = net.run(x, 1.01);
    expect(Array.from(all.flops).every((f) => f === 3_352_184)).toBe(true);
    const none = net.run(x, 0);
    expect(Array.from(none.flops).every((f) => f === 1_459_136)).toBe(true);
    expect(Array.from(none.ran).every((r) => r === 0)).toBe(true);
  });

  it('each input is answered by the exit it leaves at', () => {
    const logits = tf.tidy(() => net.exitLogits(x).map((l) => tf.argMax(l, 1).arraySync() as number[]));
    const soft = net.soft(x);
    const p = soft.p.arraySync();
    const tau = 0.6;
    const exec = net.run(x, tau);
    p.forEach((row, b) => {
      const exit = blocksRun('early-exit', row, tau).filter(Boolean).length;
      expect(exec.predictions[b]).toBe(logits[exit][b]);
    });
    tf.dispose([soft.logits, soft.p]);
  });

  it('run() frees every intermediate tensor', () => {
    const before = tf.memory().numTensors;
    net.run(x, 0.6);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ranet-tiny shapes', () => {
  it.each([
    [28, 28, 1, 10],
    [32, 32, 3, 100],
  ])('%ix%ix%i input, %i classes: logits, p, run arrays', (h, w, c, classes) => {
    const config = withInput(RANET_TINY_DEFAULT, { height: h, width: w, channels: c, range: [0, 1] }, classes);
    const net = buildRanet(config, 2, 'ranet-tiny');
    const x = tf.randomUniform([3, h, w, c], 0, 1, 'float32', 5) as tf.Tensor4D;
    const soft = net.soft(x);
    expect(soft.logits.shape).toEqual([3, classes]);
    expect(soft.p.shape).toEqual([3, 3]);
    const exec = net.run(x, 0.5);
    expect([exec.predictions.length, exec.ran.length, exec.flops.length]).toEqual([3, 9, 3]);
    expect(net.meta.exitFlops).toHaveLength(4);
    tf.dispose([x, soft.logits, soft.p]);
    net.dispose();
  });

  it('32x32x3: sub-networks at 4, 8, 16 and 16 pixels (stride-2 first conv)', () => {
    const net = buildRanet(withInput(RANET_TINY_DEFAULT, { height: 32, width: 32, channels: 3, range: [0, 1] }, 100), 2);
    expect(net.plan.flowInputs).toEqual([
      [4, 4, 32],
      [8, 8, 16],
      [16, 16, 8],
      [16, 16, 8],
    ]);
    net.dispose();
  });
});

describe('ranet-tiny training objective', () => {
  it('is the sum (not the mean) of every exit cross-entropy', () => {
    const net = buildRanet(RANET_TINY_DEFAULT, 4, 'ranet-tiny');
    const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const labels = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10), 'float32') as tf.Tensor2D;
    const loss = net.trainingLoss(x, labels).dataSync()[0];
    // Batch statistics do not depend on the running ones, so a second training pass gives the same logits.
    const perExit = net.exitLogits(x, true).map((l) => tf.losses.softmaxCrossEntropy(labels, l).dataSync()[0]);
    expect(perExit).toHaveLength(4);
    expect(loss).toBeCloseTo(perExit.reduce((a, b) => a + b, 0), 4);
    net.dispose();
  });
});

describe('the committed ranet-tiny fixture', () => {
  it('loads into the current structure (every weight name and shape fits)', async () => {
    const { network, metadata } = await loadAdnn('fixtures/models/ranet-tiny');
    expect(metadata.arch).toBe('ranet-tiny');
    expect(network.meta.exitFlops).toEqual([1_459_136, 2_172_880, 2_556_008, 3_352_184]);
    network.dispose();
  });
});
