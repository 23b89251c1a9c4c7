/**
 * ===== Tables 10 and 11: mitigation (paper §6; src/mitigation) =====
 *
 * Calls the mitigation stage's two section functions when the build exports
 * them (`runDetectorSection`, `runRetrainSection`); otherwise the section
 * records why it was skipped and the tables say so.
 *
 *   Table 11  detector: a linear SVM on the first convolution's output telling
 *             seeds from the light generator's inputs; AUC and overhead, per
 *             model and norm.
 *   Table 10  adversarial retraining (Eq. 12) against the Linf light
 *             generator: I-FLOPs and accuracy before / after.
 */
import { loadMitigation } from './product.mjs';
import { findGeneratorEntry } from './generators.mjs';
import { suiteList, suiteName } from './suites.mjs';

async function detectorRows(product, mitigation, plan, models, ctx) {
  const { adnn, data, generator: gen } = product;
  const spec = (split) => ({ name: 'fashion-mnist', split, path: ctx.dataPath });
  const [train, test] = [await data.loadDataset(spec('train')), await data.loadDataset(spec('test'))];
  const rows = [];
  for (const s of suiteList(plan).filter((x) => x.kind === 'light')) {
    const entry = findGeneratorEntry(ctx.cacheDir, [s.name, suiteName(s.arch, s.label, 'baselines')], 16);
    if (!entry) {
      rows.push({ suite: s.name, arch: s.arch, norm: s.norm, error: 'no cached generator: run the light suites first' });
      continue;
    }
    ctx.log(`detector: ${s.name}`);
    const { network } = await adnn.loadAdnn(models[s.arch].dir);
    const { generator } = await gen.loadGenerator(entry.dir);
    try {
      const result = await mitigation.runDetectorSection({
        network,
        train,
        test,
        generate: (seeds) => gen.generate(generator, seeds, { norm: s.norm, epsilon: s.epsilon }),
        tau: plan.threshold,
        seed: plan.seed,
        options: plan.detector,
        onPhase: (p, d) => ctx.log(`  · ${p}${d ? `  ${d}` : ''}`),
      });
      rows.push({ suite: s.name, arch: s.arch, norm: s.norm, ...result });
    } catch (e) {
      rows.push({ suite: s.name, arch: s.arch, norm: s.norm, error: e.message });
    } finally {
      generator.store.dispose();
      network.dispose();
    }
  }
  return rows;
}

async function retrainRows(product, mitigation, plan, suites, ctx) {
  const cache = new product.generator.GeneratorCache(ctx.cacheDir);
  const rows = [];
  for (const s of suites.filter((x) => x.kind === 'light' && plan.retrain.norms.includes(x.norm))) {
    ctx.log(`retraining: ${s.name}`);
    try {
      const suite = await product.suite.loadSuite(s.path);
      const { norms, ...settings } = plan.retrain;
      void norms;
      const r = await mitigation.runRetrainSection({
        suite,
        settings,
        cache,
        toolVersion: product.version,
        onPhase: (p, d) => ctx.log(`  · ${p}${d ? `  ${d}` : ''}`),
      });
      const { history, ...rest } = r;
      rows.push({ suite: s.name, arch: s.arch, norm: s.norm, ...rest, epochsRun: history.length });
    } catch (e) {
      rows.push({ suite: s.name, arch: s.arch, norm: s.norm, error: e.message });
    }
  }
  return rows;
}

export async function mitigationSection(product, plan, models, suites, ctx) {
  const mitigation = await loadMitigation(product);
  if (!mitigation.runDetectorSection) {
    ctx.log(`mitigation skipped: ${mitigation.reason}`);
    return { skipped: mitigation.reason };
  }
  return {
    detector: await detectorRows(product, mitigation, plan, models, ctx),
    retrain: await retrainRows(product, mitigation, plan, suites, ctx),
  };
}
