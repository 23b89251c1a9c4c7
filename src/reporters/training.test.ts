import { describe, expect, it } from 'vitest';
import { chartSuite, failedSuite } from './test-fixtures.js';
import { formatRate, trainingLine } from './training.js';

describe('trainingLine', () => {
  it('a generator trained in this run that stopped at its budget', () => {
    expect(trainingLine(failedSuite)).toBe(
      'generator: trained in this run, 50 epochs (500 steps, 1m 05s), stopped at the step budget (not converged); ' +
        'validation I-FLOPs (1000 inputs) best 35.0% ± 2.0% at step 300 (epoch 30), last 34.5% ± 2.0% at step 500 (epoch 50); learning rate 1e-3 -> 1e-4',
    );
  });

  it('a cached generator reports the training its record describes', () => {
    expect(trainingLine(chartSuite)).toBe(
      'generator: loaded from the cache, trained 8 epochs (80 steps, 4.0s), early-stopped (converged); ' +
        'validation I-FLOPs (1000 inputs) best 25.0% ± 2.0% at step 30 (epoch 3), last 24.2% ± 2.0% at step 80 (epoch 8); learning rate 1e-3 -> 1e-5',
    );
  });

  it('a loaded generator without a record says so; a suite without a generator has no line', () => {
    const { record: _none, ...bare } = chartSuite.training!;
    expect(trainingLine({ training: { ...bare, source: 'file' } })).toBe('generator: loaded from a file; training record not available');
    expect(trainingLine({})).toBeUndefined();
  });

  it('formats learning rates as 1e-3', () => {
    expect([1e-3, 1e-4, 1e-5, 2.5e-4, 0, 0.1].map(formatRate)).toEqual(['1e-3', '1e-4', '1e-5', '2.5e-4', '0', '1e-1']);
  });
});
