import { ReportWriteError, type Reporter } from './reporter.js';

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
