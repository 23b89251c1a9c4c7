import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn, runBatched, type AdaptiveNetwork } from '../adnn/index.js';
import { loadDataset, takeSeeded, type Dataset } from '../data/index.js';
import { initBackend } from '../engine/index.js';
import { ilfo } from './ilfo.js';
import { fitToBudget, ilfoPaperCode, ilfoPaperCodeDelta, ilfoPaperCodeLoss, ILFO_PAPER_CODE_DEFAULTS } from './ilfo-paper-code.js';
import { oneGateModel } from './one-gate.fixture.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('ilfoPaperCodeLoss', () => {
  it('is (lambda * sum relu(target - p) + ||delta||, not squared) / 200 (hand-computed)', () => {
    // p = (0.2, 0.7), target 0.5: hinge 0.3; lambda 10 -> 3. delta = (0.3, -0.4): L2 0.5, Linf 0.4.
    const p = tf.tensor2d([[0.2, 0.7]]);
    const delta = tf.tensor4d([0.3, -0.4], [1, 1, 2, 1]);
    const l2 = ilfoPaperCodeLoss(p, delta, 0.5, 10, 'l2');
    const linf = ilfoPaperCodeLoss(p, delta, 0.5, 10, 'linf');
    expect(l2.dataSync()[0]).toBeCloseTo(3.5 / 200, 7);
    expect(linf.dataSync()[0]).toBeCloseTo(3.4 / 200, 7);
    tf.dispose([p, delta, l2, linf]);
  });
});

describe('ilfo-paper-code on the one-gate model (p = sigmoid(10 (x - 0.5)))', () => {
  const opts = { ...ILFO_PAPER_CODE_DEFAULTS, lambda: 80, learningRate: 0.01 };

  it('steps by the sum of every gradient so far (no reset): two SGD steps by hand', () => {
    // Seed x = 0.5, tau 0.9 (target 0.9). Step 1, delta 0: p = 0.5, dp/dx = 10 * 0.25 = 2.5, the
    //   norm's gradient at 0 is 0: g1 = -80 * 2.5 / 200 = -1; sum -1; delta_1 = 0 + 0.01 * 1 = 0.01.
    // Step 2, x + delta = 0.51: p = sigmoid(0.1) = 0.5249792, dp/dx = 10 p (1 - p) = 2.4937604;
    //   g2 = (-80 * 2.4937604 + 1) / 200 = -0.9925042; sum -1.9925042;
    //   delta_2 = 0.01 + 0.01 * 1.9925042 = 0.0299250 (reset each step, as torch with zero_grad: 0.0199250).
    for (const norm of ['l2', 'linf'] as const) {
      const x = tf.tensor4d([0.5], [1, 1, 1, 1]);
      const one = ilfoPaperCodeDelta(oneGateModel(), x, { norm, epsilon: 0.1, tau: 0.9 }, { ...opts, iterations: 1 });
      const two = ilfoPaperCodeDelta(oneGateModel(), x, { norm, epsilon: 0.1, tau: 0.9 }, { ...opts, iterations: 2 });
      expect(one.dataSync()[0]).toBeCloseTo(0.01, 6);
      expect(two.dataSync()[0]).toBeCloseTo(0.029925, 5);
      tf.dispose([x, one, two]);
    }
  });

  it('under Linf moves every pixel by exactly +epsilon, even where the optimisation left delta at 0', () => {
    // tau 0.1: p = 0.5 already clears the target, the hinge is 0 and the norm's gradient at 0 is 0,
    // so delta stays 0; their clamp(delta, eps, eps) still gives +0.1: 0.5 -> 0.6, 0.95 -> 1 (range).
    const seeds = { images: new Float32Array([0.5, 0.95]), count: 2 };
    const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.1 };
    const out = ilfoPaperCode(oneGateModel(), seeds, attack, 0, { iterations: 3 });
    expect(out.images[0]).toBeCloseTo(0.6, 6);
    expect(out.images[1]).toBe(1);
    // The published ILFO keeps the unperturbed seed: its best iterate is delta = 0.
    const published = ilfo(oneGateModel(), seeds, attack, 0, { iterations: 3 });
    expect(Array.from(published.images)).toEqual(Array.from(seeds.images));
  });
});

describe('fitToBudget (their fit of delta to the budget)', () => {
  it('L2: rescales delta to norm exactly epsilon, up as well as down; a zero delta stays zero', () => {
    // delta (0.03, -0.04) has norm 0.05; eps 0.1 doubles it: (0.06, -0.08); x 0.5 -> (0.56, 0.42).
    // The published projection leaves a delta inside the ball as it is: (0.53, 0.46).
    const x = tf.tensor4d([0.5, 0.5, 0.5, 0.5], [2, 1, 2, 1]);
    const delta = tf.tensor4d([0.03, -0.04, 0, 0], [2, 1, 2, 1]);
    const out = fitToBudget(x, delta, 'l2', 0.1, [0, 1]);
    const v = Array.from(out.dataSync());
    [0.56, 0.42, 0.5, 0.5].forEach((want, i) => expect(v[i]).toBeCloseTo(want, 6));
    tf.dispose([x, delta, out]);
  });

  it('Linf: +epsilon on every pixel whatever delta was, then the input range', () => {
    const x = tf.tensor4d([0.2, 0.2, 0.2, 0.95], [1, 2, 2, 1]);
    const delta = tf.tensor4d([-5, 0, 0.03, 2], [1, 2, 2, 1]);
    const out = fitToBudget(x, delta, 'linf', 0.1, [0, 1]);
    const v = Array.from(out.dataSync());
    [0.3, 0.3, 0.3, 1].forEach((want, i) => expect(v[i]).toBeCloseTo(want, 6));
    tf.dispose([x, delta, out]);
  });
});

describe('ilfo-paper-code options', () => {
  it('rejects unknown options and the published ILFO options it does not take', () => {
    const seeds = { images: new Float32Array(1), count: 1 };
    const attack = { norm: 'l2' as const, epsilon: 1, tau: 0.5 };
    expect(() => ilfoPaperCode(oneGateModel(), seeds, attack, 0, { optimizer: 'adam' })).toThrow('ilfo-paper-code: unknown option "optimizer"');
    expect(() => ilfoPaperCode(oneGateModel(), seeds, attack, 0, { lambda: 'auto' })).toThrow('option "lambda" must be a number > 0');
  });
});

describe('ilfo-paper-code on the trained sdn-tiny', () => {
  let net: AdaptiveNetwork;
  let seeds: Dataset;
  beforeAll(async () => {
    net = (await loadAdnn('fixtures/models/sdn-tiny')).network;
    seeds = takeSeeded(await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' }), 8, 0);
  });
  afterAll(() => net.dispose());

  it('gives finite inputs in the L2 ball of radius epsilon (on its surface unless the range clamps)', () => {
    const out = ilfoPaperCode(net, seeds, { norm: 'l2', epsilon: 2, tau: 0.5 }, 0, { iterations: 5 });
    const size = out.images.length / out.count;
    for (let i = 0; i < out.count; i++) {
      let sq = 0;
      for (let k = i * size; k < (i + 1) * size; k++) {
        expect(Number.isFinite(out.images[k])).toBe(true);
        sq += (out.images[k] - seeds.images[k]) ** 2;
      }
      expect(Math.sqrt(sq)).toBeLessThanOrEqual(2 + 1e-4);
    }
    expect(runBatched(net, out, 0.5).flops.length).toBe(8);
  });
});
