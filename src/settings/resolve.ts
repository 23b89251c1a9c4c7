/**
 * What a run uses, resolved once for the CLI, the programmatic API and
 * deepperform/vitest: built-in defaults (config/defaults.ts), overridden by
 * the config file, overridden by command-line flags or API options. Paths
 * given by flags or options are relative to the working directory; those
 * from the config file to its folder.
 */
import { resolve } from 'node:path';
import {
  CACHE_DIR_ENV,
  ConfigError,
  DEFAULT_CACHE_DIR,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_REPORTERS,
  type LoadedConfig,
  type OutputFiles,
} from '../config/index.js';
import { loadConfig } from './load-config.js';
import { parseBackendName } from '../engine/index.js';
import { REPORTER_NAMES } from '../reporters/index.js';

/** Flags shared by the commands that read the config file. */
export interface CommonFlags {
  /** A config file, relative to the working directory; false: read none (the API's opt-out). Default: deepperform.config.* in the working directory. */
  config?: string | false;
  reporter?: string[];
  outputDir?: string;
  outputFile?: OutputFiles;
}

/** Flags (or API options) of a run: each overrides the config key of the same name. */
export interface RunFlags extends CommonFlags {
  cacheDir?: string;
  backend?: string;
  seed?: number;
  bail?: number;
  retrain?: boolean;
}

export interface Settings {
  config?: LoadedConfig;
  reporters: string[];
  /** Absolute. */
  outputDir: string;
  /** Absolute, per file reporter. */
  outputFiles: OutputFiles;
  /** Absolute. */
  cacheDir: string;
  backend?: string;
  seed?: number;
  bail?: number;
  retrain: boolean;
}

/** Reads the config file (if any), checks it, and merges it with the flags. */
export async function resolveSettings(flags: RunFlags, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  const config = flags.config === false ? undefined : await loadConfig({ cwd, file: flags.config });
  const c = config?.config ?? {};
  if (config && !flags.reporter) checkReporterNames(config);
  if (config && c.backend !== undefined && !flags.backend) parseBackendName(c.backend, `backend in ${config.file}`);
  const flagFiles = Object.fromEntries(Object.entries(flags.outputFile ?? {}).map(([k, v]) => [k, resolve(cwd, v)]));
  const envCache = env[CACHE_DIR_ENV];
  return {
    config,
    reporters: flags.reporter ?? c.reporters ?? [...DEFAULT_REPORTERS],
    outputDir: flags.outputDir !== undefined ? resolve(cwd, flags.outputDir) : (c.outputDir ?? resolve(cwd, DEFAULT_OUTPUT_DIR)),
    outputFiles: { ...c.outputFiles, ...flagFiles },
    cacheDir: flags.cacheDir !== undefined ? resolve(cwd, flags.cacheDir) : (c.cacheDir ?? resolve(cwd, envCache ?? DEFAULT_CACHE_DIR)),
    backend: flags.backend ?? c.backend,
    seed: flags.seed ?? c.seed,
    bail: flags.bail ?? c.bail,
    retrain: flags.retrain ?? c.retrain ?? false,
  };
}

/** A reporter name from the config file is checked here, so the error names the file and key. */
function checkReporterNames(loaded: LoadedConfig): void {
  const known = REPORTER_NAMES as readonly string[];
  const problems = (loaded.config.reporters ?? []).flatMap((name, i) =>
    known.includes(name.trim()) ? [] : [{ key: `reporters[${i}]`, message: `unknown reporter "${name}" (known: ${known.join(', ')})` }],
  );
  if (problems.length > 0) throw new ConfigError(loaded.file, problems);
}
