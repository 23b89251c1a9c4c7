import { resolve } from 'node:path';
import { toolVersion } from '../util/version.js';
import { shippedGeneratorsDir } from '../generator/index.js';
import { runSuites as runAll, type RunOptions } from '../runner/index.js';
import { resolveSettings, suiteFiles, type Settings } from '../settings/index.js';
import { discoverSuites } from '../suite/index.js';
import { UsageError, UserError } from '../util/errors.js';
import { type PerfResult, PerfRun } from './perf-result.js';
import { checkOptions, type RunSuiteOptions, type RunSuitesOptions } from './options.js';

/**
 * Runs the suites found under `paths` (files, folders or globs; none: the
 * config's include, else `suites`) as `deepperform run` does, without
 * printing anything. Resolves once every suite ran; a crashed suite is a
 * result with status 'error'. Rejects on configuration errors (a malformed
 * suite or config file, an unknown model) before anything is trained.
 */
export async function runSuites(paths: string | readonly string[] = [], options: RunSuitesOptions = {}): Promise<PerfRun> {
  const cwd = checkedCwd(options);
  return relativeTo(cwd, async () => {
    const settings = await settingsFor(options, cwd);
    const { files, searched } = await suiteFiles(typeof paths === 'string' ? [paths] : paths, settings, cwd);
    if (files.length === 0) throw new UsageError(`no *.perf.yaml suites found under ${searched}`);
    return new PerfRun(await runAll(runOptions(files, cwd, settings, options)));
  });
}

/** Runs one suite file and returns its result. */
export async function runSuite(file: string, options: RunSuiteOptions = {}): Promise<PerfResult> {
  const cwd = checkedCwd(options);
  return relativeTo(cwd, async () => {
    const settings = await settingsFor(options, cwd);
    const files = await discoverSuites([file], cwd);
    // Checked before running: a folder of suites would otherwise run them all only to throw.
    if (files.length !== 1) {
      throw new UsageError(`runSuite(${JSON.stringify(file)}) needs one suite file, found ${files.length}; use runSuites() for folders`);
    }
    const run = new PerfRun(await runAll(runOptions(files, cwd, settings, options)));
    return run.suites[0]!;
  });
}

/**
 * Runs `work`; a UserError it throws is rethrown with the files it names
 * relative to the run's `cwd` (options.cwd), as the CLI shows them, instead
 * of to the process's directory.
 */
async function relativeTo<T>(cwd: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof UserError) e.message = e.messageFrom(cwd);
    throw e;
  }
}

/**
 * The CLI's settings resolution with the options as its flags. Reporters and
 * report paths are the CLI's (the API prints nothing unless given reporters),
 * and so is bail (a PerfRun holds every suite).
 */
export async function settingsFor(options: RunSuitesOptions, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  const { config, cacheDir, backend, seed, retrain } = options;
  return resolveSettings({ config, cacheDir, backend, seed, retrain }, cwd, env);
}

/** The options checked (a wrong type is a UsageError naming the option), and the folder they are relative to. */
function checkedCwd(options: RunSuitesOptions): string {
  checkOptions(options);
  return resolve(options.cwd ?? process.cwd());
}

function runOptions(files: string[], cwd: string, settings: Settings, options: RunSuitesOptions): RunOptions {
  return {
    files,
    reporters: options.reporters ?? [],
    cwd,
    toolVersion: toolVersion(),
    backend: settings.backend,
    cacheDir: settings.cacheDir,
    // Generators shipped for the default suites: used when their key matches exactly.
    readOnlyCaches: [shippedGeneratorsDir()],
    retrain: settings.retrain,
    namePattern: options.namePattern,
    seed: settings.seed,
  };
}
