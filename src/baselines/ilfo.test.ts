import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn, runBatched, type AdaptiveNetwork } from '../adnn/index.js';
import { loadDataset, takeSeeded, type Dataset } from '../data/index.js';
import { initBackend } from '../engine/index.js';
import { BaselineError } from './common.js';
import { activationTarget, ilfo, ilfoLoss } from './ilfo.js';

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

describe('ilfoLoss', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('is lambda * sum_i relu(target - p_i) + ||delta||_2^2 per input (hand-computed)', () => {
    // Input 0: p = (0.2, 0.7, 0.4), target 0.5: hinge 0.3 + 0 + 0.1 = 0.4; lambda 10 -> 4.
    //          delta = (0.1, -0.2, 0, 0.3): ||delta||^2 = 0.01 + 0.04 + 0 + 0.09 = 0.14. Total 4.14.
    // Input 1: p = (0.9, 0.6, 0.5): hinge 0 + 0 + relu(0) = 0; delta = (0.5, 0, 0, 0): 0.25. Total 0.25.
    const p = tf.tensor2d([
      [0.2, 0.7, 0.4],
      [0.9, 0.6, 0.5],
    ]);
    const delta = tf.tensor4d([0.1, -0.2, 0, 0.3, 0.5, 0, 0, 0], [2, 2, 2, 1]);
    const loss = ilfoLoss(p, delta, 0.5, 10);
    expect(loss.shape).toEqual([2]);
    const [a, b] = loss.dataSync();
    expect(a).toBeCloseTo(4.14, 5);
    expect(b).toBeCloseTo(0.25, 6);
    tf.dispose([p, delta, loss]);
  });

  it('targets the p at which a block runs: tau for skipping, 1 - tau for early exits', () => {
    // Skipping: runs iff p > tau. Early exit: runs iff confidence 1 - p < tau, i.e. p > 1 - tau.
    expect(activationTarget('skipping', 0.7)).toBe(0.7);
    expect(activationTarget('early-exit', 0.7)).toBeCloseTo(0.3, 12);
    expect(activationTarget('early-exit', 0.5)).toBe(0.5);
  });
});

/** A skipping model on 2x2x1 inputs with one block whose p = sigmoid(5 * sum(x) - 5). */
function oneGateModel(): AdaptiveNetwork {
  const soft = (x: tf.Tensor4D) =>
    tf.tidy(() => {
      const s = tf.sum(tf.reshape(x, [x.shape[0], -1]), 1, true);
      return { logits: tf.zeros([x.shape[0], 2]) as tf.Tensor2D, p: tf.sigmoid(tf.sub(tf.mul(5, s), 5)) as tf.Tensor2D };
    });
  return {
    meta: {
      name: 'one-gate',
      arch: 'one-gate',
      kind: 'skipping',
      input: { height: 2, width: 2, channels: 1, range: [0, 1] },
      numClasses: 2,
      baseFlops: 1,
      blocks: [{ name: 'b', flops: 1 }],
    },
    soft,
    run: () => {
      throw new Error('not used');
    },
    trainingLoss: () => {
      throw new Error('not used');
    },
    trainableVariables: () => [],
    namedWeights: () => new Map(),
    dispose: () => undefined,
  };
}

describe('ilfo on a hand-built gate', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('keeps the lowest-loss iterate: an exploding SGD run returns the unperturbed seed', () => {
    // Seed 0.25 everywhere: sum 1, p = sigmoid(0) = 0.5, hinge relu(0.9 - 0.5) = 0.4 -> loss 0.4 at delta 0.
    // dp/dx = 5 p (1 - p) = 1.25 per pixel; SGD lr 1000: delta_1 = 1000 * 1.25 = 1250 per pixel,
    // ||delta_1||^2 = 4 * 1250^2 >> 0.4, and every later iterate is worse still: the best is delta = 0.
    const net = oneGateModel();
    const seeds = { images: new Float32Array([0.25, 0.25, 0.25, 0.25]), count: 1 };
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.9 };
    const out = ilfo(net, seeds, attack, 0, { optimizer: 'sgd', learningRate: 1000, lambda: 1, iterations: 5 });
    expect(Array.from(out.images)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("Adam's first step is lr * sign(-grad): bias corrections of t = 1", () => {
    // Seed 0.25: grad of the hinge is -lambda * 1.25 per pixel. At t = 1, m_hat = g and v_hat = g^2,
    // so the step is lr * g / |g| = 0.01 per pixel (t = 2's corrections would give 0.01 * sqrt(1.999) / 1.9 ~= 0.0074).
    const net = oneGateModel();
    const seeds = { images: new Float32Array([0.25, 0.25, 0.25, 0.25]), count: 1 };
    const out = ilfo(net, seeds, { norm: 'linf', epsilon: 0.1, tau: 0.9 }, 0, { learningRate: 0.01, iterations: 1 });
    for (const v of out.images) expect(v).toBeCloseTo(0.26, 6);
  });

  it('pushes p above the target with Adam and stays in the Linf ball', () => {
    // Adam moves each pixel by ~lr per step in the sign of -grad (here +): 50 steps of 0.01 -> +0.1 = eps.
    const net = oneGateModel();
    const seeds = { images: new Float32Array([0.25, 0.25, 0.25, 0.25]), count: 1 };
    const out = ilfo(net, seeds, { norm: 'linf', epsilon: 0.1, tau: 0.9 }, 0, { learningRate: 0.01, iterations: 60 });
    for (const v of out.images) {
      expect(v).toBeGreaterThan(0.25 + 0.09);
      expect(v).toBeLessThanOrEqual(0.35 + 1e-6);
    }
  });

  it('reports every iteration of every batch: 5 seeds in batches of 2, 3 iterations -> steps 1..9 of 9', () => {
    const seen: string[] = [];
    const seeds = { images: new Float32Array(5 * 4).fill(0.25), count: 5 };
    ilfo(oneGateModel(), seeds, { norm: 'linf', epsilon: 0.1, tau: 0.9 }, 0, { iterations: 3, batchSize: 2 }, (done, total) => seen.push(`${done}/${total}`));
    expect(seen).toEqual(['1/9', '2/9', '3/9', '4/9', '5/9', '6/9', '7/9', '8/9', '9/9']);
  });

  it('rejects unknown options and bad values with a BaselineError naming them', () => {
    const net = oneGateModel();
    const seeds = { images: new Float32Array(4), count: 1 };
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    expect(() => ilfo(net, seeds, attack, 0, { iters: 3 })).toThrow(BaselineError);
    expect(() => ilfo(net, seeds, attack, 0, { iters: 3 })).toThrow('ilfo: unknown option "iters"');
    expect(() => ilfo(net, seeds, attack, 0, { optimizer: 'rmsprop' })).toThrow('option "optimizer" must be one of adam, sgd');
    expect(() => ilfo(net, seeds, attack, 0, { iterations: 2.5 })).toThrow('must be a whole number >= 1');
  });
});

describe('ilfo on the trained sdn-tiny', () => {
  let net: AdaptiveNetwork;
  let seeds: Dataset;

  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    net = (await loadAdnn('fixtures/models/sdn-tiny')).network;
    seeds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 32, 0);
  });
  afterAll(() => net.dispose());

  it('makes the real adaptive execution run more blocks than on the seeds (Linf 0.1, 40 Adam steps)', () => {
    const tau = 0.5;
    const before = runBatched(net, seeds, tau);
    const out = ilfo(net, seeds, { norm: 'linf', epsilon: 0.1, tau }, 0, { iterations: 40 });
    const after = runBatched(net, out, tau);
    // Blocks run (the real execution's mask) and the FLOPs they cost both grow
    // (measured: 7.8x the blocks, 1.9x the FLOPs; most seeds leave at the first exit).
    expect(mean(after.ran)).toBeGreaterThan(mean(before.ran) * 3);
    expect(mean(after.flops)).toBeGreaterThan(mean(before.flops) * 1.5);
    expect(out.count).toBe(32);
    expect(out.msPerInput).toBeGreaterThan(0);
  });
});
