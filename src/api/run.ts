import { resolve } from 'node:path';
import type { Reporter } from '../results/index.js';
import { isConfigError } from '../util/user-errors.js';
import { toolVersion } from '../util/version.js';
import { shippedGeneratorsDir } from '../generator/index.js';
import { runSuites as runAll, type RunOptions } from '../runner/index.js';
import { discoverSuites, UsageError } from '../suite/index.js';
import { PerfResult, PerfRun } from './perf-result.js';

export interface RunSuiteOptions {
  /** Where relative paths resolve and result files are relative to. Default: process.cwd(). */
  cwd?: string;
  /** Where trained generators are kept. Default: $DEEPPERFORM_CACHE_DIR or `.deepperform-cache/generators` under cwd, as the CLI. */
  cacheDir?: string;
  /** tfjs backend: wasm, cpu or auto (wasm, else cpu); node (tfjs-node) only when named: opt-in, not CI-tested. Default: auto. */
  backend?: string;
  /** Ignore cached generators and train anew. */
  retrain?: boolean;
  /** Overrides every suite's `seed` (a generator trained under another seed no longer matches, so this trains anew). */
  seed?: number;
  /** Reporters to feed while running (e.g. a JUnit reporter). Default: none, so nothing is printed. */
  reporters?: Reporter[];
}

export interface RunSuitesOptions extends RunSuiteOptions {
  /** Only suites whose name matches run. */
  namePattern?: RegExp;
}

/**
 * Runs the suites found under `paths` (files or folders) as `deepperform run`
 * does, without printing anything. Resolves once every suite ran; a crashed
 * suite is a result with status 'error'. Rejects on configuration errors (a
 * malformed suite, an unknown model) before anything is trained.
 */
export async function runSuites(paths: string | readonly string[], options: RunSuitesOptions = {}): Promise<PerfRun> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const files = await discoverSuites(typeof paths === 'string' ? [paths] : paths, cwd);
  if (files.length === 0) throw new UsageError(`no *.perf.yaml suites found under ${[paths].flat().join(', ')}`);
  return new PerfRun(await runAll(runOptions(files, cwd, options)));
}

/** Runs one suite file and returns its result. */
export async function runSuite(file: string, options: RunSuiteOptions = {}): Promise<PerfResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const files = await discoverSuites([file], cwd);
  // Checked before running: a folder of suites would otherwise run them all only to throw.
  if (files.length !== 1) {
    throw new UsageError(`runSuite(${JSON.stringify(file)}) needs one suite file, found ${files.length}; use runSuites() for folders`);
  }
  const run = new PerfRun(await runAll(runOptions(files, cwd, options)));
  return run.suites[0]!;
}

function runOptions(files: string[], cwd: string, options: RunSuitesOptions): RunOptions {
  return {
    files,
    reporters: options.reporters ?? [],
    cwd,
    toolVersion: toolVersion(),
    backend: options.backend,
    cacheDir: resolve(cwd, options.cacheDir ?? process.env.DEEPPERFORM_CACHE_DIR ?? '.deepperform-cache/generators'),
    // Generators shipped for the default suites: used when their key matches exactly.
    readOnlyCaches: [shippedGeneratorsDir()],
    retrain: options.retrain ?? false,
    namePattern: options.namePattern,
    seed: options.seed,
    isConfigError,
  };
}
