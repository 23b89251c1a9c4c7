import { createHash } from 'node:crypto';
import { join, relative, isAbsolute } from 'node:path';
import { evictDir, readCheckedDir, sha256, sweepStaleTemps, writeCheckedDir } from '../util/checked-dir.js';
import { packageRoot } from '../util/package-root.js';
import type { Generator } from './architecture.js';
import { loadGenerator, saveGenerator } from './io.js';
import type { TrainingRecord } from './record.js';

/**
 * Trained generators, stored under a content hash of everything that
 * determines them (docs/design.md §6). An entry is a folder written beside its
 * final place and renamed in, with a checksum of its weights: a half-written
 * or corrupted entry is detected and reported, never used.
 */
export interface CacheKeyParts {
  toolVersion: string;
  /** Hash of the model's files (weights, or the user module and its options). */
  model: string;
  /** Dataset name, split and a hash of the images the generator trains on. */
  data: string;
  attack: { norm: string; epsilon: number; tau: number };
  /** Training hyper-parameters, preset, width, seed. */
  training: Record<string, unknown>;
}

export function cacheKey(parts: CacheKeyParts): string {
  return sha256(stableJson(parts)).slice(0, 32);
}

export type CacheLookup =
  | { status: 'hit'; generator: Generator; dir: string; record: TrainingRecord | undefined }
  | { status: 'miss' }
  /** `readOnly`: the entry is in a read-only layer (shipped generators), which is skipped, never evicted. */
  | { status: 'corrupt'; dir: string; reason: string; readOnly: boolean };

/** The names of the entries in a cache folder: generators (a key) and baseline outputs (baseline-<key>). */
const ENTRY_NAME = /^(baseline-)?[0-9a-f]{32}$/;

const FILES = ['model.json', 'weights.bin'] as const;

export class GeneratorCache {
  /** `readOnly` layers (e.g. generators shipped in the package) are searched after `dir`. */
  constructor(
    readonly dir: string,
    private readonly readOnly: string[] = [],
  ) {}

  async lookup(key: string): Promise<CacheLookup> {
    for (const root of [this.dir, ...this.readOnly]) {
      const found = await this.lookupIn(root, key, root !== this.dir);
      if (found.status !== 'miss') return found;
    }
    return { status: 'miss' };
  }

  private async lookupIn(root: string, key: string, readOnly: boolean): Promise<CacheLookup> {
    const dir = join(root, key);
    const read = await readCheckedDir(dir, FILES);
    if (read.status !== 'hit') return read.status === 'miss' ? read : { ...read, dir, readOnly };
    try {
      const { generator, record } = await loadGenerator(dir);
      return { status: 'hit', generator, dir, record };
    } catch (e) {
      return { status: 'corrupt', dir, reason: (e as Error).message, readOnly };
    }
  }

  /**
   * Removes the temporary folders killed runs left in the writable layer
   * (see sweepStaleTemps: only ours, only old ones); returns their names.
   */
  async sweep(now?: number): Promise<string[]> {
    return sweepStaleTemps(this.dir, { isEntryName: (name) => ENTRY_NAME.test(name), now });
  }

  /**
   * Stores a generator. Two runs that trained the same key at once both
   * succeed: the second finds the entry in place and keeps it. `replace`
   * (--retrain) removes an existing entry first.
   */
  async store(key: string, g: Generator, info: Record<string, unknown>, opts: { replace?: boolean; record?: TrainingRecord } = {}): Promise<string> {
    return writeCheckedDir(join(this.dir, key), FILES, (tmp) => saveGenerator(tmp, g, info, opts.record), opts);
  }

  /** Removes a corrupt entry so the next store can replace it; never one outside the writable layer. */
  async evict(dir: string): Promise<void> {
    const inside = relative(this.dir, dir);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return;
    await evictDir(dir);
  }
}

export { sha256 };

/** JSON with sorted keys, so equal objects hash equally. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * What identifies a generator's behaviour: its input, width and every weight
 * (by name, in name order), hashed. Outputs derived from G (deepperform-refine's
 * inputs) are cached under it, whether G was trained, cached or loaded.
 */
export function generatorHash(g: Generator): string {
  const hash = createHash('sha256').update(stableJson({ input: g.input, width: g.width }));
  for (const [name, v] of [...g.store.named()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const data = v.dataSync() as Float32Array;
    hash.update(`\n${name}:${v.shape.join('x')}:`).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex').slice(0, 32);
}

/** The generators deepperform ships for its default suites, consulted read-only after the user's cache. */
export function shippedGeneratorsDir(): string {
  return join(packageRoot(), 'fixtures/generators');
}
