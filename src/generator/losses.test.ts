import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../engine/index.js';
import { blocksRun, type AdnnKind } from '../adnn/index.js';
import {
  discriminatorLoss,
  generatorGanLoss,
  perfLoss,
  perfLossPerInput,
  pertLoss,
  reached,
  totalLoss,
  type PerfInputs,
  type PerfLoss,
} from './losses.js';

// The cpu backend with the project's gradient functions registered (the tests differentiate).
beforeAll(() => initBackend({ backend: 'cpu', env: {} }));

/**
 * Two inputs, two blocks. As an early-exit model at tau 0.5 (an exit lets the
 * input through iff p > 0.5): input 0 leaves at exit 0 (p0 = 0.2), so exit 1
 * (p1 = 0.7) is never reached; input 1 passes exit 0 (p0 = 0.6) and leaves at
 * exit 1 (p1 = 0.3). Base 100 FLOPs, blocks 100 and 200 (total 400).
 */
const P = [
  [0.2, 0.7],
  [0.6, 0.3],
];

function inputs(kind: AdnnKind, tau = 0.5, extra: Partial<PerfInputs> = {}): PerfInputs {
  return { kind, p: tf.tensor2d(P), tau, baseFlops: 100, blockFlops: [100, 200], ...extra };
}

const perInput = (kind: PerfLoss, i: PerfInputs, margin = 0.1) => Array.from(perfLossPerInput(kind, i, { margin }).dataSync());
const batch = (kind: PerfLoss, i: PerfInputs, margin = 0.1) => perfLoss(kind, i, { margin }).dataSync()[0];

describe('L_perf forms (Eq. 6), by hand', () => {
  it('mse, bce and flops-mse keep their meaning: every block, unmasked', () => {
    // mse: row 0 (0.64 + 0.09) / 2, row 1 (0.16 + 0.49) / 2.
    expect(batch('mse', inputs('early-exit'))).toBeCloseTo((0.365 + 0.325) / 2, 6);
    // bce: -(log 0.2 + log 0.7) / 2 and -(log 0.6 + log 0.3) / 2.
    expect(perInput('bce', inputs('early-exit'))[0]).toBeCloseTo(0.983056, 5);
    expect(perInput('bce', inputs('early-exit'))[1]).toBeCloseTo(0.857399, 5);
    // flops-mse: shares 1/3, 2/3: row 0 0.64/3 + 0.09*2/3 = 0.273333; row 1 0.16/3 + 0.49*2/3 = 0.38.
    expect(batch('flops-mse', inputs('early-exit'))).toBeCloseTo((0.273333 + 0.38) / 2, 5);
  });

  it('masked-bce: no term from the exit input 0 never reached', () => {
    // Row 0: -log 0.2 / 2 = 0.804719 (exit 1 masked); row 1 as bce.
    const v = perInput('masked-bce', inputs('early-exit'));
    expect(v[0]).toBeCloseTo(0.804719, 5);
    expect(v[1]).toBeCloseTo(0.857399, 5);
    // Skipping models evaluate every gate: nothing is masked, it is bce.
    expect(perInput('masked-bce', inputs('skipping'))[0]).toBeCloseTo(0.983056, 5);
  });

  it('masked-bce: the unreached exit gets no gradient, the reached ones do', () => {
    const g = tf.grad((p: tf.Tensor) => perfLoss('masked-bce', { ...inputs('early-exit'), p: p as tf.Tensor2D }, { margin: 0 }))(tf.tensor2d(P));
    const d = g.dataSync();
    expect(d[1]).toBe(0);
    // d/dp0 of -log(p0) / 2 / 2 (per-exit mean, batch mean) = -1 / (4 * 0.2).
    expect(d[0]).toBeCloseTo(-1.25, 5);
    expect(d[3]).toBeCloseTo(-1 / (4 * 0.3), 5);
  });

  it('hinge: relu(target + margin - p) on reached exits, zero once past', () => {
    // tau 0.5, margin 0.1: an exit must reach p >= 0.6 (confidence <= 0.4).
    // Row 0: 0.4 on exit 0, exit 1 masked -> 0.2. Row 1: exit 0 at 0.6 is done, exit 1 0.3 -> 0.15.
    expect(perInput('hinge', inputs('early-exit'))).toEqual([0.2, 0.15].map((v) => expect.closeTo(v, 6)));
    // tau 0.3: exits let p > 0.7 through, so neither input reaches exit 1; target 0.7 + 0.1.
    expect(perInput('hinge', inputs('early-exit', 0.3))).toEqual([0.3, 0.1].map((v) => expect.closeTo(v, 6)));
    // Skipping at tau 0.3: gates run iff p > 0.3, target 0.4 on both gates:
    // row 0 relu(0.2) + relu(-0.3) -> 0.1; row 1 relu(-0.2) + relu(0.1) -> 0.05.
    expect(perInput('hinge', inputs('skipping', 0.3))).toEqual([0.1, 0.05].map((v) => expect.closeTo(v, 6)));
  });

  it('log-hinge: the hinge on log p', () => {
    // Row 0: log(0.6 / 0.2) / 2; row 1: log(0.6 / 0.3) / 2.
    expect(perInput('log-hinge', inputs('early-exit'))).toEqual([Math.log(3) / 2, Math.log(2) / 2].map((v) => expect.closeTo(v, 5)));
  });

  it("uniform-ce: DeepSloth's cross-entropy to uniform on the internal exits, the final one ignored", () => {
    const exitLogits = [
      tf.tensor2d([[0, 0], [Math.log(3), 0]]),
      tf.tensor2d([[Math.log(3), 0], [Math.log(7), 0]]),
      tf.tensor2d([[100, 0], [0, 100]]),
    ];
    // CE to uniform of softmax (1/2, 1/2): log 2; of (3/4, 1/4): -(log 0.75 + log 0.25) / 2 = 0.836988;
    // of (7/8, 1/8): -(log 0.875 + log 0.125) / 2 = 1.106486. Mean over the two internal exits.
    const v = perInput('uniform-ce', inputs('early-exit', 0.5, { exitLogits }));
    expect(v[0]).toBeCloseTo((Math.LN2 + 0.836988) / 2, 5);
    expect(v[1]).toBeCloseTo((0.836988 + 1.106486) / 2, 5);
    // Without exit logits (skipping models): bce on p.
    expect(perInput('uniform-ce', inputs('skipping'))[0]).toBeCloseTo(0.983056, 5);
  });

  it('expected-cost: 1 - (base + sum_i FLOPs_i P(block i runs)) / total', () => {
    // Early exit: P(run) = (0.2, 0.2 * 0.7) -> 100 + 20 + 28 = 148 of 400; (0.6, 0.18) -> 196 of 400.
    expect(perInput('expected-cost', inputs('early-exit'))).toEqual([1 - 148 / 400, 1 - 196 / 400].map((v) => expect.closeTo(v, 6)));
    // Skipping: P(run) = p -> 100 + 20 + 140 = 260; 100 + 60 + 60 = 220.
    expect(batch('expected-cost', inputs('skipping'))).toBeCloseTo((1 - 260 / 400 + 1 - 220 / 400) / 2, 6);
  });

  it('log-expected-cost: -log of the expected share of the gateable FLOPs', () => {
    // Gains 48 / 300 and 96 / 300.
    expect(perInput('log-expected-cost', inputs('early-exit'))).toEqual([-Math.log(0.16), -Math.log(0.32)].map((v) => expect.closeTo(v, 5)));
  });
});

describe('reached(): the exits an input got to, as the model decides', () => {
  it('agrees with blocksRun (exit i is reached iff block i - 1 ran) on random p and tau', () => {
    for (let trial = 0; trial < 10; trial++) {
      const p = tf.randomUniform([16, 4], 0, 1, 'float32', trial);
      const tau = 0.2 + 0.06 * trial;
      const rows = p.arraySync() as number[][];
      const mask = reached({ kind: 'early-exit', p, tau }).arraySync();
      rows.forEach((row, b) => {
        const ran = blocksRun('early-exit', row, tau);
        expect(mask[b]).toEqual([1, ...ran.slice(0, -1).map(Number)]);
      });
    }
  });

  it('a p exactly at the threshold does not let the input through (strict, as the model)', () => {
    // tau 0.25: an exit lets p > 0.75 through; 0.75 and 0.25 are exact in float32.
    const mask = reached({ kind: 'early-exit', p: tf.tensor2d([[0.75, 0.9, 0.9], [0.76, 0.75, 0.9]]), tau: 0.25 }).arraySync();
    expect(mask).toEqual([
      [1, 0, 0],
      [1, 1, 0],
    ]);
    expect(blocksRun('early-exit', [0.75, 0.9, 0.9], 0.25)).toEqual([false, false, false]);
  });
});

describe('losses of Eq. 7-8, by hand', () => {
  it('L_pert hinges on the norm above epsilon', () => {
    const delta = tf.tensor4d([0.3, -0.1, 0.05, 0.02], [2, 1, 2, 1]);
    // Linf norms 0.3 and 0.05; eps 0.1 -> (0.2 + 0) / 2
    expect(pertLoss(delta as tf.Tensor4D, 'linf', 0.1).dataSync()[0]).toBeCloseTo(0.1, 6);
    // L2 norms sqrt(0.1) and sqrt(0.0029); eps 0.1 -> (0.316228 - 0.1 + 0) / 2
    expect(pertLoss(delta as tf.Tensor4D, 'l2', 0.1).dataSync()[0]).toBeCloseTo((Math.sqrt(0.1) - 0.1) / 2, 6);
  });

  it('least-squares GAN losses', () => {
    const real = tf.tensor1d([1, 0.5]);
    const fake = tf.tensor1d([0, 0.5]);
    // 0.5 * (mean(0, 0.25) + mean(0, 0.25))
    expect(discriminatorLoss(real, fake).dataSync()[0]).toBeCloseTo(0.125, 6);
    expect(generatorGanLoss(fake).dataSync()[0]).toBeCloseTo((1 + 0.25) / 2, 6);
  });

  it('Eq. 8 total, with and without the GAN term', () => {
    const parts = { gan: tf.scalar(2), perf: tf.scalar(3), pert: tf.scalar(5) };
    expect(totalLoss(parts, { alpha: 1, beta: 0.001, gan: true }).dataSync()[0]).toBeCloseTo(5.005, 6);
    expect(totalLoss(parts, { alpha: 2, beta: 0.1, gan: false }).dataSync()[0]).toBeCloseTo(6.5, 6);
  });
});
