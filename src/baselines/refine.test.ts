import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn, runBatched, type AdaptiveNetwork } from '../adnn/index.js';
import { loadDataset, takeSeeded } from '../data/index.js';
import { generate, loadGenerator, shippedGeneratorsDir, type Generator, type GeneratedInputs } from '../generator/index.js';
import { BaselineError } from './common.js';
import { oneGateModel } from './one-gate.fixture.js';
import { refine, REFINE_DEFAULTS } from './refine.js';

/** Inputs as if G had made them: `start` per seed, with a time per input of 1 ms. */
const started = (xs: number[], count = xs.length): GeneratedInputs => ({ images: Float32Array.from(xs), count, msPerInput: 1 });
const linf = { norm: 'linf' as const, epsilon: 0.1, tau: 0.5 };
/** Constant sign steps of 0.05, the last iterate: each step is easy to follow by hand. */
const SIGN_STEPS = { loss: 'log-p', rule: 'pgd', stepSize: 0.05, schedule: 'constant', keep: 'last', steps: 4 } as const;

describe('deepperform-refine on the one-gate model (block runs iff the pixel > 0.5)', () => {
  // Seeds and the generator's starts: A 0.45 / 0.36 (block off), B 0.95 / 0.90 (on), C 0.30 / 0.25 (off).
  const seeds = { images: Float32Array.from([0.45, 0.95, 0.3]), count: 3 };
  const start = started([0.36, 0.9, 0.25]);

  it('climbs p in sign steps of 0.05, projected into the ball [x - 0.1, x + 0.1] and the range [0, 1]', () => {
    // Every gradient of -log p points up. A: 0.41, 0.46, 0.51, 0.56 -> 0.55 (ball);
    // B: 0.95, 1.00, 1.05 -> 1 (range), 1; C: 0.30, 0.35, 0.40, 0.45 -> 0.40 (ball).
    const out = refine(oneGateModel(), seeds, start, linf, SIGN_STEPS);
    Array.from(out.images).forEach((v, i) => expect(v).toBeCloseTo([0.55, 1, 0.4][i], 6));
    // The cost rises where the ball allows: A's block now runs, B's ran already, C cannot reach 0.5.
    expect(flopsOf(out.images)).toEqual([2, 2, 1]);
    expect(flopsOf(start.images)).toEqual([1, 2, 1]);
  });

  it('under L2 moves along the unit gradient and projects back onto the sphere', () => {
    // 2x2 inputs all 0.45 (start = seed): the gradient is equal on the 4 pixels, so a step of
    // 0.1 moves each by 0.05: 0.50 (||delta|| 0.1), 0.55 (0.2 = eps), 0.60 -> scaled back to 0.55.
    const seed = { images: new Float32Array(4).fill(0.45), count: 1 };
    const out = refine(oneGateModel(2), seed, started([0.45, 0.45, 0.45, 0.45], 1), { norm: 'l2', epsilon: 0.2, tau: 0.5 }, { ...SIGN_STEPS, stepSize: 0.1, steps: 3 });
    Array.from(out.images).forEach((v) => expect(v).toBeCloseTo(0.55, 6));
  });

  it('keeps the costliest iterate: ILFO\'s ||delta||^2 pulls A back below 0.5 once the hinge is met', () => {
    // ILFO's loss, lambda 1e5: below 0.5 the hinge's gradient wins (up); at 0.51 p = sigmoid(0.1) > 0.5,
    // the hinge is 0 and 2 * delta = 0.12 > 0 points down: 0.36, 0.41, 0.46, 0.51, 0.46.
    const net = oneGateModel();
    const a = { images: Float32Array.from([0.45]), count: 1 };
    const last = refine(net, a, started([0.36]), linf, { ...SIGN_STEPS, loss: 'ilfo' });
    expect(last.images[0]).toBeCloseTo(0.46, 6);
    const costliest = refine(net, a, started([0.36]), linf, { ...SIGN_STEPS, loss: 'ilfo', keep: 'costliest' });
    expect(costliest.images[0]).toBeCloseTo(0.51, 6);
  });

  it('the real execution has the last word: where Eq. 5 on soft() disagrees with it, no input ends cheaper than it started', () => {
    // A model breaking the contract: soft() says the block runs iff x > 0.5 (the one-gate p), the
    // real execution runs it iff x <= 0.5. From 0.45 (real 2 FLOPs), sign steps of 0.05 in a ball of
    // 0.2: 0.45, 0.50, 0.55, 0.60, last 0.65. Eq. 5 keeps 0.55 (the first p > 0.5); the real
    // execution counts 1 FLOP there and at 0.65, 2 at the start, so the start is returned.
    const gate = oneGateModel();
    const liar: AdaptiveNetwork = {
      ...gate,
      run: (x, tau) => {
        const { ran } = gate.run(x, tau);
        const flipped = ran.map((r) => 1 - r);
        return { predictions: new Int32Array(x.shape[0]), ran: flipped, flops: Float64Array.from(flipped, (r) => 1 + r) };
      },
    };
    const seed = { images: Float32Array.from([0.45, 0.45]), count: 2 };
    const wide = { ...linf, epsilon: 0.2 };
    const last = refine(liar, seed, started([0.45, 0.45]), wide, SIGN_STEPS);
    Array.from(last.images).forEach((v) => expect(v).toBeCloseTo(0.65, 6));
    const costliest = refine(liar, seed, started([0.45, 0.45]), wide, { ...SIGN_STEPS, keep: 'costliest' });
    Array.from(costliest.images).forEach((v) => expect(v).toBeCloseTo(0.45, 6));
  });

  it('k = 0 returns the generator\'s inputs exactly; the time per input adds G\'s and the steps\'', () => {
    const same = refine(oneGateModel(), seeds, start, linf, { steps: 0 });
    expect(same.images).toBe(start.images);
    expect(same.msPerInput).toBe(1);
    const moved = refine(oneGateModel(), seeds, start, linf, SIGN_STEPS);
    expect(moved.msPerInput).toBeGreaterThan(1);
  });

  it('refuses bad settings and starts that do not match the seeds, naming what is wrong', () => {
    const net = oneGateModel();
    expect(() => refine(net, seeds, start, linf, { stpes: 3 })).toThrow(BaselineError);
    expect(() => refine(net, seeds, start, linf, { stpes: 3 })).toThrow('refine: unknown option "stpes"; it takes steps, loss, rule, stepSize, schedule, keep, batchSize');
    expect(() => refine(net, seeds, start, linf, { steps: -1 })).toThrow('refine: option "steps" must be a whole number >= 0, got -1');
    expect(() => refine(net, seeds, started([0.5]), linf)).toThrow('refine: 1 generated inputs of 1 values for 3 seeds of 1');
  });
});

describe('deepperform-refine on the trained sdn-tiny from its shipped generator', () => {
  let net: AdaptiveNetwork;
  let g: Generator;

  beforeAll(async () => {
    net = (await loadAdnn('fixtures/models/sdn-tiny')).network;
    g = await shippedGenerator('sdn-tiny, Linf');
  });
  afterAll(() => {
    net.dispose();
    g.store.dispose();
  });

  it('default settings at 5 steps: no input cheaper than G made it, many far costlier, all in the ball and range', async () => {
    const seeds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 24, 333);
    const start = generate(g, seeds, linf);
    const ticks: number[] = [];
    const out = refine(net, seeds, start, linf, { steps: 5, batchSize: 16 }, (done) => ticks.push(done));
    expect(ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const before = runBatched(net, start, linf.tau).flops;
    const after = runBatched(net, out, linf.tau).flops;
    after.forEach((f, i) => expect(f).toBeGreaterThanOrEqual(before[i]));
    // Measured: 2.4x the mean FLOPs of G's inputs; at least 1.5x.
    expect(mean(after)).toBeGreaterThan(1.5 * mean(before));
    out.images.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(Math.abs(v - seeds.images[i])).toBeLessThanOrEqual(0.1 + 1e-6);
    });
    expect(REFINE_DEFAULTS.steps).toBeGreaterThan(5);
  });
});

/** The one-gate model's FLOPs per 1x1 input. */
function flopsOf(images: Float32Array): number[] {
  const x = tf.tensor4d(images, [images.length, 1, 1, 1]);
  const { flops } = oneGateModel().run(x, 0.5);
  x.dispose();
  return Array.from(flops);
}

function mean(xs: ArrayLike<number>): number {
  return Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
}

async function shippedGenerator(suite: string): Promise<Generator> {
  const root = shippedGeneratorsDir();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const meta = JSON.parse(readFileSync(join(root, entry.name, 'model.json'), 'utf8')) as { metadata?: { info?: { suite?: string } } };
    if (meta.metadata?.info?.suite === suite) return (await loadGenerator(join(root, entry.name))).generator;
  }
  throw new Error(`no shipped generator for ${suite}`);
}
