import { join, resolve } from 'node:path';
import { packageRoot } from '../../util/package-root.js';
import { createReporters } from '../../../reporters/index.js';
import { runSuites } from '../../runner/index.js';
import { discoverSuites } from '../../suite/index.js';
import { EXIT, isConfigError, UsageError } from '../errors.js';
import { toolVersion } from '../version.js';

export interface RunCommandOptions {
  paths: string[];
  testNamePattern?: string;
  reporter: string;
  outputDir: string;
  backend?: string;
  cacheDir?: string;
  retrain?: boolean;
}

/** `deepperform run`: exit 0 when every error-level assertion holds, 1 when one fails, 3 when a suite crashed. */
export async function runCommand(opts: RunCommandOptions): Promise<number> {
  const cwd = process.cwd();
  const files = await discoverSuites(opts.paths, cwd);
  if (files.length === 0) throw new UsageError(`no *.perf.yaml suites found under ${opts.paths.join(', ')}`);
  const reporters = createReporters(opts.reporter.split(','), {
    outputDir: resolve(cwd, opts.outputDir),
    stdout: process.stdout,
    isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
  });
  const result = await runSuites({
    files,
    reporters,
    cwd,
    toolVersion: toolVersion(),
    backend: opts.backend,
    cacheDir: resolve(cwd, opts.cacheDir ?? process.env.DEEPPERFORM_CACHE_DIR ?? '.deepperform-cache/generators'),
    // Generators shipped for the default suites: used when their key matches exactly.
    readOnlyCaches: [join(packageRoot(), 'fixtures/generators')],
    retrain: opts.retrain ?? false,
    namePattern: opts.testNamePattern ? namePattern(opts.testNamePattern) : undefined,
    isConfigError,
  });
  if (result.suites.some((s) => s.status === 'error')) return EXIT.crash;
  return result.status === 'passed' ? EXIT.pass : EXIT.fail;
}

function namePattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new UsageError(`-t ${source}: not a valid regular expression (${(e as Error).message})`);
  }
}
