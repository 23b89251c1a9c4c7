import { relative } from 'node:path';
import { initBackend } from '../engine/index.js';
import { GeneratorCache } from '../generator/index.js';
import { loadSuite, type Suite } from '../suite/index.js';
import { combineReporters, type Reporter } from '../../reporters/index.js';
import { environmentInfo } from './environment.js';
import type { RunResult, SuiteResult } from './result.js';
import { baseResult, runSuite } from './run-suite.js';

export interface RunOptions {
  files: string[];
  reporters: Reporter[];
  cwd: string;
  toolVersion: string;
  backend?: string;
  /** Only suites whose name matches run. */
  namePattern?: RegExp;
  /** Where trained generators are kept; read-only layers (shipped generators) after it. */
  cacheDir: string;
  readOnlyCaches?: string[];
  retrain?: boolean;
  /** Errors that mean bad configuration: rethrown, not recorded as a crashed suite. */
  isConfigError: (e: unknown) => boolean;
}

/**
 * Loads every suite first, so a typo stops the run (exit 2) before any
 * training; then runs them in order and hands the result to the reporters.
 */
export async function runSuites(opts: RunOptions): Promise<RunResult> {
  const suites = (await Promise.all(opts.files.map((f) => loadSuite(f)))).filter(
    (s) => !opts.namePattern || opts.namePattern.test(s.name),
  );
  const backend = await initBackend({ backend: opts.backend });
  const environment = environmentInfo(backend.name, opts.toolVersion);
  const reporter = combineReporters(opts.reporters);
  const startedAt = new Date();
  reporter.onRunStart?.({ environment, suiteFiles: suites.map((s) => relative(opts.cwd, s.file)) });
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    const result = await runOne(suite, reporter, opts);
    results.push(result);
    reporter.onSuiteEnd?.(result);
  }
  const run: RunResult = {
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    environment,
    suites: results,
    status: results.every((r) => r.status === 'passed') ? 'passed' : 'failed',
  };
  await reporter.onRunEnd?.(run);
  return run;
}

/** A suite that crashes becomes an 'error' result; configuration errors stop the run. */
async function runOne(suite: Suite, reporter: Reporter, opts: RunOptions): Promise<SuiteResult> {
  const started = performance.now();
  try {
    const cache = new GeneratorCache(opts.cacheDir, opts.readOnlyCaches);
    return await runSuite(suite, reporter, { cwd: opts.cwd, cache, retrain: opts.retrain ?? false, toolVersion: opts.toolVersion });
  } catch (e) {
    if (opts.isConfigError(e)) throw e;
    const error = e instanceof Error ? { message: e.message, stack: e.stack } : { message: String(e) };
    return { ...baseResult(suite, relative(opts.cwd, suite.file)), durationMs: performance.now() - started, error };
  }
}
