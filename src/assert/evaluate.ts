/**
 * Checks a parsed assertion against measured values. A metric this machine
 * cannot measure (energy without a power sensor) is 'skipped' with the
 * reason, never 'passed'; a NaN or infinite value fails the assertion, since
 * nothing was measured that could hold.
 */
import type { AssertionComparison, AssertionResult, MetricValue } from '../results/index.js';
import { assertionLabel, SAVED, type Assertion, type ComparisonAssertion, type ComparisonOp, type FixedAssertion } from './parse.js';
import { decimalsOf, distinctFixed, formatValue, naturalUnit } from './format.js';
import { metricByName, type Aggregate, type Unit } from '../results/index.js';

export type { MetricValue } from '../results/index.js';

/** Where assertion values come from. */
export interface MetricSource {
  value(metric: string, aggregate: Aggregate | undefined, method: string): MetricValue;
  /** The same metric in the suite's saved result; absent when the suite reads none. */
  saved?(metric: string, aggregate: Aggregate | undefined, method: string): MetricValue;
  /** The saved result file, as shown to the user. */
  savedFile?: string;
}

export function evaluateAssertion(a: Assertion, source: MetricSource): AssertionResult {
  return a.against === undefined ? evaluateFixed(a, source) : evaluateComparison(a, source);
}

function evaluateFixed(a: FixedAssertion, source: MetricSource): AssertionResult {
  const base = { source: a.source, level: a.level, metric: assertionLabel(a), expected: `${a.op} ${a.bound.text}` };
  const measured = readValue(source.value(a.metric, a.aggregate, a.method));
  if (typeof measured !== 'number') return { ...base, ...measured, value: null, actual: null };
  const actual = formatInUnit(measured, a);
  if (compare(measured, a.op, a.value)) return { ...base, status: 'passed', value: measured, actual };
  // No message: expected and actual say it all, and every reporter shows them (a message repeating them printed it twice).
  return { ...base, status: 'failed', value: measured, actual };
}

/**
 * "mean I-FLOPs >= 1.5x ilfo": the bound is 1.5 x ilfo's mean I-FLOPs. The
 * result shows the bound in numbers and, on failure, both operands.
 */
function evaluateComparison(a: ComparisonAssertion, source: MetricSource): AssertionResult {
  const label = assertionLabel(a);
  const ref = a.against;
  const base = { source: a.source, level: a.level, metric: label, expected: `${a.op} ${ref.text}` };
  const measured = readValue(source.value(a.metric, a.aggregate, a.method));
  if (typeof measured !== 'number') return { ...base, ...measured, value: null, actual: null };
  const other = readValue(ref.to === SAVED ? readSaved(a, source) : source.value(a.metric, a.aggregate, ref.to));
  if (typeof other !== 'number') {
    const message = ref.to === SAVED ? other.message : `cannot compare with ${ref.to}: ${other.message}`;
    const status = other.status;
    const actual = status === 'failed' ? formatValue(measured, a.metric, unitFor(a, measured, measured)) : null;
    return { ...base, status, value: status === 'failed' ? measured : null, actual, message };
  }
  const bound = ref.factor * other + ref.offset;
  const unit = unitFor(a, measured, other);
  const show = (v: number): string => formatValue(v, a.metric, unit);
  const comparison: AssertionComparison = { against: ref.to, reference: other, factor: ref.factor, offset: ref.offset, bound };
  if (ref.to === SAVED && source.savedFile !== undefined) comparison.file = source.savedFile;
  const actual = formatValue(measured, a.metric, unit, 0, bound);
  const result: AssertionResult = {
    ...base,
    expected: `${base.expected} (${show(bound)})`,
    status: compare(measured, a.op, bound) ? 'passed' : 'failed',
    value: measured,
    actual,
    comparison,
  };
  if (result.status === 'failed') result.message = comparisonMessage(a, measured, other, bound, actual, show, source.savedFile);
  return result;
}

/**
 * expected mean I-FLOPs >= 1.5x ilfo (>= 124.5% = 1.5 x 83.0%), found 28.2% = 0.34x ilfo (deepperform 28.2%, ilfo 83.0%)
 */
function comparisonMessage(
  a: ComparisonAssertion,
  measured: number,
  other: number,
  bound: number,
  actual: string,
  show: (v: number) => string,
  savedFile: string | undefined,
): string {
  const { to, factor, offset } = a.against;
  const scaled = factor === 1 ? show(other) : `${factor} x ${show(other)}`;
  const derivation = offset === 0 ? scaled : `${scaled} ${offset < 0 ? '-' : '+'} ${show(Math.abs(offset))}`;
  const boundPart = factor === 1 && offset === 0 ? `${a.op} ${show(bound)}` : `${a.op} ${show(bound)} = ${derivation}`;
  // How the two operands relate: as a ratio for a factor, as a difference for an offset.
  let relation = '';
  if (offset === 0 && other !== 0) relation = ` = ${distinctFixed(measured / other, factor, 2)}x ${to}`;
  else if (offset !== 0) relation = ` = ${to} ${measured < other ? '-' : '+'} ${show(Math.abs(measured - other))}`;
  const def = metricByName(a.metric);
  const left = def?.of === 'method' ? a.method : 'this run';
  const where = to === SAVED && savedFile !== undefined ? ` in ${savedFile}` : '';
  return (
    `expected ${assertionLabel(a)} ${a.op} ${a.against.text} (${boundPart}), found ${actual}${relation} ` +
    `(${left} ${show(measured)}, ${to} ${show(other)}${where})`
  );
}

function readSaved(a: ComparisonAssertion, source: MetricSource): MetricValue {
  if (source.saved === undefined) return { unavailable: 'no saved result was read for this suite' };
  return source.saved(a.metric, a.aggregate, a.method);
}

/** The unit of the offset when one was written, else the metric's natural unit at the size of the operands. */
function unitFor(a: ComparisonAssertion, x: number, y: number): Unit {
  if (a.against.unit !== undefined) return a.against.unit;
  const def = metricByName(a.metric);
  return def === undefined ? '' : naturalUnit(def, Math.max(Math.abs(x), Math.abs(y)));
}

/** A finite number to compare, or the verdict without one: failed for NaN or infinity (or when the source says so), else skipped. */
function readValue(v: MetricValue): number | { status: 'failed' | 'skipped'; message: string } {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    return { status: 'failed', message: `the measurement is ${Number.isNaN(v) ? 'NaN' : 'infinite'}, not a number that could be compared` };
  }
  return { status: v.fail === true ? 'failed' : 'skipped', message: v.unavailable };
}

export function compare(value: number, op: ComparisonOp, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

/**
 * The measured value in the unit a fixed bound was written in ("37.2%"),
 * with as many decimals as the bound and enough to tell the two apart.
 */
export function formatInUnit(value: number, a: Pick<FixedAssertion, 'metric' | 'value' | 'bound'>): string {
  return formatValue(value, a.metric, a.bound.unit, decimalsOf(a.bound.number), a.value);
}
