/**
 * Random and edge-case results for the reporters' property test (not
 * exported from index.ts): every shape the runner can produce, and some it
 * should not but a merged or hand-edited report blob could: NaN and
 * infinite numbers, empty lists, missing optional fields, zero seeds,
 * skipped and failed assertions, crashed suites, and hostile strings
 * (control characters, ANSI escapes, markup, lone surrogates, bidi
 * overrides, forged summary lines, very long names).
 */
import { type Aggregates, type AssertionResult, type InputSetMeasurement, type MethodResult, type RunResult, STOP_REASONS, type SuiteResult, type TrainingRecord } from '../results/index.js';
import { mulberry32 } from '../util/random.js';

export const HOSTILE_STRINGS = [
  '',
  ' ',
  'plain',
  'a\nb',
  '\n Result     PASSED',
  '\r\x1b[2K\x1b[32m✓ fake',
  '\x1b]0;title\x07',
  '\x9b31m',
  '\u0000\u0001\u0008\u000b\u000c\u007f',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  ']]><!--',
  '&amp; &lt; &#0; &#xD800;',
  `"quotes" 'single' \`back\``,
  '\uD800 lone high, \uDC00 lone low',
  '\uFFFE\uFFFF',
  '\u202eevil\u202c \u2066iso\u2069',
  '\u2028line\u2029para',
  '🚀 Übergröße 日本語',
  '</style></script></svg>',
  'x'.repeat(3000),
];

const NUMBERS = [0, -0, 1, -1, 0.5, 1e-300, -1e-300, 1e300, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2, NaN, Infinity, -Infinity];

export class ResultGen {
  private readonly rand: () => number;

  constructor(seed: number) {
    this.rand = mulberry32(seed);
  }

  chance(p: number): boolean {
    return this.rand() < p;
  }

  int(max: number): number {
    return Math.floor(this.rand() * (max + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }

  /** An edge value half the time, else an ordinary one of either sign and any scale. */
  num(): number {
    if (this.chance(0.5)) return this.pick(NUMBERS);
    return (this.rand() - 0.3) * 10 ** this.int(9);
  }

  /** A fraction, now and then outside [0, 1] or not a number. */
  frac(): number {
    return this.chance(0.8) ? this.rand() : this.num();
  }

  str(): string {
    if (this.chance(0.3)) return `name ${this.int(99)}`;
    const parts = Array.from({ length: 1 + this.int(2) }, () => this.pick(HOSTILE_STRINGS));
    return parts.join('');
  }

  list<T>(max: number, make: () => T): T[] {
    return Array.from({ length: this.int(max) }, make);
  }

  /** Runner-shaped aggregates, or all NaN as for an empty sample. */
  agg(): Aggregates {
    if (this.chance(0.15)) return { mean: NaN, max: NaN, min: NaN, p50: NaN, p95: NaN };
    return { mean: this.num(), max: this.num(), min: this.num(), p50: this.num(), p95: this.num() };
  }

  measurement(blocks: number, seeds: number): InputSetMeasurement {
    const m: InputSetMeasurement = {
      flops: Array.from({ length: seeds }, () => this.num()),
      flopsStats: this.agg(),
      coverage: this.frac(),
      blockActivation: Array.from({ length: this.chance(0.9) ? blocks : this.int(6) }, () => this.frac()),
      accuracy: this.frac(),
    };
    if (this.chance(0.7)) m.fullDepthRate = this.frac();
    if (this.chance(0.3)) {
      m.latencyMs = Array.from({ length: this.int(seeds) }, () => this.num());
      m.latencyStats = this.agg();
    }
    if (this.chance(0.2)) {
      m.energyJ = this.list(3, () => this.num());
      m.energyStats = this.agg();
    }
    return m;
  }

  method(blocks: number, seeds: number): MethodResult {
    const m: MethodResult = {
      ...this.measurement(blocks, seeds),
      method: this.chance(0.5) ? this.pick(['deepperform', 'deepperform-refine', 'random', 'ilfo', 'ilfo-paper-code', 'deepsloth', 'worst-case']) : this.str(),
      iflops: Array.from({ length: seeds }, () => this.num()),
      iflopsStats: this.agg(),
      successCount: this.int(seeds),
      successRate: this.frac(),
      perturbationL2: this.agg(),
      perturbationLinf: this.agg(),
      generationMsPerInput: this.num(),
    };
    if (this.chance(0.3)) m.generationCached = true;
    if (this.chance(0.3)) m.seedCount = this.pick([0, 1, seeds, seeds + 2]);
    if (this.chance(0.3)) {
      const perSeed = Array.from({ length: seeds }, () => (this.chance(0.5) ? this.pick(['deepperform', 'ilfo']) : this.str()));
      m.sources = { perSeed, counts: this.list(3, () => ({ method: this.str(), seeds: this.int(seeds + 1) })) };
    }
    if (m.latencyStats && this.chance(0.7)) {
      m.ilatency = this.list(3, () => this.num());
      m.ilatencyStats = this.agg();
    }
    if (m.energyStats && this.chance(0.7)) {
      m.ienergy = this.list(3, () => this.num());
      m.ienergyStats = this.agg();
    }
    return m;
  }

  assertion(): AssertionResult {
    const status = this.pick(['passed', 'failed', 'skipped'] as const);
    const measured = status !== 'skipped';
    const a: AssertionResult = {
      source: this.str(),
      level: this.pick(['error', 'warn'] as const),
      status,
      metric: this.str(),
      expected: this.str(),
      value: measured ? this.num() : null,
      actual: measured ? this.str() : null,
    };
    if (this.chance(0.6)) a.message = this.str();
    if (measured && this.chance(0.3)) {
      a.comparison = { against: this.str(), reference: this.num(), factor: this.num(), offset: this.num(), bound: this.num() };
      if (this.chance(0.5)) a.comparison.file = this.str();
    }
    return a;
  }

  suite(): SuiteResult {
    const blocks = this.int(5);
    const seeds = this.pick([0, 1, 3]);
    const status = this.pick(['passed', 'failed', 'error'] as const);
    const s: SuiteResult = {
      file: this.str(),
      name: this.str(),
      status,
      durationMs: this.num(),
      model: {
        name: this.str(),
        arch: this.str(),
        kind: this.pick(['skipping', 'early-exit'] as const),
        baseFlops: this.num(),
        blocks: Array.from({ length: blocks }, () => ({ name: this.str(), flops: this.num() })),
      },
      config: {
        dataset: this.str(),
        split: this.str(),
        seeds,
        norm: this.pick(['linf', 'l2'] as const),
        epsilon: this.num(),
        threshold: this.num(),
        seed: this.pick([0, 1, 2 ** 31]),
      },
      methods: status === 'error' && this.chance(0.7) ? [] : this.list(3, () => this.method(blocks, seeds)),
      assertions: status === 'error' && this.chance(0.7) ? [] : this.list(4, () => this.assertion()),
    };
    // A module's meta without arch, as main d6f6aa3 let through.
    if (this.chance(0.1)) delete (s.model as Partial<SuiteResult['model']>).arch;
    if (status === 'error') s.error = this.chance(0.8) ? { message: this.str(), stack: this.chance(0.5) ? `Error: x\n    at ${this.str()}` : undefined } : { message: this.str() };
    if (status !== 'error' || this.chance(0.3)) this.addOptional(s, blocks, seeds);
    return s;
  }

  private addOptional(s: SuiteResult, blocks: number, seeds: number): void {
    if (this.chance(0.8)) s.seeds = this.measurement(blocks, seeds);
    if (this.chance(0.5)) s.training = this.training();
    if (this.chance(0.3)) {
      s.warnings = this.list(3, () => ({ kind: this.pick(['early-stopping-budget', 'not-converged', 'no-training-record'] as const), message: this.str() }));
    }
    if (this.chance(0.4)) {
      s.sensitivity = this.list(2, () => ({
        method: this.chance(0.5) ? 'deepperform' : this.str(),
        points: this.list(3, () => ({ tau: this.num(), iflops: this.agg(), successRate: this.frac() })),
      }));
    }
    if (this.chance(0.4)) s.correlation = this.chance(0.5) ? { r: this.num(), n: this.int(5) } : { r: NaN, n: this.int(2), reason: this.str() };
    if (this.chance(0.3)) s.unmeasured = { ...(this.chance(0.5) ? { latency: this.str() } : {}), ...(this.chance(0.5) ? { energy: this.str() } : {}) };
    if (this.chance(0.3)) s.samples = this.samples(s.methods);
    if (this.chance(0.2)) s.mitigation = this.mitigation();
    if (this.chance(0.2)) s.saved = { file: this.str(), action: this.pick(['compared', 'written', 'missing'] as const) };
  }

  private training(): NonNullable<SuiteResult['training']> {
    const source = this.pick(['trained', 'cache', 'file'] as const);
    return {
      loaded: source !== 'trained',
      source,
      steps: this.int(3) * 100,
      epochs: this.num(),
      durationMs: this.num(),
      bestValidationIflops: this.num(),
      finalLosses: this.losses(),
      ...(this.chance(0.6) ? { record: this.record() } : {}),
    };
  }

  private losses() {
    return { gan: this.num(), perf: this.num(), pert: this.num(), total: this.num(), discriminator: this.num() };
  }

  private position() {
    return { step: this.int(1000), epoch: this.num(), iflops: this.num(), standardError: this.num() };
  }

  /** A training record as stored in a generator's metadata, or edited by hand. */
  private record(): TrainingRecord {
    const curve = this.list(5, () => ({ ...this.position(), learningRate: this.num(), losses: this.losses(), gain: this.chance(0.5) }));
    return {
      version: 1,
      curve,
      stopReason: this.pick(STOP_REASONS),
      converged: this.chance(0.5),
      best: this.position(),
      last: this.position(),
      steps: this.int(1000),
      epochs: this.num(),
      durationMs: this.num(),
      trainInputs: this.int(1000),
      validationInputs: this.int(1000),
      batchSize: this.int(64),
      budget: { ...(this.chance(0.5) ? { epochs: this.num() } : {}), ...(this.chance(0.5) ? { steps: this.int(500) } : {}), stepsAllowed: this.num() },
      validateEvery: this.int(100),
      patience: this.int(10),
      minDelta: this.chance(0.5) ? 'standard-error' : this.num(),
    };
  }

  /** Sample images as the runner makes them: shape-consistent pixel lists in the range, or empty. */
  private samples(methods: readonly MethodResult[]): NonNullable<SuiteResult['samples']> {
    const shape: [number, number, number] = [1 + this.int(2), 1 + this.int(2), this.pick([1, 3])];
    const size = shape[0] * shape[1] * shape[2];
    const n = this.int(2);
    const image = () => Array.from({ length: size }, () => (this.chance(0.9) ? this.rand() : this.num()));
    return {
      shape,
      range: this.chance(0.8) ? [0, 1] : [this.num(), this.num()],
      indices: Array.from({ length: n }, (_, i) => i),
      seeds: Array.from({ length: n }, image),
      generated: methods.map((m) => ({ method: m.method, images: Array.from({ length: n }, image) })),
    };
  }

  private mitigation(): NonNullable<SuiteResult['mitigation']> {
    const detector = {
      auc: this.frac(),
      accuracy: this.frac(),
      trainAccuracy: this.frac(),
      overheadFlops: this.num(),
      overheadFlopsPct: this.num(),
      standaloneFlops: this.num(),
      latencyMs: this.num(),
      standaloneLatencyMs: this.num(),
      meanSeedFlops: this.num(),
      featureDim: this.int(100),
      trainSeeds: this.int(10),
      testSeeds: this.int(10),
      svmEpochs: this.int(10),
      svmConverged: this.chance(0.5),
    };
    const measure = () => ({ meanIFlops: this.num(), maxIFlops: this.num(), accuracy: this.frac() });
    const retrain = {
      before: measure(),
      after: measure(),
      sameInputs: { meanIFlops: this.num(), maxIFlops: this.num() },
      epochs: this.int(3),
      trainSeeds: this.int(100),
      seconds: this.num(),
      retrainSeconds: this.num(),
      generatorSeconds: this.num(),
      settings: { epochs: 1, trainSeeds: 10, flopsWeight: this.num(), learningRate: this.num(), batchSize: 8, seed: 0 },
      history: [],
    };
    return {
      ...(this.chance(0.7) ? { detector } : {}),
      ...(this.chance(0.7) ? { retrain } : {}),
    } as NonNullable<SuiteResult['mitigation']>;
  }

  run(): RunResult {
    const suites = this.list(3, () => this.suite());
    const r: RunResult = {
      startedAt: this.chance(0.8) ? new Date(Date.UTC(2025, 0, 1) + this.int(1e9)).toISOString() : this.str(),
      durationMs: this.num(),
      environment: { toolVersion: this.str(), backend: this.str(), node: this.str(), platform: this.str(), cpu: this.str(), cpuCount: this.int(2) },
      suites,
      status: suites.every((s) => s.status === 'passed') ? 'passed' : 'failed',
    };
    if (this.chance(0.2)) r.shard = { index: 1, total: 1 + this.int(2) };
    return r;
  }
}
