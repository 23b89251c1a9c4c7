import * as tf from '@tensorflow/tfjs-core';
import type { AdaptiveNetwork } from '../adnn/index.js';
import { defaultInferenceEngine, OnnxExportError, TRACE_BATCH, type EngineName, type InferenceEngine, type ProgramSpec, type SplitProgram } from '../engine/ort/index.js';

/**
 * The optimisation loop of a per-input attack (ILFO, DeepSloth, refine), written
 * once in tfjs ops as one iteration over state variables, and run either on
 * tfjs or as one compiled onnxruntime program per iteration (the forward
 * pass, tfjs's own backward pass and the update in a single session call
 * instead of hundreds of tfjs kernels). Both run the same code: the program
 * is a trace of `step`.
 *
 * The inputs of a batch never meet (each has its own loss, gradient and
 * state), so on onnxruntime the batch is split into one part per thread,
 * each part's loop running whole on its own thread (SplitProgram): at the
 * small batches of these attacks that keeps two cores busy where one session
 * with two intra-op threads does not (docs/perf-gradients.md).
 */
export interface AttackLoop {
  network: AdaptiveNetwork;
  /** The seeds of this batch. */
  x: tf.Tensor4D;
  /**
   * What the iterations carry (delta, optimiser moments, best iterate ...),
   * updated in place. Each has the batch as its first axis.
   */
  state: tf.Variable[];
  /**
   * One iteration: reads x, `state` (the loop's variables, or ones of the
   * same kind for a part of the batch) and this iteration's scalars, and
   * assigns new values to `state`. Each input's row must depend on that
   * input's rows only: nothing may reduce over the batch.
   */
  step: (x: tf.Tensor4D, scalars: tf.Tensor1D, state: tf.Variable[]) => void;
  /** Per-iteration numbers (learning rate, bias corrections), as the `scalars` input: a function of the iteration alone (it may be asked more than once). */
  scalars: (iteration: number) => Float32Array;
  iterations: number;
  /** Names the attack and every setting `step` bakes in (the compiled program is cached by it). */
  key: string;
  /** Called after each iteration. */
  tick: () => void;
  /**
   * At most this many inputs per program run when the batch is split (default:
   * the batch over the threads). The trace runs one iteration for real at the
   * part's size, so smaller parts compile faster; parts beyond the threads
   * run in turn, at a few more session calls.
   */
  partSize?: number;
  /**
   * Split over threads, compile the step once with a symbolic batch
   * (ProgramSpec.freeBatch: traced at TRACE_BATCH inputs, the scalars the
   * one input without a batch) and run one part per thread at any size: the
   * trace at a part's size was most of a short loop's compile
   * (docs/refine.md, "Time per input"). Falls back to the part-size program
   * when the lowering refuses a symbolic batch or a run at a part's size
   * fails; partSize then applies.
   */
  freeBatch?: boolean;
  engine?: InferenceEngine;
}

/** Runs the loop; the state variables hold the result. Returns the engine that ran it. */
export function runAttackLoop(loop: AttackLoop): EngineName {
  const engine = loop.engine ?? defaultInferenceEngine();
  const batch = loop.x.shape[0];
  // Asked for once before the iterations, on every path (ILFO's Adam schedule counts the calls).
  const width = loop.scalars(0).length;
  if (loop.state.every((v) => v.shape[0] === batch) && runSplit(loop, engine, engine.programParts(batch), width)) return 'ort';
  const scalars = tf.zeros([width]);
  const key = `${loop.key} [${loop.x.shape}] state ${loop.state.map((v) => `[${v.shape}]`).join('')}`;
  const program = engine.program(loop.network, key, loop.network.namedWeights().values(), () => ({
    inputs: [loop.x, scalars],
    state: loop.state,
    fn: (x, s) => {
      loop.step(x as tf.Tensor4D, s as tf.Tensor1D, loop.state);
      return [];
    },
    name: loop.key,
  }));
  scalars.dispose();
  if (!program) {
    for (let i = 0; i < loop.iterations; i++) {
      tf.tidy(() => loop.step(loop.x, tf.tensor1d(loop.scalars(i)), loop.state));
      loop.tick();
    }
    return 'tfjs';
  }
  const x = loop.x.dataSync() as Float32Array;
  let state = loop.state.map((v) => v.dataSync() as Float32Array);
  for (let i = 0; i < loop.iterations; i++) {
    const next = program.run([x, loop.scalars(i)], state).state;
    state = state.map((s, k) => next[k] ?? s);
    loop.tick();
  }
  writeBack(loop.state, state);
  return 'ort';
}

/**
 * The loop over parts of the batch, `threads` at once, one per thread, the
 * program traced at the part's size; false (nothing run, no scalars asked
 * for) when it cannot be split. Parts are equal, as many as the threads or a
 * multiple of them (loop.partSize), the rounds run one after the other; the
 * last part is padded with copies of its first input, whose results are dropped.
 */
function runSplit(loop: AttackLoop, engine: InferenceEngine, threads: number, width: number): boolean {
  const free = loop.freeBatch ? freePlan(loop, engine, threads, width) : undefined;
  const values = Array.from({ length: loop.iterations }, (_, i) => loop.scalars(i));
  if (free) {
    try {
      return runPlan(loop, free, values);
    } catch {
      // A step that lowers with a symbolic batch may still fail when run at a
      // part's size (a constant made at the trace's size fed to a Concat, say):
      // nothing was written back yet, so the part-size program starts afresh.
    }
  }
  const fixed = fixedPlan(loop, engine, threads, width);
  return fixed !== undefined && runPlan(loop, fixed, values);
}

/** Runs `plan`'s parts with the scalars of every iteration (`values`) and writes the state back. */
function runPlan(loop: AttackLoop, plan: SplitPlan, values: Float32Array[]): boolean {
  const batch = loop.x.shape[0];
  const width = values[0]?.length ?? 0;
  const { program, size, parts, used } = plan;
  // A free batch runs the last part at its own size; a fixed one pads it.
  const rows = (data: Float32Array, part: number) => padRows(data, batch, part * size, plan.free ? Math.min(size, batch - part * size) : size);
  const x = loop.x.dataSync() as Float32Array;
  const state = loop.state.map((v) => v.dataSync() as Float32Array);
  const rounds = Math.ceil(parts / used);
  // One tick per iteration over all rounds: every `rounds` runs of a round's first part.
  let runs = 0;
  const tick = () => {
    if (++runs % rounds === 0) loop.tick();
  };
  const results: Float32Array[][] = [];
  for (let first = 0; first < parts; first += used) {
    const jobs = Array.from({ length: Math.min(used, parts - first) }, (_, j) =>
      program.local.loopJob([rows(x, first + j), new Float32Array(width)], state.map((s) => rows(s, first + j)), { index: 1, values }, loop.iterations),
    );
    results.push(...program.loop(jobs, tick));
  }
  // Each state value back in one piece, the padding rows left out.
  const whole = state.map((s, k) => {
    const out = new Float32Array(s.length);
    const row = s.length / batch;
    results.forEach((r, p) => {
      const rows = Math.min(size, batch - p * size);
      // A symbolic batch must come back at the part's size (not, say, broadcast to the trace's).
      if (r[k].length !== (plan.free ? rows : size) * row) throw new Error(`internal: state ${k} of part ${p} came back with ${r[k].length} values for ${rows} inputs`);
      out.set(r[k].subarray(0, rows * row), p * size * row);
    });
    return out;
  });
  writeBack(loop.state, whole);
  return true;
}

interface SplitPlan {
  program: SplitProgram;
  /** Inputs per part (the last may have fewer: padded unless `free`). */
  size: number;
  parts: number;
  /** Parts run at once, one per thread. */
  used: number;
  free: boolean;
}

/**
 * Parts of at most loop.partSize, as many as the threads or a multiple of
 * them, the program traced at the part's size; undefined when fewer than two
 * threads would run or the program does not compile.
 */
function fixedPlan(loop: AttackLoop, engine: InferenceEngine, threads: number, width: number): SplitPlan | undefined {
  const batch = loop.x.shape[0];
  const wanted = Math.ceil(Math.ceil(batch / Math.min(loop.partSize ?? batch, batch)) / threads) * threads;
  const size = Math.ceil(batch / wanted);
  const parts = Math.ceil(batch / size);
  const used = Math.min(threads, parts);
  if (used < 2) return undefined;
  const program = splitProgram(loop, engine, size, width, used, undefined);
  return program && { program, size, parts, used, free: false };
}

/**
 * One part per thread, the program traced at TRACE_BATCH with a symbolic
 * batch; undefined (the fixed plan runs) when fewer than two threads would
 * run or the lowering refuses a symbolic batch.
 */
function freePlan(loop: AttackLoop, engine: InferenceEngine, threads: number, width: number): SplitPlan | undefined {
  const batch = loop.x.shape[0];
  const used = Math.min(threads, batch);
  if (used < 2) return undefined;
  try {
    const program = splitProgram(loop, engine, TRACE_BATCH, width, used, { unbatched: [1] });
    const size = Math.ceil(batch / used);
    return program && { program, size, parts: Math.ceil(batch / size), used, free: true };
  } catch (e) {
    // Gradients forced onto onnxruntime throw where 'auto' gives undefined: either way the fixed plan is next.
    if (e instanceof OnnxExportError) return undefined;
    throw e;
  }
}

/** The step compiled by the engine at `size` inputs (the symbolic batch's trace size with `free`), loaded on `used` threads. */
function splitProgram(loop: AttackLoop, engine: InferenceEngine, size: number, width: number, used: number, free: ProgramSpec['freeBatch']): SplitProgram | undefined {
  const partOf = (shape: readonly number[]) => [size, ...shape.slice(1)];
  const shapeKey = (shape: readonly number[]) => `[${free ? ['b', ...shape.slice(1)] : partOf(shape)}]`;
  const key = `${loop.key} ${shapeKey(loop.x.shape)} state ${loop.state.map((v) => shapeKey(v.shape)).join('')}`;
  const traced: tf.Tensor[] = [];
  try {
    return engine.splitProgram(loop.network, key, loop.network.namedWeights().values(), () => partSpec(loop, partOf, width, traced, free), used);
  } finally {
    tf.dispose(traced);
  }
}

/** The step traced for one part: state variables of the part's shape (pushed to `traced`, for the caller to dispose). */
function partSpec(loop: AttackLoop, partOf: (shape: readonly number[]) => number[], width: number, traced: tf.Tensor[], freeBatch: ProgramSpec['freeBatch']): ProgramSpec {
  const vars = tf.tidy(() => loop.state.map((v) => tf.variable(tf.zeros(partOf(v.shape)), false)));
  const inputs = [tf.zeros(partOf(loop.x.shape)), tf.zeros([width])];
  traced.push(...vars, ...inputs);
  return {
    inputs,
    state: vars,
    fn: (x, s) => {
      loop.step(x as tf.Tensor4D, s as tf.Tensor1D, vars);
      return [];
    },
    name: loop.key,
    ...(freeBatch ? { freeBatch } : {}),
  };
}

/** Rows [from, from + count) of a batch-first array of `batch` rows; rows past the batch repeat row `from`. */
export function padRows(data: Float32Array, batch: number, from: number, count: number): Float32Array {
  const row = data.length / batch;
  const have = Math.min(count, batch - from);
  if (have === count) return data.slice(from * row, (from + count) * row);
  const out = new Float32Array(count * row);
  out.set(data.subarray(from * row, (from + have) * row));
  for (let r = have; r < count; r++) out.set(data.subarray(from * row, (from + 1) * row), r * row);
  return out;
}

function writeBack(vars: tf.Variable[], values: Float32Array[]): void {
  vars.forEach((v, k) => tf.tidy(() => v.assign(tf.tensor(values[k], v.shape))));
}
