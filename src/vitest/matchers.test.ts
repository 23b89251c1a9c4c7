import { describe, expect, test } from 'vitest';
import './index.js';
import { PerfResult, PerfRun } from '../api/index.js';
import { assertion, handmadeSuite } from '../api/test-fixtures.js';
import type { RunResult } from '../results/index.js';

const failing = new PerfResult(handmadeSuite());
const passing = new PerfResult(
  handmadeSuite({
    status: 'passed',
    assertions: [
      assertion('mean I-FLOPs < 50%', 'mean I-FLOPs', '< 50%', 0.25, '25.0%', 'passed'),
      assertion('seed accuracy > 0.7', 'seed accuracy', '> 0.7', 0.75, '0.750', 'passed'),
      { ...assertion('max I-FLOPs < 100%', 'max I-FLOPs', '< 100%', 1.5, '150.0%', 'failed'), level: 'warn' },
    ],
  }),
);

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the matcher did not fail');
}

describe('toPassAssertions', () => {
  test('passes a passing suite, and lists every assertion that did not pass when one failed', () => {
    expect(passing).toPassAssertions();
    expect(messageOf(() => expect(failing).toPassAssertions())).toBe(
      [
        'expected suite "tiny" (suites/tiny.perf.yaml) to pass its assertions, but 2 of 5 failed:',
        '  ✗ mean I-FLOPs < 20%: expected < 20%, found 25.0%',
        '  ✗ block coverage > 0.9: expected > 0.9, found 0.750',
        '  ! max I-FLOPs < 100% (warning): expected < 100%, found 150.0%',
        '  - mean energy < 1 (skipped): no power sensor can be read here',
      ].join('\n'),
    );
  });

  test('shows an assertion message that says more than expected/found (a baseline comparison)', () => {
    const vsBaseline = new PerfResult(
      handmadeSuite({
        assertions: [
          { ...assertion('mean I-FLOPs >= 1.5x ilfo', 'mean I-FLOPs', '>= 1.5x ilfo', 0.25, '25.0%', 'failed'), message: 'ilfo mean I-FLOPs 83.0% x 1.5 = 124.5%' },
        ],
      }),
    );
    expect(messageOf(() => expect(vsBaseline).toPassAssertions())).toBe(
      [
        'expected suite "tiny" (suites/tiny.perf.yaml) to pass its assertions, but 1 of 1 failed:',
        '  ✗ mean I-FLOPs >= 1.5x ilfo: expected >= 1.5x ilfo, found 25.0%',
        '      ilfo mean I-FLOPs 83.0% x 1.5 = 124.5%',
      ].join('\n'),
    );
  });

  test('a crashed suite fails with its error', () => {
    const crashed = handmadeSuite({ status: 'error', methods: [], assertions: [], error: { message: 'out of memory' } });
    expect(messageOf(() => expect(crashed).toPassAssertions())).toBe(
      'expected suite "tiny" (suites/tiny.perf.yaml) to pass its assertions, but it crashed: out of memory',
    );
  });

  test('.not says what passed', () => {
    expect(failing).not.toPassAssertions();
    expect(messageOf(() => expect(passing).not.toPassAssertions())).toBe(
      'expected suite "tiny" (suites/tiny.perf.yaml) not to pass its assertions, but it did (3 assertions: 2 passed, 1 warned)',
    );
  });

  test('a run passes when every suite does, and lists the suites that did not', () => {
    const raw: RunResult = {
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 10,
      environment: { toolVersion: '0.1.0', backend: 'cpu', node: 'v20', platform: 'linux', cpu: 'x', cpuCount: 2 },
      suites: [passing.raw, handmadeSuite({ name: 'b', file: 'b.perf.yaml', status: 'error', error: { message: 'boom' } })],
      status: 'failed',
    };
    expect(messageOf(() => expect(new PerfRun(raw)).toPassAssertions())).toBe(
      ['expected 2 suites to pass their assertions, but 1 did not:', 'expected suite "b" (b.perf.yaml) to pass its assertions, but it crashed: boom'].join('\n'),
    );
    expect(new PerfRun({ ...raw, suites: [passing.raw, passing.raw] })).toPassAssertions();
  });

  test('anything else is a usage error', () => {
    expect(messageOf(() => expect({ status: 'passed' }).toPassAssertions())).toBe(
      'toPassAssertions() expects the result of runSuite() or runSuites() (or a SuiteResult / RunResult), got an object that is neither',
    );
  });
});

describe('toHaveIFlopsBelow', () => {
  test('max I-FLOPs of deepperform by default; aggregate and method can be chosen', () => {
    expect(failing).toHaveIFlopsBelow(1.6);
    expect(failing).toHaveIFlopsBelow(0.03, { aggregate: 'mean', method: 'random' });
    expect(messageOf(() => expect(failing).toHaveIFlopsBelow(1))).toBe(
      'expected max I-FLOPs in suite "tiny" (suites/tiny.perf.yaml) to be below 1 (100.0%), found 1.5 (150.0%)',
    );
    expect(messageOf(() => expect(failing).toHaveIFlopsBelow(0.01, { aggregate: 'mean', method: 'random' }))).toBe(
      'expected mean I-FLOPs of random in suite "tiny" (suites/tiny.perf.yaml) to be below 0.01 (1.0%), found 0.02 (2.0%)',
    );
  });

  test('below is strict, and .not reads the other way', () => {
    expect(failing).not.toHaveIFlopsBelow(1.5);
    expect(messageOf(() => expect(failing).not.toHaveIFlopsBelow(2))).toBe(
      'expected max I-FLOPs in suite "tiny" (suites/tiny.perf.yaml) not to be below 2 (200.0%), found 1.5 (150.0%)',
    );
  });

  test('a method that did not run is an error, not a pass', () => {
    expect(messageOf(() => expect(failing).toHaveIFlopsBelow(1, { method: 'ilfo' }))).toBe(
      'max I-FLOPs of ilfo is not available: method "ilfo" did not run in this suite (ran: deepperform, random)',
    );
  });
});

describe('toSlowDownAtMost', () => {
  test('the worst input costs 1 + max I-FLOPs times its seed', () => {
    expect(failing).toSlowDownAtMost(2.5);
    expect(failing).toSlowDownAtMost(1.5, { method: 'random' });
    expect(messageOf(() => expect(failing).toSlowDownAtMost(2))).toBe(
      `expected every input made by deepperform in suite "tiny" (suites/tiny.perf.yaml) to cost at most 2x its seed's FLOPs, but the worst costs 2.50x (max I-FLOPs 150.0%)`,
    );
  });

  test('.not expects some input to cost more', () => {
    expect(failing).not.toSlowDownAtMost(2);
    expect(messageOf(() => expect(failing).not.toSlowDownAtMost(3))).toBe(
      `expected some input made by deepperform in suite "tiny" (suites/tiny.perf.yaml) to cost more than 3x its seed's FLOPs, but the worst costs 2.50x (max I-FLOPs 150.0%)`,
    );
  });

  test('needs a finite number and one suite', () => {
    expect(messageOf(() => expect(failing).toSlowDownAtMost(Number.NaN))).toBe('toSlowDownAtMost() needs a finite number, got NaN');
    const run = { suites: [failing.raw, failing.raw] };
    expect(messageOf(() => expect(run).toSlowDownAtMost(2))).toBe('toSlowDownAtMost() reads one suite, got a run of 2; pick one with run.suite(name)');
  });
});
