import * as tf from '@tensorflow/tfjs-core';

/** A value known at export time: a weight, a literal, or something computed only from them. */
export interface ConstValue {
  kind: 'const';
  shape: number[];
  dtype: tf.DataType;
  data: Float32Array | Int32Array | Uint8Array;
}

/** A value that depends on the graph input; `id` is the tfjs tensor id that produced it. */
export interface DynRef {
  kind: 'dyn';
  id: number;
  shape: number[];
  dtype: tf.DataType;
}

export type TraceInput = ConstValue | DynRef | undefined;

/** One kernel call whose result depends on the input. */
export interface KernelCall {
  kernel: string;
  /** Named inputs in tfjs's order (Pack / Concat use '0', '1', ...). */
  inputs: [string, TraceInput][];
  attrs: Record<string, unknown>;
  outputs: DynRef[];
}

export interface Trace {
  calls: KernelCall[];
  inputs: DynRef[];
  /** What the traced function returned, dynamic or constant. */
  outputs: (DynRef | ConstValue)[];
  /** The state variables (TraceOptions.state) as values of the graph, in order. */
  state: DynRef[];
  /** The last value assigned to each variable during the trace (only state variables may be assigned). */
  assigned: Map<tf.Variable, DynRef | ConstValue>;
}

export interface TraceOptions {
  /**
   * Variables that are inputs of the graph rather than constants (weights
   * that change between runs, optimiser moments, running statistics). The
   * traced code may assign them: the trace then records the assigned value
   * (Trace.assigned) and later reads see it, while the real variable keeps
   * its value. Assigning any other variable is a TraceError.
   */
  state?: readonly tf.Variable[];
}

type RunKernel = (name: string, inputs: Record<string, tf.Tensor | null | undefined>, attrs?: Record<string, unknown>) => tf.Tensor | tf.Tensor[];
interface PatchableEngine {
  runKernel: RunKernel;
  backend: PatchableBackend;
}
interface PatchableBackend {
  readSync(dataId: object): unknown;
  read(dataId: object): Promise<unknown>;
}

export class TraceError extends Error {
  override readonly name = 'TraceError';
}

/**
 * Runs `fn` once for real and records every kernel tfjs executes (the way
 * torch.onnx traces a module), so an ONNX graph can be written from the very
 * code that trains, with no second definition of the network. Kernels whose
 * inputs are all constants are folded: only their values are kept. `fn` runs
 * inside tf.tidy.
 */
export function traceKernels(inputs: tf.Tensor[], fn: () => tf.Tensor[], opts: TraceOptions = {}): Trace {
  const engine = tf.engine() as unknown as PatchableEngine;
  const original = engine.runKernel;
  const state = opts.state ?? [];
  // Tensor id -> what it is in the graph: dynamic values, and constants assigned to state.
  const values = new Map<number, DynRef | ConstValue>([...inputs, ...state].map((t) => [t.id, dynRef(t)]));
  const consts = new Map<number, ConstValue>();
  const calls: KernelCall[] = [];
  const dynamicData = new Set<object>([...inputs, ...state].map((t) => t.dataId));
  const assigned = new Map<tf.Variable, DynRef | ConstValue>();
  const stateIds = new Set(state.map((v) => v.id));
  let depth = 0;
  const resolve = (t: tf.Tensor): DynRef | ConstValue => {
    const known = values.get(t.id);
    if (known) return known;
    // Sharing storage with a dynamic value but unknown to the trace: it was
    // made by a kernel nested in another one, and reading it as a constant
    // would silently freeze an input-dependent value.
    if (dynamicData.has(t.dataId)) throw new TraceError(`internal: tensor ${t.id} depends on the input but no recorded kernel produced it`);
    return constOf(t, consts);
  };
  // Nested calls belong to the outer kernel's implementation, except the
  // engine's clones (Identity) of the inputs and outputs it saves for the
  // backward pass: those alias the value they copy, once it is known.
  let clones: [tf.Tensor, tf.Tensor][] = [];
  engine.runKernel = function (name, kernelInputs, attrs) {
    depth++;
    try {
      const result = original.call(this, name, kernelInputs, attrs);
      if (depth === 1) {
        record(name, kernelInputs, attrs ?? {}, result);
        for (const [x, copy] of clones) alias(x, copy);
        clones = [];
      } else if (name === 'Identity' && kernelInputs.x && !Array.isArray(result)) {
        clones.push([kernelInputs.x, result]);
      }
      return result;
    } finally {
      depth--;
    }
  };
  const alias = (x: tf.Tensor, copy: tf.Tensor) => {
    const ref = values.get(x.id);
    if (!ref) return;
    values.set(copy.id, ref);
    if (ref.kind === 'dyn') dynamicData.add(copy.dataId);
  };
  const record = (name: string, named: Record<string, tf.Tensor | null | undefined>, attrs: Record<string, unknown>, result: tf.Tensor | tf.Tensor[]) => {
    const ins: [string, TraceInput][] = Object.entries(named).map(([k, t]) => [k, t ? resolve(t) : undefined]);
    const outs = Array.isArray(result) ? result : [result];
    if (!ins.some(([, v]) => v?.kind === 'dyn')) {
      for (const t of outs) constOf(t, consts);
      return;
    }
    const refs = outs.map((t) => {
      const ref = dynRef(t);
      values.set(t.id, ref);
      dynamicData.add(t.dataId);
      return ref;
    });
    calls.push({ kernel: name, inputs: ins, attrs: { ...attrs }, outputs: refs });
  };
  const initial = (t: tf.Tensor) => values.get(t.id) as DynRef;
  const traced = { inputs: inputs.map(initial), state: state.map(initial) };
  const restoreReads = guardReads(engine.backend, (dataId) => depth === 0 && dynamicData.has(dataId));
  const restoreAssign = captureAssign((v, value) => {
    if (!stateIds.has(v.id)) throw new TraceError(`the traced code assigns the variable ${v.name}, which is not part of the graph's state`);
    if (!sameShape(v.shape, value.shape) || v.dtype !== value.dtype) throw new TraceError(`the traced code assigns a [${value.shape}] ${value.dtype} value to the [${v.shape}] variable ${v.name}`);
    const ref = resolve(value);
    values.set(v.id, ref);
    assigned.set(v, ref);
  });
  try {
    const out = tf.tidy(fn);
    const trace: Trace = { calls, ...traced, outputs: out.map(resolve), assigned };
    tf.dispose(out);
    return trace;
  } finally {
    restoreAssign();
    restoreReads();
    delete (engine as Partial<PatchableEngine>).runKernel;
    // biome-ignore lint/correctness/noUnsafeFinally: a tfjs engine left patched would break every later kernel call; this error must win
    if (engine.runKernel !== original) throw new TraceError('could not restore the tfjs engine after tracing');
  }
}

/**
 * Reading the values of an input-dependent tensor while tracing means the
 * code may branch on data, which a graph cannot replay: refuse rather than
 * export the branch this one input happened to take.
 */
function guardReads(backend: PatchableBackend, forbidden: (dataId: object) => boolean): () => void {
  const { readSync, read } = backend;
  const own = ['readSync', 'read'].filter((k) => Object.hasOwn(backend, k));
  // Kernels may read their own inputs (depth > 0); only the traced code may not.
  const check = (dataId: object) => {
    if (forbidden(dataId)) {
      throw new TraceError('the network reads tensor values during its forward pass (data-dependent control flow), which an ONNX graph cannot reproduce');
    }
  };
  backend.readSync = function (dataId) {
    check(dataId);
    return readSync.call(this, dataId);
  };
  backend.read = function (dataId) {
    check(dataId);
    return read.call(this, dataId);
  };
  return () => {
    const b = backend as Partial<PatchableBackend>;
    if (own.includes('readSync')) backend.readSync = readSync;
    else delete b.readSync;
    if (own.includes('read')) backend.read = read;
    else delete b.read;
  };
}

/**
 * While tracing, Variable.assign records the new value instead of storing
 * it: the trace must not change the weights it reads.
 */
function captureAssign(onAssign: (v: tf.Variable, value: tf.Tensor) => void): () => void {
  const proto = tf.Variable.prototype as { assign(value: tf.Tensor): void };
  const own = Object.hasOwn(proto, 'assign');
  const original = proto.assign;
  proto.assign = function (this: tf.Variable, value: tf.Tensor) {
    onAssign(this, value);
  };
  return () => {
    if (own) proto.assign = original;
    else delete (proto as Partial<typeof proto>).assign;
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function dynRef(t: tf.Tensor): DynRef {
  return { kind: 'dyn', id: t.id, shape: [...t.shape], dtype: t.dtype };
}

/** Snapshots a constant's values now: tidy may dispose it before lowering. */
function constOf(t: tf.Tensor, cache: Map<number, ConstValue>): ConstValue {
  let c = cache.get(t.id);
  if (!c) {
    if (t.dtype === 'string' || t.dtype === 'complex64') throw new TraceError(`cannot export a ${t.dtype} tensor`);
    const data = t.dataSync() as Float32Array | Int32Array | Uint8Array;
    c = { kind: 'const', shape: [...t.shape], dtype: t.dtype, data: data.slice() };
    cache.set(t.id, c);
  }
  return c;
}
