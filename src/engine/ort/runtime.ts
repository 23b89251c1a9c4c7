import { createRequire } from 'node:module';
import { loadRemoteProgram, type RemoteProgram } from './program-worker.js';

/** A float32 tensor crossing the ORT boundary: flat data in row-major order. */
export interface OrtTensorData {
  data: Float32Array;
  dims: readonly number[];
}

/** One loaded model; `run` is synchronous so the AdNN contract's sync paths can use it. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorData>): Record<string, OrtTensorData>;
  dispose(): void;
}

export interface SessionOptions {
  /** Intra-op threads (ORT's default is one per physical core). */
  threads?: number;
  /**
   * Execution providers in order of preference, e.g. ['cuda', 'cpu'] once the
   * CUDA binaries are installed (docs/engine.md); default ORT's CPU provider.
   */
  providers?: string[];
  /**
   * Whether the intra-op workers spin-wait for work after a run (ORT's own
   * default; ours is false). Every session owns a pool, and sessions are
   * called between tfjs kernels: their idle spinning took the second core
   * from the main thread (a width-16 Eq. 8 step at 28x28, 2 threads: 700 ms
   * spinning, 200 ms without; a batch-64 generator forward lost under 2 %).
   */
  spinning?: boolean;
}

/** What the engine needs from onnxruntime; tests substitute failing or fake ones. */
export interface OrtRuntime {
  readonly version: string;
  createSession(model: Uint8Array, options?: SessionOptions): OrtSession;
  /**
   * Loads a program on worker thread `worker` of a process-wide pool, each
   * with its own onnxruntime (program-worker.ts); `finish()` waits for the
   * load. Absent where the runtime cannot (test fakes): programs then run on
   * this thread only.
   */
  loadRemote?(model: Uint8Array, options: SessionOptions, worker: number): { program: RemoteProgram; finish: () => void };
}

/** Loads the runtime or throws an Error whose message says why it cannot. */
export type OrtLoader = () => OrtRuntime;

/** onnxruntime-node cannot be loaded here (missing package, no binary for this platform ...). */
export class OrtUnavailableError extends Error {
  override readonly name = 'OrtUnavailableError';
  constructor(readonly reason: string) {
    super(`onnxruntime-node cannot be loaded: ${reason}`);
  }
}

// The shapes of onnxruntime-node's native binding (dist/binding.js) that we call.
interface NativeTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}
interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: readonly { name: string }[];
  readonly outputMetadata: readonly { name: string }[];
  run(feeds: Record<string, NativeTensor>, fetches: Record<string, null>, options: object): Record<string, NativeTensor>;
  dispose(): void;
}
interface BindingModule {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}
interface OrtModule {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => NativeTensor;
  env: { versions: Record<string, string | undefined> };
}

/**
 * The real runtime. onnxruntime-node's public `session.run` is async only
 * because it wraps the native call in setImmediate; the native session it
 * wraps is synchronous, and calling it directly keeps `generate` and the soft
 * pass synchronous like their tfjs versions.
 */
export const loadOnnxruntimeNode: OrtLoader = () => {
  const require = createRequire(import.meta.url);
  let ort: OrtModule;
  let native: BindingModule;
  try {
    ort = require('onnxruntime-node') as OrtModule;
    native = require('onnxruntime-node/dist/binding.js') as BindingModule;
  } catch (e) {
    throw new OrtUnavailableError(e instanceof Error ? e.message.split('\n')[0] : String(e));
  }
  if (typeof native.binding?.InferenceSession !== 'function' || typeof native.initOrt !== 'function') {
    throw new OrtUnavailableError('its native binding has an unexpected shape (unsupported onnxruntime-node version)');
  }
  native.initOrt();
  const modules = { ort: require.resolve('onnxruntime-node'), binding: require.resolve('onnxruntime-node/dist/binding.js') };
  return {
    version: ort.env.versions.node ?? 'unknown',
    createSession: (model, options = {}) => nativeSession(native, ort, model, options),
    loadRemote: (model, options, worker) => loadRemoteProgram(modules, worker, model, nativeSessionOptions(options)),
  };
};

/** onnxruntime-node's session options for ours (its InferenceSession.SessionOptions shape). */
export function nativeSessionOptions(options: SessionOptions): Record<string, unknown> {
  return {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    ...(options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
    ...(options.providers?.length ? { executionProviders: options.providers } : {}),
    extra: { session: { intra_op: { allow_spinning: options.spinning === true ? '1' : '0' } } },
  };
}

function nativeSession(native: BindingModule, ort: OrtModule, model: Uint8Array, options: SessionOptions): OrtSession {
  const session = new native.binding.InferenceSession();
  session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, nativeSessionOptions(options));
  const inputNames = session.inputMetadata.map((m) => m.name);
  const outputNames = session.outputMetadata.map((m) => m.name);
  // Built once: staged execution calls small sessions many times per input.
  const fetches = Object.fromEntries(outputNames.map((n) => [n, null]));
  return {
    inputNames,
    outputNames,
    run(feeds) {
      const native: Record<string, NativeTensor> = {};
      for (const [name, t] of Object.entries(feeds)) native[name] = new ort.Tensor('float32', t.data, t.dims);
      const out = session.run(native, fetches, {});
      const result: Record<string, OrtTensorData> = {};
      for (const [name, t] of Object.entries(out)) {
        if (!(t.data instanceof Float32Array)) throw new Error(`output ${name} is ${t.type}, expected float32`);
        result[name] = { data: t.data, dims: t.dims };
      }
      return result;
    },
    dispose: () => session.dispose(),
  };
}
