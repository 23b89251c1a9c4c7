/**
 * The places a command will write, checked before any suite runs: each
 * report file (a regular file or a new path, in a folder we may write to)
 * and the cache folder. A bad one is exit 2 up front, naming the option (or
 * config key, or environment variable) that chose it and the path, instead
 * of a crash after hours of training.
 */
import { resolve } from 'node:path';
import { CACHE_DIR_ENV, ConfigError, DEFAULT_CACHE_DIR, DEFAULT_OUTPUT_DIR, type ConfigProblem, type OutputFiles } from '../config/index.js';
import { DEFAULT_OUTPUT_FILES, REPORTER_NAMES, type FileReporterName } from '../reporters/index.js';
import { dirTargetProblem, fileTargetProblem } from '../util/output-target.js';
import { UsageError } from '../util/errors.js';
import type { Settings } from '../settings/index.js';

/** The flags as given (relative paths unresolved), to name the one that chose a path. */
export interface TargetFlags {
  outputDir?: string;
  outputFile?: OutputFiles;
  cacheDir?: string;
}

export interface TargetCheckOptions {
  /** Check the cache folder too (run, harden, detector). */
  cache?: boolean;
  /** Files the command reads (suite files, report blobs): a report may not overwrite one. */
  inputs?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Where a path came from: a flag or environment variable (UsageError), or a config key (ConfigError). */
type Origin = { label: string } | { configKey: string };

interface Target {
  path: string;
  origin: Origin;
  /** 'file' for a report, 'dir' for the cache. */
  kind: 'file' | 'dir';
  /** The file reporter writing it. */
  reporter?: FileReporterName;
  /** A report at its default place in the report folder. */
  inOutputDir?: boolean;
}

/** Throws a UsageError or ConfigError listing every target that cannot be written. */
export async function checkOutputTargets(settings: Settings, flags: TargetFlags, opts: TargetCheckOptions = {}): Promise<void> {
  const targets = reportTargets(settings, flags);
  if (opts.cache) targets.push({ path: settings.cacheDir, origin: cacheOrigin(settings, flags, opts.env ?? process.env), kind: 'dir' });
  const problems: [Origin, string][] = [];
  // A report folder that cannot be one is said once, not once per report in it.
  const inOutputDir = targets.filter((t) => t.inOutputDir);
  const dirProblem = inOutputDir.length > 0 ? await dirTargetProblem(settings.outputDir) : undefined;
  if (dirProblem !== undefined) problems.push([inOutputDir[0]!.origin, `${settings.outputDir} ${dirProblem}`]);
  for (const t of targets) {
    if (t.inOutputDir && dirProblem !== undefined) continue;
    const problem = t.kind === 'file' ? await fileTargetProblem(t.path) : await dirTargetProblem(t.path);
    if (problem !== undefined) problems.push([t.origin, `${t.path} ${problem}`]);
  }
  problems.push(...clashes(targets, opts.inputs ?? []));
  throwProblems(problems, settings);
}

/** The report files the selected reporters will write, each with where its path came from. */
function reportTargets(settings: Settings, flags: TargetFlags): Target[] {
  const names = new Set(settings.reporters.map((n) => n.trim()));
  const fileReporters = (REPORTER_NAMES as readonly string[]).filter((n): n is FileReporterName => n in DEFAULT_OUTPUT_FILES && names.has(n));
  return fileReporters.map((reporter) => {
    const own = settings.outputFiles[reporter];
    const path = own ?? resolve(settings.outputDir, DEFAULT_OUTPUT_FILES[reporter]);
    const origin = own !== undefined ? fileOrigin(reporter, flags) : dirOrigin(settings, flags);
    return { path, origin, kind: 'file', reporter, inOutputDir: own === undefined };
  });
}

function fileOrigin(reporter: FileReporterName, flags: TargetFlags): Origin {
  const given = flags.outputFile?.[reporter];
  return given !== undefined ? { label: `--output-file ${reporter}=${given}` } : { configKey: `outputFiles.${reporter}` };
}

function dirOrigin(settings: Settings, flags: TargetFlags): Origin {
  if (flags.outputDir !== undefined) return { label: `--output-dir ${flags.outputDir}` };
  if (settings.config?.config.outputDir !== undefined) return { configKey: 'outputDir' };
  return { label: `the default report folder (${DEFAULT_OUTPUT_DIR}; choose another with -o/--output-dir)` };
}

function cacheOrigin(settings: Settings, flags: TargetFlags, env: NodeJS.ProcessEnv): Origin {
  if (flags.cacheDir !== undefined) return { label: `--cache-dir ${flags.cacheDir}` };
  if (settings.config?.config.cacheDir !== undefined) return { configKey: 'cacheDir' };
  if (env[CACHE_DIR_ENV] !== undefined) return { label: `${CACHE_DIR_ENV}=${env[CACHE_DIR_ENV]}` };
  return { label: `the default cache folder (${DEFAULT_CACHE_DIR}; choose another with --cache-dir)` };
}

/** Two reports into one file, or a report over a file the command reads. */
function clashes(targets: readonly Target[], inputs: readonly string[]): [Origin, string][] {
  const out: [Origin, string][] = [];
  const files = targets.filter((t) => t.kind === 'file');
  const inputSet = new Set(inputs.map((f) => resolve(f)));
  files.forEach((t, i) => {
    const other = files.slice(0, i).find((o) => o.path === t.path);
    if (other) out.push([t.origin, `${t.path} is also where the ${other.reporter} report goes; give each report its own file`]);
    if (inputSet.has(t.path)) out.push([t.origin, `${t.path} is one of the files this command reads; the ${t.reporter} report would overwrite it`]);
  });
  return out;
}

function throwProblems(problems: readonly [Origin, string][], settings: Settings): void {
  if (problems.length === 0) return;
  const config = settings.config;
  const fromConfig: ConfigProblem[] = problems.flatMap(([o, message]) => ('configKey' in o ? [{ key: o.configKey, message }] : []));
  if (config && fromConfig.length === problems.length) throw new ConfigError(config.file, fromConfig);
  const lines = problems.map(([o, message]) => ('label' in o ? `${o.label}: ${message}` : `${o.configKey} in ${config?.file ?? 'the config file'}: ${message}`));
  throw new UsageError(lines.join('\n'));
}
