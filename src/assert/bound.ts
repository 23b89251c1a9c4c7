/**
 * The right side of an assertion: a fixed bound ("50%", "20ms"), or a bound
 * computed from the same metric of another method of the run or of the saved
 * result: "[<factor>x] <method|saved> [+|- <value><unit>]".
 */
import { AssertionSyntaxError, firstNonSpace, type AssertionPart } from './syntax-error.js';
import { checkRunMethod, KNOWN_METHODS, measuredWhere, type ParseOptions, type Target } from './target.js';
import { didYouMean } from '../util/did-you-mean.js';
import { UNIT_SCALE, type MetricDef, type Unit } from '../results/index.js';

/** The reference word for the suite's saved result. */
export const SAVED = 'saved';

/** A bound as written: its number, unit and text (e.g. 500, '%', "500%"). */
export interface Bound {
  number: number;
  unit: Unit;
  text: string;
}

/** The other operand of a comparison: the bound is `factor` x (the same metric of `to`) + `offset`. */
export interface Reference {
  /** A method of this run (e.g. 'ilfo'), or 'saved': the same metric in the suite's saved result. */
  to: string;
  factor: number;
  /** In the metric's canonical scale (ratios as fractions, time in ms); 0 when none is given. */
  offset: number;
  /** The unit the offset was written in, which values are then shown in. */
  unit?: Unit;
  /** The comparison as a user reads it: "1.5x ilfo", "saved + 5%". */
  text: string;
}

export type RightSide = { kind: 'fixed'; bound: Bound } | { kind: 'comparison'; against: Reference };

const NUMBER = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[+-]?\\d+)?';
/** "1.5x " followed by a word: a factor, not the bound "1.5x". */
const FACTOR = new RegExp(`(${NUMBER})\\s*x\\s+(?=[a-z])`, 'iy');
const WORD = /[a-z][\w-]*/iy;
const SIGN = /\s*([+-])\s*/y;
const BOUND = new RegExp(`(${NUMBER})\\s*(.*?)\\s*$`, 'iy');

/** The right side, from `start` to the end of `text`. */
export function parseRightSide(
  text: string,
  start: number,
  op: string,
  target: Target,
  options: ParseOptions,
): RightSide {
  const at = firstNonSpace(text, start);
  if (at >= text.length) throw new AssertionSyntaxError(`missing value after "${op}"`, at);
  FACTOR.lastIndex = at;
  const factorMatch = FACTOR.exec(text);
  const wordAt = factorMatch === null ? at : FACTOR.lastIndex;
  WORD.lastIndex = wordAt;
  const word = WORD.exec(text);
  if (word === null) return { kind: 'fixed', bound: parseBound(text, at, op, target.def, 'expression') };
  const to = checkReference(word[0], wordAt, text.slice(at).trim(), target, options, 'expression');
  const factor = factorMatch === null ? 1 : checkFactor(factorMatch[1], at);
  const offset = parseOffset(text, WORD.lastIndex, word[0], target.def);
  return { kind: 'comparison', against: reference(to, factorMatch?.[1], factor, offset) };
}

/** The map form's `against`, `factor` and `offset` (their types already checked by the schema). */
export function structuredReference(
  spec: { against: string; factor?: number; offset?: number | string },
  target: Target,
  options: ParseOptions,
): Reference {
  const to = checkReference(spec.against, 0, spec.against, target, options, 'against');
  const factor = spec.factor ?? 1;
  let offset: SignedBound | undefined;
  if (typeof spec.offset === 'number') {
    checkUnit('', target.def, 0, 'offset', true);
    offset = { sign: spec.offset < 0 ? '-' : '+', bound: { number: Math.abs(spec.offset), unit: '', text: String(Math.abs(spec.offset)) } };
  } else if (typeof spec.offset === 'string') {
    SIGN.lastIndex = 0;
    const sign = SIGN.exec(spec.offset);
    const bound = parseBound(spec.offset, sign === null ? 0 : SIGN.lastIndex, 'offset', target.def, 'offset', true);
    offset = { sign: sign?.[1] === '-' ? '-' : '+', bound };
  }
  return reference(to, spec.factor === undefined ? undefined : String(spec.factor), factor, offset);
}

/** `<number>[unit]` from `start` to the end of `text`; `relative` adds a hint for a "%" on a metric that has none. */
export function parseBound(
  text: string,
  start: number,
  after: string,
  def: MetricDef,
  part: AssertionPart,
  relative = false,
): Bound {
  const at = firstNonSpace(text, start);
  if (at >= text.length) throw new AssertionSyntaxError(`missing value after "${after}"`, at, part);
  BOUND.lastIndex = at;
  const m = BOUND.exec(text);
  if (m === null || !Number.isFinite(Number(m[1]))) {
    throw new AssertionSyntaxError(`value "${text.slice(at).trim()}" is not a number`, at, part);
  }
  const unitAt = text.indexOf(m[2], at + m[1].length);
  const unit = checkUnit(m[2], def, unitAt, part, relative);
  return { number: Number(m[1]), unit, text: `${m[1]}${unit}` };
}

/** A bare number as the bound of the map form. */
export function numberBound(value: number, def: MetricDef): Bound {
  checkUnit('', def, 0, 'value');
  return { number: value, unit: '', text: String(value) };
}

function checkUnit(unit: string, def: MetricDef, at: number, part: AssertionPart, relative = false): Unit {
  if ((def.units as readonly string[]).includes(unit)) return unit as Unit;
  const allowed = def.units.map((u) => (u === '' ? 'no unit' : `"${u}"`)).join(', ');
  const what = unit === '' ? `"${def.name}" needs a unit` : `unit "${unit}" is not allowed for "${def.name}"`;
  // An offset is in the metric's own units; a relative margin is a factor.
  const hint = relative && unit === '%' ? ` (for a relative margin use a factor, e.g. "1.05x saved")` : '';
  throw new AssertionSyntaxError(`${what}: use ${allowed}${hint}`, at, part);
}

interface SignedBound {
  sign: '+' | '-';
  bound: Bound;
}

/** The optional "+ 5%" / "- 2ms" after the reference word. */
function parseOffset(text: string, at: number, word: string, def: MetricDef): SignedBound | undefined {
  if (firstNonSpace(text, at) >= text.length) return undefined;
  SIGN.lastIndex = at;
  const sign = SIGN.exec(text);
  if (sign === null) {
    throw new AssertionSyntaxError(
      `unexpected "${text.slice(at).trim()}" after "${word}"; expected "+ <value>", "- <value>" or the end`,
      firstNonSpace(text, at),
    );
  }
  return { sign: sign[1] === '-' ? '-' : '+', bound: parseBound(text, SIGN.lastIndex, sign[1], def, 'expression', true) };
}

function checkFactor(written: string, at: number): number {
  const factor = Number(written);
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new AssertionSyntaxError(`the factor must be a number > 0, got "${written}"`, at);
  }
  return factor;
}

/**
 * `word` as a comparison target: 'saved', or a method the suite runs other
 * than the one measured, for a metric measured per method. `rest` is the
 * right side as written, for the message when the word is no reference at all.
 */
function checkReference(word: string, at: number, rest: string, target: Target, options: ParseOptions, part: AssertionPart): string {
  const name = word.toLowerCase();
  if (name === SAVED) return SAVED;
  if (!KNOWN_METHODS.includes(name)) {
    const meant = didYouMean(word, [...KNOWN_METHODS, SAVED]);
    if (meant === undefined) {
      throw new AssertionSyntaxError(`value "${rest}" is not a number, a method (${KNOWN_METHODS.join(', ')}) or ${SAVED}`, at, part);
    }
    throw new AssertionSyntaxError(
      `unknown method "${word}" (did you mean "${meant}"?): compare with one of ${KNOWN_METHODS.join(', ')} or ${SAVED}`,
      at,
      part,
    );
  }
  if (target.def.of !== 'method') {
    throw new AssertionSyntaxError(
      `"${target.def.name}" is measured ${measuredWhere(target.def)}, the same for every method: compare it with ${SAVED}, not "${name}"`,
      at,
      part,
    );
  }
  if (name === target.method) {
    throw new AssertionSyntaxError(`compares "${name}" with itself: name another method, or ${SAVED}`, at, part);
  }
  return checkRunMethod(word, at, options, part);
}

function reference(to: string, factorText: string | undefined, factor: number, offset: SignedBound | undefined): Reference {
  const ref: Reference = { to, factor, offset: 0, text: `${factorText === undefined ? '' : `${factorText}x `}${to}` };
  if (offset !== undefined) {
    const { sign, bound } = offset;
    const magnitude = bound.number * UNIT_SCALE[bound.unit];
    ref.offset = sign === '-' ? -magnitude : magnitude;
    ref.unit = bound.unit;
    ref.text += ` ${sign} ${bound.text}`;
  }
  return ref;
}
