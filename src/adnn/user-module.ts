import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { createJiti } from 'jiti';
import type { AdaptiveNetwork, AdnnMeta } from './contract.js';
import { callAsync, callSync, settleWithin, UserModuleCallError, type CallSite } from './user-call.js';
import type { UserModuleContext } from './user-contract.js';
import { metaOf } from './user-meta.js';
import { UserModelError } from './user-errors.js';
import { checkRunFlops, checkSoftValues } from './user-values.js';

export { UserModelError } from './user-errors.js';
export type { AdnnModule, UserAdnn, UserAdnnFactory, UserAdnnMeta, UserExecution, UserModuleContext } from './user-contract.js';

export interface UserModuleOptions {
  /** Milliseconds each call into the module may take (suite key model.timeout, in seconds). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Loads a user-defined AdNN: `export default function ({ tf, options })`
 * returning an object that implements the contract (user-contract.ts).
 * .ts modules are compiled on the fly; .js / .mjs ones are imported as they
 * are. The object's shape and meta are checked here; every later call into
 * it runs under the timeout (user-call.ts).
 */
export async function loadUserAdnn(file: string, exportName: string, options: Record<string, unknown>, opts: UserModuleOptions = {}): Promise<AdaptiveNetwork> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const site = (call: string): CallSite => ({ file, call, timeoutMs });
  if (!existsSync(file)) throw new UserModelError(file, 'does not exist');
  const mod = await importModule(file, site('loading the module'));
  const factory = mod[exportName];
  if (typeof factory !== 'function') {
    const names = Object.keys(mod).join(', ') || 'none';
    throw new UserModelError(file, `has no function export "${exportName}" (exports: ${names})`);
  }
  let made: unknown;
  try {
    made = await callAsync(site(`export "${exportName}"`), () => (factory as (ctx: UserModuleContext) => unknown)({ tf, options }));
  } catch (e) {
    // A factory that throws means the model cannot be built: a configuration error, not a crash.
    if (e instanceof UserModuleCallError) throw new UserModelError(file, e.detail);
    throw e;
  }
  const network = wrap(made, file, site);
  smokeTest(network, file);
  return network;
}

async function importModule(file: string, site: CallSite): Promise<Record<string, unknown>> {
  try {
    const loading = ['.ts', '.mts', '.cts'].includes(extname(file))
      ? (createJiti(import.meta.url, { moduleCache: false }).import(file) as Promise<Record<string, unknown>>)
      : (import(pathToFileURL(file).href) as Promise<Record<string, unknown>>);
    // A top-level await that never settles: the timer stops it.
    return await settleWithin(site, loading, site.timeoutMs);
  } catch (e) {
    if (e instanceof UserModelError) throw e;
    throw new UserModelError(file, `could not be loaded: ${messageOf(e instanceof UserModuleCallError ? e.cause : e)}`);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const OPTIONAL_METHODS = ['trainingLoss', 'trainableVariables', 'namedWeights', 'dispose'] as const;
type Method = 'soft' | 'run' | (typeof OPTIONAL_METHODS)[number];

/**
 * Checks what the module returned (reading it under the timeout: a getter
 * may loop) and wraps each method so every call runs under the timeout.
 * The meta is a checked copy, so the module cannot change it later.
 */
function wrap(made: unknown, file: string, site: (call: string) => CallSite): AdaptiveNetwork {
  let read: Shape;
  try {
    read = callSync(site('reading the returned object'), () => readShape(made));
  } catch (e) {
    throw e instanceof UserModuleCallError ? new UserModelError(file, e.detail) : e;
  }
  const meta = read.meta;
  if (read.problems.length > 0 || !meta) throw new UserModelError(file, `does not implement the AdNN contract: ${read.problems.join('; ')}`);
  const o = made as Record<Method, (...args: unknown[]) => unknown>;
  const call =
    <R>(name: Method) =>
    (...args: unknown[]): R =>
      callSync(site(`${name}()`), () => read.methods[name]!.apply(o, args) as R);
  const has = (name: Method) => read.methods[name] !== undefined;
  return {
    meta,
    soft: call('soft'),
    run: (x, tau) => {
      const exec = call<ReturnType<AdaptiveNetwork['run']>>('run')(x, tau);
      // Checked at every call: a NaN count would make every FLOPs metric NaN, a negative one would hide cost.
      if (exec !== null && typeof exec === 'object' && exec.flops instanceof Float64Array) checkRunFlops(exec.flops, file);
      return exec;
    },
    trainingLoss: has('trainingLoss')
      ? call('trainingLoss')
      : () => {
          throw new UserModelError(file, 'does not implement trainingLoss(x, labels), which retraining needs');
        },
    trainableVariables: has('trainableVariables') ? call('trainableVariables') : () => [],
    namedWeights: has('namedWeights') ? call('namedWeights') : () => new Map(),
    dispose: has('dispose') ? call('dispose') : () => undefined,
  };
}

interface Shape {
  meta?: AdnnMeta;
  methods: Partial<Record<Method, (...args: unknown[]) => unknown>>;
  problems: string[];
}

function readShape(made: unknown): Shape {
  if (made === null || typeof made !== 'object') {
    return { methods: {}, problems: [`the export must return an object (or a promise of one), got ${made === null ? 'null' : typeof made}`] };
  }
  const o = made as Record<string, unknown>;
  const { meta, problems } = metaOf(o.meta);
  const methods: Shape['methods'] = {};
  for (const name of ['soft', 'run'] as const) {
    if (typeof o[name] === 'function') methods[name] = o[name] as () => unknown;
    else problems.push(`${name}() is missing`);
  }
  for (const name of OPTIONAL_METHODS) {
    if (typeof o[name] === 'function') methods[name] = o[name] as () => unknown;
    else if (o[name] !== undefined) problems.push(`${name} must be a function when given, got ${typeof o[name]}`);
  }
  return { meta, methods, problems };
}

/** One input through soft() and run(): wrong shapes are caught here, with the module named. */
function smokeTest(network: AdaptiveNetwork, file: string): void {
  const { height, width, channels, range } = network.meta.input;
  const k = network.meta.blocks.length;
  const x = tf.fill([2, height, width, channels], range[0]) as tf.Tensor4D;
  try {
    const soft = network.soft(x) as Partial<ReturnType<AdaptiveNetwork['soft']>> | undefined;
    const want = (t: unknown, shape: number[], what: string) => {
      if (!(t instanceof tf.Tensor)) throw new UserModelError(file, `soft() must return ${what} as a tensor, got ${t === null ? 'null' : typeof t}`);
      if (t.shape.join() !== shape.join()) throw new UserModelError(file, `soft() ${what} has shape [${t.shape}], expected [${shape}]`);
    };
    want(soft?.p, [2, k], 'p');
    want(soft?.logits, [2, network.meta.numClasses], 'logits');
    try {
      checkSoftValues(soft!.p!.dataSync(), soft!.logits!.dataSync(), file);
    } finally {
      tf.dispose([soft!.p!, soft!.logits!]);
    }
    checkExecution(network.run(x, 0.5), k, file);
  } catch (e) {
    if (e instanceof UserModelError) throw e;
    throw new UserModelError(file, `failed on a test batch of 2 inputs: ${e instanceof UserModuleCallError ? e.detail : messageOf(e)}`);
  } finally {
    x.dispose();
  }
}

/** run()'s result: the documented typed arrays, of the batch's sizes (B = 2). */
function checkExecution(exec: unknown, k: number, file: string): void {
  const e = (exec ?? {}) as Record<string, unknown>;
  const wants: [string, string, number][] = [
    ['predictions', 'Int32Array', 2],
    ['ran', 'Uint8Array', 2 * k],
    ['flops', 'Float64Array', 2],
  ];
  const wrong = wants.filter(([key, type, n]) => Object.prototype.toString.call(e[key]) !== `[object ${type}]` || (e[key] as ArrayLike<number>).length !== n);
  if (wrong.length > 0) {
    const expected = wants.map(([key, type, n]) => `${key}: ${type}(${n})`).join(', ');
    throw new UserModelError(file, `run() must return { ${expected} } for a batch of B = 2 inputs and K = ${k} blocks; wrong: ${wrong.map(([key]) => key).join(', ')}`);
  }
}
