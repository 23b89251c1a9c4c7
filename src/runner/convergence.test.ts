import { describe, expect, it } from 'vitest';
import type { TrainingRecord, ValidationPoint } from '../generator/index.js';
import { parseSuite, type Suite } from '../suite/index.js';
import { budgetWarning, convergenceOutcome, validationsSinceGain } from './convergence.js';
import type { TrainingSummary } from '../results/index.js';

function suite(train: string, extra = ''): Suite {
  return parseSuite(
    `name: s
model: { arch: sdn-tiny, weights: /w }
data: { dataset: fashion-mnist-embedded }
norm: linf
epsilon: 0.1
generator:
  preset: tiny
  train: ${train}
${extra}`,
    '/suites/s.perf.yaml',
  );
}

const LOSSES = { gan: 0, perf: 0, pert: 0, total: 0, discriminator: 0 };

function point(step: number, iflops: number, gain: boolean): ValidationPoint {
  return { step, epoch: step / 32, iflops, standardError: 0.02, learningRate: 1e-3, losses: LOSSES, gain };
}

function record(curve: ValidationPoint[], stopReason: TrainingRecord['stopReason']): TrainingRecord {
  const best = curve.reduce((a, b) => (b.iflops > a.iflops ? b : a));
  const last = curve[curve.length - 1];
  const pos = (p: ValidationPoint) => ({ step: p.step, epoch: p.epoch, iflops: p.iflops, standardError: p.standardError });
  return {
    version: 1,
    curve,
    stopReason,
    converged: stopReason === 'early-stopped',
    best: pos(best),
    last: pos(last),
    steps: last.step,
    epochs: last.epoch,
    durationMs: 1000,
    trainInputs: 1000,
    validationInputs: 1000,
    batchSize: 32,
    budget: { epochs: 3, stepsAllowed: 96 },
    validateEvery: 32,
    patience: 5,
    minDelta: 'standard-error',
  };
}

function summary(source: TrainingSummary['source'], r?: TrainingRecord): TrainingSummary {
  return { loaded: source !== 'trained', source, steps: 0, epochs: 0, durationMs: 0, bestValidationIflops: NaN, finalLosses: LOSSES, ...(r ? { record: r } : {}) };
}

describe('budgetWarning: can early stopping fire within the budget?', () => {
  it('warns when the epochs allow fewer validations than patience + 1', () => {
    // One validation per epoch: 3 epochs give 3 validations; patience 5 needs 6.
    const w = budgetWarning(suite('{ epochs: 3 }'), 1000);
    expect(w?.kind).toBe('early-stopping-budget');
    expect(w?.message).toMatch(/allow 3 validations, and early stopping needs patience \+ 1 = 6/);
    // 6 epochs: just enough.
    expect(budgetWarning(suite('{ epochs: 6 }'), 1000)).toBeUndefined();
  });

  it('counts a step cap against the epoch length of the actual training split', () => {
    // 1000 inputs, batch 32: 32 steps an epoch; a 120-step cap gives ceil(120 / 32) = 4 validations.
    expect(budgetWarning(suite('{ steps: 120 }'), 1000)?.message).toMatch(/^early stopping cannot fire within the training budget: 120 steps \(epochs 30, steps 120; 1000 training inputs, batch 32\) validated every 32 steps allow 4 validations/);
    // 200 inputs: 7 steps an epoch, ceil(120 / 7) = 18 validations.
    expect(budgetWarning(suite('{ steps: 120 }'), 200)).toBeUndefined();
  });

  it('counts validateEvery when given, and says nothing for a generator loaded from a file', () => {
    // 30 epochs of 32 steps = 960 steps, validated every 200: ceil(4.8) = 5 < 6.
    expect(budgetWarning(suite('{ validateEvery: 200 }'), 1000)?.message).toMatch(/allow 5 validations/);
    // generator.load: the budget does not apply.
    expect(budgetWarning(suite('{ epochs: 1 }', '  load: /g'), 1000)).toBeUndefined();
  });
});

describe('convergenceOutcome', () => {
  const FILE = 'suites/s.perf.yaml';
  const notConverged = record([point(32, 0.2, true), point(64, 0.25, true), point(96, 0.3, true)], 'budget-epochs');
  const converged = record([point(32, 0.2, true), ...[64, 96, 128, 160, 192].map((s) => point(s, 0.2, false))], 'early-stopped');

  it('warns when training ended at its budget, with where and how far it got', () => {
    const out = convergenceOutcome(suite('{}'), FILE, summary('trained', notConverged));
    expect(out.check).toBeUndefined();
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0].kind).toBe('not-converged');
    expect(out.warnings[0].message).toBe(
      'the generator did not converge: training stopped at its epoch budget at step 96 (epoch 3), while validation was still improving (the last validation was a gain); ' +
        'early stopping needs 5 validations without a gain. Best validation mean I-FLOPs 30.0% ± 2.0% at step 96 (epoch 3), last 30.0%. Raise generator.train.epochs (or the caps) to let it converge.',
    );
  });

  it('says nothing for a converged generator unless the check is asked for, which then passes', () => {
    expect(convergenceOutcome(suite('{}'), FILE, summary('cache', converged))).toEqual({ warnings: [] });
    const out = convergenceOutcome(suite('{ requireConverged: true }'), FILE, summary('cache', converged));
    expect(out.check).toMatchObject({ source: 'generator.train.requireConverged', level: 'error', status: 'passed', actual: 'early-stopped', value: 1 });
  });

  it('requireConverged: a failed check naming the suite file and the numbers, instead of the warning', () => {
    const out = convergenceOutcome(suite('{ requireConverged: true }'), FILE, summary('trained', notConverged));
    expect(out.warnings).toEqual([]);
    expect(out.check).toMatchObject({ status: 'failed', level: 'error', expected: 'early stopping fired', actual: 'stopped at its epoch budget', value: 0 });
    expect(out.check?.message).toMatch(/^suites\/s\.perf\.yaml: requireConverged is set and the generator did not converge: training stopped at its epoch budget at step 96 .* Best validation mean I-FLOPs 30\.0% ± 2\.0%/);
  });

  it('a loaded generator without a record: "training record not available", and a failed check when convergence is required', () => {
    const loose = convergenceOutcome(suite('{}'), FILE, summary('cache'));
    expect(loose.warnings.map((w) => w.kind)).toEqual(['no-training-record']);
    expect(loose.warnings[0].message).toMatch(/^training record not available: the generator was loaded from the cache/);
    const strict = convergenceOutcome(suite('{ requireConverged: true }'), FILE, summary('file'));
    expect(strict.check).toMatchObject({ status: 'failed', actual: 'no training record' });
    expect(strict.check?.message).toMatch(/^suites\/s\.perf\.yaml: requireConverged is set and training record not available: the generator was loaded from a file/);
  });

  it('counts the validations after the last gain', () => {
    expect(validationsSinceGain(notConverged)).toBe(0);
    expect(validationsSinceGain(converged)).toBe(5);
  });
});
