/**
 * A metric's value in a suite's result, read through the registry
 * (metrics.ts): what an assertion compares, `PerfResult.metric` returns and a
 * saved result keeps.
 */
import { DEFAULT_METHOD } from './methods.js';
import { metricByName, type Aggregate, type MeasuredSuite, type MetricDef, type Reading, type Unmeasured } from './metrics.js';
import type { MethodResult } from './result.js';

/**
 * A value in the metric's canonical scale (ratios as fractions, time in ms,
 * raw FLOPs), or why there is none; `fail` makes an assertion on it fail
 * instead of being skipped.
 */
export type MetricValue = number | Unmeasured;

/** What `def.read` finds for the seeds, the suite or the given method's inputs. */
export function readMetric(def: MetricDef, suite: MeasuredSuite, method?: MethodResult): Reading {
  switch (def.of) {
    case 'method':
      return method === undefined ? { unavailable: `"${def.name}" is measured per method` } : def.read(method, suite);
    case 'seeds':
      return suite.seeds ? def.read(suite.seeds, suite) : { unavailable: 'the seeds were not measured' };
    case 'suite':
      return def.read(suite);
  }
}

/** One number of a reading: the reading itself, or the aggregate asked for. */
export function pickAggregate(def: MetricDef, reading: Reading, aggregate: Aggregate | undefined): MetricValue {
  if (typeof reading === 'number' || 'unavailable' in reading) return reading;
  if (aggregate === undefined) return { unavailable: `"${def.name}" needs an aggregate` };
  return reading[aggregate] ?? { unavailable: `"${def.name}" keeps ${(def.aggregates ?? []).join(' and ')}` };
}

/**
 * Looks up the value an assertion reads, from a finished suite's measurements.
 * Metric names are the assertion grammar's (case-insensitive); `method` picks
 * the input set ('deepperform' by default, a baseline such as 'random', or
 * 'worst-case'). A NaN or infinite value comes back as a failing Unmeasured
 * that says where it came from.
 */
export function metricValue(result: MeasuredSuite, metric: string, aggregate: Aggregate | undefined, method: string): MetricValue {
  const def = metricByName(metric);
  if (def === undefined) return { unavailable: `no metric "${metric}"` };
  const inputs = result.methods.find((x) => x.method === method);
  // Inputs that cannot be measured make every number of their method meaningless, finite or not.
  if (def.of === 'method' && inputs?.unusable !== undefined) return { unavailable: `${label(metric, aggregate, method)} cannot be trusted: ${inputs.unusable}`, fail: true };
  if (def.of === 'method' && inputs === undefined) {
    const known = result.methods.map((x) => x.method).join(', ') || 'none';
    return { unavailable: `method "${method}" did not run in this suite (ran: ${known})` };
  }
  const value = pickAggregate(def, readMetric(def, result, inputs), aggregate);
  if (typeof value !== 'number' || Number.isFinite(value)) return value;
  const what = `${label(metric, aggregate, method)} is ${Number.isNaN(value) ? 'NaN' : 'infinite'}`;
  return { unavailable: `${what}: ${def.whyNotFinite?.(result) ?? 'the measurement produced no finite number'}`, fail: true };
}

function label(metric: string, aggregate: Aggregate | undefined, method: string): string {
  return `${aggregate === undefined ? '' : `${aggregate} `}${metric}${method === DEFAULT_METHOD ? '' : ` of ${method}`}`;
}
