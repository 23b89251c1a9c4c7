/**
 * Hand-built results for the reporter tests (not exported from index.ts).
 * Names are hostile on purpose: quotes, <, &, ]]>, a control character,
 * emoji and non-ASCII letters must survive every report.
 */
import type { Aggregates, MethodResult, RunResult, SuiteResult, TrainingRecord, ValidationPoint } from '../results/index.js';

export const HOSTILE_NAME = `SkipNet <smoke> & "double" 'single' ]]> \u0001bell 🚀 Übergröße`;
/** HOSTILE_NAME as a valid XML document can carry it: the control character removed. */
export const HOSTILE_NAME_XML = `SkipNet <smoke> & "double" 'single' ]]> bell 🚀 Übergröße`;
export const HOSTILE_FILE = `suites/skip "net"/a&b <c>.perf.yaml`;
export const XSS_SUITE = '<img src=x onerror=alert(1)>';
export const XSS_ASSERTION = 'p95 I-FLOPs < 80% <script>alert("x")</script>';

function agg(mean: number, max: number, min = 0, p50 = mean, p95 = max): Aggregates {
  return { mean, max, min, p50, p95 };
}

const LOSSES = { gan: 0.25, perf: 0.125, pert: 0, total: 0.375, discriminator: 0.5 };

/** A validation curve from [step, mean I-FLOPs, learning rate, gain]; 100 training inputs, batch 10, standard error 0.02. */
function curve(points: [number, number, number, boolean][]): ValidationPoint[] {
  return points.map(([step, iflops, learningRate, gain]) => ({ step, epoch: step / 10, iflops, standardError: 0.02, learningRate, losses: LOSSES, gain }));
}

function trainingRecord(points: ValidationPoint[], stopReason: TrainingRecord['stopReason'], durationMs: number): TrainingRecord {
  const best = points.reduce((a, b) => (b.iflops > a.iflops ? b : a));
  const last = points[points.length - 1]!;
  const at = (p: ValidationPoint) => ({ step: p.step, epoch: p.epoch, iflops: p.iflops, standardError: p.standardError });
  return {
    version: 1,
    curve: points,
    stopReason,
    converged: stopReason === 'early-stopped',
    best: at(best),
    last: at(last),
    steps: last.step,
    epochs: last.epoch,
    durationMs,
    trainInputs: 100,
    validationInputs: 1000,
    batchSize: 10,
    budget: { steps: 500, epochs: 100, stepsAllowed: 500 },
    validateEvery: 100,
    patience: 5,
    minDelta: 'standard-error',
  };
}

/**
 * Stopped at its 500-step budget: best 35% at step 300 (epoch 30), last 34.5%
 * at step 500 (epoch 50), learning rate lowered once.
 */
export const notConvergedRecord = trainingRecord(
  curve([
    [100, 0.1, 1e-3, true],
    [200, 0.3, 1e-3, true],
    [300, 0.35, 1e-3, true],
    [400, 0.34, 1e-3, false],
    [500, 0.345, 1e-4, false],
  ]),
  'budget-steps',
  65_000,
);

/** Early-stopped at step 80 (epoch 8): best 25% at step 30, learning rate 1e-3 -> 1e-4 -> 1e-5. */
export const convergedRecord = trainingRecord(
  curve([
    [10, 0.1, 1e-3, true],
    [20, 0.2, 1e-3, true],
    [30, 0.25, 1e-3, true],
    [40, 0.24, 1e-3, false],
    [50, 0.245, 1e-3, false],
    [60, 0.244, 1e-4, false],
    [70, 0.243, 1e-4, false],
    [80, 0.242, 1e-5, false],
  ]),
  'early-stopped',
  4_000,
);

const model: SuiteResult['model'] = {
  name: 'skipnet-tiny',
  arch: 'resnet8-gated',
  kind: 'skipping',
  baseFlops: 10e6,
  blocks: [
    { name: 'block1', flops: 9_437_184 },
    { name: 'block2', flops: 9_437_184 },
    { name: 'block3 <x>', flops: 4_718_592 },
    { name: 'block4', flops: 4_718_592 },
  ],
};

const config: SuiteResult['config'] = {
  dataset: 'fashion-mnist',
  split: 'test',
  seeds: 8,
  norm: 'linf',
  epsilon: 8 / 255,
  threshold: 0.5,
  seed: 42,
};

const deepperform: MethodResult = {
  method: 'deepperform',
  flops: [48e6],
  flopsStats: agg(48e6, 52e6),
  coverage: 1,
  blockActivation: [1, 1, 0.75, 0.5],
  accuracy: 0.5,
  iflops: [0.372],
  iflopsStats: agg(0.372, 0.95, 0.01, 0.3, 0.9),
  successCount: 7,
  successRate: 0.875,
  perturbationL2: agg(1.25, 1.5),
  perturbationLinf: agg(0.0314, 0.0314),
  generationMsPerInput: 0.42,
  fullDepthRate: 0.25,
  seedCount: 8,
};

const random: MethodResult = {
  method: 'random',
  flops: [35.3e6],
  flopsStats: agg(35.3e6, 40e6),
  coverage: 0.5,
  blockActivation: [1, 0.5, 0, 0.25],
  accuracy: 0.875,
  iflops: [0.01],
  iflopsStats: agg(0.01, 0.05),
  successCount: 1,
  successRate: 0.125,
  perturbationL2: agg(1.7, 1.8),
  perturbationLinf: agg(0.0314, 0.0314),
  generationMsPerInput: 0.01,
  fullDepthRate: 0,
  seedCount: 8,
};

export const failedSuite: SuiteResult = {
  file: HOSTILE_FILE,
  name: HOSTILE_NAME,
  status: 'failed',
  durationMs: 12_345.6789,
  model,
  config,
  seeds: {
    flops: [30e6, 40e6],
    flopsStats: agg(35e6, 40e6, 30e6),
    coverage: 0.5,
    blockActivation: [1, 0.5, 0, 0.25],
    accuracy: 0.9,
    fullDepthRate: 0.125,
  },
  methods: [deepperform, random],
  training: {
    loaded: false,
    source: 'trained',
    steps: 500,
    epochs: 5,
    durationMs: 65_000,
    bestValidationIflops: 0.35,
    finalLosses: { gan: 0.25, perf: 0.125, pert: 0, total: 0.375, discriminator: 0.5 },
    record: notConvergedRecord,
  },
  warnings: [{ kind: 'not-converged', message: 'the generator did not converge: training stopped at its step budget <500> & more' }],
  assertions: [
    { source: 'max I-FLOPs < 99%', level: 'error', status: 'passed', metric: 'max I-FLOPs', expected: '< 99%', value: 0.95, actual: '95.0%' },
    {
      source: 'mean I-FLOPs > 50%',
      level: 'error',
      status: 'failed',
      metric: 'mean I-FLOPs',
      expected: '> 50%',
      value: 0.372,
      actual: '37.2%',
      message: 'mean I-FLOPs of "deepperform" was 37.2% & not > 50%',
    },
    {
      source: 'mean I-energy < 5%',
      level: 'error',
      status: 'skipped',
      metric: 'mean I-energy',
      expected: '< 5%',
      value: null,
      actual: null,
      message: 'no power sensor <rapl> on this machine',
    },
    {
      source: 'block coverage > 0.9',
      level: 'warn',
      status: 'failed',
      metric: 'block coverage',
      expected: '> 0.9',
      value: 0.85,
      actual: '0.85',
      message: 'coverage below target',
    },
  ],
};

export const xssSuite: SuiteResult = {
  file: 'suites/xss.perf.yaml',
  name: XSS_SUITE,
  status: 'passed',
  durationMs: 1500,
  model: { ...model, blocks: [] },
  config: { ...config, norm: 'l2', epsilon: 0.5 },
  methods: [],
  assertions: [
    { source: XSS_ASSERTION, level: 'error', status: 'passed', metric: 'p95 I-FLOPs', expected: '< 80%', value: 0.5, actual: '50.0%' },
  ],
};

export const erroredSuite: SuiteResult = {
  file: 'suites/broken.perf.yaml',
  name: 'broken suite',
  status: 'error',
  durationMs: 250,
  model: { ...model, blocks: [] },
  config,
  methods: [],
  assertions: [],
  error: {
    message: 'Cannot read weights <w.bin> & \u0007retry',
    stack: 'Error: Cannot read weights\n    at load (src/adnn/load.ts:10:5)\n    at run (src/runner/run.ts:20:3)',
  },
};

export const run: RunResult = {
  startedAt: '2025-03-04T05:06:07.890Z',
  durationMs: 14_096.0004,
  environment: {
    toolVersion: '0.1.0',
    backend: 'wasm',
    node: 'v20.20.2',
    platform: 'linux-x64',
    cpu: 'Test CPU @ 2.0GHz',
    cpuCount: 2,
  },
  suites: [failedSuite, xssSuite, erroredSuite],
  status: 'failed',
};

/**
 * A worst-case row over deepperform and an ILFO run on the first 2 of 4
 * seeds: per seed the costlier input (seed 0 and 1 from ilfo, 2 and 3 from
 * deepperform, the only method that covers them).
 */
export const worstCaseSuite: SuiteResult = {
  file: 'suites/worst.perf.yaml',
  name: 'worst case',
  status: 'passed',
  durationMs: 900,
  model,
  config: { ...config, seeds: 4 },
  seeds: { flops: [10e6, 10e6, 20e6, 20e6], flopsStats: agg(15e6, 20e6, 10e6, 15e6, 20e6), coverage: 0.25, blockActivation: [0.5, 0, 0, 0], accuracy: 1, fullDepthRate: 0 },
  methods: [
    { ...deepperform, flops: [10e6, 20e6, 20e6, 38e6], iflops: [0, 1, 0, 0.9], iflopsStats: agg(0.475, 1, 0, 0.45, 0.985), fullDepthRate: 0.25, seedCount: 4 },
    { ...random, method: 'ilfo', flops: [38e6, 38e6], iflops: [2.8, 2.8], iflopsStats: agg(2.8, 2.8, 2.8, 2.8, 2.8), fullDepthRate: 1, seedCount: 2, generationMsPerInput: 300 },
    {
      ...deepperform,
      method: 'worst-case',
      flops: [38e6, 38e6, 20e6, 38e6],
      iflops: [2.8, 2.8, 0, 0.9],
      iflopsStats: agg(1.625, 2.8, 0, 1.85, 2.8),
      fullDepthRate: 0.75,
      seedCount: 4,
      generationMsPerInput: 150.42,
      sources: { perSeed: ['ilfo', 'ilfo', 'deepperform', 'deepperform'], counts: [{ method: 'deepperform', seeds: 2 }, { method: 'ilfo', seeds: 2 }] },
    },
  ],
  assertions: [
    { source: 'full-depth rate of worst-case < 80%', level: 'error', status: 'passed', metric: 'full-depth rate of worst-case', expected: '< 80%', value: 0.75, actual: '75.0%' },
  ],
};

// ---- HTML reporter fixtures: charts, sensitivity, latency and a 2x2 image grid ----

export const XSS_METHOD = '<svg onload=alert(2)>"m&m"';
export const QUOTES_SUITE = '"quotes" & ]]> ünïcödé';

/**
 * A suite with every optional part filled in: a method with a hostile name,
 * threshold sensitivity, latency, correlation and two 2x2 grey samples. The
 * pixel values avoid x.5 bytes so the PNG bytes can be worked out by hand:
 * seed 0 -> 0, 0.2 -> 51, 0.6 -> 153, 1 -> 255.
 */
export const chartSuite: SuiteResult = {
  file: 'suites/charts.perf.yaml',
  name: QUOTES_SUITE,
  status: 'passed',
  durationMs: 2500,
  model: { ...model, blocks: [...model.blocks] },
  config: { ...config, seeds: 4, seed: 7 },
  seeds: {
    flops: [20e6, 20e6, 30e6, 40e6],
    flopsStats: agg(27.5e6, 40e6, 20e6, 25e6, 40e6),
    coverage: 0.75,
    blockActivation: [1, 0.5, 0.25, 0],
    accuracy: 0.75,
    latencyMs: [1, 2, 3, 4],
    latencyStats: agg(2.5, 4, 1, 2.5, 4),
  },
  methods: [
    {
      ...deepperform,
      flops: [30e6, 40e6, 40e6, 40e6],
      flopsStats: agg(37.5e6, 40e6, 30e6, 40e6, 40e6),
      blockActivation: [1, 1, 0.75, 0.5],
      iflops: [0.5, 1, 0.25, 0],
      iflopsStats: agg(0.4375, 1, 0, 0.375, 1),
      successCount: 3,
      successRate: 0.75,
      latencyMs: [2, 3, 4, 5],
      latencyStats: agg(3.5, 5, 2, 3.5, 5),
      ilatency: [1, 0.5, 0.25, 0.25],
      ilatencyStats: agg(0.5, 1, 0.25, 0.375, 1),
    },
    { ...random, method: XSS_METHOD, flops: [20e6, 30e6, 30e6, 40e6], iflops: [0, 0.5, 0, 0], blockActivation: [1, 0.75, 0.5, 0.25] },
  ],
  sensitivity: [
    {
      method: 'deepperform',
      points: [
        { tau: 0.3, iflops: agg(0.1, 0.25), successRate: 0.25 },
        { tau: 0.5, iflops: agg(0.4375, 1), successRate: 0.75 },
        { tau: 0.7, iflops: agg(0.5, 1.5), successRate: 1 },
      ],
    },
    {
      method: XSS_METHOD,
      points: [
        { tau: 0.3, iflops: agg(0, 0), successRate: 0 },
        { tau: 0.5, iflops: agg(0.125, 0.5), successRate: 0.25 },
        { tau: 0.7, iflops: agg(0.25, 0.75), successRate: 0.5 },
      ],
    },
  ],
  correlation: { r: 0.875, n: 4 },
  unmeasured: { energy: 'no power sensor <rapl> here' },
  samples: {
    shape: [2, 2, 1],
    range: [0, 1],
    indices: [1, 3],
    seeds: [
      [0, 0.2, 0.6, 1],
      [1, 1, 1, 1],
    ],
    generated: [
      // sample 0: diff [0.4, 0, -0.2, 0], largest 0.4 -> bytes [255, 128, 64, 128]
      { method: 'deepperform', images: [[0.4, 0.2, 0.4, 1], [1, 1, 1, 1]] },
      { method: XSS_METHOD, images: [[0, 0.2, 0.6, 1], [0.6, 1, 1, 1]] },
    ],
  },
  training: {
    loaded: true,
    source: 'cache',
    steps: 0,
    epochs: 0,
    durationMs: 0,
    bestValidationIflops: 0.25,
    finalLosses: { gan: Number.NaN, perf: Number.NaN, pert: Number.NaN, total: Number.NaN, discriminator: Number.NaN },
    record: convergedRecord,
  },
  assertions: [
    { source: 'mean I-FLOPs < 50%', level: 'error', status: 'passed', metric: 'mean I-FLOPs', expected: '< 50%', value: 0.4375, actual: '43.8%' },
    { source: 'max I-FLOPs < 90%', level: 'warn', status: 'failed', metric: 'max I-FLOPs', expected: '< 90%', value: 1, actual: '100.0%' },
  ],
};

/** The browser test's run: a passed suite named like an XSS payload, the chart suite, a failed one. */
export const chartRun: RunResult = {
  ...run,
  suites: [{ ...chartSuite, name: XSS_SUITE, file: 'suites/xss-charts.perf.yaml' }, chartSuite, failedSuite],
  status: 'failed',
};
