import type { Execution, ImageBatch } from '../adnn/index.js';
import type { WorstCaseSources } from '../results/index.js';
import { MeasurementError } from './errors.js';

/**
 * One method's inputs and their real execution. A method may cover only the
 * first `execution.flops.length` seeds (a per-input baseline run on a subset).
 */
export interface WorstCaseCandidate {
  method: string;
  generated: ImageBatch;
  execution: Execution;
  /** Time the method took per input it made. */
  msPerInput: number;
}

/** The chosen input of every seed, as one input set with its execution. */
export interface WorstCase {
  generated: ImageBatch & { msPerInput: number };
  execution: Execution;
  sources: WorstCaseSources;
}

/**
 * Per seed, the index of the candidate whose input cost the most FLOPs among
 * the candidates that cover the seed (`flops[c].length > seed`). Ties go to
 * the earliest candidate, so the order of the run decides them and the
 * choice is reproducible. A seed no candidate covers is an error.
 */
export function worstCaseChoice(flops: readonly ArrayLike<number>[], seeds: number): number[] {
  const choice: number[] = [];
  for (let i = 0; i < seeds; i++) {
    let best = -1;
    for (let c = 0; c < flops.length; c++) {
      if (i >= flops[c].length) continue;
      if (best < 0 || flops[c][i] > flops[best][i]) best = c;
    }
    if (best < 0) throw new MeasurementError(`worst case: seed ${i} has an input from no method (${flops.length} methods, none covers it)`);
    choice.push(best);
  }
  return choice;
}

/**
 * The worst case of a run: per seed the most expensive input of any
 * candidate (worstCaseChoice), with that input's pixels and the rows of its
 * real execution (prediction, blocks that ran, FLOPs), so every per-input and
 * per-set metric is then computed on the chosen inputs like any method's.
 * Its time per input is what making every candidate's inputs took, per seed.
 */
export function composeWorstCase(candidates: readonly WorstCaseCandidate[], seeds: number, blocks: number): WorstCase {
  if (candidates.length === 0) throw new MeasurementError('worst case: no method produced inputs');
  const size = inputSize(candidates, seeds);
  const choice = worstCaseChoice(
    candidates.map((c) => c.execution.flops),
    seeds,
  );
  const images = new Float32Array(seeds * size);
  const execution: Execution = { predictions: new Int32Array(seeds), ran: new Uint8Array(seeds * blocks), flops: new Float64Array(seeds) };
  choice.forEach((c, i) => {
    const { generated, execution: from } = candidates[c];
    images.set(generated.images.subarray(i * size, (i + 1) * size), i * size);
    execution.predictions[i] = from.predictions[i];
    execution.ran.set(from.ran.subarray(i * blocks, (i + 1) * blocks), i * blocks);
    execution.flops[i] = from.flops[i];
  });
  const totalMs = candidates.reduce((sum, c) => sum + c.msPerInput * c.execution.flops.length, 0);
  const perSeed = choice.map((c) => candidates[c].method);
  const counts = candidates.map((c, k) => ({ method: c.method, seeds: choice.filter((x) => x === k).length }));
  return {
    generated: { images, count: seeds, msPerInput: seeds ? totalMs / seeds : 0 },
    execution,
    sources: { perSeed, counts },
  };
}

/** Values per input, the same for every candidate and consistent with its count. */
function inputSize(candidates: readonly WorstCaseCandidate[], seeds: number): number {
  let size: number | undefined;
  for (const c of candidates) {
    const n = c.execution.flops.length;
    if (c.generated.count !== n || n > seeds) {
      throw new MeasurementError(`worst case: ${c.method} has ${c.generated.count} inputs and ${n} executions for ${seeds} seeds`);
    }
    if (n === 0) continue;
    const s = c.generated.images.length / n;
    if (size !== undefined && s !== size) throw new MeasurementError(`worst case: ${c.method}'s inputs have ${s} values each, another method's ${size}`);
    size = s;
  }
  return size ?? 0;
}
