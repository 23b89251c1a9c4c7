#!/usr/bin/env node
/**
 * The generator study's runner (docs/generator-study.md). Resumable: each run
 * writes eval/study/results/<id>.json when it finishes, and a run whose file
 * exists is skipped, so an interrupted study continues where it stopped.
 * Runs one training at a time. Build first (`npm run build`); run niced:
 *
 *   nice -n 10 node eval/study/run.mjs --models=sdn-tiny,ranet-tiny --norms=linf,l2 \
 *     --configs=bce-gan,masked-bce --training-seeds=0 --steps=1000 [--commit]
 *
 * The budget (--steps, --epochs, --minutes: training stops at the first
 * reached) and the training seeds are arguments, so the final comparison can
 * rerun the same plan with longer budgets and more seeds unchanged.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSnapshot, othersCpus } from '../../bench/lib/machine.mjs';
import { DEFAULT_DATA_PATH, missingFiles } from '../lib/dataset-check.mjs';
import { loadProduct } from '../lib/product.mjs';
import { machine, writeAtomic } from '../lib/results.mjs';
import { CONFIGS, configSettings, EVALUATION, MODELS, MODIFIERS, NORMS, runList } from './plan.mjs';
import { studyResult } from './result.mjs';
import { suiteText } from './suite.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = join(ROOT, 'eval/study/results');

const USAGE = `Usage: node eval/study/run.mjs [options]   (after npm run build)

  --models=<list>          ${MODELS.join(',')} (default: all)
  --norms=<list>           ${NORMS.map((n) => n.norm).join(',')} (default: both)
  --configs=<list>         configurations of eval/study/plan.mjs (default: the base ones): ${Object.keys(CONFIGS).join(', ')},
                           each optionally with +modifiers: ${Object.keys(MODIFIERS).join(', ')} (e.g. bce+scale+gan)
  --training-seeds=<list>  generator seeds (default 0)
  --steps=<n> --epochs=<e> --minutes=<m>   training budget; at least one (the first reached stops)
  --validate-every=<n>     steps between validations (default: plan's)
  --data-path=<dir>        Fashion-MNIST folder (default ${DEFAULT_DATA_PATH})
  --backend=<name>         tfjs backend (default: the best available)
  --commit                 git-commit each result file as it is written
  --list                   print the runs and whether each is done, then stop`;

class UsageError extends Error {}

function parseArgs(argv) {
  const o = { models: MODELS, norms: NORMS.map((n) => n.norm), configs: Object.keys(CONFIGS), trainingSeeds: [0], budget: {}, dataPath: DEFAULT_DATA_PATH };
  const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
  const num = (name, v, int) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (int && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${int ? 'integer' : 'number'}, got ${v}`);
    return n;
  };
  for (const a of argv) {
    const [key, value = ''] = a.replace(/^--/, '').split(/=(.*)/s);
    if (key === 'models') o.models = list(value);
    else if (key === 'norms') o.norms = list(value);
    else if (key === 'configs') o.configs = list(value);
    else if (key === 'training-seeds') o.trainingSeeds = list(value).map((s) => (Number.isInteger(Number(s)) && Number(s) >= 0 ? Number(s) : fail(`--training-seeds: ${s} is not an integer >= 0`)));
    else if (key === 'steps') o.budget.steps = num(key, value, true);
    else if (key === 'epochs') o.budget.epochs = num(key, value, false);
    else if (key === 'minutes') o.budget.minutes = num(key, value, false);
    else if (key === 'validate-every') o.validateEvery = num(key, value, true);
    else if (key === 'data-path') o.dataPath = resolve(value);
    else if (key === 'backend') o.backend = value;
    else if (key === 'commit') o.commit = true;
    else if (key === 'list') o.list = true;
    else if (key === 'help' || key === 'h') o.help = true;
    else throw new UsageError(`unknown option ${a}`);
  }
  for (const m of o.models) if (!MODELS.includes(m)) fail(`unknown model ${m}; known: ${MODELS.join(', ')}`);
  for (const n of o.norms) if (!NORMS.some((x) => x.norm === n)) fail(`unknown norm ${n}`);
  for (const c of o.configs) if (!configSettings(c)) fail(`unknown configuration ${c}; known: ${Object.keys(CONFIGS).join(', ')}, with +${Object.keys(MODIFIERS).join(', +')}`);
  if (!o.help && Object.keys(o.budget).length === 0) fail('give a budget: --steps, --epochs and/or --minutes');
  return o;
}

function fail(message) {
  throw new UsageError(message);
}

const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** A reporter that keeps every validation point (step, time, I-FLOPs, losses) and logs it. */
function curveRecorder() {
  const curve = [];
  let started;
  return {
    curve,
    reporter: {
      onPhase: ({ phase, detail }) => {
        if (phase === 'training generator') started = performance.now();
        log(`  · ${phase}${detail ? `  ${detail}` : ''}`);
      },
      onTrainingProgress: ({ step, losses, validationIflops }) => {
        if (validationIflops === undefined) return;
        const seconds = started === undefined ? null : (performance.now() - started) / 1000;
        curve.push({ step, seconds, validationIflops, losses });
        const l = Object.entries(losses).map(([k, v]) => `${k} ${Number(v).toFixed(3)}`).join(', ');
        log(`    step ${step}: validation ${(validationIflops * 100).toFixed(1)} % (${l})`);
      },
    },
  };
}

async function runOne(product, run, opts, work) {
  const suiteFile = join(work, `${run.id}.perf.yaml`);
  writeFileSync(suiteFile, suiteText(run, { modelDir: join(ROOT, 'eval/models', run.model), dataPath: opts.dataPath, validateEvery: opts.validateEvery }));
  const { curve, reporter } = curveRecorder();
  const before = cpuSnapshot();
  const cpu0 = process.cpuUsage();
  const result = await product.api.runSuite(suiteFile, { cwd: work, cacheDir: join(work, 'cache'), retrain: true, backend: opts.backend, reporters: [reporter] });
  const cpu = process.cpuUsage(cpu0);
  const after = cpuSnapshot();
  return studyResult(run, result.raw, {
    curve,
    validateEvery: opts.validateEvery,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    othersCpus: othersCpus(before, after),
    wallSeconds: after.wallS - before.wallS,
    toolVersion: product.version,
    commit: spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim(),
    machine: machine(),
  });
}

function commitResult(file, id) {
  const rel = relative(ROOT, file);
  const add = spawnSync('git', ['add', rel], { cwd: ROOT, encoding: 'utf8' });
  const commit = spawnSync('git', ['commit', '-q', '-m', `study: ${id}`, '--', rel], { cwd: ROOT, encoding: 'utf8' });
  if (add.status !== 0 || commit.status !== 0) log(`  ! git commit of ${rel} failed: ${add.stderr}${commit.stderr}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) return console.log(USAGE);
  const runs = runList({ ...opts });
  const done = (r) => existsSync(join(RESULTS, `${r.id}.json`));
  if (opts.list) {
    for (const r of runs) console.log(`${done(r) ? 'done' : 'todo'}  ${r.id}`);
    return;
  }
  const missing = missingFiles(opts.dataPath);
  if (missing.length) fail(`Fashion-MNIST not found in ${opts.dataPath} (missing ${missing.join(', ')}); give --data-path`);
  const product = await loadProduct(ROOT);
  const todo = runs.filter((r) => !done(r));
  log(`${runs.length} runs, ${runs.length - todo.length} done, ${todo.length} to go (evaluation: ${EVALUATION.seeds} ${EVALUATION.split} seeds, suite seed ${EVALUATION.suiteSeed})`);
  for (const [i, run] of todo.entries()) {
    const work = mkdtempSync(join(tmpdir(), 'deepperform-study-'));
    try {
      log(`run ${i + 1}/${todo.length}: ${run.id}`);
      const out = await runOne(product, run, opts, work);
      const file = join(RESULTS, `${run.id}.json`);
      writeAtomic(file, `${JSON.stringify(out, null, 1)}\n`);
      const e = out.evaluation;
      log(`  done: mean I-FLOPs ${(e.meanIflops * 100).toFixed(1)} %, p50 ${(e.p50Iflops * 100).toFixed(1)} %, full depth ${(e.fullDepthRate * 100).toFixed(0)} %, ${out.training.steps} steps in ${out.training.seconds.toFixed(0)} s`);
      if (opts.commit) commitResult(file, run.id);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  if (e instanceof UsageError) {
    console.error(`eval/study: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(3);
});
