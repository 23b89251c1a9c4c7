/**
 * The left side of an assertion, "[<aggregate>] <metric> [of <method>]":
 * which number of which input set it reads.
 */
import { AssertionSyntaxError, firstNonSpace, type AssertionPart } from './syntax-error.js';
import { suggestion } from '../util/did-you-mean.js';
import { AGGREGATES, BASELINE_METHODS, DEFAULT_METHOD, METRICS, REFINE_METHOD, WORST_CASE, type Aggregate, type MetricDef, type MetricNeed } from '../results/index.js';

/** Every method an assertion can name; worst-case is part of every run. */
export const KNOWN_METHODS: readonly string[] = [DEFAULT_METHOD, REFINE_METHOD, ...BASELINE_METHODS, WORST_CASE];

export interface ParseOptions {
  level?: 'error' | 'warn';
  /** Methods the suite runs (deepperform, deepperform-refine if set, its baselines; worst-case is always run). Default: every known method. */
  methods?: readonly string[];
  /** Settings the suite turns off, each with how to turn it on; a metric that needs one is an error. Default: none off. */
  off?: Partial<Readonly<Record<MetricNeed, string>>>;
}

export interface Target {
  aggregate?: Aggregate;
  def: MetricDef;
  method: string;
}

/** Longest first, so "seed block coverage" is tried before "block coverage". */
const METRICS_LONGEST_FIRST: readonly MetricDef[] = [...METRICS].sort((a, b) => b.name.length - a.name.length);

const AGGREGATE_WORD = /(mean|max|min|p50|p95)\s+/iy;
const METHOD_SUFFIX = /of(?:\s+(\S+))?\s*$/iy;

/** `[aggregate] metric [of method]` between `start` and `end` of `text`. */
export function parseTarget(text: string, start: number, end: number, options: ParseOptions, part: AssertionPart): Target {
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
  checkMeasured(def, options, i, part);
  const method = parseMethod(head, firstNonSpace(head, found.end), def, options, part);
  return aggregate === undefined ? { def, method } : { aggregate, def, method };
}

/**
 * Checks that `method` (found at `at`) names a method the suite runs:
 * an unknown name gets a suggestion, a known one the suite lacks says how to add it.
 */
export function checkRunMethod(name: string, at: number, options: ParseOptions, part: AssertionPart): string {
  const method = name.toLowerCase();
  if (!KNOWN_METHODS.includes(method)) {
    throw new AssertionSyntaxError(
      `unknown method "${name}"${suggestion(name, KNOWN_METHODS)}: use one of ${KNOWN_METHODS.join(', ')}`,
      at,
      part,
    );
  }
  const runs = options.methods ?? KNOWN_METHODS;
  if (method !== WORST_CASE && !runs.includes(method)) {
    const how = method === REFINE_METHOD ? 'set generator.refine (e.g. refine: 15)' : 'add it to baselines';
    throw new AssertionSyntaxError(`method "${method}" is not run by this suite: ${how}`, at, part);
  }
  return method;
}

/** How a metric that is not measured per method is measured, for messages. */
export function measuredWhere(def: MetricDef): string {
  return def.of === 'seeds' ? 'on the seed inputs' : 'once per suite';
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

function unknownMetric(text: string, at: number, hadAggregate: boolean, part: AssertionPart): AssertionSyntaxError {
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

function checkShape(def: MetricDef, aggregate: Aggregate | undefined, aggIndex: number, metricIndex: number, part: AssertionPart): void {
  if (def.shape === 'sample' && aggregate === undefined) {
    throw new AssertionSyntaxError(
      `"${def.name}" has one value per input: put an aggregate before it (${AGGREGATES.join(', ')}), e.g. "max ${def.name}"`,
      metricIndex,
      part,
    );
  }
  if (aggregate !== undefined && def.aggregates !== undefined && !def.aggregates.includes(aggregate)) {
    throw new AssertionSyntaxError(`"${def.name}" keeps only ${def.aggregates.join(' and ')}: use one of them instead of "${aggregate}"`, aggIndex, part);
  }
  if (def.shape === 'scalar' && aggregate !== undefined) {
    throw new AssertionSyntaxError(`"${def.name}" is a single number, so it takes no aggregate: drop "${aggregate}"`, aggIndex, part);
  }
}

/** A metric the suite turns off (`measure.latency: false`, no mitigation.detector) would never be measured. */
function checkMeasured(def: MetricDef, options: ParseOptions, metricIndex: number, part: AssertionPart): void {
  const how = def.needs === undefined ? undefined : options.off?.[def.needs];
  if (how === undefined) return;
  throw new AssertionSyntaxError(`"${def.name}" is not measured by this suite: ${how}`, metricIndex, part);
}

function parseMethod(text: string, at: number, def: MetricDef, options: ParseOptions, part: AssertionPart): string {
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
    throw new AssertionSyntaxError(`"${def.name}" is measured ${measuredWhere(def)}: drop "of ${m[1]}"`, at, part);
  }
  return checkRunMethod(m[1], text.indexOf(m[1], at + 2), options, part);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
