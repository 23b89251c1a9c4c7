/**
 * The results file: one JSON per run (eval/results/<date>.json, and
 * latest.json), written atomically (a temporary file renamed into place), so
 * an interrupted run never leaves a half-written file for the renderer.
 * `--only` reruns merge into the previous latest.json section by section;
 * each section records when and how it was measured.
 */
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
