import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn, runBatched, type AdaptiveNetwork, type AdnnKind } from '../adnn/index.js';
import { loadDataset, takeSeeded, type Dataset } from '../data/index.js';
import { initBackend } from '../engine/index.js';
import { UnsupportedModelError } from './common.js';
import { deepsloth, slothLoss, uniformCrossEntropy } from './deepsloth.js';

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

/** A model that only answers `soft` (p = the input's pixels, one block per pixel) and maybe `exitLogits`. */
function fake(kind: AdnnKind, exitLogits?: tf.Tensor2D[]): AdaptiveNetwork {
  const unused = () => {
    throw new Error('not used');
  };
  return {
    meta: {
      name: `fake-${kind}`,
      arch: 'fake',
      kind,
      input: { height: 1, width: 2, channels: 1, range: [0, 1] },
      numClasses: 2,
      baseFlops: 1,
      blocks: [
        { name: 'b1', flops: 1 },
        { name: 'b2', flops: 1 },
      ],
    },
    soft: (x) => tf.tidy(() => ({ logits: tf.zeros([x.shape[0], 2]) as tf.Tensor2D, p: tf.reshape(x, [x.shape[0], 2]) as tf.Tensor2D })),
    ...(exitLogits ? { exitLogits: () => exitLogits.map((t) => tf.clone(t)) } : {}),
    run: unused,
    trainingLoss: unused,
    trainableVariables: () => [],
    namedWeights: () => new Map(),
    dispose: () => undefined,
  };
}

describe('DeepSloth loss', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('uniformCrossEntropy is -(1/C) sum_c log softmax_c (hand-computed)', () => {
    // logits (0, 0): softmax (1/2, 1/2), CE = -(1/2)(2 ln 1/2) = ln 2 = 0.693147.
    // logits (ln 3, 0): softmax (3/4, 1/4), CE = -(1/2)(ln 0.75 + ln 0.25) = (0.287682 + 1.386294) / 2 = 0.836988.
    const ce = uniformCrossEntropy(tf.tensor2d([[0, 0], [Math.log(3), 0]]));
    const [a, b] = ce.dataSync();
    expect(a).toBeCloseTo(0.693147, 5);
    expect(b).toBeCloseTo(0.836988, 5);
    ce.dispose();
  });

  it('sums over the internal classifiers from exitLogits and leaves the final one out', () => {
    // Exits: (0, 0) -> 0.693147, (ln 3, 0) -> 0.836988, final (100, 0) left out. Sum 1.530135.
    const logits = [tf.tensor2d([[0, 0]]), tf.tensor2d([[Math.log(3), 0]]), tf.tensor2d([[100, 0]])];
    const net = fake('early-exit', logits);
    const x = tf.zeros([1, 1, 2, 1]) as tf.Tensor4D;
    const loss = slothLoss(net, x);
    expect(loss.dataSync()[0]).toBeCloseTo(1.530135, 5);
    tf.dispose([...logits, x, loss]);
  });

  it('falls back to sum_i -log p_i when the model has no exitLogits', () => {
    // p = (0.5, 0.25): -(ln 0.5 + ln 0.25) = 0.693147 + 1.386294 = 2.079442.
    const net = fake('early-exit');
    const x = tf.tensor4d([0.5, 0.25], [1, 1, 2, 1]);
    const loss = slothLoss(net, x);
    expect(loss.dataSync()[0]).toBeCloseTo(2.079442, 5);
    tf.dispose([x, loss]);
  });

  it('refuses a skipping model with an UnsupportedModelError that says why', () => {
    const net = fake('skipping');
    const seeds = { images: new Float32Array(2), count: 1 };
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    expect(() => deepsloth(net, seeds, attack, 0)).toThrow(UnsupportedModelError);
    expect(() => deepsloth(net, seeds, attack, 0)).toThrow(
      'deepsloth attacks the internal classifiers of early-exit models; fake-skipping is a skipping model',
    );
  });
});

describe('deepsloth on the trained sdn-tiny', () => {
  let net: AdaptiveNetwork;
  let seeds: Dataset;
  const tau = 0.5;

  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    net = (await loadAdnn('fixtures/models/sdn-tiny')).network;
    seeds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 32, 0);
  });
  afterAll(() => net.dispose());

  it('Linf 0.1, 10 PGD steps: the real adaptive execution runs more blocks than on the seeds', () => {
    const before = runBatched(net, seeds, tau);
    const steps: number[] = [];
    const out = deepsloth(net, seeds, { norm: 'linf', epsilon: 0.1, tau }, 0, { linfSteps: 10 }, (done, total) => steps.push(done / total));
    // One batch of 32: each of the 10 PGD steps is reported, as a tenth more.
    expect(steps.map((f) => Math.round(f * 10))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const after = runBatched(net, out, tau);
    // Measured: 11x the blocks, 2.3x the FLOPs of the seeds.
    expect(mean(after.ran)).toBeGreaterThan(mean(before.ran) * 3);
    expect(mean(after.flops)).toBeGreaterThan(mean(before.flops) * 1.8);
  });

  it('L2 2.0, 15 iterations: the real adaptive execution runs more blocks than on the seeds', () => {
    const before = runBatched(net, seeds, tau);
    let last = '';
    const out = deepsloth(net, seeds, { norm: 'l2', epsilon: 2, tau }, 0, { l2Iterations: 15 }, (done, total) => (last = `${done}/${total}`));
    expect(last).toBe('15/15');
    const after = runBatched(net, out, tau);
    // Measured: 19.5x the blocks, 3.4x the FLOPs of the seeds.
    expect(mean(after.ran)).toBeGreaterThan(mean(before.ran) * 3);
    expect(mean(after.flops)).toBeGreaterThan(mean(before.flops) * 1.8);
  });
});
