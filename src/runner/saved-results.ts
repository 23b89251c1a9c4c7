/**
 * A suite's saved result: the numbers `saved` in its assertions compares with
 * ("max I-FLOPs <= 1.1x saved"). A JSON file committed beside the suite
 * (<name>.perf.baseline.json unless the suite names one with `saved:`),
 * written by `deepperform run --update-baseline`.
 *
 * Like snapshot files in vitest: a missing file is written by a local run
 * and the comparison starts on the next run; with CI set it is not written
 * and the assertions that read it fail, so a forgotten file cannot pass
 * unnoticed.
 */
import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { assertionLabel, type MetricValue } from '../assert/index.js';
import { AGGREGATES, DEFAULT_METHOD, METRICS, metricValue, type Aggregate } from '../results/index.js';
import { SuiteError, modelLabel, positionAt, positionIn, type Segment, type Suite, type SuiteProblem } from '../suite/index.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import type { SuiteConfig, SuiteResult } from '../results/index.js';
import { suiteConfig } from './suite-config.js';

export const SAVED_FORMAT = 'deepperform-saved-result';
export const SAVED_VERSION = 1;

/** What the saved numbers were measured on: numbers from another configuration do not compare. */
export interface SavedConfig extends SuiteConfig {
  /** Zoo architecture, or the user module's file name and export. */
  model: string;
}

export interface SavedResultFile {
  format: typeof SAVED_FORMAT;
  version: typeof SAVED_VERSION;
  /** deepperform version that wrote it. */
  tool: string;
  savedAt: string;
  suite: string;
  config: SavedConfig;
  /** Every number the run measured, keyed as an assertion names it: "mean I-FLOPs", "block coverage of random". */
  metrics: Record<string, number>;
}

/** What a run does with a suite's saved result. */
export interface SavedPlan {
  /** Absolute path. */
  file: string;
  /** Relative to the working directory, forward slashes: how messages and reports name it. */
  shown: string;
  action: 'compared' | 'written' | 'missing';
  /** What `saved` in an assertion reads. */
  lookup(metric: string, aggregate: Aggregate | undefined, method: string): MetricValue;
}

export interface SavedOptions {
  /** --update-baseline: write this run's numbers whatever the file holds. */
  updateBaseline: boolean;
  /** CI is set: never write a missing file, fail instead. */
  ci: boolean;
  cwd: string;
}

/** The CI convention the console reporter follows too: CI set, and not to '', '0' or 'false'. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Decides, before the suite runs, what `saved` reads and whether the file is
 * written afterwards; undefined when the suite reads no saved result. Throws
 * SuiteError (exit 2) for a file that is damaged or was saved for another
 * configuration, unless it is about to be replaced.
 */
export async function planSaved(suite: Suite, opts: SavedOptions): Promise<SavedPlan | undefined> {
  if (suite.saved === undefined) return undefined;
  const file = suite.saved;
  const shown = displayPath(opts.cwd, file);
  const unavailable = (why: string, fail = false): SavedPlan['lookup'] => () => (fail ? { unavailable: why, fail } : { unavailable: why });
  if (opts.updateBaseline) {
    const why = `--update-baseline: this run's numbers are saved to ${shown}; compared from the next run on`;
    return { file, shown, action: 'written', lookup: unavailable(why) };
  }
  const saved = await readSavedResult(file, savedConfig(suite), displayPath(opts.cwd, suite.file));
  if (saved === undefined && opts.ci) {
    const why = `no saved result ${shown}: create it with "deepperform run --update-baseline" and commit it (not written here because CI is set)`;
    return { file, shown, action: 'missing', lookup: unavailable(why, true) };
  }
  if (saved === undefined) {
    const why = `no saved result yet: this run's numbers are saved to ${shown} (commit it); compared from the next run on`;
    return { file, shown, action: 'written', lookup: unavailable(why) };
  }
  return {
    file,
    shown,
    action: 'compared',
    lookup: (metric, aggregate, method) => {
      const key = assertionLabel({ metric, aggregate, method });
      const value = saved.metrics[key];
      if (typeof value === 'number') return value;
      const why = `${shown} has no saved "${key}": add it with "deepperform run --update-baseline"`;
      return opts.ci ? { unavailable: why, fail: true } : { unavailable: why };
    },
  };
}

/** The configuration a suite measures, as the saved result records it. */
export function savedConfig(suite: Suite): SavedConfig {
  const m = suite.model;
  return {
    model: m.source === 'module' ? `${basename(m.module)}#${m.exportName}` : modelLabel(m),
    ...suiteConfig(suite),
  };
}

/** Every finite number the run measured, keyed by the assertion label that reads it, in registry order. */
export function collectMetrics(result: SuiteResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const def of METRICS) {
    const methods = def.of === 'method' ? result.methods.map((m) => m.method) : [DEFAULT_METHOD];
    const aggregates = def.shape === 'sample' ? AGGREGATES : [undefined];
    for (const method of methods) {
      for (const aggregate of aggregates) {
        const v = metricValue(result, def.name, aggregate, method);
        if (typeof v === 'number' && Number.isFinite(v)) out[assertionLabel({ metric: def.name, aggregate, method })] = v;
      }
    }
  }
  return out;
}

/** Writes (atomically) the saved result of a finished suite. */
export async function writeSavedResult(file: string, suite: Suite, result: SuiteResult, toolVersion: string): Promise<void> {
  const saved: SavedResultFile = {
    format: SAVED_FORMAT,
    version: SAVED_VERSION,
    tool: toolVersion,
    savedAt: new Date().toISOString(),
    suite: suite.name,
    config: savedConfig(suite),
    metrics: collectMetrics(result),
  };
  await writeFileAtomic(file, `${JSON.stringify(saved, null, 2)}\n`);
}

/**
 * Reads a saved result; undefined when there is none. A file that is not a
 * saved result, or was saved for a configuration other than `expected`, is a
 * SuiteError naming the file and the line at fault.
 */
export async function readSavedResult(file: string, expected: SavedConfig, suiteShown: string): Promise<SavedResultFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SuiteError(file, [{ line: 1, column: 1, path: '', message: `cannot read the saved result: ${String(e)}` }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SuiteError(file, [jsonProblem(text, e)], text);
  }
  const problems = shapeProblems(data, text);
  if (problems.length === 0) problems.push(...configProblems((data as SavedResultFile).config, expected, text, suiteShown));
  if (problems.length > 0) throw new SuiteError(file, problems, text);
  return data as SavedResultFile;
}

const REPLACE = 'restore it, or replace it with "deepperform run --update-baseline"';

function jsonProblem(text: string, e: unknown): SuiteProblem {
  const message = e instanceof Error ? e.message : String(e);
  const at = /at position (\d+)/.exec(message);
  const pos = at !== null ? positionAt(text, Number(at[1])) : message.includes('end of JSON') ? positionAt(text, text.trimEnd().length) : { line: 1, column: 1 };
  return { ...pos, path: '', message: `not valid JSON (${message}): the saved result is damaged; ${REPLACE}` };
}

function problemAt(text: string, path: Segment[], part: 'key' | 'value', message: string): SuiteProblem {
  const shown = path.map((s, i) => (i === 0 ? String(s) : typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
  return { ...positionIn(text, path, part), path: shown, message };
}

/** Format marker, version, and the types of config and metrics. */
function shapeProblems(data: unknown, text: string): SuiteProblem[] {
  if (!isRecord(data)) return [problemAt(text, [], 'value', `not a deepperform saved result (a JSON object): ${REPLACE}`)];
  if (data.format !== SAVED_FORMAT) {
    return [problemAt(text, ['format'], 'value', `not a deepperform saved result ("format" must be "${SAVED_FORMAT}"): ${REPLACE}`)];
  }
  if (data.version !== SAVED_VERSION) {
    const newer = typeof data.version === 'number' && data.version > SAVED_VERSION ? ' (written by a newer deepperform)' : '';
    return [problemAt(text, ['version'], 'value', `saved result version ${JSON.stringify(data.version)}${newer}; this deepperform reads version ${SAVED_VERSION}`)];
  }
  const problems: SuiteProblem[] = [];
  if (!isRecord(data.config)) problems.push(problemAt(text, ['config'], 'value', 'must be an object'));
  if (!isRecord(data.metrics)) {
    problems.push(problemAt(text, ['metrics'], 'value', 'must be an object'));
  } else {
    for (const [key, v] of Object.entries(data.metrics)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(problemAt(text, ['metrics', key], 'value', `must be a number, got ${JSON.stringify(v)}`));
    }
  }
  return problems;
}

function configProblems(config: SavedConfig, expected: SavedConfig, text: string, suiteShown: string): SuiteProblem[] {
  const problems: SuiteProblem[] = [];
  for (const key of Object.keys(expected) as (keyof SavedConfig)[]) {
    const was = config[key];
    const now = expected[key];
    if (was === now) continue;
    const message =
      `saved for ${key} ${JSON.stringify(was ?? null)}, but ${suiteShown} now has ${JSON.stringify(now)}: ` +
      `its numbers do not compare; replace them with "deepperform run --update-baseline"`;
    problems.push(problemAt(text, was === undefined ? ['config'] : ['config', key], was === undefined ? 'key' : 'value', message));
  }
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return (rel === '' || rel.startsWith('..') ? file : rel).split('\\').join('/');
}
