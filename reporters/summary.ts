import type { AssertionResult, RunResult } from '../src/runner/result.js';

export interface RunTotals {
  suites: { total: number; passed: number; failed: number; errored: number };
  assertions: { total: number; passed: number; failed: number; warned: number; skipped: number };
}

/** A failed assertion of level warn does not fail its suite; it is counted apart. */
export function isWarning(a: AssertionResult): boolean {
  return a.status === 'failed' && a.level === 'warn';
}

export function isFailure(a: AssertionResult): boolean {
  return a.status === 'failed' && a.level !== 'warn';
}

export function runTotals(run: RunResult): RunTotals {
  const t: RunTotals = {
    suites: { total: 0, passed: 0, failed: 0, errored: 0 },
    assertions: { total: 0, passed: 0, failed: 0, warned: 0, skipped: 0 },
  };
  for (const suite of run.suites) {
    t.suites.total++;
    if (suite.status === 'passed') t.suites.passed++;
    else if (suite.status === 'failed') t.suites.failed++;
    else t.suites.errored++;
    for (const a of suite.assertions) {
      t.assertions.total++;
      if (a.status === 'passed') t.assertions.passed++;
      else if (a.status === 'skipped') t.assertions.skipped++;
      else if (isWarning(a)) t.assertions.warned++;
      else t.assertions.failed++;
    }
  }
  return t;
}
