/**
 * Table 10's suites: every attack on the model before and after adversarial
 * retraining (Eq. 12), on the same seeds. Two ordinary suite files per
 * retrained model and norm, run in order through the public API:
 *
 *   1-before/  the original model: the per-input baselines suite (light
 *                     generator, random, ILFO, DeepSloth on early-exit models,
 *                     `baselineSeeds` test seeds) plus `mitigation.retrain`,
 *                     which writes the retrained model to `hardenedDir`
 *   2-after/   the same suite on the retrained weights: its generator is
 *                     trained anew against them (the cache key holds the
 *                     weights), ILFO and DeepSloth attack them afresh
 *
 * Both draw their seeds from the same split, count and seed, so every attack
 * is measured on the very same inputs before and after. They live apart from
 * eval/suites (in eval/remedies/): the "after" suites read a model that only
 * the "before" suites write, so they are run folder by folder, in order.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { suiteList, suiteText } from './suites.mjs';

/** The two folders of the remedy suites, in run order. */
export const REMEDY_FOLDERS = { before: '1-before', after: '2-after' };

export function remedyName(arch, normLabel, when) {
  return `${arch}, ${normLabel}, every attack ${when} retraining`;
}

/** The retrained (model, norm) pairs of the plan: one per baselines suite under plan.retrain.norms. */
export function remedyList(plan) {
  return suiteList(plan)
    .filter((s) => s.kind === 'baselines' && plan.retrain.norms.includes(s.norm))
    .map(({ kind: _kind, name: _name, file: _file, ...s }) => ({
      // Everything suiteText reads of the baselines suite (arch, norm, epsilon, label, training seed ...).
      ...s,
      before: remedyName(s.arch, s.label, 'before'),
      after: remedyName(s.arch, s.label, 'after'),
      pair: `${s.arch}-${s.norm}`,
    }));
}

/** plan.retrain as suite lines (norms chooses the pairs; the rest are RetrainSpec keys). */
function retrainLines(plan, out) {
  const { norms: _norms, ...settings } = plan.retrain;
  return ['mitigation:', '  retrain:', ...Object.entries(settings).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`), `    out: ${JSON.stringify(out)}`];
}

/**
 * The text of one remedy suite: the baselines suite's text (same generator,
 * baselines and seeds as Table 4's per-input comparison) under its own name,
 * with the retraining section on the "before" side.
 */
export function remedySuiteText(plan, r, when, { modelDir, hardenedDir, dataPath }) {
  const base = suiteText(plan, { ...r, kind: 'baselines' }, { modelDir: when === 'before' ? modelDir : hardenedDir, dataPath });
  const named = base.replace(/^name: .*$/m, `name: ${JSON.stringify(r[when])}`);
  if (when === 'after') return named;
  return `${named.trimEnd()}\n${retrainLines(plan, hardenedDir).join('\n')}\n`;
}

/**
 * Writes the remedy suites under `dir` (replacing its two folders) and returns
 * the list with absolute paths and the hardened model folder of each pair
 * (`hardenedRoot/<arch>-<norm>`). Paths in the files are relative to them
 * when `portable`.
 */
export function writeRemedySuites(plan, dir, { modelDirs, hardenedRoot, dataPath, portable }) {
  for (const folder of Object.values(REMEDY_FOLDERS)) {
    rmSync(join(dir, folder), { recursive: true, force: true });
    mkdirSync(join(dir, folder), { recursive: true });
  }
  const list = remedyList(plan);
  for (const r of list) {
    r.hardened = join(hardenedRoot, r.pair);
    for (const when of ['before', 'after']) {
      const folder = join(dir, REMEDY_FOLDERS[when]);
      const shown = (p) => (portable ? relative(folder, p).split('\\').join('/') : p);
      const path = join(folder, `${r.pair}.perf.yaml`);
      writeFileSync(path, remedySuiteText(plan, r, when, { modelDir: shown(modelDirs[r.arch]), hardenedDir: shown(r.hardened), dataPath }));
      r[`${when}Path`] = path;
    }
  }
  return list;
}
