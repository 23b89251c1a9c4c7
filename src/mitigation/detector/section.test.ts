import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../test/helpers/tf.js';
import { loadAdnn, zooEntry, type AdaptiveNetwork } from '../../adnn/index.js';
import { loadDataset, takeSeeded, type Dataset } from '../../data/index.js';
import { generate, loadGenerator, type Generator } from '../../generator/index.js';
import { packageRoot } from '../../util/package-root.js';
import { DetectorMismatchError } from './errors.js';
import { loadDetector, readDetector, saveDetector } from './io.js';
import { attachDetector } from './runtime.js';
import { runDetectorSection } from './section.js';
import { trainDetector } from './train.js';

const ROOT = packageRoot();

/** The generator shipped for a default suite, found by the suite name recorded in it. */
function shippedGenerator(suite: string): string {
  const root = join(ROOT, 'fixtures/generators');
  const dir = readdirSync(root)
    .map((d) => join(root, d))
    .find((d) => {
      try {
        return JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')).metadata.info.suite === suite;
      } catch {
        return false;
      }
    });
  if (!dir) throw new Error(`no shipped generator for suite "${suite}" under ${root}`);
  return dir;
}

let network: AdaptiveNetwork;
let generator: Generator;
let train: Dataset;
let test: Dataset;
const attack = { norm: 'linf' as const, epsilon: 0.1 };

beforeAll(async () => {
  await useCpu();
  network = (await loadAdnn(join(ROOT, 'fixtures/models/sdn-tiny'))).network;
  generator = (await loadGenerator(shippedGenerator('sdn-tiny, Linf'))).generator;
  train = await loadDataset({ name: 'fashion-mnist-embedded', split: 'train' });
  test = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
});

afterAll(() => {
  network?.dispose();
  generator?.store.dispose();
});

describe('detector on sdn-tiny with its shipped Linf generator (embedded data)', () => {
  it('runDetectorSection: AUC, accuracy, overhead counted by hand, latencies, file', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'deepperform-detector-')), 'sdn-tiny.detector.json');
    const r = await runDetectorSection({
      network,
      train,
      test,
      generate: (seeds) => generate(generator, seeds, attack),
      tau: 0.5,
      seed: 333,
      // Cross-method: the seeds themselves (every pair a tie) and the generator again on the first 30.
      attacks: { unchanged: (seeds) => seeds, generator: (seeds) => generate(generator, seeds, attack) },
      options: { trainSeeds: 100, testSeeds: 100, attackSeeds: 30, latencyRuns: 5, out },
    });
    expect(r.auc).toBeGreaterThanOrEqual(0);
    expect(r.auc).toBeLessThanOrEqual(1);
    // Measured at 1,000 seeds: 0.99+; eps = 0.1 lifts the black background, which a linear SVM sees.
    expect(r.auc).toBeGreaterThan(0.9);
    expect(r.accuracy).toBeGreaterThan(0.8);
    expect([r.trainSeeds, r.testSeeds, r.featureDim]).toEqual([100, 100, 28 * 28 * 8]);
    // One dense layer 6272 -> 1 is 2 x 6272 FLOPs; standalone adds conv 1 -> 8 at 28x28 (112,896).
    expect(r.overheadFlops).toBe(12_544);
    expect(r.standaloneFlops).toBe(12_544 + 112_896);
    // Seeds cost between the first exit (1,018,624) and every block (4,672,896).
    expect(r.meanSeedFlops).toBeGreaterThanOrEqual(1_018_624);
    expect(r.meanSeedFlops).toBeLessThanOrEqual(4_672_896);
    expect(r.overheadFlopsPct).toBeCloseTo((100 * 12_544) / r.meanSeedFlops, 12);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.standaloneLatencyMs).toBeGreaterThan(r.latencyMs);
    expect(r.file).toBe(out);
    // Inputs equal to their seeds score equal: AUC 1/2 and half of them on the wrong side.
    expect(r.attacks?.unchanged).toEqual({ auc: 0.5, accuracy: 0.5, seeds: 30 });
    expect(r.attacks?.generator?.seeds).toBe(30);
    expect(r.attacks?.generator?.auc).toBeGreaterThan(0.9);
    const saved = await readDetector(out);
    expect(saved.training).toMatchObject({ seeds: 100, generated: 100 });
    expect(saved.features.shape).toEqual([28, 28, 8]);
  });

  it('refuses attackSeeds above testSeeds before any work', async () => {
    const run = runDetectorSection({ network, train, test, generate: (s) => s, tau: 0.5, seed: 1, attacks: { x: (s) => s }, options: { testSeeds: 10, attackSeeds: 11 } });
    await expect(run).rejects.toThrow(/attackSeeds \(11\) must be at most testSeeds \(10\)/);
  });

  it('the saved file scores exactly as the trained detector, and refuses other models', async () => {
    const seeds = takeSeeded(test, 40, 1);
    const data = { seeds, generated: generate(generator, seeds, attack) };
    const model = trainDetector(network, data);
    const file = join(await mkdtemp(join(tmpdir(), 'deepperform-detector-')), 'd.json');
    await saveDetector(file, model);
    const loaded = await loadDetector(file, network);
    const inMemory = attachDetector(model, network);
    expect(Array.from(loaded.score(data.generated))).toEqual(Array.from(inMemory.score(data.generated)));
    expect(loaded.isSuspicious(data.seeds)).toEqual(Array.from(inMemory.score(data.seeds), (s) => s > 0));

    const other = zooEntry('skipnet-tiny');
    const skipnet = other.build(other.defaultConfig(), 0);
    await expect(loadDetector(file, skipnet)).rejects.toThrow(/trained for sdn-tiny \(sdn-tiny\) but is used with skipnet-tiny.*different architecture/);
    skipnet.dispose();
    const fresh = zooEntry('sdn-tiny').build(zooEntry('sdn-tiny').defaultConfig(), 5);
    await expect(loadDetector(file, fresh)).rejects.toThrow(DetectorMismatchError);
    await expect(loadDetector(file, fresh)).rejects.toThrow(/different weights/);
    fresh.dispose();
  });
});
