import { describe, expect, test } from 'vitest';
import { MetricArgumentError, MetricUnavailableError, PerfResult, PerfRun, UnknownMetricError } from './index.js';
import { handmadeSuite } from './test-fixtures.js';
import type { RunResult } from '../results/index.js';

describe('PerfResult', () => {
  const r = new PerfResult(handmadeSuite());

  test('per-input metrics by aggregate, for deepperform unless a method is named', () => {
    expect(r.metric('I-FLOPs', 'max')).toBe(1.5);
    expect(r.metric('I-FLOPs', 'mean')).toBe(0.25);
    expect(r.metric('i-flops', 'p95')).toBe(1.2);
    expect(r.metric('I-FLOPs', 'mean', 'random')).toBe(0.02);
    expect(r.metric('perturbation L2', 'max')).toBe(2.5);
  });

  test('per-set, seed and suite metrics take no aggregate', () => {
    expect(r.metric('block coverage')).toBe(1);
    expect(r.metric('block coverage', undefined, 'random')).toBe(0.5);
    expect(r.metric('success number')).toBe(2);
    expect(r.metric('seed accuracy')).toBe(0.75);
    expect(r.metric('seed block coverage')).toBe(0.5);
    expect(r.metric('total time')).toBe(1234);
  });

  test('an unknown metric throws, listing the known ones', () => {
    const thrown = catchError(() => r.metric('IFLOPs', 'max'));
    expect(thrown).toBeInstanceOf(UnknownMetricError);
    expect(thrown.message).toMatch(/^unknown metric "IFLOPs"; known metrics: I-FLOPs, FLOPs, block coverage, seed block coverage, full-depth rate, seed full-depth rate, success rate, /);
  });

  test('a metric asked for in the wrong shape says how to ask', () => {
    expect(() => r.metric('I-FLOPs')).toThrowError(
      new MetricArgumentError("I-FLOPs has one value per input: name an aggregate (mean, max, min, p50, p95), e.g. metric('I-FLOPs', 'max')"),
    );
    expect(() => r.metric('accuracy', 'max')).toThrowError("accuracy has one value per input set and takes no aggregate: metric('accuracy')");
    expect(() => r.metric('seed accuracy', undefined, 'random')).toThrowError('seed accuracy describes the seed inputs and takes no method');
    expect(() => r.metric('I-FLOPs', 'rate' as 'max')).toThrowError('unknown aggregate "rate" for I-FLOPs; use one of mean, max, min, p50, p95');
  });

  test('a metric this suite has no value for throws with the reason', () => {
    const energy = catchError(() => r.metric('energy', 'mean'));
    expect(energy).toBeInstanceOf(MetricUnavailableError);
    expect(energy.message).toBe('mean energy is not available: no power sensor can be read here');
    expect(() => r.metric('I-FLOPs', 'max', 'ilfo')).toThrowError(
      'max I-FLOPs of ilfo is not available: method "ilfo" did not run in this suite (ran: deepperform, random)',
    );
    expect(() => r.metric('training time')).toThrowError('training time is not available: no generator was trained');
  });

  test('a crashed suite has no metrics', () => {
    const crashed = new PerfResult(handmadeSuite({ status: 'error', methods: [], error: { message: 'out of memory' } }));
    expect(() => crashed.metric('block coverage')).toThrowError('block coverage is not available: the suite crashed: out of memory');
    expect(crashed.passed).toBe(false);
  });

  test('assertions split into failed (error level) and warnings', () => {
    expect(r.passed).toBe(false);
    expect(r.assertions).toHaveLength(5);
    expect(r.failedAssertions.map((a) => a.source)).toEqual(['mean I-FLOPs < 20%', 'block coverage > 0.9']);
    expect(r.warnings.map((a) => a.source)).toEqual(['max I-FLOPs < 100%']);
    expect(new PerfResult(handmadeSuite({ status: 'passed' })).passed).toBe(true);
  });
});

describe('PerfRun', () => {
  const raw: RunResult = {
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 10,
    environment: { toolVersion: '0.1.0', backend: 'cpu', node: 'v20', platform: 'linux', cpu: 'x', cpuCount: 2 },
    suites: [handmadeSuite({ status: 'passed' }), handmadeSuite({ name: 'other', file: 'suites/other.perf.yaml' })],
    status: 'failed',
  };
  const run = new PerfRun(raw);

  test('finds suites by name or file and passes only when every suite does', () => {
    expect(run.suite('other').file).toBe('suites/other.perf.yaml');
    expect(run.suite('suites/tiny.perf.yaml').name).toBe('tiny');
    expect(run.passed).toBe(false);
    expect(() => run.suite('nope')).toThrowError('no suite named "nope" in this run; suites: "tiny" (suites/tiny.perf.yaml), "other" (suites/other.perf.yaml)');
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}
