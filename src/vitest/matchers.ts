/**
 * The matchers' logic, free of vitest so it can be tested as plain functions
 * and registered with any `expect.extend`. Messages follow the runner's
 * console output: each failed assertion with what was expected and found.
 */
import { assertionLabel } from '../assert/index.js';
import { DEFAULT_METHOD, type Aggregate } from '../results/index.js';
import type { AssertionResult, SuiteResult } from '../results/index.js';
import { oneSuite, suitesOf } from './received.js';

/** The part of vitest's matcher context these matchers read. */
export interface MatcherContext {
  isNot: boolean;
}

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export interface IflopsOptions {
  /** Default 'max': the worst input. */
  aggregate?: Aggregate;
  /** Whose inputs: 'deepperform' unless given (e.g. 'random', 'ilfo'). */
  method?: string;
}

export interface SlowdownOptions {
  method?: string;
}

/** Every error-level assertion of every suite held and no suite crashed. */
export function toPassAssertions(this: MatcherContext, received: unknown): MatcherResult {
  const suites = suitesOf(received, 'toPassAssertions');
  const failing = suites.filter((s) => s.status !== 'passed');
  const pass = failing.length === 0;
  if (suites.length === 1) {
    const s = suites[0]!;
    return { pass, message: () => (pass ? `expected ${title(s)} not to pass its assertions, but it did (${counts(s.assertions)})` : failure(s)) };
  }
  return {
    pass,
    message: () =>
      pass
        ? `expected some of the ${suites.length} suites not to pass their assertions, but all passed`
        : [`expected ${suites.length} suites to pass their assertions, but ${failing.length} did not:`, ...failing.map(failure)].join('\n'),
  };
}

/** `aggregate` I-FLOPs (a fraction: 0.5 is 50%) of `method`'s inputs is below `bound`. */
export function toHaveIFlopsBelow(this: MatcherContext, received: unknown, bound: number, options: IflopsOptions = {}): MatcherResult {
  checkNumber('toHaveIFlopsBelow', bound);
  const suite = oneSuite(received, 'toHaveIFlopsBelow');
  const aggregate = options.aggregate ?? 'max';
  const value = suite.metric('I-FLOPs', aggregate, options.method);
  const label = assertionLabel({ aggregate, metric: 'I-FLOPs', method: options.method ?? DEFAULT_METHOD });
  const not = this.isNot ? 'not ' : '';
  return {
    pass: value < bound,
    message: () => `expected ${label} in ${title(suite.raw)} ${not}to be below ${num(bound)} (${pct(bound)}), found ${num(value)} (${pct(value)})`,
  };
}

/**
 * No input made by `method` costs more than `factor` times its seed's FLOPs:
 * 1 + max I-FLOPs <= factor (FLOPs are deterministic, so this is stable in CI).
 */
export function toSlowDownAtMost(this: MatcherContext, received: unknown, factor: number, options: SlowdownOptions = {}): MatcherResult {
  checkNumber('toSlowDownAtMost', factor);
  const suite = oneSuite(received, 'toSlowDownAtMost');
  const method = options.method ?? DEFAULT_METHOD;
  const worst = suite.metric('I-FLOPs', 'max', options.method);
  const where = `input made by ${method} in ${title(suite.raw)}`;
  const found = `the worst costs ${(1 + worst).toFixed(2)}x (max I-FLOPs ${pct(worst)})`;
  return {
    pass: 1 + worst <= factor,
    message: () =>
      this.isNot
        ? `expected some ${where} to cost more than ${num(factor)}x its seed's FLOPs, but ${found}`
        : `expected every ${where} to cost at most ${num(factor)}x its seed's FLOPs, but ${found}`,
  };
}

function failure(s: SuiteResult): string {
  if (s.status === 'error') return `expected ${title(s)} to pass its assertions, but it crashed: ${s.error?.message ?? 'no message'}`;
  const failed = s.assertions.filter((a) => a.level === 'error' && a.status === 'failed').length;
  const lines = s.assertions.filter((a) => a.status !== 'passed').map(line);
  return [`expected ${title(s)} to pass its assertions, but ${failed} of ${s.assertions.length} failed:`, ...lines].join('\n');
}

/** One assertion as the console reporter shows it, plus its own message when that adds something. */
function line(a: AssertionResult): string {
  if (a.status === 'skipped') return `  - ${a.source} (skipped): ${a.message ?? 'not measured'}`;
  const mark = a.level === 'warn' ? '!' : '✗';
  const note = a.level === 'warn' ? ' (warning)' : '';
  const head = `  ${mark} ${a.source}${note}: expected ${a.expected}, found ${a.actual ?? 'nothing'}`;
  const plain = `expected ${a.metric} ${a.expected}, found ${a.actual ?? ''}`;
  return a.message && a.message !== plain ? `${head}\n      ${a.message}` : head;
}

function title(s: SuiteResult): string {
  return `suite "${s.name}" (${s.file})`;
}

/** "4 passed, 1 warned, 1 skipped": only the non-zero kinds. */
function counts(list: readonly AssertionResult[]): string {
  const n = (level: string | undefined, status: string) => list.filter((a) => a.status === status && (!level || a.level === level)).length;
  const parts: [number, string][] = [
    [n(undefined, 'passed'), 'passed'],
    [n('warn', 'failed'), 'warned'],
    [n(undefined, 'skipped'), 'skipped'],
  ];
  const text = parts.filter(([k]) => k > 0).map(([k, w]) => `${k} ${w}`);
  return text.length ? `${list.length} assertions: ${text.join(', ')}` : 'no assertions';
}

function checkNumber(matcher: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${matcher}() needs a finite number, got ${String(v)}`);
}

/** At most 4 significant digits, no trailing zeros: 3.5866 -> "3.587", 0.5 -> "0.5". */
function num(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
