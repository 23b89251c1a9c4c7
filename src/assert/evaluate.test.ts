import { describe, expect, it } from 'vitest';
import { metricValue } from '../results/index.js';
import { evaluateAssertion, parseAssertion, parseStructuredAssertion, type MetricSource, type MetricValue } from './index.js';
import { handmadeResult } from '../results/test-fixtures.js';

const result = handmadeResult();
const SAVED_FILE = 'suites/s.perf.baseline.json';
/** The saved run: max I-FLOPs 83%, mean latency 10 ms, mean I-FLOPs 30%. */
const SAVED: Record<string, number> = { 'max I-FLOPs': 0.83, 'mean latency': 10, 'mean I-FLOPs': 0.3 };

const source: MetricSource = {
  value: (metric, aggregate, method) => metricValue(result, metric, aggregate, method),
  saved: (metric, aggregate): MetricValue => SAVED[`${aggregate} ${metric}`] ?? { unavailable: 'not saved' },
  savedFile: SAVED_FILE,
};
const check = (text: string, s: MetricSource = source) => evaluateAssertion(parseAssertion(text), s);

describe('evaluateAssertion: comparisons with another method of the run', () => {
  it('fails a factor comparison with the bound, both operands and their ratio', () => {
    // Bound 1.5 x 0.83 = 1.245; deepperform's 0.282 is 0.282 / 0.83 = 0.34x ilfo's.
    expect(check('mean I-FLOPs >= 1.5x ilfo')).toEqual({
      source: 'mean I-FLOPs >= 1.5x ilfo',
      level: 'error',
      status: 'failed',
      metric: 'mean I-FLOPs',
      expected: '>= 1.5x ilfo (124.5%)',
      value: 0.282,
      actual: '28.2%',
      comparison: { against: 'ilfo', reference: 0.83, factor: 1.5, offset: 0, bound: expect.closeTo(1.245, 12) },
      message:
        'expected mean I-FLOPs >= 1.5x ilfo (>= 124.5% = 1.5 x 83.0%), found 28.2% = 0.34x ilfo (deepperform 28.2%, ilfo 83.0%)',
    });
  });

  it('passes a baseline measured against deepperform', () => {
    // Random's 0.01 < 0.5 x 0.282 = 0.141.
    const r = check('mean I-FLOPs of random < 0.5x deepperform');
    expect([r.status, r.metric, r.expected, r.actual, r.message]).toEqual([
      'passed',
      'mean I-FLOPs of random',
      '< 0.5x deepperform (14.1%)',
      '1.0%',
      undefined,
    ]);
    expect(r.comparison?.bound).toBeCloseTo(0.141, 12);
  });

  it('adds an offset in the metric units and reports the difference', () => {
    // 0.83 + 0.10 = 0.93; 0.83 - 0.282 = 0.548.
    const r = check('mean I-FLOPs >= ilfo + 10%');
    expect(r.status).toBe('failed');
    expect(r.message).toBe(
      'expected mean I-FLOPs >= ilfo + 10% (>= 93.0% = 83.0% + 10.0%), found 28.2% = ilfo - 54.8% (deepperform 28.2%, ilfo 83.0%)',
    );
    // Coverage 0.9 >= 0.6 + 0.25 = 0.85, shown in the offset's unit (a bare number).
    const c = check('block coverage >= random + 0.25');
    expect([c.status, c.expected, c.actual]).toEqual(['passed', '>= random + 0.25 (0.850)', '0.900']);
  });

  it('shows FLOPs in K/M/G by size', () => {
    // Random's 2.5M > 1.2 x 2.0M = 2.4M.
    const r = check('mean FLOPs of random <= 1.2x deepperform');
    expect([r.status, r.expected, r.actual]).toEqual(['failed', '<= 1.2x deepperform (2.40M)', '2.50M']);
    expect(r.message).toBe(
      'expected mean FLOPs of random <= 1.2x deepperform (<= 2.40M = 1.2 x 2.00M), found 2.50M = 1.25x deepperform (random 2.50M, deepperform 2.00M)',
    );
  });

  it('shows enough digits to tell a near miss from the bound', () => {
    const near: MetricSource = { value: (_m, _a, method) => (method === 'ilfo' ? 0.83 : 1.2449) };
    // Bound 1.245; 1.2449 / 0.83 = 1.49988..., which two decimals would show as the factor itself.
    const r = check('mean I-FLOPs >= 1.5x ilfo', near);
    expect([r.status, r.actual]).toEqual(['failed', '124.49%']);
    expect(r.message).toContain('found 124.49% = 1.4999x ilfo');
  });

  it('is skipped when the other method has no value, saying which', () => {
    const r = check('mean latency <= 2x ilfo');
    expect([r.status, r.value, r.actual, r.message]).toEqual(['skipped', null, null, 'cannot compare with ilfo: latency was not measured']);
  });

  it('is skipped when its own value is unmeasurable', () => {
    const r = check('mean energy <= saved');
    expect([r.status, r.message]).toEqual(['skipped', 'no power sensor']);
  });

  it('evaluates the map form the same way', () => {
    const a = parseStructuredAssertion({ metric: 'mean I-FLOPs', op: '>=', against: 'ilfo', factor: 1.5 });
    expect(evaluateAssertion(a, source).message).toBe(check('mean I-FLOPs >= 1.5x ilfo').message);
  });
});

describe('evaluateAssertion: comparisons with the saved result', () => {
  it('fails with the saved value and the file it came from', () => {
    // 1.1 x 0.83 = 0.913 < 0.95; 0.95 / 0.83 = 1.1446.
    const r = check('max I-FLOPs <= 1.1x saved');
    expect(r.status).toBe('failed');
    expect(r.expected).toBe('<= 1.1x saved (91.3%)');
    expect(r.comparison).toEqual({ against: 'saved', reference: 0.83, factor: 1.1, offset: 0, bound: 1.1 * 0.83, file: SAVED_FILE });
    expect(r.message).toBe(
      `expected max I-FLOPs <= 1.1x saved (<= 91.3% = 1.1 x 83.0%), found 95.0% = 1.14x saved (deepperform 95.0%, saved 83.0% in ${SAVED_FILE})`,
    );
  });

  it('compares times with an offset in ms', () => {
    // 10 + 1 = 11 ms < 12 ms, which is saved + 2 ms.
    const r = check('mean latency <= saved + 1ms');
    expect(r.message).toBe(
      `expected mean latency <= saved + 1ms (<= 11.0ms = 10.0ms + 1.0ms), found 12.0ms = saved + 2.0ms (deepperform 12.0ms, saved 10.0ms in ${SAVED_FILE})`,
    );
    // 12 <= 1.25 x 10 = 12.5.
    expect(check('mean latency <= 1.25x saved').status).toBe('passed');
  });

  it('passes the equal value of "<= saved", without a message', () => {
    const same: MetricSource = { ...source, value: () => 0.3 };
    const r = check('mean I-FLOPs <= saved', same);
    expect([r.status, r.expected, r.actual, r.message]).toEqual(['passed', '<= saved (30.0%)', '30.0%', undefined]);
  });

  it('is skipped with the reason the saved value is missing, or failed when the lookup says so', () => {
    expect(check('p95 I-FLOPs <= saved')).toMatchObject({ status: 'skipped', value: null, message: 'not saved' });
    const ci: MetricSource = { ...source, saved: () => ({ unavailable: 'no saved result in CI', fail: true }) };
    expect(check('max I-FLOPs <= saved', ci)).toMatchObject({ status: 'failed', value: 0.95, actual: '95.0%', message: 'no saved result in CI' });
    const none: MetricSource = { value: source.value };
    expect(check('max I-FLOPs <= saved', none)).toMatchObject({ status: 'skipped', message: 'no saved result was read for this suite' });
  });
});
