import * as tf from '@tensorflow/tfjs-core';
// Programs trace tfjs's backward passes: its gradient functions must be registered.
import '../gradients.js';
import { LOWERINGS, prune, SUPPORTED_KERNELS } from './export.js';
import { LowerContext, OnnxExportError, onnxType } from './lower-context.js';
import { DataType, encodeModel, type OnnxGraph } from './onnx-model.js';
import { runLoop, type LoopJob } from './program-loop.js';
import type { OrtSession, OrtTensorData } from './runtime.js';
import { traceKernels, type ConstValue, type DynRef, type Trace } from './trace.js';

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
    return lowerStateful(trace, state, spec.name ?? 'program');
  } finally {
    tf.dispose(inputs);
  }
}

function lowerStateful(trace: Trace, state: readonly tf.Variable[], name: string): LoweredProgram {
  const batch = trace.inputs[0]?.shape[0] ?? 1;
  const ctx = new LowerContext(batch, true);
  const inputNames = trace.inputs.map((ref, i) => define(ctx, ref, `x${i}`));
  const stateNames = trace.state.map((ref, i) => define(ctx, ref, `s${i}`));
  for (const call of trace.calls) {
    const lower = LOWERINGS[call.kernel];
    if (!lower) throw new OnnxExportError(`the tfjs kernel ${call.kernel} has no ONNX export yet (supported: ${SUPPORTED_KERNELS.join(', ')})`);
    lower(call, ctx);
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
  const info = (n: string, shape: number[]) => ({ name: n, type: DataType.FLOAT, shape });
  // Inputs the outputs do not depend on are left out of the graph (and not fed).
  const read = new Set(nodes.flatMap((n) => n.inputs));
  const declared = [...trace.inputs.map((ref, i) => [inputNames[i], ref] as const), ...trace.state.map((ref, i) => [stateNames[i], ref] as const)];
  const graph: OnnxGraph = {
    name,
    nodes,
    initializers,
    inputs: declared.filter(([n]) => read.has(n)).map(([n, ref]) => ({ name: n, type: onnxType(ref.dtype), shape: ref.shape })),
    outputs: [
      ...outputNames.map((n, i) => info(n, outputShapes[i])),
      ...stateOutputNames.flatMap((n, i) => (n ? [info(n, state[i].shape)] : [])),
    ],
  };
  return { bytes: encodeModel(graph), inputNames, inputShapes: trace.inputs.map((r) => r.shape), stateNames, outputNames, outputShapes, stateOutputNames, stateShapes: state.map((v) => v.shape) };
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
    m.inputNames.forEach((n, i) => feed(n, inputs[i], m.inputShapes[i]));
    m.stateNames.forEach((n, i) => feed(n, state[i], m.stateShapes[i]));
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
      if (i !== varying.index && wanted.has(n)) fixed[n] = { data: inputs[i], dims: m.inputShapes[i] };
    });
    const v = m.inputNames[varying.index];
    return {
      fixed,
      ...(wanted.has(v) ? { varying: { name: v, dims: m.inputShapes[varying.index], values: varying.values } } : {}),
      state: m.stateNames.map((n, k) => ({
        ...(wanted.has(n) ? { input: n } : {}),
        ...(m.stateOutputNames[k] ? { output: m.stateOutputNames[k] } : {}),
        dims: m.stateShapes[k],
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
