import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdaptiveNetwork, AdnnKind, ImageBatch } from '../adnn/index.js';
import { initBackend } from '../engine/index.js';
import { mulberry32 } from '../util/random.js';
import { BaselineError } from './common.js';
import { randomNoise } from './random.js';
import { refine } from './refine.js';
import { BASELINES, type BaselineName } from './registry.js';

/**
 * Small linear stand-ins for AdNNs on 4x4x1 inputs (fast on any backend):
 * early exit: 3 exits with logits flat(x) @ W_k, p_k = 1 - max softmax of exit k-1;
 * skipping: 2 blocks with p = sigmoid(flat(x) @ W).
 */
const SIDE = 4;
const PIXELS = SIDE * SIDE;
const weights: tf.Tensor2D[] = [];

function linearModel(kind: AdnnKind): AdaptiveNetwork {
  const flat = (x: tf.Tensor4D) => tf.reshape(x, [x.shape[0], PIXELS]) as tf.Tensor2D;
  const exitLogits = (x: tf.Tensor4D) => weights.map((w) => tf.matMul(flat(x), w));
  const soft =
    kind === 'early-exit'
      ? (x: tf.Tensor4D) =>
          tf.tidy(() => {
            const l = exitLogits(x);
            const p = l.slice(0, -1).map((e) => tf.sub(1, tf.max(tf.softmax(e), 1)));
            return { logits: l[l.length - 1], p: tf.stack(p, 1) as tf.Tensor2D };
          })
      : (x: tf.Tensor4D) => tf.tidy(() => ({ logits: tf.matMul(flat(x), weights[2]), p: tf.sigmoid(tf.slice(tf.matMul(flat(x), weights[0]), [0, 0], [-1, 2])) as tf.Tensor2D }));
  const unused = () => {
    throw new Error('not used');
  };
  return {
    meta: {
      name: `linear-${kind}`,
      arch: 'linear',
      kind,
      input: { height: SIDE, width: SIDE, channels: 1, range: [0, 1] },
      numClasses: 3,
      baseFlops: 1,
      blocks: [
        { name: 'b1', flops: 1 },
        { name: 'b2', flops: 1 },
      ],
    },
    soft,
    ...(kind === 'early-exit' ? { exitLogits } : {}),
    run: unused,
    trainingLoss: unused,
    trainableVariables: () => [],
    namedWeights: () => new Map(),
    dispose: () => undefined,
  };
}

/** Six seeds with pixels at exactly 0 and 1 among random ones, so range clamping matters. */
function makeSeeds(): ImageBatch {
  const rand = mulberry32(11);
  const images = new Float32Array(6 * PIXELS).map((_, i) => (i % 5 === 0 ? 0 : i % 7 === 0 ? 1 : rand()));
  return { images, count: 6 };
}

/** Per input, the Linf or L2 size of adv - seed. */
function sizes(seeds: ImageBatch, adv: Float32Array, norm: 'linf' | 'l2'): number[] {
  return Array.from({ length: seeds.count }, (_, i) => {
    let m = 0;
    for (let j = i * PIXELS; j < (i + 1) * PIXELS; j++) {
      const d = Math.abs(adv[j] - seeds.images[j]);
      m = norm === 'linf' ? Math.max(m, d) : m + d * d;
    }
    return norm === 'linf' ? m : Math.sqrt(m);
  });
}

// Options that make the attacks overshoot the balls, so projection is what
// keeps them inside: ILFO's unconstrained delta after 10 Adam steps of ~0.05
// per pixel (Linf ~0.5 > 0.1, L2 ~0.5 * 4 = 2 > 0.3); DeepSloth's 20 Linf
// steps of 0.002 * 0.1 / 0.03125 = 0.0064 (0.128 > 0.1); its L2 start is on the sphere.
const OPTIONS: Record<BaselineName, Record<string, unknown>> = {
  random: {},
  ilfo: { iterations: 10, learningRate: 0.05 },
  'ilfo-paper-code': { iterations: 3 },
  deepsloth: { linfSteps: 20, l2Iterations: 5 },
};
const EPS = { linf: 0.1, l2: 0.3 };

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  for (let k = 0; k < 3; k++) weights.push(tf.mul(3, tf.randomNormal([PIXELS, 3], 0, 1, 'float32', 100 + k)) as tf.Tensor2D);
});
afterAll(() => tf.dispose(weights));

describe('every baseline stays inside the epsilon ball and the input range', () => {
  const cases: [BaselineName, AdnnKind][] = [
    ['random', 'skipping'],
    ['ilfo', 'skipping'],
    ['ilfo', 'early-exit'],
    ['ilfo-paper-code', 'skipping'],
    ['ilfo-paper-code', 'early-exit'],
    ['deepsloth', 'early-exit'],
  ];
  for (const [name, kind] of cases) {
    for (const norm of ['linf', 'l2'] as const) {
      it(`${name} on a ${kind} model, ${norm} eps ${EPS[norm]}`, async () => {
        const seeds = makeSeeds();
        const tensorsBefore = tf.memory().numTensors;
        const out = await BASELINES[name](linearModel(kind), seeds, { norm, epsilon: EPS[norm], tau: 0.5 }, 3, OPTIONS[name]);
        // Nothing left behind (deltas, optimiser state, best iterates).
        expect(tf.memory().numTensors).toBe(tensorsBefore);
        expect(out.count).toBe(6);
        expect(out.images.length).toBe(seeds.images.length);
        for (const v of out.images) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        const s = sizes(seeds, out.images, norm);
        for (const v of s) expect(v).toBeLessThanOrEqual(EPS[norm] * (1 + 1e-5));
        // Not a do-nothing attack: some input's perturbation reaches at least half the budget.
        expect(Math.max(...s)).toBeGreaterThan(EPS[norm] / 2);
      });
    }
  }
});

describe('deepperform-refine stays inside the epsilon ball and the input range', () => {
  // Started from random noise in the ball (a stand-in for G's inputs); the last
  // iterate (these linear models have no real execution to pick the costliest).
  // Adam's first step moves every pixel by 2 * step: 2 * 6 * eps / 5 > eps, so projection keeps it in.
  for (const kind of ['skipping', 'early-exit'] as const) {
    for (const norm of ['linf', 'l2'] as const) {
      it(`on a ${kind} model, ${norm} eps ${EPS[norm]}`, () => {
        const seeds = makeSeeds();
        const attack = { norm, epsilon: EPS[norm], tau: 0.5 };
        const net = linearModel(kind);
        const start = randomNoise(seeds, net.meta.input, attack, 3);
        const tensorsBefore = tf.memory().numTensors;
        const out = refine(net, seeds, start, attack, { steps: 5, keep: 'last' });
        expect(tf.memory().numTensors).toBe(tensorsBefore);
        for (const v of out.images) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        const s = sizes(seeds, out.images, norm);
        for (const v of s) expect(v).toBeLessThanOrEqual(EPS[norm] * (1 + 1e-5));
        expect(Array.from(out.images)).not.toEqual(Array.from(start.images));
      });
    }
  }
});

describe('batching and seeds', () => {
  it('ilfo gives every input its own optimisation: batch 4 and batch 100 agree', () => {
    const seeds = makeSeeds();
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    const a = BASELINES.ilfo(linearModel('early-exit'), seeds, attack, 0, { iterations: 8, batchSize: 4 });
    const b = BASELINES.ilfo(linearModel('early-exit'), seeds, attack, 0, { iterations: 8, batchSize: 100 });
    const diff = a.images.reduce((m, v, i) => Math.max(m, Math.abs(v - b.images[i])), 0);
    expect(diff).toBeLessThan(1e-5);
  });

  it('deepsloth is reproducible under a seed and changes with it (random start)', () => {
    const seeds = makeSeeds();
    const attack = { norm: 'l2' as const, epsilon: 0.3, tau: 0.5 };
    const run = (seed: number) => BASELINES.deepsloth(linearModel('early-exit'), seeds, attack, seed, { l2Iterations: 3 }).images;
    const [a, b, c] = [run(5), run(5), run(6)];
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('seed 0 is a seed like any other: random noise and DeepSloth give the same inputs twice (L2 draws normals)', () => {
    const seeds = makeSeeds();
    const net = linearModel('early-exit');
    for (const norm of ['linf', 'l2'] as const) {
      const attack = { norm, epsilon: EPS[norm], tau: 0.5 };
      expect(Array.from(randomNoise(seeds, net.meta.input, attack, 0).images)).toEqual(Array.from(randomNoise(seeds, net.meta.input, attack, 0).images));
      const sloth = () => BASELINES.deepsloth(net, seeds, attack, 0, { l2Iterations: 2, linfSteps: 2 }).images;
      expect(Array.from(sloth())).toEqual(Array.from(sloth()));
    }
  });
});

describe('the registry', () => {
  it('holds random, ilfo, ilfo-paper-code and deepsloth', () => {
    expect(Object.keys(BASELINES)).toEqual(['random', 'ilfo', 'ilfo-paper-code', 'deepsloth']);
  });

  it('checks options: random takes none, the others name the bad key', () => {
    const seeds = makeSeeds();
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
    const net = linearModel('early-exit');
    expect(() => BASELINES.random(net, seeds, attack, 0, { iterations: 3 })).toThrow(new BaselineError('random: takes no options, got "iterations"'));
    expect(() => BASELINES.deepsloth(net, seeds, attack, 0, { steps: 3 })).toThrow('deepsloth: unknown option "steps"; it takes linfSteps, stepSize');
    expect(() => BASELINES.deepsloth(net, seeds, attack, 0, { stepSize: -1 })).toThrow('option "stepSize" must be "auto" or a number > 0, got -1');
  });
});
