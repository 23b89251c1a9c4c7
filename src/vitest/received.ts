import { PerfResult } from '../api/index.js';
import type { SuiteResult } from '../results/index.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const isSuiteResult = (v: unknown): v is SuiteResult => isObject(v) && Array.isArray(v.assertions) && typeof v.status === 'string' && Array.isArray(v.methods);
const isRunResult = (v: unknown): v is { suites: SuiteResult[] } => isObject(v) && Array.isArray(v.suites) && v.suites.every(isSuiteResult);

/**
 * The suite results a matcher was given: a PerfResult or PerfRun from the API,
 * or the plain SuiteResult / RunResult (e.g. read from a JSON report). Checked
 * by shape, not instanceof, so results from another copy of the package work.
 */
export function suitesOf(received: unknown, matcher: string): SuiteResult[] {
  const value = isObject(received) && 'raw' in received ? received.raw : received;
  if (isSuiteResult(value)) return [value];
  if (isRunResult(value)) return value.suites;
  throw new TypeError(`${matcher}() expects the result of runSuite() or runSuites() (or a SuiteResult / RunResult), got ${describe(received)}`);
}

/** The one suite a per-suite matcher reads. */
export function oneSuite(received: unknown, matcher: string): PerfResult {
  const suites = suitesOf(received, matcher);
  if (suites.length !== 1) {
    throw new TypeError(`${matcher}() reads one suite, got a run of ${suites.length}; pick one with run.suite(name)`);
  }
  return new PerfResult(suites[0]!);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object that is neither' : `${typeof v} ${String(v)}`;
}
