import type * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { GRAPH_BUILDERS, type ConvKind } from './conv-onnx.js';
import { heapOf } from './heap.js';
import { BackendError } from './select.js';
import { Chunks, patchBytesPerImage } from './ort-conv-chunks.js';
import { loadOnnxruntimeNode, type OrtLoader, type OrtRuntime, type OrtSession } from './ort/index.js';
import { encodeModel } from './ort/onnx-model.js';

/**
 * Convolutions (and their two gradients) of the tfjs wasm backend, run on
 * onnxruntime-node instead: its CPU GEMM uses AVX2/AVX-512 FMA and every
 * core, where tfjs-backend-wasm has 128-bit SIMD on one thread in Node.
 * Measured per thread (CPU time, batch 64) it is about 3x XNNPACK's forward
 * on wide layers and 3-5x our composite gradient kernels; on 16-32-channel
 * layers they are close, and the copy in and out of the wasm heap is the
 * same either way. tfjs keeps the tape and every other kernel: only the
 * arithmetic of these three kernels moves. Sessions are built per layer
 * shape (batch symbolic) on first use and kept.
 */

/** Where convolutions run: 'auto' = onnxruntime when it loads and the layer is worth it, else tfjs. */
export type ConvEngine = 'auto' | 'ort' | 'tfjs';

type Info = tf.backend_util.Conv2DInfo;

export interface ConvAcceleratorOptions {
  engine?: ConvEngine;
  /** onnxruntime intra-op threads (default: the machine's logical CPUs). */
  threads?: number;
  /** Loads onnxruntime (tests substitute failing ones). */
  loader?: OrtLoader;
  /** Called once if onnxruntime cannot be loaded and the engine falls back to tfjs. */
  onFallback?: (reason: string) => void;
  /** Largest patch matrix one session run may build (default CHUNK_BYTES); bigger batches run in chunks. */
  chunkBytes?: number;
}

/** 8 MB: a width-64 generator layer runs in 2-5 chunks of its batch of 64 (see run()). */
export const CHUNK_BYTES = 8 * 2 ** 20;

/**
 * Below this many multiply-adds a convolution stays on tfjs: the session
 * call and the copies cost about as much as the arithmetic.
 */
export const MIN_ORT_MACS = 2_000_000;

export function convMacs(info: Info): number {
  return info.batchSize * info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels * info.outChannels;
}

/**
 * Whether 'auto' sends a convolution to onnxruntime, from per-layer timings
 * (batch 64, docs/perf-gradients.md): its GEMM needs wide matrices, so the
 * forward pass moves from 64 channels on both sides; the input gradient
 * moves unless it is a stride-1 layer of 32 channels or fewer (there
 * XNNPACK's direct convolution beats the GEMM plus col2im); the filter
 * gradient, one long GEMM, always moves.
 */
export function worthOrt(kind: ConvKind, info: Info): boolean {
  if (convMacs(info) < MIN_ORT_MACS) return false;
  const { inChannels: cin, outChannels: cout } = info;
  if (kind === 'forward') return Math.min(cin, cout) >= 64;
  if (kind === 'inputGrad') return !(info.strideHeight === 1 && info.strideWidth === 1 && Math.max(cin, cout) <= 32);
  return true;
}

export class ConvAccelerator {
  private runtime: OrtRuntime | null | undefined;
  private readonly sessions = new Map<string, OrtSession>();
  /** Layer shapes onnxruntime failed on; they stay on tfjs. */
  private readonly failed = new Set<string>();
  private engine: ConvEngine;
  private threads: number;
  private readonly loader: OrtLoader;
  private readonly onFallback: (reason: string) => void;
  private chunkBytes: number;
  /** Why onnxruntime is not used, once it failed to load. */
  unavailable?: string;
  /** Kernels run on onnxruntime so far, by kind. */
  readonly runs: Record<ConvKind, number> = { forward: 0, inputGrad: 0, filterGrad: 0 };

  constructor(opts: ConvAcceleratorOptions = {}) {
    this.engine = opts.engine ?? 'auto';
    this.threads = opts.threads ?? availableParallelism();
    this.loader = opts.loader ?? loadOnnxruntimeNode;
    this.onFallback = opts.onFallback ?? (() => undefined);
    this.chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  }

  configure(opts: { engine?: ConvEngine; threads?: number; chunkBytes?: number }): void {
    if (opts.engine !== undefined) this.engine = opts.engine;
    if (opts.chunkBytes !== undefined) this.chunkBytes = opts.chunkBytes;
    if (opts.threads !== undefined && opts.threads !== this.threads) {
      this.threads = opts.threads;
      this.dispose(); // sessions hold their thread pools
    }
  }

  get choice(): ConvEngine {
    return this.engine;
  }

  /**
   * Runs one convolution kernel on onnxruntime and returns its output on
   * `backend`, or undefined when it should stay on tfjs (engine 'tfjs', not
   * worth it, onnxruntime unavailable).
   */
  tryRun(kind: ConvKind, info: Info, a: tf.TensorInfo, b: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo | undefined {
    if (this.engine === 'tfjs' || (this.engine === 'auto' && !worthOrt(kind, info))) return undefined;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
    const key = sessionKey(kind, info);
    if (this.failed.has(key)) return undefined;
    try {
      return this.run(kind, key, info, a, b, backend);
    } catch (e) {
      // A shape onnxruntime cannot take is a missed speed-up, not an error: tfjs computes it.
      this.failed.add(key);
      this.onFallback(`onnxruntime failed on a ${kind} convolution (${key}): ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /**
   * Runs the batch in chunks whose patch matrix stays under `chunkBytes`:
   * each session's memory arena keeps its largest intermediates for good,
   * and unchunked the generator's ~45 layer sessions held 2.5 GB. The filter
   * gradient sums over chunks through the graph's accumulator input.
   */
  private run(kind: ConvKind, key: string, info: Info, a: tf.TensorInfo, b: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo | undefined {
    const session = this.session(kind, key, info);
    if (session === undefined) return undefined;
    const step = Math.max(1, Math.min(info.batchSize, Math.floor(this.chunkBytes / patchBytesPerImage(info))));
    const chunks = new Chunks(session, kind, info, step, heapOf(backend), backend);
    const out = kind === 'filterGrad' ? chunks.accumulate(a, b) : chunks.fill(a, b);
    this.runs[kind]++;
    return out;
  }

  /** Frees every session (they are rebuilt on demand). */
  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }

  private session(kind: ConvKind, key: string, info: Info): OrtSession | undefined {
    const runtime = this.load();
    if (runtime === null) return undefined;
    let s = this.sessions.get(key);
    if (s === undefined) {
      s = runtime.createSession(encodeModel(GRAPH_BUILDERS[kind](info)), { threads: this.threads });
      this.sessions.set(key, s);
    }
    return s;
  }

  /**
   * Why onnxruntime will not run these convolutions (undefined when it loads
   * or the engine is 'tfjs'). The caller reports it: no onFallback follows.
   */
  probe(): string | undefined {
    if (this.engine === 'tfjs') return undefined;
    this.load(true);
    return this.unavailable;
  }

  private load(quiet = false): OrtRuntime | null {
    if (this.runtime !== undefined) return this.runtime;
    try {
      this.runtime = this.loader();
    } catch (e) {
      this.runtime = null;
      this.unavailable = e instanceof Error ? e.message : String(e);
      if (!quiet) this.onFallback(this.unavailable);
    }
    return this.runtime;
  }
}

function sessionKey(kind: ConvKind, i: Info): string {
  const { top, left } = i.padInfo;
  return [kind, i.inHeight, i.inWidth, i.inChannels, i.filterHeight, i.filterWidth, i.outChannels, i.strideHeight, i.strideWidth, top, left, i.outHeight, i.outWidth].join(',');
}


/** The accelerator the registered wasm kernels use. */
export const convAccelerator = new ConvAccelerator({
  onFallback: (reason) => process.emitWarning(`convolutions stay on tfjs-wasm: ${reason}`, { code: 'DEEPPERFORM_CONV_ENGINE' }),
});

const ENGINES: readonly ConvEngine[] = ['auto', 'ort', 'tfjs'];

/** Reads DEEPPERFORM_CONV_ENGINE (auto | ort | tfjs); undefined when unset; another value is a user error (exit 2), as a wrong DEEPPERFORM_BACKEND. */
export function parseConvEngine(raw: string | undefined): ConvEngine | undefined {
  const v = raw?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (!(ENGINES as readonly string[]).includes(v)) {
    throw new BackendError(`Unknown convolution engine '${raw}' (DEEPPERFORM_CONV_ENGINE). Use one of: ${ENGINES.join(', ')}.`);
  }
  return v as ConvEngine;
}
