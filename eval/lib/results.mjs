/**
 * The results file: one JSON per run (eval/results/<date>.json, and
 * latest.json), written atomically (a temporary file renamed into place), so
 * an interrupted run never leaves a half-written file for the renderer.
 * `--only` reruns merge into the previous latest.json section by section;
 * each section records when and how it was measured, and under which plan, so
 * that `--resume` can skip the sections a previous run finished.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';

export const RESULTS_FORMAT = 'deepperform-eval';
export const RESULTS_VERSION = 1;

export function writeAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function readResults(path) {
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, 'utf8'));
  return r.format === RESULTS_FORMAT ? r : undefined;
}

/** CPU model and logical CPU count, as the tables name the machine. */
export function machine() {
  const list = cpus();
  const model = (list[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  return { cpu: model, cores: list.length, platform: `${process.platform} ${process.arch}`, node: process.version, loadAvg1m: loadavg()[0] };
}

/** Sections of `fresh` replace those of `previous`; the others are kept with their own dates. */
export function mergeResults(previous, fresh) {
  if (!previous || previous.mode !== fresh.mode) return fresh;
  return { ...previous, ...fresh, sections: { ...previous.sections, ...fresh.sections } };
}

/** eval/results/<YYYY-MM-DD>.json of a run started at `iso`. */
export function datedName(iso, quick) {
  return `${quick ? 'quick-' : ''}${iso.slice(0, 10)}.json`;
}

/** A short fingerprint of the plan (scale, seeds, budgets): sections measured under another plan are not reused. */
export function planKey(plan) {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 16);
}

/**
 * Why a section of `previous` cannot be reused by --resume, or undefined when
 * it can: it must have finished (no error, not a partial summary), under the
 * same mode and plan, with no failed suite, row or pair.
 */
/** Sections whose generators and inputs the summary's rows read (light: the generators; baselines: ILFO's and DeepSloth's inputs). */
const SUMMARY_INPUTS = ['light', 'baselines'];

/** The latest start of the sections the summary reads, or undefined when none ran. */
export function inputsSince(sections) {
  const times = SUMMARY_INPUTS.map((name) => sections?.[name]?.startedAt).filter((t) => typeof t === 'string');
  return times.length ? times.sort().at(-1) : undefined;
}

export function notReusable(previous, name, key) {
  const s = previous?.sections?.[name];
  if (!s) return 'not in the results';
  if (s.planKey !== key) return s.planKey ? 'measured under another plan' : 'measured before plans were recorded';
  if (s.error) return 'failed';
  if (s.partial) return 'unfinished';
  const d = s.data ?? {};
  if (d.skipped) return `skipped (${d.skipped})`;
  if (d.failures?.length) return `${d.failures.length} failure(s)`;
  if (Object.values(d.suites ?? {}).some((x) => x.status === 'error')) return 'a suite crashed';
  const since = name === 'summary' ? inputsSince(previous.sections) : undefined;
  if (since && (s.startedAt ?? '') < since) return 'older than the light or baselines results it reads';
  return undefined;
}

/**
 * The sections to run, in order, and those --resume reuses from `previous`
 * (with the reason each other one runs). Without resume, or with --retrain,
 * every asked section runs.
 */
export function resumePlan(sections, previous, key, { resume, retrain }) {
  const run = [];
  const reused = [];
  const why = {};
  for (const name of sections) {
    let reason = resume && !retrain ? notReusable(previous, name, key) : 'asked';
    // Its rows read those sections' generators and inputs, which this run makes again.
    if (reason === undefined && name === 'summary' && run.some((n) => SUMMARY_INPUTS.includes(n))) reason = 'the light or baselines section runs again';
    if (reason === undefined) reused.push(name);
    else {
      run.push(name);
      why[name] = reason;
    }
  }
  return { run, reused, why };
}
