import type { Aggregates, InputSetMeasurement, MethodResult, SuiteResult } from './result.js';

type Aggregate = keyof Aggregates;
type Unavailable = { unavailable: string };

/**
 * Looks up the value an assertion reads, from a finished suite's measurements.
 * Metric names are the assertion grammar's (case-insensitive); `method` picks
 * the input set ('deepperform' by default, or a baseline such as 'random').
 */
export function metricValue(
  result: Pick<SuiteResult, 'seeds' | 'methods'>,
  metric: string,
  aggregate: Aggregate | undefined,
  method: string,
): number | Unavailable {
  const m = result.methods.find((x) => x.method === method);
  const name = metric.toLowerCase();
  if (name.startsWith('seed ')) {
    return result.seeds ? seedMetric(result.seeds, name) : { unavailable: 'the seeds were not measured' };
  }
  if (!m) {
    const known = result.methods.map((x) => x.method).join(', ') || 'none';
    return { unavailable: `method "${method}" did not run in this suite (ran: ${known})` };
  }
  return methodMetric(m, name, aggregate);
}

function seedMetric(seeds: InputSetMeasurement, name: string): number | Unavailable {
  switch (name) {
    case 'seed block coverage':
      return seeds.coverage;
    case 'seed accuracy':
      return seeds.accuracy;
    default:
      return { unavailable: `no metric "${name}"` };
  }
}

function methodMetric(m: MethodResult, name: string, aggregate: Aggregate | undefined): number | Unavailable {
  const agg = (a: Aggregates): number | Unavailable => (aggregate ? a[aggregate] : { unavailable: `"${name}" needs an aggregate` });
  switch (name) {
    case 'i-flops':
      return agg(m.iflopsStats);
    case 'flops':
      return agg(m.flopsStats);
    case 'perturbation l2':
      return agg(m.perturbationL2);
    case 'perturbation linf':
      return agg(m.perturbationLinf);
    case 'block coverage':
      return m.coverage;
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
