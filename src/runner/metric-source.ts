import { metricByName } from '../results/index.js';
import type { Aggregates, InputSetMeasurement, MethodResult, SuiteResult } from '../results/index.js';

type Aggregate = keyof Aggregates;
type Unavailable = { unavailable: string; fail?: boolean };
type Value = number | Unavailable;
type Measured = Pick<SuiteResult, 'seeds' | 'methods' | 'training' | 'durationMs' | 'correlation' | 'unmeasured' | 'mitigation'>;

/**
 * Looks up the value an assertion reads, from a finished suite's measurements.
 * Metric names are the assertion grammar's (case-insensitive); `method` picks
 * the input set ('deepperform' by default, a baseline such as 'random', or
 * 'worst-case').
 */
export function metricValue(result: Measured, metric: string, aggregate: Aggregate | undefined, method: string): Value {
  const inputs = result.methods.find((x) => x.method === method);
  const perMethod = metricByName(metric)?.of === 'method';
  // Inputs that cannot be measured make every number of their method meaningless, finite or not.
  if (perMethod && inputs?.unusable !== undefined) return { unavailable: `${label(metric, aggregate, method)} cannot be trusted: ${inputs.unusable}`, fail: true };
  const value = lookup(result, metric, aggregate, method);
  if (typeof value !== 'number' || Number.isFinite(value)) return value;
  const what = `${label(metric, aggregate, method)} is ${Number.isNaN(value) ? 'NaN' : 'infinite'}`;
  return { unavailable: `${what}: ${whyNotFinite(result, metric)}`, fail: true };
}

function label(metric: string, aggregate: Aggregate | undefined, method: string): string {
  return `${aggregate === undefined ? '' : `${aggregate} `}${metric}${method === 'deepperform' ? '' : ` of ${method}`}`;
}

/**
 * Where a NaN or infinite measurement came from, as far as the result tells:
 * seeds that cost nothing make the relative increases (Eq. 9) divide by zero.
 */
function whyNotFinite(result: Measured, metric: string): string {
  const zeros = (xs: readonly number[] | undefined) => (xs ?? []).filter((x) => x === 0).length;
  const name = metric.toLowerCase();
  const seeds = result.seeds;
  if (name === 'i-flops' && zeros(seeds?.flops) > 0) {
    return `${zeros(seeds?.flops)} of ${seeds!.flops.length} seeds cost 0 FLOPs, and I-FLOPs (Eq. 9) divides by a seed's FLOPs`;
  }
  if (name === 'i-latency' && zeros(seeds?.latencyMs) > 0) return `${zeros(seeds?.latencyMs)} seeds were timed at 0 ms, and I-latency divides by a seed's latency`;
  if (name === 'i-energy' && zeros(seeds?.energyJ) > 0) return `${zeros(seeds?.energyJ)} seeds were measured at 0 J, and I-energy divides by a seed's energy`;
  return 'the measurement produced no finite number';
}

function lookup(result: Measured, metric: string, aggregate: Aggregate | undefined, method: string): Value {
  const name = metric.toLowerCase();
  const agg = (a: Aggregates | undefined, why: string): Value =>
    !a ? { unavailable: why } : aggregate ? a[aggregate] : { unavailable: `"${metric}" needs an aggregate` };
  const latencyWhy = result.unmeasured?.latency ?? 'latency was not measured';
  const energyWhy = result.unmeasured?.energy ?? 'energy was not measured';
  switch (name) {
    case 'training time':
      return result.training ? result.training.durationMs : { unavailable: 'no generator was trained' };
    case 'total time':
      return result.durationMs;
    case 'flops-latency correlation':
      if (!result.correlation) return { unavailable: latencyWhy };
      // Undefined (e.g. every seed cost the same FLOPs) is no evidence either way: it fails, never passes or skips.
      return Number.isNaN(result.correlation.r) ? { unavailable: `FLOPs-latency correlation is undefined: ${result.correlation.reason ?? 'r is NaN'}`, fail: true } : result.correlation.r;
  }
  if (name.startsWith('detector ') || name.startsWith('retrained ')) return mitigationMetric(result.mitigation, name, aggregate);
  if (name.startsWith('seed ')) {
    return result.seeds ? seedMetric(result.seeds, name, agg, latencyWhy, energyWhy) : { unavailable: 'the seeds were not measured' };
  }
  const m = result.methods.find((x) => x.method === method);
  if (!m) {
    const known = result.methods.map((x) => x.method).join(', ') || 'none';
    return { unavailable: `method "${method}" did not run in this suite (ran: ${known})` };
  }
  return methodMetric(m, name, agg, latencyWhy, energyWhy);
}

type Agg = (a: Aggregates | undefined, why: string) => Value;

function seedMetric(seeds: InputSetMeasurement, name: string, agg: Agg, latencyWhy: string, energyWhy: string): Value {
  switch (name) {
    case 'seed block coverage':
      return seeds.coverage;
    case 'seed accuracy':
      return seeds.accuracy;
    case 'seed full-depth rate':
      return seeds.fullDepthRate ?? { unavailable: 'the full-depth rate was not measured in this result' };
    case 'seed latency':
      return agg(seeds.latencyStats, latencyWhy);
    case 'seed energy':
      return agg(seeds.energyStats, energyWhy);
    default:
      return { unavailable: `no metric "${name}"` };
  }
}

function methodMetric(m: MethodResult, name: string, agg: Agg, latencyWhy: string, energyWhy: string): Value {
  switch (name) {
    case 'i-flops':
      return agg(m.iflopsStats, '');
    case 'flops':
      return agg(m.flopsStats, '');
    case 'perturbation l2':
      return agg(m.perturbationL2, '');
    case 'perturbation linf':
      return agg(m.perturbationLinf, '');
    case 'latency':
      return agg(m.latencyStats, latencyWhy);
    case 'i-latency':
      return agg(m.ilatencyStats, latencyWhy);
    case 'energy':
      return agg(m.energyStats, energyWhy);
    case 'i-energy':
      return agg(m.ienergyStats, energyWhy);
    case 'block coverage':
      return m.coverage;
    case 'full-depth rate':
      return m.fullDepthRate ?? { unavailable: 'the full-depth rate was not measured in this result' };
    case 'success rate':
      return m.successRate;
    case 'success number':
      return m.successCount;
    case 'accuracy':
      return m.accuracy;
    case 'generation time':
      return m.generationMsPerInput;
    default:
      return { unavailable: `no metric "${name}"` };
  }
}

function mitigationMetric(m: SuiteResult['mitigation'], name: string, aggregate: Aggregate | undefined): Value {
  const { detector, retrain } = m ?? {};
  const noDetector = { unavailable: 'the suite has no mitigation.detector section' };
  const noRetrain = { unavailable: 'the suite has no mitigation.retrain section' };
  switch (name) {
    case 'detector auc':
      return detector ? detector.auc : noDetector;
    case 'detector overhead':
      return detector ? detector.overheadFlopsPct / 100 : noDetector;
    case 'detector latency':
      return detector ? detector.latencyMs : noDetector;
    case 'retrained accuracy':
      return retrain ? retrain.after.accuracy : noRetrain;
    case 'retrained i-flops':
      if (!retrain) return noRetrain;
      if (aggregate === 'mean') return retrain.after.meanIFlops;
      if (aggregate === 'max') return retrain.after.maxIFlops;
      return { unavailable: '"retrained I-FLOPs" keeps mean and max' };
    default:
      return { unavailable: `no metric "${name}"` };
  }
}
