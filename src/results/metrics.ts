/**
 * The metrics an assertion can read. One table, so the grammar, the error
 * messages and the result lookup agree on names, shapes and units.
 */

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

export interface MetricDef {
  /** Canonical name, as shown in reports and passed to a MetricSource. */
  name: string;
  /** sample: one value per input, needs an aggregate; scalar: one value per input set, takes none. */
  shape: 'sample' | 'scalar';
  kind: MetricKind;
  /** Units allowed after the value; '' allows a bare number. */
  units: readonly Unit[];
  /** 'seeds' metrics describe the seed inputs themselves, 'suite' ones the whole run: neither takes `of <method>`. */
  of: 'method' | 'seeds' | 'suite';
  /** What it measures, for the documentation. */
  description: string;
  /** The suite setting without which it is never measured: an assertion on it is then an error at load time. */
  needs?: MetricNeed;
  /** The aggregates the result keeps, when not all of AGGREGATES. */
  aggregates?: readonly Aggregate[];
}

/** Suite settings that turn a metric on: a measure option that must not be false, or a mitigation section that must be present. */
export type MetricNeed = 'measure.latency' | 'measure.energy' | 'mitigation.detector' | 'mitigation.retrain';

const RATIO: readonly Unit[] = ['', '%'];

export const METRICS: readonly MetricDef[] = [
  { name: 'I-FLOPs', shape: 'sample', kind: 'ratio', units: ['', '%', 'x'], of: 'method', description: 'Increase in FLOPs per input, (f(x + delta) - f(x)) / f(x) (Eq. 9).' },
  { name: 'FLOPs', shape: 'sample', kind: 'flops', units: ['', 'K', 'M', 'G'], of: 'method', description: 'FLOPs the real adaptive execution counted per generated input.' },
  { name: 'block coverage', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method', description: 'Share of blocks that at least one generated input ran (Eq. 11).' },
  { name: 'seed block coverage', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'seeds', description: 'Share of blocks that at least one seed input ran.' },
  // The most expensive path: every block of a skipping model, the last exit of an early-exit one.
  { name: 'full-depth rate', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method', description: "Share of the inputs whose real execution took the model's most expensive path: every conditional block ran (skipping models), or the input reached the last exit (early-exit models, where that also means every block ran); 1 for a model without conditional blocks." },
  { name: 'seed full-depth rate', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'seeds', description: "Share of the seed inputs that took the model's most expensive path." },
  { name: 'success rate', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method', description: 'Share of seeds whose FLOPs the method increased (Eq. 10).' },
  { name: 'success number', shape: 'scalar', kind: 'count', units: [''], of: 'method', description: 'Number of seeds whose FLOPs the method increased (Eq. 10).' },
  { name: 'accuracy', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'method', description: 'Top-1 accuracy of the adaptive execution on the generated inputs.' },
  { name: 'seed accuracy', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'seeds', description: 'Top-1 accuracy of the adaptive execution on the seeds.' },
  { name: 'perturbation L2', shape: 'sample', kind: 'norm', units: [''], of: 'method', description: 'L2 norm of the perturbation actually applied, per input.' },
  { name: 'perturbation Linf', shape: 'sample', kind: 'norm', units: [''], of: 'method', description: 'Linf norm of the perturbation actually applied, per input.' },
  { name: 'generation time', shape: 'scalar', kind: 'time', units: ['ms', 's'], of: 'method', description: 'Time to produce one input (one forward pass of the generator for DeepPerform).' },
  // Real adaptive execution at batch size 1 (docs/design.md §2), per input.
  { name: 'latency', shape: 'sample', kind: 'time', units: ['ms', 's'], of: 'method', description: 'Batch-1 latency of the real adaptive execution per generated input (measure.latency).', needs: 'measure.latency' },
  { name: 'seed latency', shape: 'sample', kind: 'time', units: ['ms', 's'], of: 'seeds', description: 'Batch-1 latency per seed input.', needs: 'measure.latency' },
  { name: 'I-latency', shape: 'sample', kind: 'ratio', units: ['', '%', 'x'], of: 'method', description: 'Increase in latency per input, (l(x + delta) - l(x)) / l(x).', needs: 'measure.latency' },
  // Joules per input, where a power sensor can be read; skipped (never passed) elsewhere.
  { name: 'energy', shape: 'sample', kind: 'energy', units: [''], of: 'method', description: 'Joules per generated input, where a power sensor can be read; skipped elsewhere.', needs: 'measure.energy' },
  { name: 'seed energy', shape: 'sample', kind: 'energy', units: [''], of: 'seeds', description: 'Joules per seed input, where a power sensor can be read.', needs: 'measure.energy' },
  { name: 'I-energy', shape: 'sample', kind: 'ratio', units: ['', '%', 'x'], of: 'method', description: 'Increase in energy per input.', needs: 'measure.energy' },
  { name: 'training time', shape: 'scalar', kind: 'time', units: ['ms', 's'], of: 'suite', description: 'Time spent training the generator, or loading it from the cache or a file.' },
  { name: 'total time', shape: 'scalar', kind: 'time', units: ['ms', 's'], of: 'suite', description: 'Wall time of the whole suite up to the assertions.' },
  // Pearson r of FLOPs with latency over the seeds (Table 2).
  { name: 'FLOPs-latency correlation', shape: 'scalar', kind: 'correlation', units: [''], of: 'suite', description: 'Pearson r of FLOPs with latency over the seeds: whether FLOPs predict time on this machine (Table 2).', needs: 'measure.latency' },
  // The §6 remedies, when the suite has a mitigation section.
  { name: 'detector AUC', shape: 'scalar', kind: 'ratio', units: [''], of: 'suite', description: 'ROC AUC of the input-validation detector on test seeds and their generated inputs (mitigation.detector, §6.2).', needs: 'mitigation.detector' },
  { name: 'detector overhead', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'suite', description: "The detector's extra FLOPs per input, as a share of the model's mean FLOPs on the test seeds (mitigation.detector).", needs: 'mitigation.detector' },
  { name: 'detector latency', shape: 'scalar', kind: 'time', units: ['ms', 's'], of: 'suite', description: 'Median batch-1 time of the detector on the features the model computes anyway (mitigation.detector).', needs: 'mitigation.detector' },
  { name: 'retrained I-FLOPs', shape: 'sample', kind: 'ratio', units: ['', '%', 'x'], of: 'suite', description: 'I-FLOPs of a generator trained anew against the retrained model, on the suite seeds (mitigation.retrain, Table 10); mean and max.', needs: 'mitigation.retrain', aggregates: ['mean', 'max'] },
  { name: 'retrained accuracy', shape: 'scalar', kind: 'ratio', units: RATIO, of: 'suite', description: 'Top-1 accuracy of the retrained model on the whole test split (mitigation.retrain, Table 10).', needs: 'mitigation.retrain' },
];

/** Longest first, so "seed block coverage" is tried before "block coverage". */
export const METRICS_LONGEST_FIRST: readonly MetricDef[] = [...METRICS].sort(
  (a, b) => b.name.length - a.name.length,
);

export function metricByName(name: string): MetricDef | undefined {
  return METRICS.find((m) => m.name.toLowerCase() === name.toLowerCase());
}
