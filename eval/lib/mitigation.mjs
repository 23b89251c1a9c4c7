/**
 * ===== Tables 10 and 11: mitigation (paper §6; src/mitigation) =====
 *
 *   Table 10  adversarial retraining (Eq. 12) against the light generator
 *             (plan.retrain.norms), then every attack again on the same
 *             seeds: a generator trained anew against the retrained model,
 *             ILFO, DeepSloth (early-exit models) and random noise. Both
 *             sides are ordinary suites (lib/remedy-suites.mjs, written to
 *             eval/remedies/ in a portable run) run through
 *             the public API `runSuites`; the retraining is the suite's
 *             `mitigation.retrain` section.
 *   Table 11  detector: a linear SVM on the first convolution's output telling
 *             seeds from the light generator's inputs (src/mitigation's
 *             `runDetectorSection`); AUC and overhead per model and norm, and
 *             the same detector's AUC on ILFO's and DeepSloth's inputs for
 *             the first `baselineSeeds` test seeds (cross-method).
 *
 * When the build lacks the section functions, the section records why.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { findGeneratorEntry } from './generators.mjs';
import { isEarlyExit } from './plan.mjs';
import { loadMitigation } from './product.mjs';
import { REMEDY_FOLDERS, remedyName, writeRemedySuites } from './remedy-suites.mjs';
import { compactSuite, progressReporter } from './run-suites.mjs';
import { suiteList, suiteName } from './suites.mjs';

/** The per-input attacks the detector is also scored on, on the original model. */
function crossAttacks(product, plan, network, s) {
  const attack = { norm: s.norm, epsilon: s.epsilon, tau: plan.threshold };
  const attacks = { ilfo: (seeds) => product.baselines.ilfo(network, seeds, attack, plan.seed, plan.ilfo) };
  if (isEarlyExit(s.arch)) attacks.deepsloth = (seeds) => product.baselines.deepsloth(network, seeds, attack, plan.seed, plan.deepsloth);
  return attacks;
}

async function detectorRows(product, mitigation, plan, models, ctx) {
  const { adnn, data, generator: gen } = product;
  const spec = (split) => ({ name: 'fashion-mnist', split, path: ctx.dataPath });
  const [train, test] = [await data.loadDataset(spec('train')), await data.loadDataset(spec('test'))];
  const attackSeeds = Math.min(plan.baselineSeeds, plan.detector.testSeeds);
  const rows = [];
  for (const s of suiteList(plan).filter((x) => x.kind === 'light')) {
    const names = [s.name, suiteName(s.arch, s.label, 'baselines'), remedyName(s.arch, s.label, 'before')];
    const entry = findGeneratorEntry(ctx.cacheDir, names, 16);
    if (!entry) {
      rows.push({ suite: s.name, arch: s.arch, norm: s.norm, error: 'no cached generator: run the light suites first' });
      continue;
    }
    ctx.log(`detector: ${s.name}`);
    const { network } = await adnn.loadAdnn(models[s.arch].dir);
    const { generator } = await gen.loadGenerator(entry.dir);
    const generate = (seeds) => gen.generate(generator, seeds, { norm: s.norm, epsilon: s.epsilon });
    try {
      const result = await mitigation.runDetectorSection({
        network,
        train,
        test,
        generate,
        tau: plan.threshold,
        seed: plan.seed,
        // The generator again on the cross-method seeds, so every attack's AUC is on the same inputs.
        attacks: { deepperform: generate, ...crossAttacks(product, plan, network, s) },
        options: { ...plan.detector, attackSeeds },
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

/** One folder of remedy suites through the public API, compacted as the other sections keep them, with their mitigation results. */
async function runRemedyFolder(product, dir, ctx) {
  const run = await product.api.runSuites(dir, { cwd: ctx.cwd, cacheDir: ctx.cacheDir, retrain: ctx.retrain, backend: ctx.backend, reporters: [progressReporter(ctx.log)] });
  return Object.fromEntries(run.raw.suites.map((r) => [r.name, { ...compactSuite(r), mitigation: r.mitigation }]));
}

/** Table 10: the retraining's own record per pair, and every attack before and after it. */
async function remedyRows(product, plan, ctx) {
  const list = writeRemedySuites(plan, ctx.remediesDir, { modelDirs: ctx.modelDirs, hardenedRoot: join(ctx.cacheDir, 'hardened'), dataPath: ctx.suiteDataPath, portable: ctx.portable });
  // A stale retrained model must not stand in for one this run failed to write.
  for (const r of list) rmSync(r.hardened, { recursive: true, force: true });
  ctx.log(`remedies: retraining ${list.length} models, then every attack on the retrained ones`);
  const before = await runRemedyFolder(product, join(ctx.remediesDir, REMEDY_FOLDERS.before), ctx);
  const after = await runRemedyFolder(product, join(ctx.remediesDir, REMEDY_FOLDERS.after), ctx);
  const retrain = list.map((r) => {
    const suite = before[r.before];
    const rec = suite?.mitigation?.retrain;
    if (!rec) return { suite: r.before, arch: r.arch, norm: r.norm, error: suite?.error?.message ?? 'the suite ran no retraining' };
    const { history, weightsPath: _w, ...rest } = rec;
    return { suite: r.before, arch: r.arch, norm: r.norm, ...rest, epochsRun: history.length };
  });
  const strip = (s) => ({ ...s, mitigation: undefined });
  const suites = Object.fromEntries(Object.entries({ ...before, ...after }).map(([k, v]) => [k, strip(v)]));
  return { retrain, suites, pairs: list.map(({ arch, norm, label, before: b, after: a }) => ({ arch, norm, label, before: b, after: a })) };
}

export async function mitigationSection(product, plan, models, ctx) {
  const mitigation = await loadMitigation(product);
  if (!mitigation.runDetectorSection) {
    ctx.log(`mitigation skipped: ${mitigation.reason}`);
    return { skipped: mitigation.reason };
  }
  // Retraining first: its "before" suites train (or load) the light generators the detector reads.
  const remedies = await remedyRows(product, plan, ctx);
  const detector = await detectorRows(product, mitigation, plan, models, ctx);
  const failures = [
    ...Object.values(remedies.suites).filter((s) => s.status === 'error').map((s) => `${s.name}: ${s.error?.message}`),
    ...[...remedies.retrain, ...detector].filter((r) => r.error).map((r) => `${r.suite}: ${r.error}`),
  ];
  return { retrain: remedies.retrain, remedies: { pairs: remedies.pairs, suites: remedies.suites }, detector, failures };
}
