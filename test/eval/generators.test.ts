import { describe, expect, it } from 'vitest';
import { generatorRow, generatorsSection, learningRates, sparkline, stopCell, stoppingRule } from '../../eval/lib/render-generators.mjs';

/** A validation point as the training record stores it. */
function point(step: number, iflops: number, gain: boolean, learningRate = 0.001) {
  return { step, epoch: step / 100, iflops, standardError: 0.02, learningRate, losses: {}, gain };
}

/** A record whose curve rose at steps 250 and 500, then stayed flat until early stopping. */
function record(overrides: Record<string, unknown> = {}) {
  const curve = [point(250, 0.2, true), point(500, 0.5, true), point(750, 0.49, false), point(1000, 0.5, false, 0.0001), point(1250, 0.48, false, 0.0001)];
  return {
    version: 1,
    curve,
    stopReason: 'early-stopped',
    converged: true,
    best: { step: 500, epoch: 5, iflops: 0.5, standardError: 0.02 },
    last: { step: 1250, epoch: 12.5, iflops: 0.48, standardError: 0.02 },
    steps: 1250,
    epochs: 12.5,
    durationMs: 90_000,
    trainInputs: 3200,
    validationInputs: 2000,
    batchSize: 32,
    budget: { epochs: 50, minutes: 15, stepsAllowed: 5000 },
    validateEvery: 250,
    patience: 3,
    minDelta: 'standard-error',
    ...overrides,
  };
}

describe('the generators section of RESULTS.md', () => {
  it('draws a curve from its lowest to its highest value', () => {
    // 0.1 -> bar 0, 0.9 -> bar 7; 0.5 is half way: round(3.5) = 4 (▅); 0.2: round(0.875) = 1 (▂).
    expect(sparkline([0.1, 0.2, 0.5, 0.9])).toBe('▁▂▅█');
    // A flat curve has no scale: the middle bar throughout.
    expect(sparkline([0.3, 0.3])).toBe('▄▄');
    expect(sparkline([])).toBe('');
    // 48 values into 24 characters: means of pairs, 0.5, 2.5, ..., 46.5, still a straight ramp.
    const ramp = sparkline(Array.from({ length: 48 }, (_, i) => i));
    expect(ramp).toHaveLength(24);
    expect(ramp[0]).toBe('▁');
    expect(ramp[23]).toBe('█');
  });

  it('says why training stopped, and for a budget stop whether the curve was still rising', () => {
    expect(stopCell(record())).toBe('early stopping (converged)');
    const capped = record({ stopReason: 'budget-minutes', converged: false });
    // The last gain (step 500) is not the last validation (1250).
    expect(stopCell(capped)).toBe('time cap: not converged, last gain at step 500');
    const rising = record({ stopReason: 'budget-minutes', converged: false, curve: [point(250, 0.2, true), point(500, 0.5, true)], last: { step: 500, epoch: 5, iflops: 0.5, standardError: 0.02 } });
    expect(stopCell(rising)).toBe('time cap: not converged, still improving');
    // The best validation was the last one, though within the gain threshold of the last gain.
    const best = { step: 750, epoch: 7.5, iflops: 0.51, standardError: 0.02 };
    const creeping = record({ stopReason: 'budget-steps', converged: false, curve: [point(500, 0.5, true), point(750, 0.51, false)], best, last: best });
    expect(stopCell(creeping)).toBe('step budget: not converged, still improving');
  });

  it('lists the learning rate and where the plateau schedule lowered it', () => {
    expect(learningRates(record().curve)).toBe('1e-3 → 1e-4 at 1000');
    expect(learningRates([point(1, 0.1, true), point(2, 0.2, true)])).toBe('1e-3');
  });

  it('states the early-stopping rule the record was trained under', () => {
    expect(stoppingRule(record())).toBe("3 validations in a row without a rise of more than the last gain's standard error");
    expect(stoppingRule(record({ minDelta: 0.015 }))).toBe('3 validations in a row without a rise of more than 1.5 points');
  });

  it('makes one row per generator from its record: steps, time, best and last with their standard errors', () => {
    const row = generatorRow(['sdn-tiny', 'Linf', 'light, seed 0'], { record: record() });
    expect(row).toEqual([
      'sdn-tiny',
      'Linf',
      'light, seed 0',
      '1250 (12.50 ep)',
      '1.5 min',
      '2000',
      '50.0% ± 2.0 (step 500)',
      '48.0% ± 2.0 (step 1250)',
      '1e-3 → 1e-4 at 1000',
      'early stopping (converged)',
      // 0.2 ▁, 0.5 █, 0.49: round(7 * 0.29 / 0.3) = round(6.77) = 7 █, 0.48: round(6.53) = 7 █.
      '▁████ 20%–50%',
    ]);
    expect(generatorRow(['x'], { loaded: true })).toBeUndefined();
  });

  it('counts the converged generators and compares the full generator step cost from the records', () => {
    const light = { training: { record: record() } };
    // Full: 10 steps in 60 s = 6 s per step; light: 1250 steps in 90 s = 0.072 s; 1250 light steps at 6 s = 7500 s = 2.1 h.
    const full = { training: { record: record({ steps: 10, durationMs: 60_000, converged: false, stopReason: 'budget-steps' }) } };
    const results = {
      mode: 'full',
      plan: { trainingSeeds: [0], seed: 2022 },
      sections: {
        light: { data: { suites: { 'sdn-tiny, Linf, light generator': light } } },
        full: { data: { suites: { 'sdn-tiny, Linf, full generator': full } } },
      },
    };
    const md = generatorsSection(results);
    expect(md).toContain('| sdn-tiny | Linf | light, seed 0 | 1250 (12.50 ep) |');
    expect(md).toContain('| sdn-tiny | Linf | full | 10 (12.50 ep) |');
    expect(md).toContain('1 of 2 generators converged');
    expect(md).toContain("its steps took 6.00 s each in these records (validation included), the light generator's 0.072 s, so the light generators' mean of 1250 steps would take it 2.1 h per model and norm.");
  });

  it('says the section is not measured when no suite carries a record', () => {
    expect(generatorsSection({ mode: 'full', plan: {}, sections: {} })).toContain('_Not measured yet: run `npm run eval -- --only=4`._');
  });
});
