/**
 * Baseline outputs are reused like generators: the same suite, model and
 * seeds find them; anything that changes them misses; a damaged entry and
 * --retrain run the baseline again.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdaptiveNetwork } from '../adnn/index.js';
import { parseSuite } from '../suite/index.js';
import { tempDir } from '../../test/helpers/cli.js';
import { BaselineError } from '../baselines/index.js';
import { baselineFor, type BaselineSourceOptions } from './baseline-source.js';

const dir = tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

// Random noise reads only the input spec of the network.
const network = { meta: { input: { height: 2, width: 2, channels: 1, range: [0, 1] } } } as unknown as AdaptiveNetwork;
const seeds = { images: new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]), count: 2 };
const suite = (seed: number) =>
  parseSuite(`name: cache\nmodel: { arch: sdn-tiny, weights: w }\ndata: { dataset: fashion-mnist-embedded }\nnorm: linf\nepsilon: 0.1\nseed: ${seed}\nassertions: []\n`, join(dir, 'c.perf.yaml'));
const spec = { name: 'random' as const, options: {} };
const opts = (extra: Partial<BaselineSourceOptions> = {}): BaselineSourceOptions => ({
  cacheDir: join(dir, 'cache'),
  retrain: false,
  toolVersion: 't',
  modelHash: 'm',
  onPhase: () => undefined,
  ...extra,
});

describe('baselineFor', () => {
  it('runs the baseline once, then returns the same inputs and time from the cache', async () => {
    const first = await baselineFor(suite(1), network, seeds, spec, opts());
    const again = await baselineFor(suite(1), network, seeds, spec, opts());
    expect([first.cached, again.cached]).toEqual([false, true]);
    expect(Array.from(again.inputs.images)).toEqual(Array.from(first.inputs.images));
    expect(again.inputs.msPerInput).toBe(first.inputs.msPerInput);
    // The noise really was applied: every pixel moved by at most eps.
    first.inputs.images.forEach((v, i) => expect(Math.abs(v - seeds.images[i])).toBeLessThanOrEqual(0.1 + 1e-6));
  });

  it('misses when the seed, the model or the seed images differ', async () => {
    expect((await baselineFor(suite(2), network, seeds, spec, opts())).cached).toBe(false);
    expect((await baselineFor(suite(1), network, seeds, spec, opts({ modelHash: 'other' }))).cached).toBe(false);
    const moved = { images: seeds.images.map((v) => v / 2), count: 2 };
    expect((await baselineFor(suite(1), network, moved, spec, opts())).cached).toBe(false);
  });

  it('runs again when the entry is damaged or with --retrain', async () => {
    const entries = (await readdir(join(dir, 'cache'))).filter((n) => n.startsWith('baseline-'));
    const hits = await Promise.all(entries.map(() => baselineFor(suite(1), network, seeds, spec, opts())));
    expect(hits.some((h) => h.cached)).toBe(true);
    for (const e of entries) await writeFile(join(dir, 'cache', e, 'inputs.bin'), new Uint8Array(32));
    const phases: string[] = [];
    const rerun = await baselineFor(suite(1), network, seeds, spec, opts({ onPhase: (p, d) => phases.push(`${p}: ${d}`) }));
    expect(rerun.cached).toBe(false);
    expect(phases.some((p) => /corrupt \(checksum mismatch\)/.test(p))).toBe(true);
    expect((await baselineFor(suite(1), network, seeds, spec, opts())).cached).toBe(true);
    expect((await baselineFor(suite(1), network, seeds, spec, opts({ retrain: true }))).cached).toBe(false);
  });

  it('runs on the first N seeds when given seeds: N, keyed by the subset', async () => {
    const subset = { name: 'random' as const, options: { seeds: 1 } };
    const phases: string[] = [];
    const first = await baselineFor(suite(3), network, seeds, subset, opts({ onPhase: (p, d) => phases.push(`${p}: ${d}`) }));
    expect([first.inputs.count, first.inputs.images.length, first.cached]).toEqual([1, 4, false]);
    expect(phases).toEqual(['baseline: random (first 1 of 2 seeds)']);
    // The same subset is found again; all seeds, or a subset of other seeds, are other entries.
    expect((await baselineFor(suite(3), network, seeds, subset, opts())).cached).toBe(true);
    expect((await baselineFor(suite(3), network, seeds, spec, opts())).cached).toBe(false);
    const otherFirst = { images: Float32Array.from([0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.7, 0.8]), count: 2 };
    expect((await baselineFor(suite(3), network, otherFirst, subset, opts())).cached).toBe(false);
    // More seeds than there are: all of them, under its own key.
    const more = await baselineFor(suite(3), network, seeds, { name: 'random', options: { seeds: 5 } }, opts());
    expect([more.inputs.count, more.cached]).toEqual([2, false]);
  });

  it('refuses a subset that is not a whole number >= 1', async () => {
    await expect(baselineFor(suite(1), network, seeds, { name: 'random', options: { seeds: 0 } }, opts())).rejects.toThrow(
      'random: option "seeds" must be a whole number >= 1, got 0',
    );
    await expect(baselineFor(suite(1), network, seeds, { name: 'random', options: { seeds: 1.5 } }, opts())).rejects.toThrow(BaselineError);
  });
});
