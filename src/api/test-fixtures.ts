import type { AssertionResult, MethodResult, SuiteResult } from '../results/index.js';

/**
 * A hand-made SuiteResult for unit tests of the API and the matchers: every
 * number is written out, so tests compare against values a reader can check.
 */
export function handmadeSuite(overrides: Partial<SuiteResult> = {}): SuiteResult {
  return {
    file: 'suites/tiny.perf.yaml',
    name: 'tiny',
    status: 'failed',
    durationMs: 1234,
    model: { name: 'sdn-tiny', arch: 'sdn-tiny', kind: 'early-exit', baseFlops: 1000, blocks: [{ name: 'b1', flops: 500 }, { name: 'b2', flops: 500 }] },
    config: { dataset: 'fashion-mnist-embedded', split: 'test', seeds: 4, norm: 'linf', epsilon: 0.1, threshold: 0.5, seed: 1 },
    seeds: {
      flops: [1000, 1000, 1500, 2000],
      flopsStats: { mean: 1375, max: 2000, min: 1000, p50: 1250, p95: 1925 },
      coverage: 0.5,
      blockActivation: [0.5, 0.25],
      accuracy: 0.75,
    },
    methods: [
      method('deepperform', { mean: 0.25, max: 1.5, min: 0, p50: 0.1, p95: 1.2 }, { coverage: 1, successRate: 0.5, successCount: 2, accuracy: 0.5 }),
      method('random', { mean: 0.02, max: 0.5, min: 0, p50: 0, p95: 0.4 }, { coverage: 0.5, successRate: 0.25, successCount: 1, accuracy: 0.75 }),
    ],
    unmeasured: { energy: 'no power sensor can be read here' },
    assertions: [
      assertion('mean I-FLOPs < 20%', 'mean I-FLOPs', '< 20%', 0.25, '25.0%', 'failed'),
      assertion('block coverage > 0.9', 'block coverage', '> 0.9', 0.75, '0.750', 'failed'),
      assertion('seed accuracy > 0.7', 'seed accuracy', '> 0.7', 0.75, '0.750', 'passed'),
      { ...assertion('max I-FLOPs < 100%', 'max I-FLOPs', '< 100%', 1.5, '150.0%', 'failed'), level: 'warn' },
      { source: 'mean energy < 1', level: 'error', status: 'skipped', metric: 'mean energy', expected: '< 1', value: null, actual: null, message: 'no power sensor can be read here' },
    ],
    ...overrides,
  };
}

function method(name: string, iflopsStats: MethodResult['iflopsStats'], rest: Pick<MethodResult, 'coverage' | 'successRate' | 'successCount' | 'accuracy'>): MethodResult {
  return {
    method: name,
    flops: [],
    flopsStats: { mean: 1500, max: 2500, min: 1000, p50: 1500, p95: 2400 },
    blockActivation: [],
    iflops: [],
    iflopsStats,
    perturbationL2: { mean: 2, max: 2.5, min: 1.5, p50: 2, p95: 2.4 },
    perturbationLinf: { mean: 0.1, max: 0.1, min: 0.1, p50: 0.1, p95: 0.1 },
    generationMsPerInput: 4,
    ...rest,
  };
}

/** An assertion result with the runner's default message for a failure. */
export function assertion(source: string, metric: string, expected: string, value: number, actual: string, status: 'passed' | 'failed'): AssertionResult {
  const base: AssertionResult = { source, level: 'error', status, metric, expected, value, actual };
  return status === 'failed' ? { ...base, message: `expected ${metric} ${expected}, found ${actual}` } : base;
}
