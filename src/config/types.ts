/** Reporters that write a file, and so take a per-reporter output path. */
export const FILE_REPORTERS = ['junit', 'html', 'json'] as const;
export type FileReporterName = (typeof FILE_REPORTERS)[number];

/** A file per file reporter. */
export type OutputFiles = Partial<Record<FileReporterName, string>>;

/**
 * What `deepperform.config.{ts,mts,js,mjs}` exports. Every key is optional;
 * a command-line flag given for the same setting wins. Relative paths are
 * resolved against the folder of the config file.
 */
export interface DeepperformConfig {
  /** Suite files, folders or globs to run when no paths are given on the command line. Default: ["suites"]. */
  include?: string[];
  /** Reporter names: console, dot, junit, html, json. Default: ["console", "junit", "html"]. */
  reporters?: string[];
  /** Folder for report files. Default: "reports". */
  outputDir?: string;
  /** A file per reporter, overriding outputDir/junit.xml, outputDir/index.html, outputDir/report.json. */
  outputFiles?: OutputFiles;
  /** Where trained generators are cached. Default: $DEEPPERFORM_CACHE_DIR, else ".deepperform-cache/generators" (DEFAULT_CACHE_DIR). */
  cacheDir?: string;
  /** tfjs backend: wasm, cpu or auto (wasm, else cpu); node (tfjs-node) only when named: opt-in, not CI-tested. Default: auto. */
  backend?: string;
  /** Overrides every suite's seed. */
  seed?: number;
  /** Stop after this many failed suites. */
  bail?: number;
  /** Ignore cached generators and train them anew. */
  retrain?: boolean;
}

/** The config with the file it came from; path-valued settings are absolute. */
export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Its folder: what `include` entries are relative to. */
  dir: string;
  config: DeepperformConfig;
}
