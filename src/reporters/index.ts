/**
 * The reporters' public entry: build reporters by name. They read only the
 * result model (results/) and util/; combineReporters, which fans events out
 * to several, belongs to the Reporter interface in results/.
 */
import { join } from 'node:path';
import { ConsoleReporter } from './console.js';
import { DotReporter } from './dot.js';
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import type { Reporter } from '../results/index.js';
import { ReporterError } from './errors.js';

export { ConsoleReporter, type ConsoleReporterOptions } from './console.js';
export { DotReporter, type DotReporterOptions } from './dot.js';
export { terminalLines, terminalSafe, terminalText } from './escape.js';
export { HtmlReporter, renderHtml, type HtmlReporterOptions } from './html.js';
export {
  JsonReporter,
  readReportBlob,
  renderJson,
  REPORT_FORMAT,
  REPORT_VERSION,
  reportBlob,
  ReportBlobError,
  type JsonReporterOptions,
  type ReportBlob,
} from './json.js';
export { JunitReporter, renderJunit, type JunitReporterOptions } from './junit.js';
export { runTotals, summaryLines, type RunTotals } from './summary.js';
export { ReporterError } from './errors.js';
// The result model and the Reporter interface, for those who write a reporter.
export * from '../results/index.js';

export const REPORTER_NAMES = ['console', 'dot', 'junit', 'html', 'json'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/** The reporters that write a file, and the file each writes by default inside outputDir. */
export const DEFAULT_OUTPUT_FILES = { junit: 'junit.xml', html: 'index.html', json: 'report.json' } as const;
export type FileReporterName = keyof typeof DEFAULT_OUTPUT_FILES;

export interface CreateReportersOptions {
  /** Directory for file reporters (junit.xml, index.html, report.json). */
  outputDir: string;
  /** Absolute paths that replace a file reporter's default `<outputDir>/<file>`. */
  outputFiles?: Partial<Record<FileReporterName, string>>;
  stdout?: NodeJS.WritableStream;
  isTTY?: boolean;
  /** Read by the console and dot reporters for CI, NO_COLOR, FORCE_COLOR; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

function isReporterName(name: string): name is ReporterName {
  return (REPORTER_NAMES as readonly string[]).includes(name);
}

/**
 * Builds one reporter per distinct name, in the order given (blank names,
 * as a trailing comma makes, are ignored). An unknown name is a ReporterError
 * listing the known ones, raised before any reporter is built.
 */
export function createReporters(names: readonly string[], options: CreateReportersOptions): Reporter[] {
  const unique = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
  const unknown = unique.find((n) => !isReporterName(n));
  if (unknown !== undefined) {
    throw new ReporterError(
      `Unknown reporter "${unknown}". Known reporters: ${REPORTER_NAMES.join(', ')}.`,
      unknown,
      REPORTER_NAMES,
    );
  }
  return (unique as ReporterName[]).map((name) => createReporter(name, options));
}

function outputFile(name: FileReporterName, options: CreateReportersOptions): string {
  return options.outputFiles?.[name] ?? join(options.outputDir, DEFAULT_OUTPUT_FILES[name]);
}

function createReporter(name: ReporterName, options: CreateReportersOptions): Reporter {
  const terminal = { stdout: options.stdout, isTTY: options.isTTY, env: options.env };
  switch (name) {
    case 'console':
      return new ConsoleReporter(terminal);
    case 'dot':
      return new DotReporter(terminal);
    case 'junit':
      return new JunitReporter({ outputDir: options.outputDir, outputFile: outputFile('junit', options) });
    case 'json':
      return new JsonReporter({ outputDir: options.outputDir, outputFile: outputFile('json', options) });
    case 'html':
      return new HtmlReporter({ outputDir: options.outputDir, file: outputFile('html', options) });
  }
}
