/**
 * The result model every reporter reads. One RunResult per `deepperform run`,
 * one SuiteResult per suite file, one MethodResult per way of producing test
 * inputs (DeepPerform's generator, deepperform-refine, the baselines).
 * Plain JSON data only: the json reporter writes it as is.
 */

import type { DetectorSectionResult, RetrainSectionResult } from './mitigation.js';
import type { TrainingRecord } from './training-record.js';

export type AssertionStatus = 'passed' | 'failed' | 'skipped';
export type SuiteStatus = 'passed' | 'failed' | 'error';
export type AssertionLevel = 'error' | 'warn';

/** Summary statistics of a per-input sample (I-FLOPs, FLOPs, ...). */
export interface Aggregates {
  mean: number;
  max: number;
  min: number;
  p50: number;
  p95: number;
}

/** What one set of inputs (seeds, or inputs made by one method) did to the AdNN. */
export interface InputSetMeasurement {
  /** FLOPs counted by the real adaptive execution, one per input (Eq. 5). */
  flops: number[];
  flopsStats: Aggregates;
  /** Fraction of blocks run by at least one input of the set. */
  coverage: number;
  /** Per block: fraction of inputs that ran it. */
  blockActivation: number[];
  /**
   * Share of inputs that took the model's most expensive path: every block
   * ran (skipping models), the last exit was reached (early-exit models).
   * Absent in results written before it was measured.
   */
  fullDepthRate?: number;
  /** Top-1 accuracy of the adaptive execution on this set. */
  accuracy: number;
  /** Batch-1 latency of the real adaptive execution, ms, on the first `measure.latencyInputs` inputs. */
  latencyMs?: number[];
  latencyStats?: Aggregates;
  /** Joules per input where a power sensor can be read. */
  energyJ?: number[];
  energyStats?: Aggregates;
}

export interface MethodResult extends InputSetMeasurement {
  /** 'deepperform', 'deepperform-refine' (generator.refine), or a baseline: 'random', 'ilfo', 'ilfo-paper-code', 'deepsloth'. */
  method: string;
  /** Eq. 9 per input: (f(x + delta) - f(x)) / f(x). */
  iflops: number[];
  iflopsStats: Aggregates;
  /** Eq. 10: number of inputs whose FLOPs grew, and its share of the seeds. */
  successCount: number;
  successRate: number;
  /** Norms of the perturbation actually applied (after projection and clamping). */
  perturbationL2: Aggregates;
  perturbationLinf: Aggregates;
  /** Time to produce the inputs, per input (one forward pass of G for DeepPerform; plus the k steps for deepperform-refine). */
  generationMsPerInput: number;
  /** True when a baseline's inputs were reused from the cache: the time is the one measured when they were made. */
  generationCached?: boolean;
  /** (l' - l) / l per input, over the inputs whose latency was measured. */
  ilatency?: number[];
  ilatencyStats?: Aggregates;
  ienergy?: number[];
  ienergyStats?: Aggregates;
  /**
   * How many seeds the method made inputs for: the first `seedCount` of the
   * suite's seeds (a baseline run on a subset, `ilfo: { seeds: 50 }`); its
   * per-input arrays and every figure above are over those seeds. Absent: all.
   */
  seedCount?: number;
  /** The worst-case row only: which method supplied each seed's input. */
  sources?: WorstCaseSources;
  /**
   * Why this method's inputs cannot be measured (e.g. generated inputs that
   * hold NaN pixels): its numbers are then meaningless, finite or not, and
   * every assertion on the method fails with this reason. Absent: usable.
   */
  unusable?: string;
}

/**
 * The `worst-case` method: per seed, the most expensive input (highest FLOPs
 * of the real execution) any method of the run produced for it; ties go to
 * the method that comes first in the run (deepperform, then the rest in
 * order).
 */
export interface WorstCaseSources {
  /** Per seed, in seed order, the method whose input was chosen. */
  perSeed: string[];
  /** Seeds each method of the run supplied, in run order (0 included). */
  counts: { method: string; seeds: number }[];
}

/** One method's I-FLOPs with the same inputs re-run at another threshold (Table 7). */
export interface SensitivityPoint {
  tau: number;
  iflops: Aggregates;
  successRate: number;
}

export interface TrainingSummary {
  /** True when the generator came from a file or the cache instead of training. */
  loaded: boolean;
  /** Where it came from: trained in this run, the generator cache, or a file the suite named. */
  source: 'trained' | 'cache' | 'file';
  /** Steps, epochs and time of training in this run (0 when the generator was loaded). */
  steps: number;
  epochs: number;
  durationMs: number;
  /** The best validation mean I-FLOPs (from the record; NaN without one). */
  bestValidationIflops: number;
  /** Losses of the last training step in this run (NaN when loaded). */
  finalLosses: { gan: number; perf: number; pert: number; total: number; discriminator: number };
  /**
   * How the generator was trained, whether in this run or earlier (read from
   * its metadata): the validation curve, best, last and why training stopped.
   * Absent when a loaded generator's metadata has none (made by an older version).
   */
  record?: TrainingRecord;
}

/** A suite-level note the reporters show apart from the assertions (it does not fail the suite). */
export interface SuiteWarning {
  /** 'early-stopping-budget': the budget allows too few validations; 'not-converged': training ended at its budget; 'no-training-record'. */
  kind: 'early-stopping-budget' | 'not-converged' | 'no-training-record';
  message: string;
}

export interface AssertionResult {
  /** The assertion as written in the suite. */
  source: string;
  level: AssertionLevel;
  status: AssertionStatus;
  /** The metric it reads, e.g. "max I-FLOPs" or "block coverage". */
  metric: string;
  /** Human readable expectation, e.g. "< 50%". */
  expected: string;
  /** Measured value (raw number, ratios as fractions), or null when skipped. */
  value: number | null;
  /** Measured value formatted in the assertion's unit, e.g. "37.2%". */
  actual: string | null;
  /** Why it was skipped or how it failed. */
  message?: string;
  /**
   * For a comparison with another method of the run or with the saved result
   * ("mean I-FLOPs >= 1.5x ilfo"): the other operand and the bound computed
   * from it, in the same scale as `value`. Absent for a fixed bound, and when
   * the other operand could not be read.
   */
  comparison?: AssertionComparison;
}

export interface AssertionComparison {
  /** The method compared with, or 'saved'. */
  against: string;
  /** Its value of the same metric (and aggregate). */
  reference: number;
  factor: number;
  offset: number;
  /** factor x reference + offset: what `value` was compared with. */
  bound: number;
  /** With 'saved': the saved result file, relative to the working directory. */
  file?: string;
}

export interface BlockSummary {
  name: string;
  flops: number;
}

/**
 * A few seeds with the inputs each method made of them, for the report's
 * image grid: flat HWC pixels in the model's input range.
 */
export interface SampleImages {
  /** [height, width, channels]. */
  shape: [number, number, number];
  range: [number, number];
  /** Which seeds (indices into the suite's seeds): those DeepPerform slowed most. */
  indices: number[];
  seeds: number[][];
  /** Per method, the generated input for each sample, in the same order. */
  generated: { method: string; images: number[][] }[];
}

/** What a suite measured on: data, budget and threshold. */
export interface SuiteConfig {
  dataset: string;
  split: string;
  seeds: number;
  norm: 'linf' | 'l2';
  epsilon: number;
  threshold: number;
  seed: number;
}

export interface SuiteResult {
  /** Suite file, relative to the working directory, forward slashes. */
  file: string;
  name: string;
  status: SuiteStatus;
  durationMs: number;
  model: {
    name: string;
    arch: string;
    kind: 'skipping' | 'early-exit';
    /** FLOPs of the parts that always run (stem, first segment, ...). */
    baseFlops: number;
    blocks: BlockSummary[];
  };
  config: SuiteConfig;
  seeds?: InputSetMeasurement;
  methods: MethodResult[];
  training?: TrainingSummary;
  /** Notes on the suite beyond its assertions: an early-stopping budget that cannot fire, a generator that did not converge. */
  warnings?: SuiteWarning[];
  /** Per method: I-FLOPs at each threshold of `measure.sensitivity`. */
  sensitivity?: { method: string; points: SensitivityPoint[] }[];
  /** Pearson r of FLOPs with latency over the seeds (Table 2); r is NaN with a reason when undefined. */
  correlation?: { r: number; n: number; reason?: string };
  /** Seeds and generated inputs to look at (the HTML report's image grid). */
  samples?: SampleImages;
  /** Metrics that could not be measured here, with why (e.g. no power sensor). */
  unmeasured?: { latency?: string; energy?: string };
  /** The §6 remedies the suite asked for (mitigation.detector, mitigation.retrain). */
  mitigation?: { detector?: DetectorSectionResult; retrain?: RetrainSectionResult };
  assertions: AssertionResult[];
  /**
   * The suite's saved result file, when its assertions read one (`saved`):
   * compared (read and compared with), written (created or replaced by this
   * run) or missing (absent and not written, because CI is set).
   */
  saved?: { file: string; action: 'compared' | 'written' | 'missing' };
  /** Set when the suite crashed (status 'error'). */
  error?: { message: string; stack?: string };
}

export interface EnvironmentInfo {
  toolVersion: string;
  backend: string;
  node: string;
  platform: string;
  cpu: string;
  cpuCount: number;
  /** What the user should know about the engines (a fallback, an untested backend, no onnxruntime); each said once. */
  notes?: string[];
}

export interface RunResult {
  startedAt: string;
  durationMs: number;
  environment: EnvironmentInfo;
  suites: SuiteResult[];
  status: 'passed' | 'failed';
  /** Set when the run was one shard of several (`--shard=index/total`, 1-based). */
  shard?: { index: number; total: number };
}
