/**
 * The `summary` section: one suite per model, norm and training seed
 * (eval/suites/summary/ and summary-seeds/), a pair's seeds combined into one
 * row per method (summary.mjs combineSeeds), run one at a time through the product's public API, each pair's rows
 * written to the summary file as soon as it finishes. A pair already in the
 * file is skipped unless --retrain or it is older than the light and
 * baselines sections it reads (`since`), so an interrupted run resumes where
 * it stopped, across sessions, and never keeps rows of replaced generators.
 */
import { loadavg } from 'node:os';
import { cpuSnapshot, othersCpus } from '../../bench/lib/machine.mjs';
import { ARCHS, NORMS, isEarlyExit } from './plan.mjs';
import { writeAtomic } from './results.mjs';
import { progressReporter } from './run-suites.mjs';
import { combineSeeds, pairDone, readSummary, summaryRows, withPair } from './summary.mjs';

const ORDER = { models: ARCHS, norms: NORMS.map((n) => n.norm) };

/** Why a method has no row for a pair (stated in the file, not left to guess). */
function absentFor(arch, norm) {
  if (isEarlyExit(arch)) return [];
  return [{ model: arch, norm, method: 'deepsloth', reason: `DeepSloth attacks early exits; ${arch} skips blocks and has no internal exits to push past` }];
}

/**
 * Runs the summary suites of `suites` (those of kind 'summary', optionally
 * only `pairs`, e.g. ["sdn-tiny-linf"]) and keeps `file` up to date.
 * `onPair(summary, id)` is called after each pair is written (the caller saves
 * latest.json and RESULTS.md there). Returns the summary and the failures.
 */
export async function summarySection(product, suites, { file, command, cacheDir, cwd, retrain, backend, pairs, since, log, onPair }) {
  let summary = { ...readSummary(file), command };
  const failures = [];
  // One pair: the summary suite of each training seed (summary/ and summary-seeds/).
  const ofPair = (s) => suites.filter((x) => (x.kind === 'summary' || x.kind === 'summary-seeds') && x.arch === s.arch && x.norm === s.norm);
  for (const s of suites.filter((x) => x.kind === 'summary')) {
    const id = `${s.arch}-${s.norm}`;
    if (pairs && !pairs.includes(id)) continue;
    if (!retrain && pairDone(summary, s.arch, s.norm, since)) {
      log(`summary ${id}: already in ${file}, skipped (--retrain redoes it)`);
      continue;
    }
    if (!retrain && pairDone(summary, s.arch, s.norm)) log(`summary ${id}: in ${file} but older than the light and baselines results (${since}), made again`);
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const cpu0 = cpuSnapshot();
    const load0 = loadavg()[0];
    try {
      const rowSets = [];
      const generators = [];
      for (const one of ofPair(s)) {
        const run = await product.api.runSuites(one.path, { cwd, cacheDir, retrain, backend, reporters: [progressReporter(log)] });
        const result = run.raw.suites[0];
        rowSets.push(summaryRows(result, { model: s.arch, norm: s.norm, trainingSeed: one.trainingSeed }));
        generators.push(result.training?.source);
      }
      const rows = combineSeeds(rowSets, ofPair(s).map((x) => x.trainingSeed));
      const facts = { suite: s.file, suites: ofPair(s).map((x) => x.file), startedAt, durationS: (performance.now() - t0) / 1000, loadAvg: [load0, loadavg()[0]], othersCpus: othersCpus(cpu0, cpuSnapshot()), generator: generators.join(', ') };
      summary = withPair(summary, { model: s.arch, norm: s.norm, rows, absent: absentFor(s.arch, s.norm), facts }, ORDER);
      summary.updatedAt = new Date().toISOString();
      writeAtomic(file, `${JSON.stringify(summary, null, 1)}\n`);
      log(`summary ${id}: ${rows.length} rows written to ${file}`);
      await onPair?.(summary, id);
    } catch (e) {
      failures.push(`${id}: ${e.message}`);
      log(`summary ${id} failed: ${e.message}`);
    }
  }
  return { summary, failures };
}
