import type { AdaptiveNetwork, AdnnKind, Execution, ImageBatch } from '../adnn/index.js';
import type { InputSetMeasurement, MethodResult } from '../results/index.js';
import { aggregate } from './aggregate.js';

/** Eq. 9 per input: I-FLOPs = (f(x + delta) - f(x)) / f(x). */
export function increasedFlops(seed: ArrayLike<number>, generated: ArrayLike<number>): number[] {
  return Array.from(seed, (f, i) => (generated[i] - f) / f);
}

/** Eq. 10: how many inputs got strictly more expensive. */
export function successNumber(seed: ArrayLike<number>, generated: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < seed.length; i++) if (generated[i] > seed[i]) n++;
  return n;
}

/** Per block: share of inputs that ran it. `ran` is row-major [count, blocks]. */
export function blockActivation(ran: Uint8Array, count: number, blocks: number): number[] {
  const freq = new Array<number>(blocks).fill(0);
  for (let b = 0; b < count; b++) for (let k = 0; k < blocks; k++) freq[k] += ran[b * blocks + k];
  return freq.map((f) => (count ? f / count : 0));
}

/** Eq. 11: |{i : some input of the set ran block i}| / N. */
export function blockCoverage(ran: Uint8Array, count: number, blocks: number): number {
  if (blocks === 0) return 1;
  return blockActivation(ran, count, blocks).filter((f) => f > 0).length / blocks;
}

/**
 * Share of inputs that took the model's most expensive path, from the real
 * execution's `ran` mask (row-major [count, blocks]). Skipping models: every
 * block ran. Early-exit models: the last block ran, i.e. the input reached the
 * last exit (a block runs only when no earlier exit was confident, so this is
 * also every block). A model without conditional blocks has one path, which
 * every input takes (1). An empty set has no share (NaN).
 */
export function fullDepthRate(ran: Uint8Array, count: number, blocks: number, kind: AdnnKind): number {
  if (count === 0) return NaN;
  if (blocks === 0) return 1;
  let full = 0;
  for (let b = 0; b < count; b++) {
    const row = ran.subarray(b * blocks, (b + 1) * blocks);
    const deepest = kind === 'early-exit' ? row[blocks - 1] === 1 : row.every((r) => r === 1);
    if (deepest) full++;
  }
  return full / count;
}

/** What a set of inputs did, from its real adaptive execution. */
export function measureSet(network: AdaptiveNetwork, exec: Execution, labels: Int32Array): InputSetMeasurement {
  const count = labels.length;
  const k = network.meta.blocks.length;
  let correct = 0;
  for (let i = 0; i < count; i++) if (exec.predictions[i] === labels[i]) correct++;
  return {
    flops: Array.from(exec.flops),
    flopsStats: aggregate(exec.flops),
    coverage: blockCoverage(exec.ran, count, k),
    blockActivation: blockActivation(exec.ran, count, k),
    fullDepthRate: fullDepthRate(exec.ran, count, k, network.meta.kind),
    accuracy: count ? correct / count : NaN,
  };
}

/** L2 and Linf norm of x' - x per input, over flat NHWC images. */
export function perturbationSizes(seeds: ImageBatch, generated: ImageBatch): { l2: number[]; linf: number[] } {
  const size = seeds.images.length / Math.max(seeds.count, 1);
  const l2: number[] = [];
  const linf: number[] = [];
  for (let i = 0; i < seeds.count; i++) {
    let sq = 0;
    let mx = 0;
    for (let j = i * size; j < (i + 1) * size; j++) {
      const d = Math.abs(generated.images[j] - seeds.images[j]);
      sq += d * d;
      if (d > mx) mx = d;
    }
    l2.push(Math.sqrt(sq));
    linf.push(mx);
  }
  return { l2, linf };
}

/** How many inputs of a flat NHWC batch hold a NaN or infinite value. */
export function nonFiniteInputs(batch: ImageBatch): number {
  const size = batch.images.length / Math.max(batch.count, 1);
  let bad = 0;
  for (let i = 0; i < batch.count; i++) {
    for (let j = i * size; j < (i + 1) * size; j++) {
      if (!Number.isFinite(batch.images[j])) {
        bad++;
        break;
      }
    }
  }
  return bad;
}

export interface MethodInputs {
  method: string;
  seeds: ImageBatch & { labels: Int32Array };
  seedExecution: Execution;
  generated: ImageBatch;
  generatedExecution: Execution;
  generationMsPerInput: number;
}

/** Every per-method metric of docs/design.md §2 for one way of making test inputs. */
export function measureMethod(network: AdaptiveNetwork, m: MethodInputs): MethodResult {
  const set = measureSet(network, m.generatedExecution, m.seeds.labels);
  const iflops = increasedFlops(m.seedExecution.flops, m.generatedExecution.flops);
  const success = successNumber(m.seedExecution.flops, m.generatedExecution.flops);
  const sizes = perturbationSizes(m.seeds, m.generated);
  const bad = nonFiniteInputs(m.generated);
  return {
    method: m.method,
    ...set,
    iflops,
    iflopsStats: aggregate(iflops),
    successCount: success,
    successRate: m.seeds.count ? success / m.seeds.count : NaN,
    perturbationL2: aggregate(sizes.l2),
    perturbationLinf: aggregate(sizes.linf),
    generationMsPerInput: m.generationMsPerInput,
    // The model's counters stay finite on NaN pixels (no block is confident, or every gate closes), so the numbers above look real; they are not.
    ...(bad > 0 ? { unusable: `${bad} of ${m.generated.count} inputs ${m.method} made hold NaN or infinite pixels` } : {}),
  };
}
