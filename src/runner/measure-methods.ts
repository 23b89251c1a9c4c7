import type { AdaptiveNetwork, Execution, ImageBatch } from '../adnn/index.js';
import type { GeneratedInputs } from '../generator/index.js';
import { composeWorstCase, measureMethod } from '../measure/index.js';
import { WORST_CASE } from '../results/index.js';
import type { MethodResult } from '../results/index.js';

/** Inputs one method made, for the first `inputs.count` seeds. */
export interface ProducedSet {
  method: string;
  inputs: GeneratedInputs;
  /** A baseline's inputs reused from the cache (their time is the one measured when they were made). */
  cached?: boolean;
}

export type Seeds = ImageBatch & { labels: Int32Array };

/**
 * Every method's metrics, then the worst case over them: per seed the most
 * expensive input any method made (src/measure/worst-case.ts), measured like
 * a method of its own and appended as `worst-case`. A method that covers only
 * the first n seeds is measured against those seeds. `executions[i]` is the
 * real execution of `produced[i]`. Returns the results and the produced sets
 * with the worst case's inputs appended (latency, sensitivity and the image
 * grid read them like any method's).
 */
export function measureMethods(
  network: AdaptiveNetwork,
  seeds: Seeds,
  seedExecution: Execution,
  produced: readonly ProducedSet[],
  executions: readonly Execution[],
): { methods: MethodResult[]; produced: ProducedSet[] } {
  const blocks = network.meta.blocks.length;
  const methods = produced.map((p, i) => {
    const n = p.inputs.count;
    const result = measureMethod(network, {
      method: p.method,
      seeds: firstSeeds(seeds, n),
      seedExecution: firstRuns(seedExecution, n, blocks),
      generated: p.inputs,
      generatedExecution: executions[i],
      generationMsPerInput: p.inputs.msPerInput,
    });
    result.seedCount = n;
    if (p.cached) result.generationCached = true;
    return result;
  });
  const candidates = produced.map((p, i) => ({ method: p.method, generated: p.inputs, execution: executions[i], msPerInput: p.inputs.msPerInput }));
  const worst = composeWorstCase(candidates, seeds.count, blocks);
  const result = measureMethod(network, {
    method: WORST_CASE,
    seeds,
    seedExecution,
    generated: worst.generated,
    generatedExecution: worst.execution,
    generationMsPerInput: worst.generated.msPerInput,
  });
  result.seedCount = seeds.count;
  result.sources = worst.sources;
  // A method whose inputs hold NaN pixels has FLOPs that look real and are not:
  // the costliest input per seed is then unknown, whichever input was chosen.
  const untrusted = methods.filter((m) => m.unusable !== undefined);
  if (untrusted.length > 0 && result.unusable === undefined) {
    result.unusable = `the costliest input per seed is unknown: ${untrusted.map((m) => m.unusable).join('; ')}`;
  }
  // Its time adds up every method's; a cached one's was measured when its inputs were made.
  if (produced.some((p) => p.cached && p.inputs.count > 0)) result.generationCached = true;
  return { methods: [...methods, result], produced: [...produced, { method: WORST_CASE, inputs: worst.generated }] };
}

/** The first n seeds (views, no copy). */
export function firstSeeds(seeds: Seeds, n: number): Seeds {
  if (n >= seeds.count) return seeds;
  const size = seeds.images.length / Math.max(seeds.count, 1);
  return { images: seeds.images.subarray(0, n * size), count: n, labels: seeds.labels.subarray(0, n) };
}

/** The rows of the first n inputs of an execution (views, no copy). */
export function firstRuns(exec: Execution, n: number, blocks: number): Execution {
  if (n >= exec.flops.length) return exec;
  return { predictions: exec.predictions.subarray(0, n), ran: exec.ran.subarray(0, n * blocks), flops: exec.flops.subarray(0, n) };
}
