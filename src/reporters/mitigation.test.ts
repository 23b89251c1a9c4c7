import { describe, expect, it } from 'vitest';
import type { SuiteResult } from '../results/index.js';
import { metricValue } from '../results/index.js';
import { mitigationSection } from './html/mitigation.js';
import { extraLines } from './metrics.js';
import { mitigationProperties } from './mitigation.js';
import { failedSuite } from './test-fixtures.js';

const detector = {
  auc: 0.98765,
  accuracy: 0.955,
  trainAccuracy: 0.99,
  overheadFlops: 12_544,
  overheadFlopsPct: 1.0723,
  standaloneFlops: 125_440,
  latencyMs: 0.023,
  standaloneLatencyMs: 0.14,
  meanSeedFlops: 1_169_800,
  featureDim: 6272,
  trainSeeds: 1000,
  testSeeds: 500,
  svmEpochs: 12,
  svmConverged: true,
};
const retrain = {
  before: { meanIFlops: 0.282, maxIFlops: 3.587, accuracy: 0.837 },
  after: { meanIFlops: 0.051, maxIFlops: 1.2, accuracy: 0.801 },
  sameInputs: { meanIFlops: 0.02, maxIFlops: 0.9 },
  epochs: 3,
  trainSeeds: 2000,
  seconds: 95.5,
  retrainSeconds: 40,
  generatorSeconds: 50,
  settings: { epochs: 3, trainSeeds: 2000, flopsWeight: 4, learningRate: 5e-4, batchSize: 64, seed: 1 },
  history: [],
};
const suite: SuiteResult = { ...failedSuite, mitigation: { detector, retrain } };

describe('mitigation in the reports', () => {
  it('console lines carry the detector and the before/after numbers', () => {
    const lines = extraLines(suite).filter((l) => /detector|retraining/.test(l));
    expect(lines).toEqual([
      'detector (linear SVM on the first layer, 1000 training / 500 test seeds, each with its generated input): AUC 0.9877, accuracy 95.5%, +12.5K FLOPs per input (1.07% of the mean seed FLOPs), 0.02 ms per input',
      'retraining (Eq. 12, 3 epochs on 2000 seeds): I-FLOPs mean 28.2% -> 5.1%, max 358.7% -> 120.0% (generator retrained against the new model); test accuracy 83.7% -> 80.1%',
    ]);
    expect(extraLines(failedSuite).some((l) => /detector|retraining/.test(l))).toBe(false);
  });

  it('JUnit properties and the HTML table hold the same numbers', () => {
    const props = new Map(mitigationProperties(suite));
    expect(props.get('mitigation.detector.auc')).toBe(0.98765);
    expect(props.get('mitigation.retrain.after.iflops.mean')).toBe(0.051);
    expect(props.get('mitigation.retrain.before.accuracy')).toBe(0.837);
    const page = mitigationSection(suite);
    expect(page).toContain('<td class="num" data-value="0.051">5.1%</td>');
    expect(page).toContain('0.9877');
    expect(mitigationSection(failedSuite)).toBe('');
  });

  it('assertions read the mitigation metrics; a suite without the section says why', () => {
    expect(metricValue(suite, 'detector AUC', undefined, 'deepperform')).toBe(0.98765);
    // overheadFlopsPct is a percentage; the metric is a fraction, as every ratio.
    expect(metricValue(suite, 'detector overhead', undefined, 'deepperform')).toBeCloseTo(0.010723, 9);
    expect(metricValue(suite, 'retrained I-FLOPs', 'max', 'deepperform')).toBe(1.2);
    expect(metricValue(suite, 'retrained accuracy', undefined, 'deepperform')).toBe(0.801);
    expect(metricValue(suite, 'retrained I-FLOPs', 'p95', 'deepperform')).toEqual({ unavailable: '"retrained I-FLOPs" keeps mean and max' });
    expect(metricValue(failedSuite, 'detector AUC', undefined, 'deepperform')).toEqual({ unavailable: 'the suite has no mitigation.detector section' });
  });
});
