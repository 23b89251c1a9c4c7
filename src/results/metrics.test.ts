import { describe, expect, it } from 'vitest';
import { metricValue, pickAggregate, readMetric, type MetricValue } from './metric-value.js';
import { AGGREGATES, METRICS, REPORTED_METRICS, metricByName, type Aggregate, type MeasuredSuite, type MetricDef } from './metrics.js';
import type { DetectorSectionResult, RetrainSectionResult } from './mitigation.js';
import type { Aggregates, InputSetMeasurement, MethodResult } from './result.js';
import { handmadeResult } from './test-fixtures.js';

/** A sample whose aggregates are base + 0.01 (min), .02 (p50), .03 (mean), .04 (p95), .05 (max): each tells which was read. */
function sample(base: number): Aggregates {
  return { min: base + 0.01, p50: base + 0.02, mean: base + 0.03, p95: base + 0.04, max: base + 0.05 };
}
const OFFSET: Record<Aggregate, number> = { min: 0.01, p50: 0.02, mean: 0.03, p95: 0.04, max: 0.05 };

const seeds: InputSetMeasurement = {
  flops: [1, 2],
  flopsStats: sample(200),
  coverage: 0.61,
  blockActivation: [],
  fullDepthRate: 0.62,
  accuracy: 0.63,
  latencyMs: [1, 2],
  latencyStats: sample(210),
  energyJ: [1, 2],
  energyStats: sample(220),
};

const deepperform: MethodResult = {
  method: 'deepperform',
  flops: [3, 4],
  flopsStats: sample(100),
  coverage: 0.71,
  blockActivation: [],
  fullDepthRate: 0.72,
  accuracy: 0.73,
  latencyStats: sample(110),
  energyStats: sample(120),
  iflops: [0.5, 1],
  iflopsStats: sample(130),
  successCount: 7,
  successRate: 0.74,
  perturbationL2: sample(140),
  perturbationLinf: sample(150),
  generationMsPerInput: 0.75,
  ilatencyStats: sample(160),
  ienergyStats: sample(170),
};

/** Every number measured: training, latency, energy, correlation, both §6 remedies (only the fields the metrics read). */
const full: MeasuredSuite = {
  seeds,
  methods: [deepperform],
  durationMs: 9000,
  training: { durationMs: 8000 } as MeasuredSuite['training'],
  correlation: { r: 0.81, n: 2 },
  mitigation: {
    detector: { auc: 0.91, overheadFlopsPct: 2.5, latencyMs: 0.93 } as DetectorSectionResult,
    retrain: { after: { meanIFlops: 0.94, maxIFlops: 0.95, accuracy: 0.96 } } as RetrainSectionResult,
  },
};

/**
 * Each metric's value on `full`, worked out by hand from the numbers above:
 * a per-input metric by its sample's base (the aggregate adds its OFFSET).
 */
const EXPECTED: Record<string, number | { base: number } | Partial<Record<Aggregate, number>>> = {
  'I-FLOPs': { base: 130 },
  FLOPs: { base: 100 },
  'seed FLOPs': { base: 200 },
  'block coverage': 0.71,
  'seed block coverage': 0.61,
  'full-depth rate': 0.72,
  'seed full-depth rate': 0.62,
  'success rate': 0.74,
  'success number': 7,
  accuracy: 0.73,
  'seed accuracy': 0.63,
  'perturbation L2': { base: 140 },
  'perturbation Linf': { base: 150 },
  'generation time': 0.75,
  latency: { base: 110 },
  'seed latency': { base: 210 },
  'I-latency': { base: 160 },
  energy: { base: 120 },
  'seed energy': { base: 220 },
  'I-energy': { base: 170 },
  'training time': 8000,
  'total time': 9000,
  'FLOPs-latency correlation': 0.81,
  'detector AUC': 0.91,
  // overheadFlopsPct is a percentage; the metric is a fraction: 2.5% = 0.025.
  'detector overhead': 0.025,
  'detector latency': 0.93,
  // Kept only as mean and max.
  'retrained I-FLOPs': { mean: 0.94, max: 0.95 },
  'retrained accuracy': 0.96,
};

function aggregatesOf(def: MetricDef): (Aggregate | undefined)[] {
  return def.shape === 'scalar' ? [undefined] : [...(def.aggregates ?? AGGREGATES)];
}

describe('the metric registry', () => {
  it('has an expected value for every registered metric, and no other', () => {
    expect(REPORTED_METRICS.map((m) => m.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('reads every metric, with every aggregate it allows, as the hand-worked number on a fully measured result', () => {
    for (const def of REPORTED_METRICS) {
      for (const aggregate of aggregatesOf(def)) {
        const value = pickAggregate(def, readMetric(def, full, deepperform), aggregate);
        const want = EXPECTED[def.name]!;
        const expected = typeof want === 'number' ? want : 'base' in want ? want.base + OFFSET[aggregate!] : want[aggregate!];
        expect(value, `${aggregate ?? ''} ${def.name}`).toBeCloseTo(expected ?? Number.NaN, 10);
      }
    }
  });

  it('states why where a metric is not measured, and reads every other one on a result without the optional measurements', () => {
    // handmadeResult: no training, correlation, energy, mitigation or full-depth rate; latency only for deepperform.
    const result = handmadeResult();
    const notMeasured: Record<string, string> = {
      'training time': 'no generator was trained',
      'full-depth rate': 'the full-depth rate was not measured in this result',
      'seed full-depth rate': 'the full-depth rate was not measured in this result',
      'seed latency': 'latency was not measured',
      'FLOPs-latency correlation': 'latency was not measured',
      energy: 'no power sensor',
      'seed energy': 'no power sensor',
      'I-energy': 'no power sensor',
      'I-latency': 'latency was not measured',
      'detector AUC': 'the suite has no mitigation.detector section',
      'detector overhead': 'the suite has no mitigation.detector section',
      'detector latency': 'the suite has no mitigation.detector section',
      'retrained I-FLOPs': 'the suite has no mitigation.retrain section',
      'retrained accuracy': 'the suite has no mitigation.retrain section',
    };
    for (const def of METRICS) {
      const value: MetricValue = metricValue(result, def.name, aggregatesOf(def)[0], 'deepperform');
      const why = notMeasured[def.name];
      if (why === undefined) expect(Number.isFinite(value), def.name).toBe(true);
      else expect(value, def.name).toEqual({ unavailable: why });
    }
  });

  it('keeps report-only metrics out of the grammar, the API and saved results', () => {
    expect(METRICS.map((m) => m.name)).not.toContain('seed FLOPs');
    expect(metricByName('seed FLOPs')).toBeUndefined();
    expect(metricByName('SEED block COVERAGE')?.name).toBe('seed block coverage');
  });
});

describe('metricValue', () => {
  it('fails a NaN with where it came from: a seed that cost 0 FLOPs divides I-FLOPs (Eq. 9) by zero', () => {
    const result = handmadeResult();
    result.seeds!.flops = [0, 5, 0];
    result.methods[0]!.iflopsStats.mean = Number.NaN;
    expect(metricValue(result, 'I-FLOPs', 'mean', 'deepperform')).toEqual({
      unavailable: "mean I-FLOPs is NaN: 2 of 3 seeds cost 0 FLOPs, and I-FLOPs (Eq. 9) divides by a seed's FLOPs",
      fail: true,
    });
    result.methods[1]!.coverage = Number.POSITIVE_INFINITY;
    expect(metricValue(result, 'block coverage', undefined, 'random')).toEqual({
      unavailable: 'block coverage of random is infinite: the measurement produced no finite number',
      fail: true,
    });
  });

  it('fails every metric of a method whose inputs cannot be measured, and names the methods that ran for one that did not', () => {
    const result = handmadeResult();
    result.methods[2]!.unusable = 'its inputs hold NaN pixels';
    expect(metricValue(result, 'accuracy', undefined, 'ilfo')).toEqual({ unavailable: 'accuracy of ilfo cannot be trusted: its inputs hold NaN pixels', fail: true });
    expect(metricValue(result, 'accuracy', undefined, 'deepsloth')).toEqual({ unavailable: 'method "deepsloth" did not run in this suite (ran: deepperform, random, ilfo)' });
    // Seeds and suite metrics do not depend on the method.
    expect(metricValue(result, 'seed accuracy', undefined, 'deepsloth')).toBe(0.75);
  });

  it('says which aggregates a metric keeps when asked for another, and that a per-input metric needs one', () => {
    const retrain = { after: { meanIFlops: 0.5, maxIFlops: 0.9, accuracy: 0.8 } } as RetrainSectionResult;
    const result = { ...handmadeResult(), mitigation: { retrain } };
    expect(metricValue(result, 'retrained I-FLOPs', 'p50', 'deepperform')).toEqual({ unavailable: '"retrained I-FLOPs" keeps mean and max' });
    expect(metricValue(result, 'retrained I-FLOPs', 'max', 'deepperform')).toBe(0.9);
    expect(metricValue(result, 'FLOPs', undefined, 'deepperform')).toEqual({ unavailable: '"FLOPs" needs an aggregate' });
  });
});
