import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { AdaptiveNetwork, Execution, ImageBatch } from '../adnn/index.js';
import { loadAdnn } from '../adnn/index.js';
import { curriculumTau, trainGenerator, type GeneratorTrainConfig } from './train.js';
import type { PerfLoss } from './losses.js';

const SIDE = 16;
const SIZE = SIDE * SIDE;

/**
 * A one-block skipping model whose gate is the mean brightness of the input:
 * p = mean(x); the block (10 FLOPs, base 100) runs iff p > tau. soft()
 * records the tau it is asked for, so the test sees what training passes.
 */
function brightnessGated(taus: (number | undefined)[]): AdaptiveNetwork {
  return {
    meta: {
      name: 'brightness',
      arch: 'test/brightness',
      kind: 'skipping',
      input: { height: SIDE, width: SIDE, channels: 1, range: [0, 1] },
      numClasses: 2,
      baseFlops: 100,
      blocks: [{ name: 'block0', flops: 10 }],
    },
    soft(x, tau) {
      taus.push(tau);
      return tf.tidy(() => {
        const p = tf.reshape(tf.mean(x, [1, 2, 3]), [-1, 1]) as tf.Tensor2D;
        return { p, logits: tf.concat([p, tf.sub(1, p)], 1) as tf.Tensor2D };
      });
    },
    run(x, tau): Execution {
      const m = tf.tidy(() => tf.mean(x, [1, 2, 3])).dataSync() as Float32Array;
      const ran = Uint8Array.from(m, (v) => (v > tau ? 1 : 0));
      return { predictions: new Int32Array(m.length), ran, flops: Float64Array.from(ran, (r) => 100 + 10 * r) };
    },
    trainingLoss: () => tf.scalar(0),
    trainableVariables: () => [],
    namedWeights: () => new Map(),
    dispose: () => undefined,
  };
}

/** Images of constant brightness `v` (gate p = v). */
function flat(values: number[]): ImageBatch {
  const images = new Float32Array(values.length * SIZE);
  values.forEach((v, i) => images.fill(v, i * SIZE, (i + 1) * SIZE));
  return { images, count: values.length };
}

const CONFIG: GeneratorTrainConfig = {
  steps: 4,
  batchSize: 4,
  learningRate: 1e-3,
  alpha: 1,
  beta: 0.001,
  gan: true,
  perfLoss: 'bce',
  width: 2,
  validateEvery: 2,
  patience: 10,
  seed: 7,
};

describe('trainGenerator', () => {
  const train = flat([0.1, 0.2, 0.3, 0.4, 0.15, 0.25]);
  const validation = flat([0.35, 0.45]);
  const attack = { norm: 'linf' as const, epsilon: 0.1, tau: 0.4 };

  it('asks the model for p at the suite threshold, and stops at the step budget', async () => {
    const taus: (number | undefined)[] = [];
    const out = await trainGenerator({ network: brightnessGated(taus), train, validation, attack, config: CONFIG });
    // One soft pass per training step (4 steps: too short to compile, tfjs); every one at tau 0.4.
    expect(taus).toEqual([0.4, 0.4, 0.4, 0.4]);
    expect(out.record.steps).toBe(4);
    // Validated at steps 2 and 4 (validateEvery 2).
    expect(out.record.curve.map((p) => p.step)).toEqual([2, 4]);
    expect(out.record.stopReason).toBe('budget-steps');
    expect(out.record.converged).toBe(false);
    out.generator.store.dispose();
  });

  it('validation I-FLOPs is Eq. 9 on the held-out inputs: 0 or +10% per input, with its standard error', async () => {
    const out = await trainGenerator({ network: brightnessGated([]), train, validation, attack, config: CONFIG });
    // Seeds: 0.35 skips (100 FLOPs), 0.45 runs (110). Within 0.1 the first
    // can be brightened past tau (110: +10%) and the second darkened below
    // it (100: -1/11); so each is 0 or +0.1, resp. 0 or -1/11. Mean and
    // standard error of two values a, b: (a + b) / 2 and |a - b| / 2.
    const pairs = [0, 0.1].flatMap((a) => [0, -1 / 11].map((b) => [a, b]));
    for (const p of out.record.curve) {
      const match = pairs.find(([a, b]) => Math.abs((a + b) / 2 - p.iflops) < 1e-9);
      expect(match, `mean ${p.iflops}`).toBeDefined();
      expect(p.standardError).toBeCloseTo(Math.abs(match![0] - match![1]) / 2, 9);
    }
    out.generator.store.dispose();
  });

  it('is deterministic for a seed, 0 included (tfjs reads seed 0 as none)', async () => {
    const weights = async (seed: number): Promise<number[]> => {
      const out = await trainGenerator({ network: brightnessGated([]), train, validation, attack, config: { ...CONFIG, seed } });
      const values = [...out.generator.store.named().values()].flatMap((v) => [...v.dataSync()]);
      out.generator.store.dispose();
      return values;
    };
    const [a, b, c] = [await weights(7), await weights(7), await weights(8)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(await weights(0)).toEqual(await weights(0));
  });

  it('stops early after `patience` validations without a gain when validation cannot improve', async () => {
    // Learning rate 0: G never changes, so every validation scores the same.
    // The first sets the reference, the next `patience` are no gains: 1 + 3 validations.
    const out = await trainGenerator({
      network: brightnessGated([]),
      train,
      validation,
      attack,
      config: { ...CONFIG, steps: 50, learningRate: 0, validateEvery: 1, patience: 3 },
    });
    const r = out.record;
    expect(r.stopReason).toBe('early-stopped');
    expect(r.converged).toBe(true);
    expect(r.steps).toBe(4);
    expect(r.curve.map((p) => p.gain)).toEqual([true, false, false, false]);
    expect(new Set(r.curve.map((p) => p.iflops)).size).toBe(1);
    // The best is the first validation; the last is the fourth.
    expect(r.best.step).toBe(1);
    expect(r.last.step).toBe(4);
    out.generator.store.dispose();
  });

  it('a tau curriculum moves the soft pass from `from` to the suite tau over its share of the budget', async () => {
    const taus: (number | undefined)[] = [];
    const config = { ...CONFIG, tauCurriculum: { from: 0.8, over: 0.5 } };
    const out = await trainGenerator({ network: brightnessGated(taus), train, validation, attack, config });
    // Steps 1-4 are at 0, 1/4, 1/2, 3/4 of the 4-step budget: 0.8, 0.6, then 0.4 held.
    expect(taus.map((t) => Number(t!.toFixed(9)))).toEqual([0.8, 0.6, 0.4, 0.4]);
    out.generator.store.dispose();
  });

  it("'scale' bound: the trained generator carries it", async () => {
    const out = await trainGenerator({ network: brightnessGated([]), train, validation, attack, config: { ...CONFIG, perturbationBound: 'scale' } });
    expect(out.generator.bound).toBe('scale');
    out.generator.store.dispose();
  });

  it("'auto' bound: resolved by the attack's norm (this attack is Linf: scale)", async () => {
    expect(attack.norm).toBe('linf');
    const out = await trainGenerator({ network: brightnessGated([]), train, validation, attack, config: { ...CONFIG, perturbationBound: 'auto' } });
    expect(out.generator.bound).toBe('scale');
    out.generator.store.dispose();
  });

  it('lowers the learning rate at the hand-computed validations when validation cannot improve', async () => {
    // Seeds at brightness 0 can never reach tau 0.4 within 0.1: I-FLOPs 0 at every validation.
    // Plateau x0.1 after 2 validations without a gain, floor 1e-5, patience 5:
    // v1 gain; v2, v3 none -> 1e-4 after v3; v4, v5 none -> 1e-5 after v5; v6: 5 without a gain -> stop.
    const out = await trainGenerator({
      network: brightnessGated([]),
      train,
      validation: flat([0, 0]),
      attack,
      config: { ...CONFIG, steps: 50, learningRate: 1e-3, validateEvery: 1, patience: 5, lrSchedule: { type: 'plateau', factor: 0.1, patience: 2, minLearningRate: 1e-5 } },
    });
    const rates = out.record.curve.map((p) => p.learningRate);
    [1e-3, 1e-3, 1e-3, 1e-4, 1e-4, 1e-5].forEach((r, i) => expect(rates[i]).toBeCloseTo(r, 12));
    expect(rates).toHaveLength(6);
    expect(out.record.stopReason).toBe('early-stopped');
    out.generator.store.dispose();
  });

  it('budgets in epochs: validates once per epoch by default and records epochs', async () => {
    // 6 training inputs, batch 4: an epoch is ceil(6 / 4) = 2 steps; 2 epochs allow ceil(2 * 6 / 4) = 3 steps.
    const out = await trainGenerator({
      network: brightnessGated([]),
      train,
      validation,
      attack,
      config: { ...CONFIG, steps: undefined, epochs: 2, validateEvery: undefined },
    });
    const r = out.record;
    expect(r.stopReason).toBe('budget-epochs');
    expect(r.steps).toBe(3);
    expect(r.epochs).toBeCloseTo((3 * 4) / 6, 12);
    expect(r.curve.map((p) => p.step)).toEqual([2, 3]);
    expect(r.curve.map((p) => p.epoch)).toEqual([(2 * 4) / 6, (3 * 4) / 6]);
    expect(r.validateEvery).toBe(2);
    out.generator.store.dispose();
  });

  it('refuses a config without any budget', async () => {
    await expect(
      trainGenerator({ network: brightnessGated([]), train, validation, attack, config: { ...CONFIG, steps: undefined } }),
    ).rejects.toThrow(/needs steps, epochs or minutes/);
  });
});

describe('curriculumTau', () => {
  it('anneals linearly over `over` (default half the budget), then holds', () => {
    expect(curriculumTau(0.5, undefined, 0)).toBe(0.5);
    expect(curriculumTau(0.5, { from: 0.9 }, 0)).toBeCloseTo(0.9, 12);
    expect(curriculumTau(0.5, { from: 0.9 }, 0.25)).toBeCloseTo(0.7, 12);
    expect(curriculumTau(0.5, { from: 0.9 }, 0.5)).toBeCloseTo(0.5, 12);
    expect(curriculumTau(0.5, { from: 0.9 }, 0.9)).toBeCloseTo(0.5, 12);
    expect(curriculumTau(0.5, { from: 0.9, over: 1 }, 0.25)).toBeCloseTo(0.8, 12);
  });
});

describe('every L_perf trains on a real early-exit model', () => {
  const losses: PerfLoss[] = ['mse', 'bce', 'flops-mse', 'masked-bce', 'hinge', 'log-hinge', 'uniform-ce', 'expected-cost', 'log-expected-cost'];
  it('two steps of each give finite losses (the tiny sdn, 8 embedded-size inputs)', async () => {
    const { network } = await loadAdnn('fixtures/models/sdn-tiny');
    const side = 28 * 28;
    const images = (n: number, seed: number) => {
      const t = tf.randomUniform([n * side], 0, 1, 'float32', seed);
      const data = t.dataSync() as Float32Array;
      t.dispose();
      return { images: data, count: n };
    };
    try {
      for (const perfLoss of losses) {
        const out = await trainGenerator({
          network,
          train: images(8, 1),
          validation: images(4, 2),
          attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 },
          config: { ...CONFIG, steps: 2, validateEvery: 2, gan: false, perfLoss },
        });
        const perf = out.record.curve[out.record.curve.length - 1].losses.perf;
        expect(Number.isFinite(perf), perfLoss).toBe(true);
        expect(perf, perfLoss).toBeGreaterThanOrEqual(0);
        out.generator.store.dispose();
      }
    } finally {
      network.dispose();
    }
  });
});

