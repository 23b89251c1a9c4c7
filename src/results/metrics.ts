/**
 * The metric registry: every number of a suite's result that an assertion,
 * the API (`PerfResult.metric`), a saved result or a report names, each
 * defined once. The assertion grammar (assert/), the value lookup
 * (metric-value.ts), saved results, `PerfResult.metric`, the JUnit
 * properties, the console and HTML metrics tables and docs/suite-format.md's
 * metrics table (`npm run gen:docs`) all iterate it.
 *
 * A new metric is one entry below, in the place the documentation should list
 * it: its `name`, `shape`, `kind`, `units`, what it is measured on (`of`), a
 * one-line `description`, and `read`, how its value is found in a result.
 * When it needs a suite setting to be measured at all, `needs` (a setting
 * no metric needed before is also taught to suite/load.ts's settingsOff); when the
 * result keeps fewer aggregates than all, `aggregates`; to appear in the
 * reports, `property` (JUnit) and `columns` (the metrics table). Nothing else
 * changes, unless the number is not in the result model yet: then it is
 * measured in measure/ and added to result.ts first. `assertable: false`
 * keeps a number the reports show out of the grammar, the API and saved
 * results (the seeds' FLOPs: naming it in assertions would be a change of the
 * suite format, made on purpose by dropping the flag).
 */
import type { Aggregates, InputSetMeasurement, MethodResult, SuiteResult } from './result.js';

/** The parts of a suite's result metrics are read from. */
export type MeasuredSuite = Pick<SuiteResult, 'seeds' | 'methods' | 'training' | 'durationMs' | 'correlation' | 'unmeasured' | 'mitigation'>;

/** Why a metric has no value; `fail` makes an assertion on it fail rather than be skipped. */
export interface Unmeasured {
  unavailable: string;
  fail?: boolean;
}

/** What a metric's `read` finds: one number, the aggregates of a per-input sample, or why there is none. */
export type Reading = number | Partial<Aggregates> | Unmeasured;

export type Aggregate = 'mean' | 'max' | 'min' | 'p50' | 'p95';
export const AGGREGATES: readonly Aggregate[] = ['mean', 'max', 'min', 'p50', 'p95'];

/** ratio: a fraction (0.37 = 37%); norm: a perturbation size; time: milliseconds. */
export type MetricKind = 'ratio' | 'count' | 'flops' | 'time' | 'norm' | 'energy' | 'correlation';

/** '' is a bare number. */
export type Unit = '' | '%' | 'x' | 'ms' | 's' | 'K' | 'M' | 'G';

/** What one unit of each kind is worth in the metric's canonical scale. */
export const UNIT_SCALE: Readonly<Record<Unit, number>> = {
  '': 1,
  '%': 0.01,
  x: 1,
  ms: 1,
  s: 1000,
  K: 1e3,
  M: 1e6,
  G: 1e9,
};

/** Suite settings that turn a metric on: a measure option that must not be false, or a mitigation section that must be present. */
export type MetricNeed = 'measure.latency' | 'measure.energy' | 'mitigation.detector' | 'mitigation.retrain';

/** JUnit property names, after the `<method>.` or `seeds.` prefix `of` gives: one per aggregate written, or one for a single number. */
export type PropertyNames = string | Partial<Readonly<Record<Aggregate, string>>>;

/** A column of the console and HTML metrics table (seeds, then one row per method). */
export interface MetricColumn {
  header: string;
  /** Its place, counted from 1 after the first column (`n`, the row's inputs). */
  position: number;
  /** Which aggregate a per-input metric shows. */
  aggregate?: Aggregate;
}

interface MetricBase {
  /** Canonical name, as the grammar, reports and the API spell it. */
  name: string;
  /** sample: one value per input, needs an aggregate; scalar: one value per input set, takes none. */
  shape: 'sample' | 'scalar';
  kind: MetricKind;
  /** Units allowed after the value; '' allows a bare number. */
  units: readonly Unit[];
  /** What it measures, for the documentation. */
  description: string;
  /** The suite setting without which it is never measured: an assertion on it is then an error at load time. */
  needs?: MetricNeed;
  /** The aggregates the result keeps, when not all of AGGREGATES. */
  aggregates?: readonly Aggregate[];
  /** Its JUnit properties; none when a section of the report carries the number already (training, mitigation). */
  property?: PropertyNames;
  /** Its columns in the metrics table; a 'seeds' metric fills the seeds row of a method metric's column. */
  columns?: readonly MetricColumn[];
  /** Why a NaN or infinite value came out, as far as the result tells. */
  whyNotFinite?: (suite: MeasuredSuite) => string | undefined;
  /** false: shown in the reports but not (yet) a name of the grammar, the API or saved results. */
  assertable?: false;
}

/** Measured on each method's inputs: takes `of <method>`, comparable with another method. */
export interface MethodMetric extends MetricBase {
  of: 'method';
  read(method: MethodResult, suite: MeasuredSuite): Reading;
  /** Text after the value in its table cells (a cached baseline's time). */
  cellNote?: (method: MethodResult) => string;
}

/** Measured on the seed inputs themselves. */
export interface SeedsMetric extends MetricBase {
  of: 'seeds';
  read(seeds: InputSetMeasurement, suite: MeasuredSuite): Reading;
}

/** Measured once for the whole suite. */
export interface SuiteMetric extends MetricBase {
  of: 'suite';
  read(suite: MeasuredSuite): Reading;
}

export type MetricDef = MethodMetric | SeedsMetric | SuiteMetric;

const RATIO: readonly Unit[] = ['', '%'];
const RELATIVE: readonly Unit[] = ['', '%', 'x'];
const FLOPS: readonly Unit[] = ['', 'K', 'M', 'G'];
const TIME: readonly Unit[] = ['ms', 's'];

const latencyWhy = (r: MeasuredSuite) => ({ unavailable: r.unmeasured?.latency ?? 'latency was not measured' });
const energyWhy = (r: MeasuredSuite) => ({ unavailable: r.unmeasured?.energy ?? 'energy was not measured' });
const noFullDepth = { unavailable: 'the full-depth rate was not measured in this result' };
const noDetector = { unavailable: 'the suite has no mitigation.detector section' };
const noRetrain = { unavailable: 'the suite has no mitigation.retrain section' };

/** Seeds measured at 0 make a relative increase (Eq. 9) divide by zero. */
function zeroSeeds(of: (s: InputSetMeasurement) => readonly number[] | undefined, say: (zeros: number, n: number) => string) {
  return (r: MeasuredSuite): string | undefined => {
    const xs = r.seeds === undefined ? [] : (of(r.seeds) ?? []);
    const zeros = xs.filter((x) => x === 0).length;
    return zeros > 0 ? say(zeros, xs.length) : undefined;
  };
}

const REGISTRY: readonly MetricDef[] = [
  {
    name: 'I-FLOPs', shape: 'sample', kind: 'ratio', units: RELATIVE, of: 'method',
    description: 'Increase in FLOPs per input, (f(x + delta) - f(x)) / f(x) (Eq. 9).',
    read: (m) => m.iflopsStats,
    whyNotFinite: zeroSeeds((s) => s.flops, (z, n) => `${z} of ${n} seeds cost 0 FLOPs, and I-FLOPs (Eq. 9) divides by a seed's FLOPs`),
    property: { mean: 'iflops.mean', max: 'iflops.max', p50: 'iflops.p50', p95: 'iflops.p95' },
    columns: [
      { header: 'mean I-FLOPs', position: 2, aggregate: 'mean' },
      { header: 'p50 I-FLOPs', position: 3, aggregate: 'p50' },
      { header: 'max I-FLOPs', position: 4, aggregate: 'max' },
    ],
  },
  {
    name: 'FLOPs', shape: 'sample', kind: 'flops', units: FLOPS, of: 'method',
    description: 'FLOPs the real adaptive execution counted per generated input.',
    read: (m) => m.flopsStats,
    property: { mean: 'flops.mean', max: 'flops.max' },
    columns: [{ header: 'mean FLOPs', position: 1, aggregate: 'mean' }],
  },
  {
    name: 'seed FLOPs', shape: 'sample', kind: 'flops', units: FLOPS, of: 'seeds', assertable: false,
    description: 'FLOPs the real adaptive execution counted per seed input.',
    read: (s) => s.flopsStats,
    property: { mean: 'flops.mean', max: 'flops.max' },
    columns: [{ header: 'mean FLOPs', position: 1, aggregate: 'mean' }],
  },
  {
    name: 'block coverage', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method',
    description: 'Share of blocks that at least one generated input ran (Eq. 11).',
    read: (m) => m.coverage,
    property: 'coverage',
    columns: [{ header: 'coverage', position: 7 }],
  },
  {
    name: 'seed block coverage', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'seeds',
    description: 'Share of blocks that at least one seed input ran.',
    read: (s) => s.coverage,
    property: 'coverage',
    columns: [{ header: 'coverage', position: 7 }],
  },
  // The most expensive path: every block of a skipping model, the last exit of an early-exit one.
  {
    name: 'full-depth rate', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method',
    description: "Share of the inputs whose real execution took the model's most expensive path: every conditional block ran (skipping models), or the input reached the last exit (early-exit models, where that also means every block ran); 1 for a model without conditional blocks.",
    read: (m) => m.fullDepthRate ?? noFullDepth,
    property: 'fullDepthRate',
    columns: [{ header: 'full-depth', position: 5 }],
  },
  {
    name: 'seed full-depth rate', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'seeds',
    description: "Share of the seed inputs that took the model's most expensive path.",
    read: (s) => s.fullDepthRate ?? noFullDepth,
    property: 'fullDepthRate',
    columns: [{ header: 'full-depth', position: 5 }],
  },
  {
    name: 'success rate', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method',
    description: 'Share of seeds whose FLOPs the method increased (Eq. 10).',
    read: (m) => m.successRate,
    property: 'success.rate',
    columns: [{ header: 'success', position: 6 }],
  },
  {
    name: 'success number', shape: 'scalar', kind: 'count', units: [''], of: 'method',
    description: 'Number of seeds whose FLOPs the method increased (Eq. 10).',
    read: (m) => m.successCount,
    property: 'success.count',
  },
  {
    name: 'accuracy', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method',
    description: 'Top-1 accuracy of the adaptive execution on the generated inputs.',
    read: (m) => m.accuracy,
    property: 'accuracy',
    columns: [{ header: 'accuracy', position: 8 }],
  },
  {
    name: 'seed accuracy', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'seeds',
    description: 'Top-1 accuracy of the adaptive execution on the seeds.',
    read: (s) => s.accuracy,
    property: 'accuracy',
    columns: [{ header: 'accuracy', position: 8 }],
  },
  {
    name: 'perturbation L2', shape: 'sample', kind: 'norm', units: [''], of: 'method',
    description: 'L2 norm of the perturbation actually applied, per input.',
    read: (m) => m.perturbationL2,
    property: { mean: 'perturbation.l2.mean' },
    columns: [{ header: 'mean L2', position: 9, aggregate: 'mean' }],
  },
  {
    name: 'perturbation Linf', shape: 'sample', kind: 'norm', units: [''], of: 'method',
    description: 'Linf norm of the perturbation actually applied, per input.',
    read: (m) => m.perturbationLinf,
    property: { mean: 'perturbation.linf.mean' },
    columns: [{ header: 'mean Linf', position: 10, aggregate: 'mean' }],
  },
  {
    name: 'generation time', shape: 'scalar', kind: 'time', units: TIME, of: 'method',
    description: 'Time to produce one input (one forward pass of the generator for DeepPerform).',
    read: (m) => m.generationMsPerInput,
    property: 'generation.msPerInput',
    columns: [{ header: 'gen/input', position: 11 }],
    // A cached baseline's time was measured when its inputs were made, not in this run.
    cellNote: (m) => (m.generationCached ? ' (cached)' : ''),
  },
  // Real adaptive execution at batch size 1 (docs/design.md §2), per input.
  {
    name: 'latency', shape: 'sample', kind: 'time', units: TIME, of: 'method', needs: 'measure.latency',
    description: 'Batch-1 latency of the real adaptive execution per generated input (measure.latency).',
    read: (m, r) => m.latencyStats ?? latencyWhy(r),
  },
  {
    name: 'seed latency', shape: 'sample', kind: 'time', units: TIME, of: 'seeds', needs: 'measure.latency',
    description: 'Batch-1 latency per seed input.',
    read: (s, r) => s.latencyStats ?? latencyWhy(r),
    property: { p50: 'latency.p50Ms' },
  },
  {
    name: 'I-latency', shape: 'sample', kind: 'ratio', units: RELATIVE, of: 'method', needs: 'measure.latency',
    description: 'Increase in latency per input, (l(x + delta) - l(x)) / l(x).',
    read: (m, r) => m.ilatencyStats ?? latencyWhy(r),
    whyNotFinite: zeroSeeds((s) => s.latencyMs, (z) => `${z} seeds were timed at 0 ms, and I-latency divides by a seed's latency`),
    property: { mean: 'ilatency.mean', max: 'ilatency.max' },
  },
  // Joules per input, where a power sensor can be read; skipped (never passed) elsewhere.
  {
    name: 'energy', shape: 'sample', kind: 'energy', units: [''], of: 'method', needs: 'measure.energy',
    description: 'Joules per generated input, where a power sensor can be read; skipped elsewhere.',
    read: (m, r) => m.energyStats ?? energyWhy(r),
  },
  {
    name: 'seed energy', shape: 'sample', kind: 'energy', units: [''], of: 'seeds', needs: 'measure.energy',
    description: 'Joules per seed input, where a power sensor can be read.',
    read: (s, r) => s.energyStats ?? energyWhy(r),
    property: { mean: 'energy.meanJ' },
  },
  {
    name: 'I-energy', shape: 'sample', kind: 'ratio', units: RELATIVE, of: 'method', needs: 'measure.energy',
    description: 'Increase in energy per input.',
    read: (m, r) => m.ienergyStats ?? energyWhy(r),
    whyNotFinite: zeroSeeds((s) => s.energyJ, (z) => `${z} seeds were measured at 0 J, and I-energy divides by a seed's energy`),
    property: { mean: 'ienergy.mean' },
  },
  {
    name: 'training time', shape: 'scalar', kind: 'time', units: TIME, of: 'suite',
    description: 'Time spent training the generator, or loading it from the cache or a file.',
    read: (r) => (r.training ? r.training.durationMs : { unavailable: 'no generator was trained' }),
  },
  {
    name: 'total time', shape: 'scalar', kind: 'time', units: TIME, of: 'suite',
    description: 'Wall time of the whole suite up to the assertions.',
    read: (r) => r.durationMs,
  },
  // Pearson r of FLOPs with latency over the seeds (Table 2).
  {
    name: 'FLOPs-latency correlation', shape: 'scalar', kind: 'correlation', units: [''], of: 'suite', needs: 'measure.latency',
    description: 'Pearson r of FLOPs with latency over the seeds: whether FLOPs predict time on this machine (Table 2).',
    read: (r) => {
      if (!r.correlation) return latencyWhy(r);
      // Undefined (e.g. every seed cost the same FLOPs) is no evidence either way: it fails, never passes or skips.
      if (Number.isNaN(r.correlation.r)) return { unavailable: `FLOPs-latency correlation is undefined: ${r.correlation.reason ?? 'r is NaN'}`, fail: true };
      return r.correlation.r;
    },
    property: 'flopsLatency.r',
  },
  // The §6 remedies, when the suite has a mitigation section; the report's mitigation section writes their numbers.
  {
    name: 'detector AUC', shape: 'scalar', kind: 'ratio', units: [''], of: 'suite', needs: 'mitigation.detector',
    description: 'ROC AUC of the input-validation detector on test seeds and their generated inputs (mitigation.detector, §6.2).',
    read: (r) => r.mitigation?.detector?.auc ?? noDetector,
  },
  {
    name: 'detector overhead', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'suite', needs: 'mitigation.detector',
    description: "The detector's extra FLOPs per input, as a share of the model's mean FLOPs on the test seeds (mitigation.detector).",
    read: (r) => (r.mitigation?.detector ? r.mitigation.detector.overheadFlopsPct / 100 : noDetector),
  },
  {
    name: 'detector latency', shape: 'scalar', kind: 'time', units: TIME, of: 'suite', needs: 'mitigation.detector',
    description: 'Median batch-1 time of the detector on the features the model computes anyway (mitigation.detector).',
    read: (r) => r.mitigation?.detector?.latencyMs ?? noDetector,
  },
  {
    name: 'retrained I-FLOPs', shape: 'sample', kind: 'ratio', units: RELATIVE, of: 'suite', needs: 'mitigation.retrain', aggregates: ['mean', 'max'],
    description: 'I-FLOPs of a generator trained anew against the retrained model, on the suite seeds (mitigation.retrain, Table 10); mean and max.',
    read: (r) => {
      const after = r.mitigation?.retrain?.after;
      return after ? { mean: after.meanIFlops, max: after.maxIFlops } : noRetrain;
    },
  },
  {
    name: 'retrained accuracy', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'suite', needs: 'mitigation.retrain',
    description: 'Top-1 accuracy of the retrained model on the whole test split (mitigation.retrain, Table 10).',
    read: (r) => r.mitigation?.retrain?.after.accuracy ?? noRetrain,
  },
];

/** The metrics an assertion, `PerfResult.metric` and a saved result can name, in the documentation's order. */
export const METRICS: readonly MetricDef[] = REGISTRY.filter((m) => m.assertable !== false);

/** Every registered metric: METRICS and the ones only the reports show. */
export const REPORTED_METRICS: readonly MetricDef[] = REGISTRY;

export function metricByName(name: string): MetricDef | undefined {
  return METRICS.find((m) => m.name.toLowerCase() === name.toLowerCase());
}
