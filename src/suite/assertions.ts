/**
 * The assertion grammar, k6-style:
 *   "[<aggregate>] <metric> [of <method>] <op> <value>[<unit>]"
 * e.g. "max I-FLOPs < 500%", "block coverage > 0.9", "mean I-FLOPs of random < 5%".
 * A malformed assertion is a configuration error, never a silent pass.
 */
import type { AssertionLevel } from '../runner/result.js';
import { suggestion } from './did-you-mean.js';
import {
  AGGREGATES,
  DEFAULT_METHOD,
  METRICS,
  METRICS_LONGEST_FIRST,
  UNIT_SCALE,
  type Aggregate,
  type MetricDef,
  type Unit,
} from './metrics.js';
import { BASELINE_NAMES } from './schema.js';

export type ComparisonOp = '<' | '<=' | '>' | '>=';
export const OPS: readonly ComparisonOp[] = ['<', '<=', '>', '>='];

/** A parsed assertion. `value` is in the metric's canonical scale (ratios as fractions, time in ms). */
export interface Assertion {
  /** The assertion as written (the structured form is rendered as a string). */
  source: string;
  level: AssertionLevel;
  aggregate?: Aggregate;
  /** Canonical metric name from the registry, e.g. "I-FLOPs". */
  metric: string;
  /** Whose inputs are measured: 'deepperform' unless `of <method>` says otherwise. */
  method: string;
  op: ComparisonOp;
  value: number;
  /** The bound as written: its number, unit and text (e.g. 500, '%', "500%"). */
  bound: { number: number; unit: Unit; text: string };
}

/** A malformed assertion; `index` is the offending character in the text that was parsed. */
export class AssertionSyntaxError extends Error {
  readonly index: number;
  /** Which part of a structured assertion is at fault (always 'expression' for the string form). */
  readonly part: 'expression' | 'metric' | 'value';

  constructor(message: string, index: number, part: AssertionSyntaxError['part'] = 'expression') {
    super(message);
    this.name = 'AssertionSyntaxError';
    this.index = index;
    this.part = part;
  }
}

export interface ParseOptions {
  level?: AssertionLevel;
  /** Methods the suite runs (deepperform plus its baselines). Default: every known method. */
  methods?: readonly string[];
}

/** Every method an assertion can name. */
export const KNOWN_METHODS: readonly string[] = [DEFAULT_METHOD, ...BASELINE_NAMES];

const OP_TOKEN = /[<>=!]+/;

/** Parses the string form. Throws AssertionSyntaxError. */
export function parseAssertion(text: string, options: ParseOptions = {}): Assertion {
  const m = OP_TOKEN.exec(text);
  if (m === null) {
    throw new AssertionSyntaxError(
      `no comparison in "${text.trim()}": write <metric> <op> <value> with op one of ${OPS.join(', ')}`,
      firstNonSpace(text, 0),
    );
  }
  const op = checkOp(m[0], m.index);
  const target = parseTarget(text, 0, m.index, options, 'expression');
  const bound = parseBound(text, m.index + m[0].length, op, target.def, 'expression');
  return assemble(target, op, bound, options.level, text.trim());
}

/** The map form `{ metric, op, value }`; `op` is already checked by the schema. */
export function parseStructuredAssertion(
  spec: { metric: string; op: string; value: number | string },
  options: ParseOptions = {},
): Assertion {
  const op = checkOp(spec.op, 0);
  const target = parseTarget(spec.metric, 0, spec.metric.length, options, 'metric');
  const bound =
    typeof spec.value === 'number'
      ? numberBound(spec.value, target.def)
      : parseBound(spec.value, 0, op, target.def, 'value');
  const source = `${spec.metric.trim()} ${op} ${bound.text}`;
  return assemble(target, op, bound, options.level, source);
}

/** "max I-FLOPs", "block coverage of random": what the assertion reads. */
export function assertionLabel(a: Pick<Assertion, 'aggregate' | 'metric' | 'method'>): string {
  const agg = a.aggregate === undefined ? '' : `${a.aggregate} `;
  const of = a.method === DEFAULT_METHOD ? '' : ` of ${a.method}`;
  return `${agg}${a.metric}${of}`;
}

interface Target {
  aggregate?: Aggregate;
  def: MetricDef;
  method: string;
}

function assemble(
  t: Target,
  op: ComparisonOp,
  bound: Assertion['bound'],
  level: AssertionLevel | undefined,
  source: string,
): Assertion {
  const a: Assertion = {
    source,
    level: level ?? 'error',
    metric: t.def.name,
    method: t.method,
    op,
    value: bound.number * UNIT_SCALE[bound.unit],
    bound,
  };
  if (t.aggregate !== undefined) a.aggregate = t.aggregate;
  return a;
}

function checkOp(token: string, index: number): ComparisonOp {
  if ((OPS as readonly string[]).includes(token)) return token as ComparisonOp;
  throw new AssertionSyntaxError(`unknown operator "${token}": use one of ${OPS.join(', ')}`, index);
}

const AGGREGATE_WORD = /(mean|max|min|p50|p95)\s+/iy;
const METHOD_SUFFIX = /of(?:\s+(\S+))?\s*$/iy;

/** `[aggregate] metric [of method]` between start and end of `text`. */
function parseTarget(
  text: string,
  start: number,
  end: number,
  options: ParseOptions,
  part: AssertionSyntaxError['part'],
): Target {
  const head = text.slice(0, end);
  let i = firstNonSpace(head, start);
  if (i >= end) throw new AssertionSyntaxError('missing metric before the operator', i, part);
  AGGREGATE_WORD.lastIndex = i;
  const aggMatch = AGGREGATE_WORD.exec(head);
  const aggIndex = i;
  let aggregate: Aggregate | undefined;
  if (aggMatch !== null) {
    aggregate = aggMatch[1].toLowerCase() as Aggregate;
    i = AGGREGATE_WORD.lastIndex;
  }
  const found = matchMetric(head, i);
  if (found === undefined) throw unknownMetric(head, i, aggregate !== undefined, part);
  const { def } = found;
  checkShape(def, aggregate, aggIndex, i, part);
  const method = parseMethod(head, firstNonSpace(head, found.end), def, options, part);
  return aggregate === undefined ? { def, method } : { aggregate, def, method };
}

function matchMetric(text: string, at: number): { def: MetricDef; end: number } | undefined {
  for (const def of METRICS_LONGEST_FIRST) {
    // Case-insensitive, any run of spaces where the name has one, and a whole word.
    const re = new RegExp(`${escapeRegExp(def.name).replace(/ /g, '\\s+')}(?=\\s|$)`, 'iy');
    re.lastIndex = at;
    if (re.test(text)) return { def, end: re.lastIndex };
  }
  return undefined;
}

function unknownMetric(
  text: string,
  at: number,
  hadAggregate: boolean,
  part: AssertionSyntaxError['part'],
): AssertionSyntaxError {
  const words = text.slice(at).replace(/\s+of(\s.*)?$/is, '').trim();
  // "avg I-FLOPs": a known metric after an unknown first word is a bad aggregate.
  const firstWord = /^\S+/.exec(words)?.[0] ?? '';
  const restAt = firstNonSpace(text, at + firstWord.length);
  if (!hadAggregate && firstWord !== '' && matchMetric(text, restAt) !== undefined) {
    return new AssertionSyntaxError(
      `unknown aggregate "${firstWord}"${suggestion(firstWord, AGGREGATES)}: use one of ${AGGREGATES.join(', ')}`,
      at,
      part,
    );
  }
  const names = METRICS.map((m) => m.name);
  const hint = suggestion(words, names) || `; known metrics: ${names.join(', ')}`;
  return new AssertionSyntaxError(`unknown metric "${words}"${hint}`, at, part);
}

function checkShape(
  def: MetricDef,
  aggregate: Aggregate | undefined,
  aggIndex: number,
  metricIndex: number,
  part: AssertionSyntaxError['part'],
): void {
  if (def.shape === 'sample' && aggregate === undefined) {
    throw new AssertionSyntaxError(
      `"${def.name}" has one value per input: put an aggregate before it (${AGGREGATES.join(', ')}), e.g. "max ${def.name}"`,
      metricIndex,
      part,
    );
  }
  if (def.shape === 'scalar' && aggregate !== undefined) {
    throw new AssertionSyntaxError(
      `"${def.name}" is a single number, so it takes no aggregate: drop "${aggregate}"`,
      aggIndex,
      part,
    );
  }
}

function parseMethod(
  text: string,
  at: number,
  def: MetricDef,
  options: ParseOptions,
  part: AssertionSyntaxError['part'],
): string {
  if (at >= text.length) return DEFAULT_METHOD;
  METHOD_SUFFIX.lastIndex = at;
  const m = METHOD_SUFFIX.exec(text);
  if (m === null) {
    throw new AssertionSyntaxError(
      `unexpected "${text.slice(at).trim()}" after "${def.name}"; expected the operator or "of <method>"`,
      at,
      part,
    );
  }
  if (m[1] === undefined) throw new AssertionSyntaxError('missing method name after "of"', at, part);
  if (def.of !== 'method') {
    const what = def.of === 'seeds' ? 'on the seed inputs' : 'once per suite';
    throw new AssertionSyntaxError(`"${def.name}" is measured ${what}: drop "of ${m[1]}"`, at, part);
  }
  const methodAt = text.indexOf(m[1], at + 2);
  const method = m[1].toLowerCase();
  if (!KNOWN_METHODS.includes(method)) {
    throw new AssertionSyntaxError(
      `unknown method "${m[1]}"${suggestion(m[1], KNOWN_METHODS)}: use one of ${KNOWN_METHODS.join(', ')}`,
      methodAt,
      part,
    );
  }
  const runs = options.methods ?? KNOWN_METHODS;
  if (!runs.includes(method)) {
    throw new AssertionSyntaxError(
      `method "${method}" is not run by this suite: add it to baselines`,
      methodAt,
      part,
    );
  }
  return method;
}

const BOUND = /([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(.*?)\s*$/iy;

/** `<number>[unit]` from `start` to the end of `text`. */
function parseBound(
  text: string,
  start: number,
  op: string,
  def: MetricDef,
  part: AssertionSyntaxError['part'],
): Assertion['bound'] {
  const at = firstNonSpace(text, start);
  if (at >= text.length) throw new AssertionSyntaxError(`missing value after "${op}"`, at, part);
  BOUND.lastIndex = at;
  const m = BOUND.exec(text);
  if (m === null || !Number.isFinite(Number(m[1]))) {
    throw new AssertionSyntaxError(`value "${text.slice(at).trim()}" is not a number`, at, part);
  }
  const unitAt = text.indexOf(m[2], at + m[1].length);
  const unit = checkUnit(m[2], def, unitAt, part);
  return { number: Number(m[1]), unit, text: `${m[1]}${unit}` };
}

function numberBound(value: number, def: MetricDef): Assertion['bound'] {
  checkUnit('', def, 0, 'value');
  return { number: value, unit: '', text: String(value) };
}

function checkUnit(unit: string, def: MetricDef, at: number, part: AssertionSyntaxError['part']): Unit {
  if ((def.units as readonly string[]).includes(unit)) return unit as Unit;
  const allowed = def.units.map((u) => (u === '' ? 'no unit' : `"${u}"`)).join(', ');
  const what = unit === '' ? `"${def.name}" needs a unit` : `unit "${unit}" is not allowed for "${def.name}"`;
  throw new AssertionSyntaxError(`${what}: use ${allowed}`, at, part);
}

function firstNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
