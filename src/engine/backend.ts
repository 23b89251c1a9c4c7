import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';
import { realLoaders } from './loaders.js';
import { chooseBackend, explicitRequest, type BackendInfo, type BackendLoaders } from './select.js';

export interface InitBackendOptions {
  /** node | tensorflow | wasm | cpu | auto; overrides DEEPPERFORM_BACKEND. */
  backend?: string;
  /** Compute threads, for backends that can use them. */
  threads?: number;
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

/** What initBackend chose, or undefined before it has run. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}
