import { configProblems } from '../settings/index.js';
import { UsageError } from '../util/errors.js';
import type { Reporter } from '../reporters/index.js';

export interface RunSuiteOptions {
  /** Where relative paths resolve and result files are relative to. Default: process.cwd(). */
  cwd?: string;
  /**
   * The config file, relative to cwd, as `--config`. Default: deepperform.config.{ts,mts,js,mjs}
   * in cwd when there is one, as the CLI; false: none. Its include, cacheDir, backend, seed and
   * retrain apply; options given here win.
   */
  config?: string | false;
  /** Where trained generators are kept. Default: the config's cacheDir, else $DEEPPERFORM_CACHE_DIR, else `.deepperform-cache/generators` under cwd, as the CLI. */
  cacheDir?: string;
  /** tfjs backend: wasm, cpu or auto (wasm, else cpu); node (tfjs-node) only when named: opt-in, not CI-tested. Default: the config's, else auto. */
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
 * The options that stand for config keys (cacheDir, backend, seed, retrain)
 * are checked by the config file's schema, so `seed: -1` is the same mistake
 * with the same words from both; the others by their type.
 */
export function checkOptions(options: RunSuitesOptions): void {
  const { cwd, config, cacheDir, backend, seed, retrain } = options;
  const problems = configProblems({ cacheDir, backend, seed, retrain });
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) problems.push({ key: 'cwd', message: 'must be a folder path' });
  if (config !== undefined && config !== false && (typeof config !== 'string' || config === '')) {
    problems.push({ key: 'config', message: 'must be a config file path, or false for none' });
  }
  if (problems.length > 0) throw new UsageError(problems.map((p) => `option ${p.key}: ${p.message}`).join('\n'));
}
