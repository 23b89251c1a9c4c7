/**
 * The assertion grammar, in the spirit of k6's thresholds: an assertion reads
 * one number of the run and compares it with a fixed bound ("max I-FLOPs <
 * 500%", "block coverage > 0.9") or with the same number of another method of
 * the run or of the suite's saved result ("mean I-FLOPs >= 1.5x ilfo",
 * "max I-FLOPs <= saved + 5%"). A malformed assertion is a configuration
 * error, never a silent pass.
 *
 * The string form, in EBNF (words case-insensitive, any run of spaces where
 * one is shown; metric names, units and methods come from the registries in
 * results/):
 *
 *   assertion  = target , op , ( bound | reference ) ;
 *   target     = [ aggregate ] , metric , [ "of" , method ] ;   (target.ts)
 *   aggregate  = "mean" | "max" | "min" | "p50" | "p95" ;
 *   metric     = a name of results/metrics.ts's METRICS ;
 *   method     = "deepperform" | "deepperform-refine" | baseline | "worst-case" ;
 *   op         = "<" | "<=" | ">" | ">=" ;
 *   bound      = number , [ unit ] ;                            (bound.ts)
 *   reference  = [ number , "x" ] , ( method | "saved" ) , [ ( "+" | "-" ) , bound ] ;
 *   unit       = "%" | "x" | "ms" | "s" | "K" | "M" | "G" ;
 *   number     = [ "+" | "-" ] , ( digits , [ "." , [ digits ] ] | "." , digits ) , [ "e" , [ "+" | "-" ] , digits ] ;
 *
 * Beyond the syntax: a per-input metric needs an aggregate and a single
 * number takes none; the unit must be one the metric allows; `of` and a
 * method reference only for metrics measured per method; a method must be
 * run by the suite. The map form ({ metric, op, value } or { metric, op,
 * against, factor?, offset? }) is the same assertion with its parts given
 * apart.
 */
import type { AssertionLevel } from '../results/index.js';
import { AssertionSyntaxError } from './syntax-error.js';
import { numberBound, parseBound, parseRightSide, SAVED, structuredReference, type Bound, type Reference, type RightSide } from './bound.js';
import { KNOWN_METHODS, parseTarget, type ParseOptions, type Target } from './target.js';
import { DEFAULT_METHOD, UNIT_SCALE, type Aggregate } from '../results/index.js';

export { AssertionSyntaxError, type AssertionPart } from './syntax-error.js';
export { KNOWN_METHODS, type ParseOptions } from './target.js';
export { SAVED, type Bound, type Reference } from './bound.js';

export type ComparisonOp = '<' | '<=' | '>' | '>=';
export const OPS: readonly ComparisonOp[] = ['<', '<=', '>', '>='];

interface AssertionBase {
  /** The assertion as written (the map form is rendered as a string). */
  source: string;
  level: AssertionLevel;
  aggregate?: Aggregate;
  /** Canonical metric name from the registry, e.g. "I-FLOPs". */
  metric: string;
  /** Whose inputs are measured: 'deepperform' unless `of <method>` says otherwise. */
  method: string;
  op: ComparisonOp;
}

/** A fixed bound: "max I-FLOPs < 50%". */
export interface FixedAssertion extends AssertionBase {
  /** The bound in the metric's canonical scale (ratios as fractions, time in ms). */
  value: number;
  bound: Bound;
  against?: undefined;
}

/** A bound computed at evaluation time from another method's value or the saved one: "mean I-FLOPs >= 1.5x ilfo". */
export interface ComparisonAssertion extends AssertionBase {
  against: Reference;
}

export type Assertion = FixedAssertion | ComparisonAssertion;

const OP_TOKEN = /[<>=!]+/;

/** Parses the string form. Throws AssertionSyntaxError. */
export function parseAssertion(text: string, options: ParseOptions = {}): Assertion {
  const m = OP_TOKEN.exec(text);
  if (m === null) {
    throw new AssertionSyntaxError(
      `no comparison in "${text.trim()}": write <metric> <op> <value> with op one of ${OPS.join(', ')}`,
      text.length - text.trimStart().length,
    );
  }
  const op = checkOp(m[0], m.index);
  const target = parseTarget(text, 0, m.index, options, 'expression');
  const right = parseRightSide(text, m.index + m[0].length, op, target, options);
  return assemble(target, op, right, options.level, text.trim());
}

/** The fields of the map form; `op` is already checked by the schema. */
export interface StructuredSpec {
  metric: string;
  op: string;
  value?: number | string;
  against?: string;
  factor?: number;
  offset?: number | string;
}

/** The map form: `{ metric, op, value }` or `{ metric, op, against, factor?, offset? }`. */
export function parseStructuredAssertion(spec: StructuredSpec, options: ParseOptions = {}): Assertion {
  const op = checkOp(spec.op, 0);
  const target = parseTarget(spec.metric, 0, spec.metric.length, options, 'metric');
  let right: RightSide;
  if (spec.against !== undefined) {
    right = { kind: 'comparison', against: structuredReference({ ...spec, against: spec.against }, target, options) };
  } else if (typeof spec.value === 'number') {
    right = { kind: 'fixed', bound: numberBound(spec.value, target.def) };
  } else {
    checkNoReference(spec.value ?? '');
    right = { kind: 'fixed', bound: parseBound(spec.value ?? '', 0, op, target.def, 'value') };
  }
  const shown = right.kind === 'fixed' ? right.bound.text : right.against.text;
  return assemble(target, op, right, options.level, `${spec.metric.trim()} ${op} ${shown}`);
}

/** "max I-FLOPs", "block coverage of random": what the assertion reads. */
export function assertionLabel(a: Pick<AssertionBase, 'aggregate' | 'metric' | 'method'>): string {
  const agg = a.aggregate === undefined ? '' : `${a.aggregate} `;
  const of = a.method === DEFAULT_METHOD ? '' : ` of ${a.method}`;
  return `${agg}${a.metric}${of}`;
}

/** Whether any of the assertions reads the suite's saved result. */
export function readsSaved(assertions: readonly Assertion[]): boolean {
  return assertions.some((a) => a.against?.to === SAVED);
}

function assemble(t: Target, op: ComparisonOp, right: RightSide, level: AssertionLevel | undefined, source: string): Assertion {
  const base: AssertionBase = { source, level: level ?? 'error', metric: t.def.name, method: t.method, op };
  if (t.aggregate !== undefined) base.aggregate = t.aggregate;
  if (right.kind === 'comparison') return { ...base, against: right.against };
  return { ...base, value: right.bound.number * UNIT_SCALE[right.bound.unit], bound: right.bound };
}

/** `value: "1.5x ilfo"` in the map form: say where a comparison goes instead of "unknown unit". */
function checkNoReference(value: string): void {
  const words = [...KNOWN_METHODS, SAVED].join('|');
  const m = new RegExp(`(?<![a-z])(${words})(?![\\w-])`, 'i').exec(value);
  if (m === null) return;
  throw new AssertionSyntaxError(
    `value is a fixed bound; to compare with ${m[1]}, write against: ${m[1].toLowerCase()} (with factor: and/or offset:) instead`,
    m.index,
    'value',
  );
}

function checkOp(token: string, index: number): ComparisonOp {
  if ((OPS as readonly string[]).includes(token)) return token as ComparisonOp;
  throw new AssertionSyntaxError(`unknown operator "${token}": use one of ${OPS.join(', ')}`, index);
}
