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
export function traceKernels(inputs: tf.Tensor[], fn: () => tf.Tensor[]): Trace {
  const engine = tf.engine() as unknown as PatchableEngine;
  const original = engine.runKernel;
  const dynamic = new Map<number, DynRef>(inputs.map((t) => [t.id, dynRef(t)]));
  const consts = new Map<number, ConstValue>();
  const calls: KernelCall[] = [];
  const dynamicData = new Set<object>(inputs.map((t) => t.dataId));
  let depth = 0;
  const resolve = (t: tf.Tensor): DynRef | ConstValue => dynamic.get(t.id) ?? constOf(t, consts);
  engine.runKernel = function (name, kernelInputs, attrs) {
    depth++;
    try {
      const result = original.call(this, name, kernelInputs, attrs);
      // Nested calls belong to the outer kernel's implementation.
      if (depth === 1) record(name, kernelInputs, attrs ?? {}, result);
      return result;
    } finally {
      depth--;
    }
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
      dynamic.set(t.id, ref);
      dynamicData.add(t.dataId);
      return ref;
    });
    calls.push({ kernel: name, inputs: ins, attrs: { ...attrs }, outputs: refs });
  };
  const restoreReads = guardReads(engine.backend, (dataId) => depth === 0 && dynamicData.has(dataId));
  try {
    const out = tf.tidy(fn);
    const trace: Trace = { calls, inputs: inputs.map((t) => dynamic.get(t.id)!), outputs: out.map(resolve) };
    tf.dispose(out);
    return trace;
  } finally {
    restoreReads();
    delete (engine as Partial<PatchableEngine>).runKernel;
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
  const own = ['readSync', 'read'].filter((k) => Object.prototype.hasOwnProperty.call(backend, k));
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
