/**
 * The evaluation itself: models, suites, sections, results, rendering.
 * Each section is run, timed and stored on its own (and the results file is
 * rewritten after each), so a failure in one leaves the others' numbers, and
 * a long run interrupted late keeps what it measured.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { SECTIONS } from './args.mjs';
import { DEFAULT_DATA_PATH } from './dataset-check.mjs';
import { findGeneratorEntry, trainingFacts } from './generators.mjs';
import { mitigationSection } from './mitigation.mjs';
import { ensureModels } from './models.mjs';
import { MODEL_EPOCHS, planFor } from './plan.mjs';
import { cpuSnapshot, othersCpus } from '../../bench/lib/machine.mjs';
import { loadProduct } from './product.mjs';
import { psnrSection } from './psnr-section.mjs';
import { commitFiles } from './commit.mjs';
import { RESULTS_FORMAT, RESULTS_VERSION, datedName, inputsSince, machine, mergeResults, planKey, readResults, resumePlan, writeAtomic } from './results.mjs';
import { renderMarkdown } from './render.mjs';
import { runSuiteFolder } from './run-suites.mjs';
import { writeSuites } from './suites.mjs';
import { writeRemedySuites } from './remedy-suites.mjs';
import { summarySection } from './summary-section.mjs';
import { table1 } from './table1.mjs';

function backendLabel(root, product) {
  const name = product.engine.backendInfo()?.name ?? 'unknown';
  // The product runs forward-only paths on onnxruntime-node when it can load it.
  const cache = createRequire(join(root, 'package.json')).cache;
  const ort = Object.keys(cache).some((p) => p.includes(`${sep}onnxruntime-node${sep}`));
  return `tfjs-${name}${ort ? ' + onnxruntime-node (forward passes)' : ''}`;
}

/** Where this run reads and writes. Quick runs and non-default data never touch the committed folders. */
function layout(root, opts) {
  const defaultData = opts.dataPath === DEFAULT_DATA_PATH;
  const portable = !opts.quick && defaultData;
  const results = opts.resultsDir ?? join(root, 'eval', 'results');
  return {
    summary: join(results, opts.quick ? 'quick-summary.json' : 'summary.json'),
    portable,
    suitesDir: portable ? join(root, 'eval', 'suites') : mkdtempSync(join(tmpdir(), 'deepperform-eval-suites-')),
    cacheDir: opts.quick ? join(tmpdir(), 'deepperform-eval-quick-cache') : join(root, 'eval', 'cache'),
    latest: join(results, opts.quick ? 'quick.json' : 'latest.json'),
    resultsDir: results,
    markdown: opts.quick ? join(results, 'quick.md') : opts.resultsDir ? join(results, 'RESULTS.md') : join(root, 'docs', 'RESULTS.md'),
    suiteDataPath: defaultData ? undefined : opts.dataPath,
  };
}

/** Generator training facts of the suites of these kinds, read from the cache entries. */
function generatorFacts(cacheDir, suites, kinds) {
  const width = kinds.includes('full') ? 64 : 16;
  return Object.fromEntries(suites.filter((s) => kinds.includes(s.kind)).map((s) => [s.name, trainingFacts(findGeneratorEntry(cacheDir, [s.name], width))]));
}

/**
 * What this machine offers for measuring energy (Table 5's I-energy), looked at when the run
 * starts: the kernel's powercap (RAPL) interface and a perf `power` event source.
 */
function energyProbe() {
  const powercap = '/sys/class/powercap';
  const pmu = '/sys/bus/event_source/devices/power';
  return {
    powercap: existsSync(powercap) ? readdirSync(powercap) : null,
    powerPmu: existsSync(pmu),
    eventSources: existsSync('/sys/bus/event_source/devices') ? readdirSync('/sys/bus/event_source/devices').sort() : null,
  };
}

/** --retrain for the baselines: their cached inputs go, the light generators they share stay. */
function dropBaselineCache(cacheDir, log) {
  if (!existsSync(cacheDir)) return;
  const stale = readdirSync(cacheDir).filter((d) => d.startsWith('baseline-'));
  for (const d of stale) rmSync(join(cacheDir, d), { recursive: true, force: true });
  log(`--retrain: removed ${stale.length} cached baseline input sets from ${cacheDir}`);
}

export async function runEvaluation(root, opts, log) {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const product = await loadProduct(root);
  await product.engine.initBackend({ backend: opts.backend });
  const plan = planFor(opts.quick);
  const where = layout(root, opts);
  log(`${plan.mode} mode; data ${opts.dataPath}; suites ${where.suitesDir}; cache ${where.cacheDir}`);

  const models = await ensureModels(root, { dataPath: opts.dataPath, quick: opts.quick, retrain: opts.retrainModels, log });
  const modelDirs = Object.fromEntries(Object.entries(models).map(([a, m]) => [a, m.dir]));
  const suites = writeSuites(plan, where.suitesDir, { modelDirs, dataPath: where.suiteDataPath, portable: where.portable });
  log(`wrote ${suites.length} suites under ${where.suitesDir}`);
  if (opts.writeSuites) {
    // Table 10's suites too (the mitigation section writes them again before it runs them).
    if (where.portable) {
      const remedies = writeRemedySuites(plan, join(root, 'eval', 'remedies'), { modelDirs, hardenedRoot: join(where.cacheDir, 'hardened'), dataPath: where.suiteDataPath, portable: true });
      log(`wrote ${remedies.length} suites under ${join(root, 'eval', 'remedies')}`);
    }
    // Only eval/suites is kept (full mode, default data); elsewhere the suites are a run's scratch files.
    if (!where.portable) rmSync(where.suitesDir, { recursive: true, force: true });
    return 0;
  }

  // A section runs its kind's folder and, for the per-seed kinds, the other training seeds' folder.
  const suiteRun = (kind, retrain) => async () => {
    const kinds = suites.some((s) => s.kind === `${kind}-seeds`) ? [kind, `${kind}-seeds`] : [kind];
    const r = { suites: {}, durationMs: 0 };
    for (const k of kinds) {
      const part = await runSuiteFolder(product, join(where.suitesDir, k), { cwd: root, cacheDir: where.cacheDir, retrain, backend: opts.backend, log });
      Object.assign(r.suites, part.suites);
      r.environment = part.environment;
      r.durationMs += part.durationMs;
    }
    if (kind !== 'baselines') r.generators = generatorFacts(where.cacheDir, suites, kinds);
    return r;
  };
  const ctx = { cacheDir: where.cacheDir, dataPath: opts.dataPath, log };
  const runners = {
    table1: () => table1(product, models, { dataPath: opts.dataPath, inputs: plan.table1Inputs, tau: plan.threshold, log }),
    light: suiteRun('light', opts.retrain),
    baselines: async () => {
      if (opts.retrain) dropBaselineCache(where.cacheDir, log);
      // Never --retrain here: that would retrain the light generators these suites share.
      return suiteRun('baselines', false)();
    },
    full: suiteRun('full', opts.retrain),
    psnr: () => psnrSection(product, plan, models, ctx),
    mitigation: () =>
      mitigationSection(product, plan, models, {
        ...ctx,
        cwd: root,
        // Beside eval/suites, not in it: its "after" suites need a model only a run writes.
        remediesDir: where.portable ? join(root, 'eval', 'remedies') : join(where.suitesDir, 'remedies'),
        portable: where.portable,
        suiteDataPath: where.suiteDataPath,
        modelDirs,
        // Never --retrain here: the "before" suites share the light generators.
        retrain: false,
        backend: opts.backend,
      }),
    summary: async () => {
      const file = relative(root, where.summary).split(sep).join('/');
      const command = `npm run eval --${opts.quick ? ' --quick' : ''} --only=summary`;
      const onPair = (summary, id) => {
        fresh.sections.summary = { startedAt: new Date().toISOString(), partial: true, machine: machine(), backend: backendLabel(root, product), data: { file, summary } };
        save();
        commit(`eval: summary pair ${id}, ${pairCount(summary.pairs?.length ?? 0)} in the file${opts.quick ? ' (quick)' : ''}`);
      };
      const since = inputsSince(mergeResults(previous, fresh).sections);
      const { summary, failures } = await summarySection(product, suites, { file: where.summary, command, cacheDir: where.cacheDir, cwd: root, retrain: opts.retrain, backend: opts.backend, pairs: opts.pairs, since, log, onPair });
      return { file, summary, failures };
    },
  };

  const previous = opts.only || opts.resume ? readResults(where.latest) : undefined;
  const fresh = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    mode: plan.mode,
    startedAt,
    toolVersion: product.version,
    machine: machine(),
    energyProbe: energyProbe(),
    plan: { ...plan, modelEpochs: MODEL_EPOCHS },
    planKey: planKey({ ...plan, modelEpochs: MODEL_EPOCHS }),
    models,
    suites: suites.map((s) => relative(root, s.path).split(sep).join('/')),
    only: opts.only,
    sections: {},
  };
  const dated = join(where.resultsDir, datedName(startedAt, opts.quick));
  const save = () => {
    fresh.durationS = (performance.now() - started) / 1000;
    const merged = mergeResults(previous, fresh);
    const text = `${JSON.stringify(merged, null, 1)}\n`;
    writeAtomic(where.latest, text);
    if (!opts.quick) writeAtomic(dated, text);
    const old = existsSync(where.markdown) ? readFileSync(where.markdown, 'utf8') : undefined;
    writeAtomic(where.markdown, renderMarkdown({ ...merged, file: relative(root, where.latest) }, old));
  };

  let failed = false;
  const commit = (message) => {
    if (!opts.commit) return;
    try {
      const hash = commitFiles(root, [where.latest, opts.quick ? undefined : dated, where.markdown, where.summary], message);
      log(hash ? `committed ${hash.slice(0, 10)}: ${message}` : `nothing to commit for: ${message}`);
    } catch (e) {
      failed = true;
      log(`${e.message}`);
    }
  };
  const order = resumePlan(opts.only ?? SECTIONS, previous, fresh.planKey, { resume: opts.resume, retrain: opts.retrain });
  if (opts.resume) {
    log(`--resume: reusing ${order.reused.length ? order.reused.join(', ') : 'no section'} from ${relative(root, where.latest)}`);
    for (const name of order.run) log(`  ${name} runs: ${order.why[name]}`);
  }
  for (const name of order.run) {
    const t0 = performance.now();
    const sectionStart = new Date().toISOString();
    // Other work on the machine slows timings (not FLOPs). The CPUs other processes kept busy
    // (/proc/stat minus this process's CPU time) say how much; the load average counts our own
    // worker threads too, so it is kept only as a rough second sign.
    const loadAtStart = machine().loadAvg1m;
    const cpuAtStart = cpuSnapshot();
    log(`section ${name} ...`);
    try {
      const data = await runners[name]();
      const crashed = Object.values(data?.suites ?? {}).filter((s) => s.status === 'error');
      if (crashed.length || data?.failures?.length) failed = true;
      fresh.sections[name] = { startedAt: sectionStart, durationS: (performance.now() - t0) / 1000, planKey: fresh.planKey, loadAvg: [loadAtStart, machine().loadAvg1m], othersCpus: othersCpus(cpuAtStart, cpuSnapshot()), machine: machine(), backend: backendLabel(root, product), data };
    } catch (e) {
      failed = true;
      log(`section ${name} failed: ${e.stack ?? e}`);
      fresh.sections[name] = { startedAt: sectionStart, durationS: (performance.now() - t0) / 1000, planKey: fresh.planKey, loadAvg: [loadAtStart, machine().loadAvg1m], othersCpus: othersCpus(cpuAtStart, cpuSnapshot()), machine: machine(), backend: backendLabel(root, product), error: e.message };
    }
    log(`section ${name} done in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
    save();
    commit(`eval: ${name} section results${opts.quick ? ' (quick)' : ''}`);
  }
  if (!where.portable) rmSync(where.suitesDir, { recursive: true, force: true });
  log(`results: ${relative(root, where.latest)}${opts.quick ? '' : ` and ${relative(root, dated)}`}; tables: ${relative(root, where.markdown)}; ${((performance.now() - started) / 60000).toFixed(1)} min`);
  return failed ? 1 : 0;
}

/** "1 pair", "3 pairs". */
export function pairCount(n) {
  return `${n} pair${n === 1 ? '' : 's'}`;
}
