/**
 * The evaluation's suites, written as ordinary *.perf.yaml files from the
 * plan, so that every number of the tables comes from a suite a user can run
 * (`npx deepperform run eval/suites`) and read. Three kinds per model and norm:
 *
 *   light/      the light generator on `generatorSeeds` test seeds, with random
 *               noise beside it; latency on the first seeds (Linf only)
 *   baselines/  the same generator (a cache hit: same training settings) on the
 *               first `baselineSeeds` of those seeds, with ILFO, DeepSloth
 *               (early-exit models), ILFO as the paper's code ran it, random and
 *               deepperform-refine on the very same seeds
 *   light-seeds/, baselines-seeds/, summary-seeds/
 *               the same for the plan's other training seeds (generator.train.seed)
 *   full/       the paper's generator (width 64), Linf only by default
 *   summary/    the summary rows: the light generator trained to an epochs budget
 *               under a time cap, deepperform-refine, ILFO, DeepSloth (early-exit
 *               models) and random, every method on the same `summary.seeds` seeds
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ARCHS, NORMS, isEarlyExit } from './plan.mjs';

export const KINDS = ['light', 'baselines', 'full', 'summary', 'light-seeds', 'baselines-seeds', 'summary-seeds'];

/** Kinds whose generator is trained once per training seed; `<kind>-seeds` holds the seeds after the first. */
const PER_SEED = ['light', 'baselines', 'summary'];

/** The kind a suite of `kind` belongs to for the tables: 'light-seeds' reads as 'light'. */
export function baseKind(kind) {
  return kind.replace(/-seeds$/, '');
}

/** A suite's name; the first training seed's keeps the plain name (other sections look it up by it). */
export function suiteName(arch, normLabel, kind, trainingSeed) {
  const what = { light: 'light generator', full: 'full generator', baselines: 'per-input baselines', summary: 'summary' }[baseKind(kind)];
  const seed = kind.endsWith('-seeds') ? `, training seed ${trainingSeed}` : '';
  return `${arch}, ${normLabel}, ${what}${seed}`;
}

/** Every suite of the plan: { kind, arch, norm, epsilon, label, name, file (relative to the suites dir), trainingSeed }. */
export function suiteList(plan) {
  const list = [];
  for (const kind of KINDS.filter((k) => !k.endsWith('-seeds'))) {
    for (const { norm, epsilon, label } of NORMS) {
      if (kind === 'full' && !plan.full.norms.includes(norm)) continue;
      for (const arch of ARCHS) {
        const first = PER_SEED.includes(kind) ? plan.trainingSeeds[0] : undefined;
        list.push({ kind, arch, norm, epsilon, label, name: suiteName(arch, label, kind), file: `${kind}/${arch}-${norm}.perf.yaml`, trainingSeed: first });
      }
    }
  }
  // Other sections (psnr, mitigation) read the plain kinds only; the extra seeds come last.
  for (const kind of PER_SEED) {
    for (const trainingSeed of plan.trainingSeeds.slice(1)) {
      for (const { norm, epsilon, label } of NORMS) {
        for (const arch of ARCHS) {
          const k = `${kind}-seeds`;
          list.push({ kind: k, arch, norm, epsilon, label, name: suiteName(arch, label, k, trainingSeed), file: `${k}/${arch}-${norm}-seed${trainingSeed}.perf.yaml`, trainingSeed });
        }
      }
    }
  }
  return list;
}

/** The light generator of one training seed: an epochs budget with early stopping under a safety cap; refine on the baselines and summary suites. */
function lightGeneratorBlock(plan, s) {
  const t = plan.light.train;
  const optional = (key) => (t[key] === undefined ? [] : [`    ${key}: ${t[key]}`]);
  return [
    'generator:',
    `  preset: ${plan.light.preset}`,
    '  train:',
    '    # Trained to convergence: an epochs budget with early stopping; minutes is a safety cap.',
    ...['epochs', 'steps', 'minutes', 'validateEvery', 'validationInputs', 'batchSize', 'learningRate'].flatMap(optional),
    `    seed: ${s.trainingSeed}`,
    ...(baseKind(s.kind) === 'baselines' ? [`  refine: ${plan.refine}`] : []),
    ...(baseKind(s.kind) === 'summary' ? [`  refine: ${plan.summary.refine}`] : []),
  ];
}

function generatorBlock(plan, s) {
  if (s.kind !== 'full') return lightGeneratorBlock(plan, s);
  const t = plan.train;
  return ['generator:', `  preset: ${plan.full.preset}`, '  train:', `    steps: ${plan.full.steps}`, `    batchSize: ${t.batchSize}`, `    learningRate: ${t.learningRate}`];
}

function baselineLines(plan, s) {
  if (s.kind === 'full') return ['baselines: []'];
  if (baseKind(s.kind) === 'light') return ['baselines: [random]'];
  const item = (name, opts) => (Object.keys(opts).length ? `  - ${name}: ${JSON.stringify(opts)}` : `  - ${name}`);
  const summary = baseKind(s.kind) === 'summary';
  const settings = summary ? plan.summary : plan;
  const lines = ['baselines:', '  - random', item('ilfo', settings.ilfo)];
  if (!summary) lines.push(item('ilfo-paper-code', plan.ilfoPaperCode));
  if (isEarlyExit(s.arch)) lines.push(item('deepsloth', settings.deepsloth));
  return lines;
}

function measureLines(plan, s) {
  // Latency (Table 2) once per model: on the Linf light suite.
  const latency = baseKind(s.kind) === 'light' && s.norm === 'linf';
  const lines = ['measure:', `  latency: ${latency}`];
  if (latency) lines.push(`  latencyInputs: ${plan.latencyInputs}`, `  repeats: ${plan.latencyRepeats}`);
  lines.push('  energy: false');
  return lines;
}

function assertionLines(s) {
  // Reported, never failing: the comparisons the tables are about.
  if (baseKind(s.kind) === 'baselines') {
    return ['assertions:', '  - { assert: "mean I-FLOPs >= 1x ilfo", level: warn }', '  - { assert: "mean I-FLOPs of deepperform-refine >= 1x ilfo", level: warn }'];
  }
  if (baseKind(s.kind) === 'summary') {
    return ['assertions:', '  - { assert: "mean I-FLOPs >= 1x ilfo", level: warn }', '  - { assert: "mean I-FLOPs of deepperform-refine >= 1x ilfo", level: warn }'];
  }
  if (baseKind(s.kind) === 'light') return ['assertions:', '  - { assert: "mean I-FLOPs >= 1x random", level: warn }'];
  return [];
}

/**
 * The text of one suite file. `modelDir` is the weights folder as the suite
 * should name it (relative to the suite file, or absolute); `dataPath` is
 * written only when it is not the dataset's default location.
 */
export function suiteText(plan, s, { modelDir, dataPath }) {
  const seeds = { baselines: plan.baselineSeeds, summary: plan.summary.seeds }[baseKind(s.kind)] ?? plan.generatorSeeds;
  return [
    `# Written by eval/run.mjs from eval/lib/plan.mjs (${plan.mode} mode); regenerate with \`npm run eval -- --write-suites\`.`,
    `name: ${JSON.stringify(s.name)}`,
    'model:',
    `  arch: ${s.arch}`,
    `  weights: ${JSON.stringify(modelDir)}`,
    'data:',
    '  dataset: fashion-mnist',
    ...(dataPath ? [`  path: ${JSON.stringify(dataPath)}`] : []),
    '  split: test',
    `  seeds: ${seeds}`,
    `  trainSplit: ${plan.generatorTrainSplit}`,
    `norm: ${s.norm}`,
    `epsilon: ${s.epsilon}`,
    `threshold: ${plan.threshold}`,
    `seed: ${plan.seed}`,
    ...generatorBlock(plan, s),
    ...baselineLines(plan, s),
    ...measureLines(plan, s),
    ...assertionLines(s),
    '',
  ].join('\n');
}

/**
 * Writes the plan's suites under `dir` (replacing the kinds' folders, so a
 * suite dropped from the plan does not linger) and returns the list with
 * absolute paths. `modelDirs[arch]` is the absolute weights folder.
 */
export function writeSuites(plan, dir, { modelDirs, dataPath, portable }) {
  const list = suiteList(plan);
  for (const kind of KINDS) {
    rmSync(join(dir, kind), { recursive: true, force: true });
    mkdirSync(join(dir, kind), { recursive: true });
  }
  for (const s of list) {
    const path = join(dir, s.file);
    // In eval/suites the paths are relative, so the files work in any clone.
    const modelDir = portable ? relative(join(dir, s.kind), modelDirs[s.arch]).split('\\').join('/') : modelDirs[s.arch];
    writeFileSync(path, suiteText(plan, s, { modelDir, dataPath }));
    s.path = path;
  }
  return list;
}

