/**
 * Table 9's PSNR: the suite results carry perturbation norms but not the
 * images, so the inputs are made again from the same seeds with the cached
 * generator (online generation is deterministic) and with seeded random noise.
 * The mean L2 of the regenerated perturbations is kept beside the suite's own,
 * as a check that the same inputs were measured.
 */
import { findGeneratorEntry } from './generators.mjs';
import { psnrPerInput, summarisePsnr } from './psnr.mjs';
import { suiteList, suiteName } from './suites.mjs';

function meanL2(seeds, generated, count) {
  const size = seeds.length / count;
  let total = 0;
  for (let k = 0; k < count; k++) {
    let s = 0;
    for (let i = k * size; i < (k + 1) * size; i++) s += (generated[i] - seeds[i]) ** 2;
    total += Math.sqrt(s);
  }
  return total / count;
}

function measure(seeds, generated, range) {
  return { ...summarisePsnr(psnrPerInput(seeds.images, generated.images, seeds.count, range)), meanL2: meanL2(seeds.images, generated.images, seeds.count) };
}

export async function psnrSection(product, plan, models, { cacheDir, dataPath, log }) {
  const { adnn, data, generator: gen, baselines } = product;
  const test = await data.loadDataset({ name: 'fashion-mnist', split: 'test', path: dataPath });
  const seeds = data.takeSeeded(test, plan.generatorSeeds, plan.seed);
  const rows = [];
  for (const s of suiteList(plan).filter((x) => x.kind === 'light' || x.kind === 'full')) {
    const width = s.kind === 'full' ? 64 : 16;
    const names = s.kind === 'full' ? [s.name] : [s.name, suiteName(s.arch, s.label, 'baselines')];
    const entry = findGeneratorEntry(cacheDir, names, width);
    const attack = { norm: s.norm, epsilon: s.epsilon };
    const row = { suite: s.name, arch: s.arch, norm: s.norm, kind: s.kind, seeds: seeds.count };
    if (!entry) {
      rows.push({ ...row, error: `no cached generator for "${s.name}" in ${cacheDir}: run its suite first` });
      continue;
    }
    log(`psnr: ${s.name} (${entry.key})`);
    const { generator } = await gen.loadGenerator(entry.dir);
    const range = generator.input.range;
    try {
      row.deepperform = measure(seeds, gen.generate(generator, seeds, attack), range);
    } finally {
      generator.store.dispose();
    }
    if (s.kind === 'light') {
      const { network } = await adnn.loadAdnn(models[s.arch].dir);
      try {
        row.random = measure(seeds, await baselines.BASELINES.random(network, seeds, { ...attack, tau: plan.threshold }, plan.seed), range);
      } finally {
        network.dispose();
      }
    }
    rows.push(row);
  }
  return { rows };
}
