/**
 * deepperform-refine's inputs are cached like the baselines' outputs, keyed
 * also by the generator's weights and every refinement setting.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oneGateModel } from '../baselines/one-gate.fixture.js';
import { refineSettings } from '../baselines/index.js';
import { Generator, generate } from '../generator/index.js';
import { parseSuite } from '../suite/index.js';
import { tempDir } from '../../test/helpers/cli.js';
import type { BaselineSourceOptions } from './baseline-source.js';
import { refineFor, refineKey } from './refine-source.js';

const dir = tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

const SIDE = 16; // the generator needs at least 15x15 inputs
const network = oneGateModel(SIDE);
const input = network.meta.input;
const seeds = { images: new Float32Array(2 * SIDE * SIDE).map((_, i) => ((i * 7) % 10) / 20), count: 2 };
const suite = (refine: string) =>
  parseSuite(
    `name: cache\nmodel: { arch: sdn-tiny, weights: w }\ndata: { dataset: fashion-mnist-embedded }\nnorm: linf\nepsilon: 0.1\nseed: 1\ngenerator: { refine: ${refine} }\n`,
    join(dir, 'c.perf.yaml'),
  );
const opts = (extra: Partial<BaselineSourceOptions> = {}): BaselineSourceOptions => ({
  cacheDir: join(dir, 'cache'),
  retrain: false,
  toolVersion: 't',
  modelHash: 'm',
  onPhase: () => undefined,
  ...extra,
});

describe('refineKey', () => {
  const g1 = new Generator(input, 2, 1);
  const g2 = new Generator(input, 2, 2);
  afterAll(() => [g1, g2].forEach((g) => g.store.dispose()));
  const key = (refine: string, g: Generator) => refineKey(suite(refine), network, seeds, g, refineSettings(suite(refine).generator.refine), opts());

  it('changes with k and with any other setting, not with how k is written', () => {
    expect(key('3', g1)).toBe(key('3', g1));
    expect(key('{ steps: 3 }', g1)).toBe(key('3', g1));
    expect(key('4', g1)).not.toBe(key('3', g1));
    expect(key('{ steps: 3, rule: pgd }', g1)).not.toBe(key('3', g1));
  });

  it('changes with the generator: another G (other weights) misses', () => {
    expect(key('3', g2)).not.toBe(key('3', g1));
  });
});

describe('refineFor', () => {
  // The last iterate: on these seeds no step makes the block run, so the costliest would be the start.
  const LAST = '{ steps: 2, keep: last }';
  it('refines once, then returns the same inputs and time from the cache; --retrain refines again', async () => {
    const g = new Generator(input, 2, 3);
    const start = generate(g, seeds, { norm: 'linf', epsilon: 0.1 });
    const phases: string[] = [];
    const o = opts({ onPhase: (p, d) => phases.push(`${p}: ${d}`) });
    const first = await refineFor(suite(LAST), network, seeds, { generator: g, start }, o);
    const again = await refineFor(suite(LAST), network, seeds, { generator: g, start }, o);
    expect([first.cached, again.cached]).toEqual([false, true]);
    expect(Array.from(again.inputs.images)).toEqual(Array.from(first.inputs.images));
    expect(again.inputs.msPerInput).toBe(first.inputs.msPerInput);
    expect(phases[0]).toBe('refining: deepperform-refine, 2 steps');
    expect(phases[1]).toMatch(/^refining: deepperform-refine, 2 steps \(cache baseline-[0-9a-f]{32}\)$/);
    expect(Array.from(first.inputs.images)).not.toEqual(Array.from(start.images));
    expect((await refineFor(suite(LAST), network, seeds, { generator: g, start }, opts({ retrain: true }))).cached).toBe(false);
    g.store.dispose();
  });
});
