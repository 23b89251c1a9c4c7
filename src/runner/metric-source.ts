import type { Aggregates, InputSetMeasurement, MethodResult, SuiteResult } from './result.js';

type Aggregate = keyof Aggregates;
type Unavailable = { unavailable: string };
type Value = number | Unavailable;

/**
 * Looks up the value an assertion reads, from a finished suite's measurements.
 * Metric names are the assertion grammar's (case-insensitive); `method` picks
 * the input set ('deepperform' by default, a baseline such as 'random', or
 * 'worst-case').
 */
export function metricValue(
  result: Pick<SuiteResult, 'seeds' | 'methods' | 'training' | 'durationMs' | 'correlation' | 'unmeasured' | 'mitigation'>,
  metric: string,
  aggregate: Aggregate | undefined,
  method: string,
): Value {
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
      return Number.isNaN(result.correlation.r) ? { unavailable: result.correlation.reason ?? 'undefined' } : result.correlation.r;
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
