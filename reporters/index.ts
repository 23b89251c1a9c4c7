/**
 * The reporters' public entry: build reporters by name and fan events out
 * to all of them.
 */
import { join } from 'node:path';
import { ConsoleReporter } from './console.js';
import { DotReporter } from './dot.js';
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { ReporterError, ReportWriteError, type Reporter } from './types.js';

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
export * from './types.js';

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

/**
 * One reporter that forwards each event to every reporter in the list.
 * A reporter that throws does not stop the others from getting the event;
 * the first error is rethrown once all have been called. At the run's end,
 * reports that could not be written are gathered into one ReportWriteError
 * (every file named), unless a reporter failed otherwise: that is a crash,
 * rethrown as it is.
 */
export function combineReporters(list: readonly Reporter[]): Reporter {
  const each = <K extends SyncHook>(hook: K, arg: Parameters<NonNullable<Reporter[K]>>[0]): void => {
    let failure: { error: unknown } | undefined;
    for (const r of list) {
      try {
        (r[hook] as ((a: typeof arg) => void) | undefined)?.call(r, arg);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  };
  return {
    onRunStart: (info) => each('onRunStart', info),
    onSuiteStart: (info) => each('onSuiteStart', info),
    onPhase: (info) => each('onPhase', info),
    onTrainingProgress: (info) => each('onTrainingProgress', info),
    onPhaseProgress: (info) => each('onPhaseProgress', info),
    onSuiteWarning: (info) => each('onSuiteWarning', info),
    onSuiteEnd: (result) => each('onSuiteEnd', result),
    // No onReportsWritten of its own: onRunEnd below already forwards it, and
    // a combined reporter nested in another must not print the paths twice.
    onRunEnd: async (result) => {
      const settled = await Promise.allSettled(list.map((r) => r.onRunEnd?.call(r, result) ?? Promise.resolve([])));
      const paths = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
      each('onReportsWritten', paths);
      const reasons = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
      const crash = reasons.findIndex((r) => !(r instanceof ReportWriteError));
      if (crash >= 0) throw reasons[crash];
      if (reasons.length > 0) throw new ReportWriteError(reasons.flatMap((r) => (r as ReportWriteError).failures));
      return paths;
    },
  };
}

type SyncHook = 'onRunStart' | 'onSuiteStart' | 'onPhase' | 'onTrainingProgress' | 'onPhaseProgress' | 'onSuiteWarning' | 'onSuiteEnd' | 'onReportsWritten';
