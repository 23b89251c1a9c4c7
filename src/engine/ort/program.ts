import * as tf from '@tensorflow/tfjs-core';
// Programs trace tfjs's backward passes: its gradient functions must be registered.
import '../gradients.js';
import { LOWERINGS, prune, SUPPORTED_KERNELS } from './export.js';
import { LowerContext, OnnxExportError, onnxType } from './lower-context.js';
import { DataType, encodeModel, type OnnxGraph } from './onnx-model.js';
import { runLoop, type LoopJob } from './program-loop.js';
import type { OrtSession, OrtTensorData } from './runtime.js';
import { traceKernels, type ConstValue, type DynRef, type KernelCall, type Trace } from './trace.js';

/**
 * A tfjs computation with state, compiled at fixed shapes into one ONNX
 * graph: e.g. a whole training step (forward, tfjs's own backward pass, the
 * optimiser update) or an attack's iteration. Data inputs and state
 * variables become graph inputs; everything else the code reads (a frozen
 * network's weights) becomes constants. What the code returns, and the last
 * value it assigned to each state variable, become outputs. Shapes are the
 * traced ones, batch included, so losses may reduce over the batch.
 */
export interface ProgramSpec {
  /** One tensor per data input, of the shape every run will feed (values unused). */
  inputs: readonly tf.Tensor[];
  /** Variables fed each run instead of frozen into the graph; the code may assign them. */
  state?: readonly tf.Variable[];
  /** The computation, in tfjs ops; it must not read tensor values (no data-dependent control flow). */
  fn: (...inputs: tf.Tensor[]) => tf.Tensor[];
  name?: string;
  /**
   * A graph whose batch dimension is symbolic: traced at the first
   * dimension of the first input, run at any batch, so one compile serves
   * every part of a batch (and a cheap trace at a small one). Every state
   * variable and every data input except those listed in `unbatched` (e.g.
   * a run's scalars) has the batch first. What the outputs and the state's
   * new values need may not reduce, slice or join along the batch; what they
   * do not need may (a summed loss whose gradient is taken): it is left out
   * before lowering. Code that breaks this is an OnnxExportError. A
   * constant the trace made at its batch size (e.g. the gradient of a sum,
   * all ones) is kept as one row where it meets a batched value elementwise;
   * fed to any other kernel it keeps the trace's size, and a run at another
   * batch fails in onnxruntime (tests run programs at other batches).
   */
  freeBatch?: { unbatched: readonly number[] };
}

export interface LoweredProgram {
  bytes: Uint8Array;
  inputNames: string[];
  inputShapes: number[][];
  stateNames: string[];
  outputNames: string[];
  outputShapes: number[][];
  /** Per state variable: the output holding its new value, or undefined when the code did not assign it. */
  stateOutputNames: (string | undefined)[];
  stateShapes: number[][];
  /** Per data input: whether its first dimension is the batch, symbolic in the graph (freeBatch); all false in a fixed-shape program. */
  batchedInputs: boolean[];
  /** Whether the state's first dimension is symbolic (freeBatch). */
  batchedState: boolean;
}

/** Traces `spec.fn` at the shapes of `spec.inputs` and lowers it to ONNX (opset 17). */
export function lowerProgram(spec: ProgramSpec): LoweredProgram {
  const inputs = spec.inputs.map((t) => tf.zerosLike(t));
  const state = spec.state ?? [];
  for (const t of [...spec.inputs, ...state]) {
    if (t.dtype !== 'float32') throw new OnnxExportError(`program inputs and state must be float32, got ${t.dtype}`);
  }
  try {
    const trace = traceKernels(inputs, () => spec.fn(...inputs), { state });
    return lowerStateful(trace, state, spec.name ?? 'program', spec.freeBatch?.unbatched);
  } finally {
    tf.dispose(inputs);
  }
}

/** `unbatched`: with a symbolic batch (ProgramSpec.freeBatch), the data inputs without one; undefined for fixed shapes. */
function lowerStateful(trace: Trace, state: readonly tf.Variable[], name: string, unbatched?: readonly number[]): LoweredProgram {
  const batch = trace.inputs[0]?.shape[0] ?? 1;
  const free = unbatched !== undefined;
  const ctx = new LowerContext(batch, !free);
  // Values without a batch axis: the unbatched inputs and what is computed from them alone.
  const loose = new Set(trace.inputs.filter((_, i) => unbatched?.includes(i)).map((r) => r.id));
  const inputNames = trace.inputs.map((ref, i) => (loose.has(ref.id) ? ctx.unbatched(() => define(ctx, ref, `x${i}`)) : define(ctx, ref, `x${i}`)));
  const stateNames = trace.state.map((ref, i) => define(ctx, ref, `s${i}`));
  for (const call of free ? neededCalls(trace) : trace.calls) {
    const lower = LOWERINGS[call.kernel];
    if (!lower) throw new OnnxExportError(`the tfjs kernel ${call.kernel} has no ONNX export yet (supported: ${SUPPORTED_KERNELS.join(', ')})`);
    if (free && call.inputs.every(([, v]) => v?.kind !== 'dyn' || loose.has(v.id))) {
      for (const o of call.outputs) loose.add(o.id);
      ctx.unbatched(() => lower(call, ctx));
    } else lower(call, ctx);
  }
  const emit = (value: DynRef | ConstValue, out: string): number[] => {
    const src = value.kind === 'const' ? ctx.raw(value) : ctx.as(ctx.value(value), 'plain');
    const float = value.dtype === 'float32';
    ctx.g.nodes.push(float ? { op: 'Identity', inputs: [src], outputs: [out] } : { op: 'Cast', inputs: [src], outputs: [out], attrs: { to: DataType.FLOAT } });
    return value.shape;
  };
  const outputNames = trace.outputs.map((_, i) => `y${i}`);
  const outputShapes = trace.outputs.map((v, i) => emit(v, outputNames[i]));
  const stateOutputNames = state.map((v, i) => {
    const value = trace.assigned.get(v);
    if (!value) return undefined;
    emit(value, `s${i}_next`);
    return `s${i}_next`;
  });
  const produced = [...outputNames, ...stateOutputNames.filter((n): n is string => n !== undefined)];
  const { nodes, initializers } = prune(ctx.g.nodes, ctx.g.initializers, produced);
  const symbolic = (shape: number[], batched: boolean) => (batched ? ['batch', ...shape.slice(1)] : shape);
  const batchedOf = (v: DynRef | ConstValue) => free && v.kind === 'dyn' && !loose.has(v.id);
  const info = (n: string, shape: (number | string)[]) => ({ name: n, type: DataType.FLOAT, shape });
  // Inputs the outputs do not depend on are left out of the graph (and not fed).
  const read = new Set(nodes.flatMap((n) => n.inputs));
  const declared = [...trace.inputs.map((ref, i) => [inputNames[i], ref] as const), ...trace.state.map((ref, i) => [stateNames[i], ref] as const)];
  const graph: OnnxGraph = {
    name,
    nodes,
    initializers,
    inputs: declared.filter(([n]) => read.has(n)).map(([n, ref]) => ({ name: n, type: onnxType(ref.dtype), shape: symbolic(ref.shape, batchedOf(ref)) })),
    outputs: [
      ...outputNames.map((n, i) => info(n, symbolic(outputShapes[i], batchedOf(trace.outputs[i])))),
      ...stateOutputNames.flatMap((n, i) => (n ? [info(n, symbolic(state[i].shape, free))] : [])),
    ],
  };
  return {
    bytes: encodeModel(graph),
    inputNames,
    inputShapes: trace.inputs.map((r) => r.shape),
    stateNames,
    outputNames,
    outputShapes,
    stateOutputNames,
    stateShapes: state.map((v) => v.shape),
    batchedInputs: trace.inputs.map(batchedOf),
    batchedState: free,
  };
}

/**
 * The calls the outputs and the state's new values depend on, in order: a
 * symbolic-batch graph leaves out what they do not need before lowering, as
 * a loss summed over the batch whose gradient alone is used.
 */
function neededCalls(trace: Trace): KernelCall[] {
  const needed = new Set<number>();
  for (const v of [...trace.outputs, ...trace.assigned.values()]) if (v.kind === 'dyn') needed.add(v.id);
  const kept: KernelCall[] = [];
  for (let i = trace.calls.length - 1; i >= 0; i--) {
    const call = trace.calls[i];
    if (!call.outputs.some((o) => needed.has(o.id))) continue;
    kept.push(call);
    for (const [, v] of call.inputs) if (v?.kind === 'dyn') needed.add(v.id);
  }
  return kept.reverse();
}

/** The dims of a run's feed: the traced shape, its first dimension the batch of `data` where it is symbolic. */
function feedDims(shape: readonly number[], batched: boolean, data: Float32Array): readonly number[] {
  if (!batched) return shape;
  const row = shape.slice(1).reduce((a, b) => a * b, 1);
  return [data.length / row, ...shape.slice(1)];
}

function define(ctx: LowerContext, ref: DynRef, name: string): string {
  ctx.define(ref, name, 'plain');
  return name;
}

/** What one run of a program returns: its outputs, and the new value of each state variable it assigns. */
export interface ProgramResult {
  outputs: Float32Array[];
  state: (Float32Array | undefined)[];
}

/** A lowered program loaded into an onnxruntime session. */
export class CompiledProgram {
  constructor(
    private readonly session: OrtSession,
    readonly model: Omit<LoweredProgram, 'bytes'>,
  ) {}

  /** One run: data inputs and state values in the order of the spec. */
  run(inputs: readonly Float32Array[], state: readonly Float32Array[] = []): ProgramResult {
    const m = this.model;
    if (inputs.length !== m.inputNames.length || state.length !== m.stateNames.length) {
      throw new RangeError(`program takes ${m.inputNames.length} inputs and ${m.stateNames.length} state values, got ${inputs.length} and ${state.length}`);
    }
    const feeds: Record<string, OrtTensorData> = {};
    // The session keeps only what the graph reads: pruned inputs are not fed.
    const wanted = new Set(this.session.inputNames);
    const feed = (name: string, data: Float32Array, dims: readonly number[]) => {
      if (wanted.has(name)) feeds[name] = { data, dims };
    };
    m.inputNames.forEach((n, i) => feed(n, inputs[i], feedDims(m.inputShapes[i], m.batchedInputs[i], inputs[i])));
    m.stateNames.forEach((n, i) => feed(n, state[i], feedDims(m.stateShapes[i], m.batchedState, state[i])));
    const out = this.session.run(feeds);
    return { outputs: m.outputNames.map((n) => out[n].data), state: m.stateOutputNames.map((n) => (n ? out[n].data : undefined)) };
  }

  /**
   * `iterations` runs as one job (see LoopJob): the data inputs fixed except
   * input `varying.index`, which takes `varying.values[i]` on run i, and the
   * state carried from run to run. Inputs the graph does not read are left out.
   */
  loopJob(inputs: readonly Float32Array[], state: readonly Float32Array[], varying: { index: number; values: readonly Float32Array[] }, iterations: number): LoopJob {
    const m = this.model;
    const wanted = new Set(this.session.inputNames);
    const fixed: Record<string, OrtTensorData> = {};
    m.inputNames.forEach((n, i) => {
      if (i !== varying.index && wanted.has(n)) fixed[n] = { data: inputs[i], dims: feedDims(m.inputShapes[i], m.batchedInputs[i], inputs[i]) };
    });
    const v = m.inputNames[varying.index];
    const vi = varying.index;
    return {
      fixed,
      ...(wanted.has(v) ? { varying: { name: v, dims: feedDims(m.inputShapes[vi], m.batchedInputs[vi], varying.values[0] ?? inputs[vi]), values: varying.values } } : {}),
      state: m.stateNames.map((n, k) => ({
        ...(wanted.has(n) ? { input: n } : {}),
        ...(m.stateOutputNames[k] ? { output: m.stateOutputNames[k] } : {}),
        dims: feedDims(m.stateShapes[k], m.batchedState, state[k]),
        data: state[k],
      })),
      iterations,
    };
  }

  /** Runs a job of loopJob() on this thread; returns the final state values. */
  loop(job: LoopJob, afterRun?: (iteration: number) => void): Float32Array[] {
    return runLoop((feeds) => this.session.run(feeds), job, afterRun);
  }

  dispose(): void {
    this.session.dispose();
  }
}
