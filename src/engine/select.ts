/** Which tfjs backend to run on, and why. */

import { UserError } from '../util/errors.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** The explicit choice as the user wrote it (CLI flag or env), if any. */
  requested?: string;
  /** Why faster backends were skipped (or limits of the chosen one), in order. */
  fallbackReasons: string[];
  /** Compute threads the backend uses, when it reports them. */
  threads?: number;
}

/** A requested backend is unknown or cannot be loaded. */
export class BackendError extends UserError {
  override readonly name = 'BackendError';
}

/**
 * What 'auto' tries, best first: XNNPACK-in-wasm (with our gradient kernels
 * and onnxruntime's convolutions), then plain JS. tfjs-node ('tensorflow') is
 * never chosen automatically: CI cannot install or test it, so it runs only
 * when asked for by name (--backend, config, DEEPPERFORM_BACKEND).
 */
export const BACKEND_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

/** Recorded whenever the opt-in tfjs-node backend runs, so every report says so. */
export const TFJS_NODE_NOTE = 'tensorflow: tfjs-node is opt-in and not covered by deepperform\'s CI (wasm and cpu are)';

const ALIASES: Record<string, BackendName> = {
  node: 'tensorflow',
  'tfjs-node': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Maps a user's spelling to a backend; undefined means auto: wasm, else cpu (never tfjs-node). */
export function parseBackendName(raw: string | undefined, source: string): BackendName | undefined {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'auto') return undefined;
  const name = ALIASES[value];
  if (name === undefined) {
    throw new BackendError(
      `Unknown backend '${raw}' (from ${source}). Use one of: wasm, cpu, auto (wasm, else cpu), or node (tfjs-node, opt-in).`,
    );
  }
  return name;
}

/**
 * The explicit request: the function argument (the CLI's --backend) wins over
 * DEEPPERFORM_BACKEND; an explicit 'auto' argument ignores the variable.
 */
export function explicitRequest(
  arg: string | undefined,
  env: Record<string, string | undefined>,
): { name: BackendName; raw: string } | undefined {
  if (arg !== undefined && arg.trim() !== '') {
    const name = parseBackendName(arg, '--backend');
    return name === undefined ? undefined : { name, raw: arg };
  }
  const raw = env.DEEPPERFORM_BACKEND ?? '';
  const name = parseBackendName(raw, 'DEEPPERFORM_BACKEND');
  return name === undefined ? undefined : { name, raw };
}

/** Loads and activates one backend; throws an Error whose message says why it cannot. */
export type BackendLoader = (threads: number | undefined) => Promise<{ threads?: number; notes?: string[] }>;

export type BackendLoaders = Record<BackendName, BackendLoader>;

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Activates the requested backend (an error if it fails) or else the first
 * one in BACKEND_ORDER that loads, recording why each earlier one did not.
 */
export async function chooseBackend(
  request: { name: BackendName; raw: string } | undefined,
  loaders: BackendLoaders,
  threads?: number,
): Promise<BackendInfo> {
  if (request !== undefined) {
    try {
      const got = await loaders[request.name](threads);
      const notes = [...(request.name === 'tensorflow' ? [TFJS_NODE_NOTE] : []), ...(got.notes ?? [])];
      return { name: request.name, requested: request.raw, fallbackReasons: notes, threads: got.threads };
    } catch (e) {
      throw new BackendError(`Backend '${request.raw}' was requested but cannot be used: ${reason(e)}`);
    }
  }
  const fallbackReasons: string[] = [];
  for (const name of BACKEND_ORDER) {
    try {
      const got = await loaders[name](threads);
      return { name, fallbackReasons: [...fallbackReasons, ...(got.notes ?? [])], threads: got.threads };
    } catch (e) {
      fallbackReasons.push(`${name}: ${reason(e)}`);
    }
  }
  throw new BackendError(`No tfjs backend could be loaded. ${fallbackReasons.join('; ')}`);
}
