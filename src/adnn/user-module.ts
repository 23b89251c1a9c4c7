import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { createJiti } from 'jiti';
import type { AdaptiveNetwork, AdnnMeta } from './contract.js';

/** A user module that cannot be loaded or does not implement the AdNN contract (exit code 2). */
export class UserModelError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'UserModelError';
  }
}

/** What a user module's export is called with: the same tfjs instance deepperform computes with. */
export interface UserModuleContext {
  tf: typeof tf;
  options: Record<string, unknown>;
}

/**
 * Loads a user-defined AdNN: `export default function ({ tf, options })`
 * returning an object that implements the contract (src/adnn/contract.ts).
 * .ts modules are compiled on the fly; .js / .mjs ones are imported as they are.
 */
export async function loadUserAdnn(file: string, exportName: string, options: Record<string, unknown>): Promise<AdaptiveNetwork> {
  if (!existsSync(file)) throw new UserModelError(file, 'does not exist');
  const mod = await importModule(file);
  const factory = mod[exportName];
  if (typeof factory !== 'function') {
    const names = Object.keys(mod).join(', ') || 'none';
    throw new UserModelError(file, `has no function export "${exportName}" (exports: ${names})`);
  }
  let made: unknown;
  try {
    made = await (factory as (ctx: UserModuleContext) => unknown)({ tf, options });
  } catch (e) {
    throw new UserModelError(file, `export "${exportName}" threw: ${(e as Error).message}`);
  }
  const network = withDefaults(made, file);
  smokeTest(network, file);
  return network;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  try {
    if (['.ts', '.mts', '.cts'].includes(extname(file))) {
      return (await createJiti(import.meta.url, { moduleCache: false }).import(file)) as Record<string, unknown>;
    }
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UserModelError(file, `could not be loaded: ${(e as Error).message}`);
  }
}

/** Checks the shape of what the module returned; fills in the optional parts. */
function withDefaults(made: unknown, file: string): AdaptiveNetwork {
  const o = (made ?? {}) as Partial<AdaptiveNetwork>;
  const problems = [...metaProblems(o.meta), ...(['soft', 'run'] as const).filter((f) => typeof o[f] !== 'function').map((f) => `${f}() is missing`)];
  if (problems.length) throw new UserModelError(file, `does not implement the AdNN contract: ${problems.join('; ')}`);
  return {
    meta: o.meta as AdnnMeta,
    soft: o.soft!.bind(o),
    run: o.run!.bind(o),
    trainingLoss:
      o.trainingLoss?.bind(o) ??
      (() => {
        throw new UserModelError(file, 'does not implement trainingLoss(x, labels), which training needs');
      }),
    trainableVariables: o.trainableVariables?.bind(o) ?? (() => []),
    namedWeights: o.namedWeights?.bind(o) ?? (() => new Map()),
    dispose: o.dispose?.bind(o) ?? (() => undefined),
  };
}

function metaProblems(meta: unknown): string[] {
  if (meta === null || typeof meta !== 'object') return ['meta is missing'];
  const m = meta as Partial<AdnnMeta>;
  const out: string[] = [];
  if (typeof m.name !== 'string') out.push('meta.name must be a string');
  if (m.kind !== 'skipping' && m.kind !== 'early-exit') out.push(`meta.kind must be "skipping" or "early-exit", got ${JSON.stringify(m.kind)}`);
  const i = m.input;
  const dims = i ? [i.height, i.width, i.channels] : [];
  if (!i || !dims.every((d) => Number.isInteger(d) && d > 0) || !Array.isArray(i.range) || !(i.range[0] < i.range[1])) {
    out.push('meta.input must be { height, width, channels (positive integers), range: [low, high] }');
  }
  if (!Number.isInteger(m.numClasses) || (m.numClasses as number) < 1) out.push('meta.numClasses must be a positive integer');
  if (typeof m.baseFlops !== 'number' || m.baseFlops < 0) out.push('meta.baseFlops must be a number >= 0');
  if (!Array.isArray(m.blocks) || m.blocks.length === 0) out.push('meta.blocks must be a non-empty list of { name, flops }');
  else if (m.blocks.some((b) => typeof b?.name !== 'string' || typeof b?.flops !== 'number' || b.flops < 0)) {
    out.push('every entry of meta.blocks needs a name (string) and flops (number >= 0)');
  }
  return out;
}

/** One input through soft() and run(): wrong shapes are caught here, with the module named. */
function smokeTest(network: AdaptiveNetwork, file: string): void {
  const { height, width, channels, range } = network.meta.input;
  const k = network.meta.blocks.length;
  const x = tf.fill([2, height, width, channels], range[0]) as tf.Tensor4D;
  try {
    const soft = network.soft(x);
    const want = (t: tf.Tensor, shape: number[], what: string) => {
      if (t.shape.join() !== shape.join()) throw new UserModelError(file, `soft() ${what} has shape [${t.shape}], expected [${shape}]`);
    };
    want(soft.p, [2, k], 'p');
    want(soft.logits, [2, network.meta.numClasses], 'logits');
    tf.dispose([soft.p, soft.logits]);
    const exec = network.run(x, 0.5);
    if (exec.flops?.length !== 2 || exec.ran?.length !== 2 * k || exec.predictions?.length !== 2) {
      throw new UserModelError(file, `run() must return predictions [B], ran [B*K] and flops [B] (B = 2, K = ${k})`);
    }
  } catch (e) {
    if (e instanceof UserModelError) throw e;
    throw new UserModelError(file, `failed on a test batch of 2 inputs: ${(e as Error).message}`);
  } finally {
    x.dispose();
  }
}
