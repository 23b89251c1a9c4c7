import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdaptiveNetwork, ImageBatch } from '../adnn/index.js';
import { BASELINES, BaselineError } from '../baselines/index.js';
import { cacheKey, sha256, type CacheKeyParts, type GeneratedInputs } from '../generator/index.js';
import type { BaselineSpec, Suite } from '../suite/index.js';
import { evictDir, readCheckedDir, writeCheckedDir } from '../util/checked-dir.js';

/**
 * Baseline outputs (the perturbed inputs ILFO, DeepSloth or random noise
 * produced, and deepperform-refine's) are kept like trained generators: under
 * a hash of everything that determines them, in the run's cache folder. A
 * second run measures the same inputs again without re-running a per-input
 * optimisation that takes seconds per input; --retrain ignores them. The
 * generation time reported is the one measured when the inputs were produced,
 * marked as cached. A baseline given `seeds: N` runs on the first N seeds
 * only; the key holds the subset.
 */
export interface BaselineSourceOptions {
  cacheDir: string;
  retrain: boolean;
  toolVersion: string;
  /** Hash of the model's files, as for the generator cache. */
  modelHash: string;
  onPhase: (phase: string, detail?: string) => void;
  /** Steps of the baseline's optimisation done so far, of all (ILFO iterations, DeepSloth steps). */
  onProgress?: (done: number, total: number) => void;
}

export interface BaselineOutput {
  /** One input per seed the baseline ran on: every seed, or the first `seeds` of its options. */
  inputs: GeneratedInputs;
  /** True when the inputs came from the cache instead of running the baseline. */
  cached: boolean;
}

const FILES = ['meta.json', 'inputs.bin'] as const;

export async function baselineFor(
  suite: Suite,
  network: AdaptiveNetwork,
  allSeeds: ImageBatch,
  spec: BaselineSpec,
  opts: BaselineSourceOptions,
): Promise<BaselineOutput> {
  const attack = { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold };
  const { seeds: subset, ...options } = spec.options;
  const seeds = firstSeeds(allSeeds, subsetCount(spec.name, subset, allSeeds.count));
  const label = seeds.count < allSeeds.count ? `${spec.name} (first ${seeds.count} of ${allSeeds.count} seeds)` : spec.name;
  // The subset is in the key twice: its images (data) and its size (seeds).
  const method = { baseline: spec.name, options: spec.options, seed: suite.seed, ...(subset === undefined ? {} : { seeds: seeds.count }) };
  const key = outputKey(suite, network, seeds, opts, method);
  const meta = { baseline: spec.name, options: spec.options };
  return cachedInputs(opts, { key, label, count: seeds.count, meta }, () =>
    BASELINES[spec.name](network, seeds, attack, suite.seed, options, opts.onProgress),
  );
}

/** The cache key of a method's inputs for the suite's model, seeds and attack; `method` says what produced them. */
export function outputKey(suite: Suite, network: AdaptiveNetwork, seeds: ImageBatch, opts: BaselineSourceOptions, method: Record<string, unknown>): string {
  const parts: CacheKeyParts = {
    toolVersion: opts.toolVersion,
    model: opts.modelHash,
    data: sha256(new Uint8Array(seeds.images.buffer, seeds.images.byteOffset, seeds.count * inputSize(network) * 4)),
    attack: { norm: suite.norm, epsilon: suite.epsilon, tau: suite.threshold },
    training: method,
  };
  return cacheKey(parts);
}

/** What an entry is stored under and records. */
export interface CachedEntry {
  key: string;
  /** The method's name, for the progress messages. */
  label: string;
  /** The phase the messages name. Default: 'baseline'. */
  phase?: string;
  count: number;
  /** Recorded in the entry's meta.json beside count and msPerInput. */
  meta: Record<string, unknown>;
}

/** The entry's inputs from the cache, or `produce()`d and stored (a corrupt entry is replaced, with a message). */
export async function cachedInputs(
  opts: Pick<BaselineSourceOptions, 'cacheDir' | 'retrain' | 'onPhase'>,
  entry: CachedEntry,
  produce: () => Promise<GeneratedInputs> | GeneratedInputs,
): Promise<BaselineOutput> {
  const dir = join(opts.cacheDir, `baseline-${entry.key}`);
  if (!opts.retrain) {
    const found = await readCheckedDir(dir, FILES);
    const inputs = found.status === 'hit' ? decode(found.contents[0], found.contents[1], entry.count) : undefined;
    if (inputs) {
      opts.onPhase(entry.phase ?? 'baseline', `${entry.label} (cache baseline-${entry.key})`);
      return { inputs, cached: true };
    }
    if (found.status !== 'miss') {
      const reason = found.status === 'corrupt' ? found.reason : 'wrong input count';
      opts.onPhase('cache', `entry ${dir} is corrupt (${reason}); running ${entry.label} again`);
      await evictDir(dir);
    }
  }
  opts.onPhase(entry.phase ?? 'baseline', entry.label);
  const inputs = await produce();
  await writeCheckedDir(dir, FILES, (tmp) => encode(tmp, inputs, entry.meta), { replace: opts.retrain });
  return { inputs, cached: false };
}

/**
 * How many of the seeds a baseline runs on: `seeds` from its options (a
 * whole number >= 1, capped at the seeds there are), else all of them.
 */
export function subsetCount(baseline: string, subset: unknown, count: number): number {
  if (subset === undefined) return count;
  if (typeof subset !== 'number' || !Number.isInteger(subset) || subset < 1) {
    throw new BaselineError(`${baseline}: option "seeds" must be a whole number >= 1, got ${JSON.stringify(subset)}`);
  }
  return Math.min(subset, count);
}

function firstSeeds(seeds: ImageBatch, n: number): ImageBatch {
  if (n >= seeds.count) return seeds;
  const size = seeds.images.length / Math.max(seeds.count, 1);
  return { images: seeds.images.subarray(0, n * size), count: n };
}

function inputSize(network: AdaptiveNetwork): number {
  const { height, width, channels } = network.meta.input;
  return height * width * channels;
}

async function encode(tmp: string, inputs: GeneratedInputs, meta: Record<string, unknown>): Promise<void> {
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'meta.json'), `${JSON.stringify({ ...meta, count: inputs.count, msPerInput: inputs.msPerInput })}\n`);
  const bytes = new Uint8Array(inputs.images.buffer, inputs.images.byteOffset, inputs.images.byteLength);
  await writeFile(join(tmp, 'inputs.bin'), bytes);
}

/** The stored inputs; a count or size that does not match makes the entry corrupt (undefined). */
function decode(metaJson: Buffer, bin: Buffer, count: number): GeneratedInputs | undefined {
  const meta = JSON.parse(metaJson.toString('utf8')) as { count: number; msPerInput: number };
  if (meta.count !== count || bin.byteLength % (4 * Math.max(count, 1)) !== 0) return undefined;
  // Copy into an aligned buffer: a Buffer's offset into its pool need not be a multiple of 4.
  const images = new Float32Array(bin.byteLength / 4);
  new Uint8Array(images.buffer).set(bin);
  return { images, count, msPerInput: meta.msPerInput };
}
