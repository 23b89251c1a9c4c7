import type { AssertionResult, RunResult, SuiteResult, SuiteStatus } from '../results/index.js';
import { AGGREGATES, DEFAULT_METHOD, METRICS, metricByName, metricValue, type Aggregate } from '../results/index.js';
import { assertionLabel } from '../assert/index.js';
import { MetricArgumentError, MetricUnavailableError, UnknownMetricError } from './errors.js';

/**
 * One suite's result with the lookups a test needs. Values are in the
 * metric's canonical scale, as in the result model: ratios as fractions
 * (I-FLOPs 0.37 is 37%), times in milliseconds, FLOPs as counted.
 */
export class PerfResult {
  constructor(readonly raw: SuiteResult) {}

  get name(): string {
    return this.raw.name;
  }

  /** Suite file relative to the run's working directory. */
  get file(): string {
    return this.raw.file;
  }

  get status(): SuiteStatus {
    return this.raw.status;
  }

  /** Every error-level assertion held and the suite did not crash (warnings and skipped metrics do not fail it). */
  get passed(): boolean {
    return this.raw.status === 'passed';
  }

  get assertions(): AssertionResult[] {
    return this.raw.assertions;
  }

  /** Error-level assertions that did not hold: the ones that fail the suite. */
  get failedAssertions(): AssertionResult[] {
    return this.raw.assertions.filter((a) => a.level === 'error' && a.status === 'failed');
  }

  /** Warn-level assertions that did not hold. */
  get warnings(): AssertionResult[] {
    return this.raw.assertions.filter((a) => a.level === 'warn' && a.status === 'failed');
  }

  /**
   * A metric by its assertion-grammar name ('I-FLOPs', 'block coverage',
   * 'seed accuracy', ...). Per-input metrics need an aggregate, per-set ones
   * take none; `method` picks the inputs ('deepperform' unless given).
   */
  metric(name: string, aggregate?: Aggregate, method?: string): number {
    const def = metricByName(name);
    if (!def) throw new UnknownMetricError(name, METRICS.map((m) => m.name));
    const label = assertionLabel({ aggregate, metric: def.name, method: method ?? DEFAULT_METHOD });
    checkShape(def.name, def.shape, def.of, aggregate, method);
    if (this.raw.error) throw new MetricUnavailableError(label, `the suite crashed: ${this.raw.error.message}`);
    const value = metricValue(this.raw, def.name, aggregate, method ?? DEFAULT_METHOD);
    if (typeof value !== 'number') throw new MetricUnavailableError(label, value.unavailable);
    if (Number.isNaN(value)) throw new MetricUnavailableError(label, 'the measurement produced no number (NaN)');
    return value;
  }
}

/** The grammar's rules, so `metric()` accepts exactly what an assertion could say. */
function checkShape(name: string, shape: 'sample' | 'scalar', of: string, aggregate: Aggregate | undefined, method: string | undefined): void {
  if (aggregate !== undefined && !AGGREGATES.includes(aggregate)) {
    throw new MetricArgumentError(`unknown aggregate "${String(aggregate)}" for ${name}; use one of ${AGGREGATES.join(', ')}`);
  }
  if (shape === 'sample' && aggregate === undefined) {
    throw new MetricArgumentError(`${name} has one value per input: name an aggregate (${AGGREGATES.join(', ')}), e.g. metric('${name}', 'max')`);
  }
  if (shape === 'scalar' && aggregate !== undefined) {
    throw new MetricArgumentError(`${name} has one value per input set and takes no aggregate: metric('${name}')`);
  }
  if (of !== 'method' && method !== undefined) {
    throw new MetricArgumentError(`${name} describes the ${of === 'seeds' ? 'seed inputs' : 'whole suite'} and takes no method`);
  }
}

/** A whole run: every suite's PerfResult, in run order. */
export class PerfRun {
  readonly suites: PerfResult[];

  constructor(readonly raw: RunResult) {
    this.suites = raw.suites.map((s) => new PerfResult(s));
  }

  get passed(): boolean {
    return this.suites.every((s) => s.passed);
  }

  /** The suite with this name or file (relative to the run's working directory). */
  suite(nameOrFile: string): PerfResult {
    const found = this.suites.find((s) => s.name === nameOrFile || s.file === nameOrFile);
    if (!found) {
      const known = this.suites.map((s) => `"${s.name}" (${s.file})`).join(', ') || 'none';
      throw new RangeError(`no suite named "${nameOrFile}" in this run; suites: ${known}`);
    }
    return found;
  }
}
