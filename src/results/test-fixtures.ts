/**
 * A small hand-built SuiteResult whose numbers the assertion and saved-result
 * tests compute their expectations from (not exported from index.ts).
 */
import type { Aggregates, MethodResult, SuiteResult } from '../results/index.js';

function agg(mean: number, max: number, min = 0, p50 = mean, p95 = max): Aggregates {
  return { mean, max, min, p50, p95 };
}

function method(name: string, m: { iflops: Aggregates; flops: Aggregates; coverage: number; successRate: number }): MethodResult {
  return {
    method: name,
    flops: [],
    flopsStats: m.flops,
    coverage: m.coverage,
    blockActivation: [],
    accuracy: 0.5,
    iflops: [],
    iflopsStats: m.iflops,
    successCount: Math.round(m.successRate * 10),
    successRate: m.successRate,
    perturbationL2: agg(1, 1),
    perturbationLinf: agg(0.1, 0.1),
    generationMsPerInput: 0.5,
  };
}

/**
 * deepperform: mean I-FLOPs 28.2%, max 95%, mean FLOPs 2.0M, coverage 0.9, latency mean 12 ms;
 * ilfo: mean I-FLOPs 83%, max 120%, no latency; random: mean I-FLOPs 1%, mean FLOPs 2.5M, coverage 0.6.
 */
export function handmadeResult(): SuiteResult {
  const dp = method('deepperform', { iflops: agg(0.282, 0.95), flops: agg(2_000_000, 3_000_000), coverage: 0.9, successRate: 0.7 });
  dp.latencyStats = agg(12, 20);
  return {
    file: 'suites/s.perf.yaml',
    name: 's',
    status: 'passed',
    durationMs: 60_000,
    model: { name: 'sdn-tiny', arch: 'sdn-tiny', kind: 'early-exit', baseFlops: 1e6, blocks: [] },
    config: { dataset: 'd', split: 'test', seeds: 10, norm: 'linf', epsilon: 0.1, threshold: 0.5, seed: 1 },
    seeds: { flops: [], flopsStats: agg(1.5e6, 2e6), coverage: 0.8, blockActivation: [], accuracy: 0.75 },
    methods: [
      dp,
      method('random', { iflops: agg(0.01, 0.05), flops: agg(2_500_000, 2_600_000), coverage: 0.6, successRate: 0.1 }),
      method('ilfo', { iflops: agg(0.83, 1.2), flops: agg(2_800_000, 3_000_000), coverage: 1, successRate: 0.9 }),
    ],
    unmeasured: { energy: 'no power sensor' },
    assertions: [],
  };
}
