/**
 * What a command runs with: built-in defaults, overridden by the config
 * file, overridden by command-line flags. Paths from the command line are
 * relative to the working directory; those from the config file to its folder.
 */
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type LoadedConfig } from '../config/index.js';
import { parseBackendName } from '../engine/index.js';
import { REPORTER_NAMES } from '../reporters/index.js';
import type { OutputFiles } from './options.js';

export const DEFAULT_REPORTERS = ['console', 'junit', 'html'];
export const DEFAULT_PATHS = ['suites'];
const DEFAULT_OUTPUT_DIR = 'reports';
const DEFAULT_CACHE_DIR = '.deepperform-cache/generators';

/** Flags shared by the commands that read the config file. */
export interface CommonFlags {
  config?: string;
  reporter?: string[];
  outputDir?: string;
  outputFile?: OutputFiles;
}

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
  cacheDir: string;
  backend?: string;
  seed?: number;
  bail?: number;
  retrain: boolean;
}

/** Reads the config file (if any) and merges it with the flags. */
export async function resolveSettings(flags: RunFlags, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  const config = await loadConfig({ cwd, file: flags.config });
  const c = config?.config ?? {};
  if (config && !flags.reporter) checkReporterNames(config);
  if (config && c.backend !== undefined && !flags.backend) parseBackendName(c.backend, `backend in ${config.file}`);
  const flagFiles = Object.fromEntries(Object.entries(flags.outputFile ?? {}).map(([k, v]) => [k, resolve(cwd, v)]));
  return {
    config,
    reporters: flags.reporter ?? c.reporters ?? DEFAULT_REPORTERS,
    outputDir: flags.outputDir !== undefined ? resolve(cwd, flags.outputDir) : (c.outputDir ?? resolve(cwd, DEFAULT_OUTPUT_DIR)),
    outputFiles: { ...c.outputFiles, ...flagFiles },
    cacheDir: flags.cacheDir !== undefined ? resolve(cwd, flags.cacheDir) : (c.cacheDir ?? resolve(cwd, env.DEEPPERFORM_CACHE_DIR ?? DEFAULT_CACHE_DIR)),
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
