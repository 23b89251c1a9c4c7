/**
 * The reporters' public entry: build reporters by name and fan events out
 * to all of them.
 */
import { ConsoleReporter } from './console.js';
import { HtmlReporter } from './html.js';
import { JunitReporter } from './junit.js';
import { ReporterError, type Reporter } from './types.js';

export { ConsoleReporter, type ConsoleReporterOptions } from './console.js';
export { HtmlReporter, renderHtml, type HtmlReporterOptions } from './html.js';
export { JunitReporter, renderJunit, type JunitReporterOptions } from './junit.js';
export { runTotals, type RunTotals } from './summary.js';
export * from './types.js';

export const REPORTER_NAMES = ['console', 'junit', 'html'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export interface CreateReportersOptions {
  /** Directory for file reporters (junit.xml, index.html). */
  outputDir: string;
  stdout?: NodeJS.WritableStream;
  isTTY?: boolean;
}

function isReporterName(name: string): name is ReporterName {
  return (REPORTER_NAMES as readonly string[]).includes(name);
}

/** Builds one reporter per distinct name, in the order given. */
export function createReporters(names: string[], options: CreateReportersOptions): Reporter[] {
  const unique = [...new Set(names.map((n) => n.trim()))];
  return unique.map((name) => {
    if (!isReporterName(name)) {
      throw new ReporterError(
        `Unknown reporter "${name}". Known reporters: ${REPORTER_NAMES.join(', ')}.`,
        name,
        REPORTER_NAMES,
      );
    }
    return createReporter(name, options);
  });
}

function createReporter(name: ReporterName, options: CreateReportersOptions): Reporter {
  switch (name) {
    case 'console':
      return new ConsoleReporter({ stdout: options.stdout, isTTY: options.isTTY });
    case 'junit':
      return new JunitReporter({ outputDir: options.outputDir });
    case 'html':
      return new HtmlReporter({ outputDir: options.outputDir });
  }
}

/**
 * One reporter that forwards each event to every reporter in the list.
 * A reporter that throws does not stop the others from getting the event;
 * the first error is rethrown once all have been called.
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
    onSuiteEnd: (result) => each('onSuiteEnd', result),
    // No onReportsWritten of its own: onRunEnd below already forwards it, and
    // a combined reporter nested in another must not print the paths twice.
    onRunEnd: async (result) => {
      const settled = await Promise.allSettled(list.map((r) => r.onRunEnd?.call(r, result) ?? Promise.resolve([])));
      const paths = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
      each('onReportsWritten', paths);
      const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected) throw rejected.reason;
      return paths;
    },
  };
}

type SyncHook = 'onRunStart' | 'onSuiteStart' | 'onPhase' | 'onTrainingProgress' | 'onSuiteEnd' | 'onReportsWritten';
