import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';
import { realLoaders } from './loaders.js';
import { convAccelerator, parseConvEngine } from './ort-conv.js';
import { chooseBackend, explicitRequest, type BackendInfo, type BackendLoaders } from './select.js';

export interface InitBackendOptions {
  /** node | tensorflow | wasm | cpu | auto; overrides DEEPPERFORM_BACKEND. */
  backend?: string;
  /** Compute threads, for backends that can use them (also onnxruntime's, for wasm's convolutions). */
  threads?: number;
  /**
   * Where the wasm backend's convolutions run: auto (onnxruntime-node when it
   * loads, for the layers it is faster on), ort, or tfjs; overrides
   * DEEPPERFORM_CONV_ENGINE.
   */
  convEngine?: string;
  /** Environment to read DEEPPERFORM_BACKEND from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Backend loaders (tests substitute failing ones). */
  loaders?: BackendLoaders;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

/**
 * Activates the best tfjs backend available, or the one asked for (an
 * explicit choice that cannot load is a BackendError, never a fallback).
 * Calling it again returns the same info unless a different backend is
 * explicitly requested, which switches to it.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  configureConvolutions(opts);
  // Serialise: two callers racing must not initialise two backends.
  while (pending !== undefined) await pending.catch(() => undefined);
  const request = explicitRequest(opts.backend, opts.env ?? process.env);
  const active = tf.engine().backendName;
  if (current !== undefined && current.name === active && (request === undefined || request.name === current.name)) {
    return current;
  }
  pending = chooseBackend(request, opts.loaders ?? realLoaders, opts.threads);
  try {
    current = await pending;
    return current;
  } finally {
    pending = undefined;
  }
}

/** Only what the caller set explicitly changes, so a later bare initBackend() keeps earlier choices. */
function configureConvolutions(opts: InitBackendOptions): void {
  const engine = parseConvEngine(opts.convEngine) ?? parseConvEngine((opts.env ?? process.env).DEEPPERFORM_CONV_ENGINE);
  convAccelerator.configure({ engine, threads: opts.threads });
}

/** What initBackend chose, or undefined before it has run. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}
