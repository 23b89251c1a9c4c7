import type * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { exportOnnx, type ExportedModel } from './export.js';
import { CompiledProgram, lowerProgram, type ProgramSpec } from './program.js';
import { SplitProgram } from './program-split.js';
import { ProgramWorkerError } from './program-worker.js';
import { CompiledForward, type ForwardCompiler } from './forward.js';
import { loadOnnxruntimeNode, OrtUnavailableError, type OrtLoader, type OrtRuntime } from './runtime.js';
import { UserError } from '../../util/errors.js';

/** Which engine runs the forward-only paths: 'auto' prefers ORT and falls back to tfjs. */
export type EngineChoice = 'auto' | 'ort' | 'tfjs';
export type EngineName = 'ort' | 'tfjs';

/** Why a forward-only path runs on tfjs although ORT was wanted (emitted once per cause). */
export class OrtFallbackWarning extends Error {
  override readonly name = 'OrtFallbackWarning';
}

export class EngineChoiceError extends UserError {
  override readonly name = 'EngineChoiceError';
}

export interface InferenceEngineOptions {
  /** Default: DEEPPERFORM_ENGINE from `env`, else 'auto'. */
  choice?: EngineChoice;
  /**
   * Where gradient programs (training steps, attack iterations) run; default
   * DEEPPERFORM_GRAD_ENGINE from `env`, else 'auto'. 'tfjs' keeps them on
   * tfjs's own kernels while forward passes still use onnxruntime; with
   * `choice` 'tfjs' everything is tfjs.
   */
  gradients?: EngineChoice;
  env?: Record<string, string | undefined>;
  /** How to load onnxruntime (tests substitute failing ones). */
  loader?: OrtLoader;
  /** ORT intra-op threads; default ORT's own (one per physical core). */
  threads?: number;
  /** ORT execution providers; default DEEPPERFORM_ORT_PROVIDERS (comma-separated) from `env`, else CPU. */
  providers?: string[];
  /** Where fallback warnings go; default process.emitWarning. */
  warn?: (w: OrtFallbackWarning) => void;
}

export function parseEngineChoice(raw: string | undefined, source: string): EngineChoice {
  const v = raw?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'ort' || v === 'onnxruntime') return 'ort';
  if (v === 'tfjs') return 'tfjs';
  throw new EngineChoiceError(`Unknown inference engine '${raw}' (from ${source}). Use one of: ort, tfjs, auto.`);
}

interface CacheEntry {
  fingerprint: readonly object[];
  value: { dispose(): void };
}

/**
 * The ONNX Runtime side of the forward-only hot paths. Models are exported
 * from their tfjs definition on first use and re-exported when their weights
 * change (tfjs gives a variable a new data id on every assign, so comparing
 * ids is exact and costs nothing).
 */
export class InferenceEngine {
  readonly choice: EngineChoice;
  readonly gradients: EngineChoice;
  private runtimeState?: { runtime?: OrtRuntime; error?: OrtUnavailableError };
  private readonly cache = new WeakMap<object, Map<string, CacheEntry>>();
  private readonly warned = new Set<string>();
  private readonly splitFailed = new WeakMap<object, Set<string>>();

  private readonly providers?: string[];

  constructor(private readonly opts: InferenceEngineOptions = {}) {
    const env = opts.env ?? process.env;
    this.choice = opts.choice ?? parseEngineChoice(env.DEEPPERFORM_ENGINE, 'DEEPPERFORM_ENGINE');
    this.gradients = this.choice === 'tfjs' ? 'tfjs' : (opts.gradients ?? parseEngineChoice(env.DEEPPERFORM_GRAD_ENGINE, 'DEEPPERFORM_GRAD_ENGINE'));
    const listed = env.DEEPPERFORM_ORT_PROVIDERS?.split(',').map((p) => p.trim()).filter(Boolean);
    this.providers = opts.providers ?? (listed?.length ? listed : undefined);
  }

  /** The ORT runtime, or undefined when tfjs must run (after one warning, or by choice). */
  runtime(): OrtRuntime | undefined {
    if (this.choice === 'tfjs') return undefined;
    if (!this.runtimeState) {
      try {
        this.runtimeState = { runtime: (this.opts.loader ?? loadOnnxruntimeNode)() };
      } catch (e) {
        const error = e instanceof OrtUnavailableError ? e : new OrtUnavailableError(e instanceof Error ? e.message : String(e));
        this.runtimeState = { error };
      }
    }
    const { runtime, error } = this.runtimeState;
    if (error) {
      if (this.choice === 'ort') throw error;
      this.warnOnce('load', `${error.message}; forward passes run on tfjs instead (slower). Set DEEPPERFORM_ENGINE=tfjs to silence this.`);
    }
    return runtime;
  }

  /**
   * Why onnxruntime will not run under 'auto' (undefined when it loads, or
   * when the choice is fixed: 'tfjs' never loads it, 'ort' throws at use).
   * The caller reports the reason, so runtime() does not warn about it again.
   */
  probe(): string | undefined {
    if (this.choice !== 'auto') return undefined;
    this.warned.add('load');
    this.runtime();
    return this.runtimeState?.error?.message;
  }

  /**
   * `fn` compiled for inputs of `inputShape` ([H, W, C]), or undefined when
   * it has to run on tfjs (ORT missing, or the network uses a kernel the
   * exporter cannot write: warned once per `owner`/`key`).
   */
  compile(owner: object, key: string, weights: Iterable<tf.Variable>, inputShape: readonly number[], fn: (x: tf.Tensor4D) => tf.Tensor[]): CompiledForward | undefined {
    return this.build(owner, key, weights, (compile) => compile([inputShape], (x) => fn(x as tf.Tensor4D), key));
  }

  /**
   * A program (src/engine/ort/program.ts) compiled once per `owner`/`key`
   * while the `frozen` weights (the constants it reads) keep their ids, or
   * undefined when it has to run on tfjs: gradients chosen 'tfjs', ORT
   * missing, or code the tracer cannot write (warned once per key, unless
   * gradients are 'ort', which makes that an error). `key` must name
   * everything the spec bakes in as constants (shapes, hyperparameters).
   */
  program(owner: object, key: string, frozen: Iterable<tf.Variable>, spec: () => ProgramSpec, session: { threads?: number } = {}): CompiledProgram | undefined {
    if (this.gradients === 'tfjs') return undefined;
    return this.build(owner, `program ${key}`, frozen, (_compile, program) => program(spec()), session, this.gradients);
  }

  /**
   * How many threads a loop over `batch` independent inputs is split across
   * (splitProgram): the engine's threads, at most one per input; 1 when
   * programs do not run on onnxruntime or the runtime has no worker threads.
   * Without a thread count, the machine's logical CPUs up to DEFAULT_PARTS:
   * every part is a worker with its own runtime and copy of the program.
   */
  programParts(batch: number): number {
    if (this.gradients === 'tfjs' || !this.runtime()?.loadRemote) return 1;
    return Math.max(1, Math.min(batch, this.opts.threads ?? Math.min(availableParallelism(), DEFAULT_PARTS)));
  }

  /**
   * program() for one part of a batch, loaded `parts` times with one intra-op
   * thread each: here and on `parts - 1` worker threads (SplitProgram).
   * Undefined as for program(), and when the runtime has no worker threads;
   * `key` must also name the part's shape.
   */
  splitProgram(owner: object, key: string, frozen: Iterable<tf.Variable>, spec: () => ProgramSpec, parts: number): SplitProgram | undefined {
    if (this.gradients === 'tfjs' || parts < 2 || !this.runtime()?.loadRemote) return undefined;
    const failed = this.splitFailed.get(owner) ?? new Set<string>();
    if (failed.has(key)) return undefined;
    try {
      return this.build(owner, `split program ${parts} ${key}`, frozen, (_compile, _program, split) => split(spec(), parts), { threads: 1 }, 'ort');
    } catch (e) {
      // Not retried for this owner: a trace or a worker that failed once would fail again.
      this.splitFailed.set(owner, failed.add(key));
      if (e instanceof ProgramWorkerError) {
        this.warnOnce(`split:${key}`, `cannot run ${key} on worker threads (${e.message}); it runs on this thread only.`);
        return undefined;
      }
      // Code the tracer cannot write: program() meets the same error and reports it (or throws, under 'ort').
      if (this.gradients === 'ort') throw e;
      return undefined;
    }
  }

  /** Disposes what program() compiled for `owner`/`key` (e.g. a step whose settings changed). */
  releaseProgram(owner: object, key: string): void {
    const perOwner = this.cache.get(owner);
    perOwner?.get(`program ${key}`)?.value.dispose();
    perOwner?.delete(`program ${key}`);
  }

  /**
   * Several forwards made together by `make` (e.g. one per stage of a
   * network), cached together per `owner`/`key` while the weights keep their
   * ids, or undefined when tfjs has to run them (as for compile()). With
   * 'auto', any piece that cannot be exported sends the whole of it to tfjs.
   * `session.threads` overrides the engine's intra-op threads for these
   * sessions (put it in `key` too: the cache does not look at it).
   */
  build<T extends { dispose(): void }>(
    owner: object,
    key: string,
    weights: Iterable<tf.Variable>,
    make: (compile: ForwardCompiler, program: (spec: ProgramSpec) => CompiledProgram, split: (spec: ProgramSpec, parts: number) => SplitProgram) => T,
    session: { threads?: number } = {},
    choice: EngineChoice = this.choice,
  ): T | undefined {
    const runtime = choice === 'ort' && this.choice === 'auto' ? this.strictRuntime() : this.runtime();
    if (!runtime) return undefined;
    const fingerprint = [...weights].map((v) => v.dataId);
    let perOwner = this.cache.get(owner);
    if (!perOwner) this.cache.set(owner, (perOwner = new Map()));
    const hit = perOwner.get(key);
    if (hit && sameIds(hit.fingerprint, fingerprint)) return hit.value === FAILED ? undefined : (hit.value as T);
    hit?.value.dispose();
    perOwner.delete(key);
    const made: { dispose(): void }[] = [];
    const threads = session.threads ?? this.opts.threads;
    const load = (model: ExportedModel, inputShapes: readonly (readonly number[])[]): CompiledForward => {
      const forward = new CompiledForward(runtime.createSession(model.bytes, { threads, providers: this.providers }), model, inputShapes);
      made.push(forward);
      return forward;
    };
    const program = (spec: ProgramSpec) => {
      const { bytes, ...model } = lowerProgram(spec);
      const compiled = new CompiledProgram(runtime.createSession(bytes, { threads, providers: this.providers }), model);
      made.push(compiled);
      return compiled;
    };
    const split = (spec: ProgramSpec, parts: number) => {
      const { bytes, ...model } = lowerProgram(spec);
      const options = { threads, providers: this.providers };
      const loading = Array.from({ length: parts - 1 }, (_, k) => runtime.loadRemote!(bytes, options, k));
      made.push(...loading.map((l) => l.program));
      // The workers load their copies while this thread loads its own.
      const local = new CompiledProgram(runtime.createSession(bytes, options), model);
      made.push(local);
      for (const l of loading) l.finish();
      return new SplitProgram(local, loading.map((l) => l.program));
    };
    const compile: ForwardCompiler = Object.assign((inputShapes: readonly (readonly number[])[], fn: (...inputs: tf.Tensor[]) => tf.Tensor[], name = key) => load(exportOnnx(inputShapes, fn, name), inputShapes), { load });
    let value: T;
    try {
      value = make(compile, program, split);
    } catch (e) {
      for (const f of made) f.dispose();
      // An export the tracer refuses, or a graph ORT rejects: tfjs can still run it.
      if (choice === 'ort') throw e;
      this.warnOnce(`export:${key}`, `cannot run ${key} on onnxruntime (${e instanceof Error ? e.message : String(e)}); it runs on tfjs instead.`);
      // Not retried while the weights stay the same: the trace would fail again.
      perOwner.set(key, { fingerprint, value: FAILED });
      return undefined;
    }
    perOwner.set(key, { fingerprint, value });
    return value;
  }

  /** The runtime, or its load error thrown: gradients asked for 'ort' explicitly. */
  private strictRuntime(): OrtRuntime {
    const runtime = this.runtime();
    if (!runtime) throw this.runtimeState?.error ?? new OrtUnavailableError('not loaded');
    return runtime;
  }

  private warnOnce(cause: string, message: string): void {
    if (this.warned.has(cause)) return;
    this.warned.add(cause);
    const w = new OrtFallbackWarning(message);
    (this.opts.warn ?? ((x: OrtFallbackWarning) => process.emitWarning(x)))(w);
  }
}

/** Threads an attack loop is split across when the engine was given no thread count (measured on 2 cores only). */
const DEFAULT_PARTS = 4;

/** A cache entry for something that could not be compiled. */
const FAILED = { dispose: () => undefined };

function sameIds(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

let shared: InferenceEngine | undefined;

/** The process-wide engine (DEEPPERFORM_ENGINE decides; ORT when it loads). */
export function defaultInferenceEngine(): InferenceEngine {
  return (shared ??= new InferenceEngine());
}

/** Replaces the process-wide engine (e.g. with a thread count from the CLI); returns it. */
export function setDefaultInferenceEngine(engine: InferenceEngine): InferenceEngine {
  shared = engine;
  return engine;
}
