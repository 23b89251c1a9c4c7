import { relative } from 'node:path';
import { engineNotes, initBackend } from '../engine/index.js';
import { GeneratorCache } from '../generator/index.js';
import { loadSuite, type Suite } from '../suite/index.js';
import { isUserError } from '../util/errors.js';
import { combineReporters, ReportWriteError, type Reporter, type RunResult, type SuiteResult } from '../results/index.js';
import { environmentInfo } from './environment.js';
import { preflightSuites } from './preflight.js';
import { baseResult, runSuite } from './run-suite.js';

/** One slice of a sharded run: `index` is 1-based, 1 <= index <= total. */
export interface Shard {
  index: number;
  total: number;
}

/** Which of the discovered suites take part in a run (shared by `run` and `list`). */
export interface SelectOptions {
  cwd: string;
  /** Only suites whose name matches run. */
  namePattern?: RegExp;
  /** Only this shard's contiguous slice of the suites sorted by relative path. */
  shard?: Shard;
  /** Overrides every suite's `seed`. */
  seed?: number;
}

/** Told when `bail` stopped the run: the suites that were selected but not run. */
export interface BailInfo {
  failed: number;
  notRun: string[];
}

export interface RunOptions extends SelectOptions {
  files: string[];
  /** Built by the caller (the CLI by name, the API's user): the runner only calls them (docs/design.md §7). */
  reporters: Reporter[];
  toolVersion: string;
  backend?: string;
  /** Read for DEEPPERFORM_BACKEND and DEEPPERFORM_CONV_ENGINE (the command's environment); default process.env. */
  env?: Record<string, string | undefined>;
  /** Where trained generators are kept; read-only layers (shipped generators) after it. */
  cacheDir: string;
  readOnlyCaches?: string[];
  retrain?: boolean;
  /** Stop after this many failed (or crashed) suites; the rest are neither run nor reported. */
  bail?: number;
  onBail?: (info: BailInfo) => void;
  /** Rewrite saved-result files instead of comparing against them (read by the assertions). */
  updateBaseline?: boolean;
  /**
   * Reports that could not be written after the run: told here, so the
   * caller still gets the result (the CLI prints it and exits 2). Without it
   * the error is thrown.
   */
  onReportsFailed?: (error: ReportWriteError) => void;
}

/**
 * Loads every suite first, so a typo stops the run (exit 2) before any
 * training; then runs the selected ones in order and hands the result to the
 * reporters.
 */
export async function runSuites(opts: RunOptions): Promise<RunResult> {
  return runSelected(await selectSuites(opts.files, opts), opts);
}

/**
 * Loads all files (every one is validated, even those filtered out), keeps the
 * suites whose name matches, sorts them by relative path and takes the shard.
 */
export async function selectSuites(files: readonly string[], opts: SelectOptions): Promise<Suite[]> {
  const loaded = await Promise.all(files.map((f) => loadSuite(f)));
  const matching = loaded
    .filter((s) => !opts.namePattern || opts.namePattern.test(s.name))
    .map((s) => ({ suite: s, key: relative(opts.cwd, s.file).split('\\').join('/') }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.suite);
  const picked = opts.shard ? shardSlice(matching, opts.shard) : matching;
  const seed = opts.seed;
  return seed === undefined ? picked : picked.map((s) => ({ ...s, seed }));
}

/**
 * Playwright's split: shard i of n gets a contiguous slice; the first
 * (count mod n) shards get one item more, so sizes differ by at most 1.
 */
export function shardSlice<T>(items: readonly T[], shard: Shard): T[] {
  const { index, total } = shard;
  if (!Number.isInteger(index) || !Number.isInteger(total) || index < 1 || index > total) {
    throw new RangeError(`shard ${index}/${total}: need integers with 1 <= index <= total`);
  }
  const base = Math.floor(items.length / total);
  const extra = items.length % total;
  const start = (index - 1) * base + Math.min(index - 1, extra);
  return items.slice(start, start + base + (index <= extra ? 1 : 0));
}

/** Runs suites already loaded and selected (see selectSuites), after preflightSuites; `shard` is only recorded in the result. */
export async function runSelected(suites: readonly Suite[], opts: Omit<RunOptions, 'files'>): Promise<RunResult> {
  // A wrong model or dataset in any suite is exit 2 before the first one trains.
  await preflightSuites(suites);
  const backend = await initBackend({ backend: opts.backend, env: opts.env });
  const environment = environmentInfo(backend.name, opts.toolVersion, engineNotes(backend));
  const reporter = combineReporters(opts.reporters);
  const startedAt = new Date();
  const suiteFiles = suites.map((s) => relative(opts.cwd, s.file));
  reporter.onRunStart?.({ environment, suiteFiles });
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    const result = await runOne(suite, reporter, opts);
    results.push(result);
    reporter.onSuiteEnd?.(result);
    const failed = results.filter((r) => r.status !== 'passed').length;
    if (opts.bail !== undefined && failed >= opts.bail && results.length < suites.length) {
      opts.onBail?.({ failed, notRun: suiteFiles.slice(results.length) });
      break;
    }
  }
  const run: RunResult = {
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    environment,
    suites: results,
    status: results.every((r) => r.status === 'passed') ? 'passed' : 'failed',
    ...(opts.shard ? { shard: { index: opts.shard.index, total: opts.shard.total } } : {}),
  };
  try {
    await reporter.onRunEnd?.(run);
  } catch (e) {
    if (!(e instanceof ReportWriteError) || !opts.onReportsFailed) throw e;
    opts.onReportsFailed(e);
  }
  return run;
}

/** A suite that crashes becomes an 'error' result; configuration errors stop the run. */
async function runOne(suite: Suite, reporter: Reporter, opts: Omit<RunOptions, 'files'>): Promise<SuiteResult> {
  const started = performance.now();
  try {
    const cache = new GeneratorCache(opts.cacheDir, opts.readOnlyCaches);
    return await runSuite(suite, reporter, {
      cwd: opts.cwd,
      cache,
      retrain: opts.retrain ?? false,
      toolVersion: opts.toolVersion,
      updateBaseline: opts.updateBaseline ?? false,
    });
  } catch (e) {
    // A user error (bad model, data, settings) stops the run (exit 2) rather than being recorded as a crash.
    if (isUserError(e)) throw e;
    const error = e instanceof Error ? { message: e.message, stack: e.stack } : { message: String(e) };
    return { ...baseResult(suite, relative(opts.cwd, suite.file)), durationMs: performance.now() - started, error };
  }
}
