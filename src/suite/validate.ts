/**
 * Schema validation with ajv, and the translation of ajv's errors into plain
 * words a user can act on (unknown keys with a suggestion, wrong types with
 * what was found, the one relevant branch of an anyOf). Suites and the
 * config file (src/config/schema.ts) are checked by the same machinery.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { didYouMean, suggestion } from '../util/did-you-mean.js';
import type { Segment } from './locate.js';
import { suiteSchema } from './schema.js';

/** A problem before it is placed in the file: the key path and whether the key or the value is at fault. */
export interface RawProblem {
  path: Segment[];
  part: 'key' | 'value';
  message: string;
  /** For an unknown key: the allowed key it probably meant. */
  suggested?: string;
  /** For a missing required key. */
  missing?: boolean;
}

const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, allowUnionTypes: true });

/** A checker for `schema`: every problem of a value, in the user's terms; the schema's defaults are filled in place. */
export function schemaChecker(schema: Readonly<Record<string, unknown>>): (data: unknown) => RawProblem[] {
  const validate = ajv.compile(schema);
  return (data) => {
    const inexact = inexactNumbers(data);
    if (validate(data)) return inexact;
    const problems = pickAnyOfBranches(validate.errors ?? [], data);
    return [...dropRedundant(dedupe(problems)), ...inexact];
  };
}

/** Validates `data` against the suite schema, filling in defaults in place. */
export const validateSuiteData = schemaChecker(suiteSchema);

/**
 * Whole numbers beyond 2^53 - 1, where a double no longer holds every
 * integer: `seed: 1e20` or a 21-digit seed would silently become another
 * number. No suite setting needs such a size, so any key may not hold one.
 */
function inexactNumbers(data: unknown): RawProblem[] {
  const out: RawProblem[] = [];
  const stack: { value: unknown; path: Segment[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      const message = `${show(value)} is beyond 2^53 - 1 (${Number.MAX_SAFE_INTEGER}), past which numbers are not stored exactly`;
      out.push({ path, part: 'value', message });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
    }
  }
  return out.reverse();
}

/**
 * anyOf reports every branch's errors. Keep only the branch the value was
 * evidently meant for (right type, fewest complaints); when no branch has the
 * right type, say which types would do.
 */
function pickAnyOfBranches(errors: readonly ErrorObject[], data: unknown): RawProblem[] {
  const dropped = new Set<ErrorObject>();
  const extra: RawProblem[] = [];
  const within = errorsWithin(errors);
  for (const any of errors.filter((e) => e.keyword === 'anyOf')) {
    dropped.add(any);
    const branches = groupByBranch(within.get(any.instancePath) ?? [], any);
    for (const errs of branches.values()) errs.forEach((e) => dropped.add(e));
    const fitting = [...branches.values()].filter(
      (errs) => !errs.some((e) => e.keyword === 'type' && e.instancePath === any.instancePath),
    );
    if (fitting.length > 0) {
      const best = fitting.reduce((a, b) => (b.length < a.length ? b : a));
      best.forEach((e) => dropped.delete(e));
    } else {
      const types = [...branches.values()].flat().flatMap((e) => typesOf(e));
      extra.push({ path: pathOf(any.instancePath, data), part: 'value', message: mustBe(types, any.data) });
    }
  }
  // An if/then/else failure is explained by the errors of the branch that failed.
  const kept = errors.filter((e) => !dropped.has(e) && e.keyword !== 'if').map((e) => translate(e, data));
  return [...kept, ...extra];
}

/**
 * The errors at or under each instance path (each error listed under every
 * ancestor of its path): an anyOf then looks only at its own value's errors,
 * so n malformed list items cost n lookups, not n scans of all errors.
 */
function errorsWithin(errors: readonly ErrorObject[]): Map<string, ErrorObject[]> {
  const index = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    let path = e.instancePath;
    for (;;) {
      const list = index.get(path);
      if (list === undefined) index.set(path, [e]);
      else list.push(e);
      if (path === '') break;
      path = path.slice(0, path.lastIndexOf('/'));
    }
  }
  return index;
}

/** The errors of each branch of one anyOf failure (same schema position), among the errors within its value. */
function groupByBranch(errors: readonly ErrorObject[], any: ErrorObject): Map<number, ErrorObject[]> {
  const prefix = `${any.schemaPath}/`;
  const branches = new Map<number, ErrorObject[]>();
  for (const e of errors) {
    if (!e.schemaPath.startsWith(prefix)) continue;
    const index = Number.parseInt(e.schemaPath.slice(prefix.length), 10);
    const branch = branches.get(index);
    if (branch === undefined) branches.set(index, [e]);
    else branch.push(e);
  }
  return branches;
}

function translate(e: ErrorObject, data: unknown): RawProblem {
  const path = pathOf(e.instancePath, data);
  const value = (message: string): RawProblem => ({ path, part: 'value', message });
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties ?? {}) as object);
      const meant = didYouMean(key, allowed);
      const none = allowed.length === 0 ? '; this map takes no keys' : `; allowed keys: ${allowed.join(', ')}`;
      const hint = meant === undefined ? none : ` (did you mean "${meant}"?)`;
      const problem: RawProblem = { path: [...path, key], part: 'key', message: `unknown key ${show(key)}${hint}` };
      if (meant !== undefined) problem.suggested = meant;
      return problem;
    }
    case 'required': {
      const key = String(p.missingProperty);
      // A conditional requirement (no properties of its own) says in its description what to give.
      const why = e.parentSchema?.properties === undefined && typeof e.parentSchema?.description === 'string' ? `: ${e.parentSchema.description}` : '';
      return { path: [...path, key], part: 'key', message: `missing required key "${key}"${why}`, missing: true };
    }
    case 'maxProperties': {
      const keys = Object.keys(e.data as object);
      const hint = p.limit === 1 ? ': give each its own list item' : '';
      return value(`must hold at most ${String(p.limit)} key${p.limit === 1 ? '' : 's'}, found ${keys.length} (${keys.join(', ')})${hint}`);
    }
    case 'minProperties':
      return value('must not be an empty map');
    case 'type':
      return value(mustBe(typesOf(e), e.data));
    case 'enum': {
      const allowed = [...new Set((e.schema as unknown[]).map(String))];
      // Words only: "=" is as close to "<=" as to ">=", a guess there would mislead.
      const hint = typeof e.data === 'string' && /[a-z]/i.test(e.data) ? suggestion(e.data, allowed) : '';
      return value(`must be one of ${allowed.join(', ')}, got ${show(e.data)}${hint}`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return value(`must be ${String(p.comparison)} ${String(p.limit)}, got ${show(e.data)}`);
    case 'minLength':
      return value('must not be empty');
    case 'pattern': {
      const examples = (e.parentSchema?.examples ?? []) as unknown[];
      const like = examples.length > 0 ? `; write it like ${examples.map(show).join(' or ')}` : '';
      return value(`has the wrong form: ${show(e.data)}${like}`);
    }
    case 'uniqueItems':
      return {
        path: [...path, Number(p.i)],
        part: 'value',
        message: `${show((e.data as unknown[])[Number(p.i)])} is listed twice`,
      };
    case 'not':
      // The schema that holds the `not` says in words what is ruled out.
      return { path, part: 'key', message: String(e.parentSchema?.description ?? e.message) };
    default:
      return value(e.message ?? 'is invalid');
  }
}

/** An unknown key that looks like a typo of a missing required key is one mistake, not two. */
function dropRedundant(problems: RawProblem[]): RawProblem[] {
  const typoFor = new Set(
    problems.filter((p) => p.suggested !== undefined).map((p) => pathId([...p.path.slice(0, -1), p.suggested ?? ''])),
  );
  return problems.filter((p) => !(p.missing === true && typoFor.has(pathId(p.path))));
}

function pathId(path: readonly Segment[]): string {
  return path.join('\0');
}

function dedupe(problems: RawProblem[]): RawProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${pathId(p.path)}\u0001${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** JSON pointer to key path; array indices become numbers so they print as [i]. */
function pathOf(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return [];
  const path: Segment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: Segment = Array.isArray(node) ? Number(key) : key;
    path.push(seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function typesOf(e: ErrorObject): string[] {
  if (e.keyword !== 'type') return [];
  const t = (e.params as { type: string | string[] }).type;
  return Array.isArray(t) ? t : String(t).split(',');
}

function mustBe(types: readonly string[], data: unknown): string {
  const words = [...new Set(types)].map((t) => TYPE_WORDS[t] ?? t);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0];
  return `must be ${list}, got ${show(data)}`;
}

/** A value as the user would recognise it from the YAML (or a config file). */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  return String(v);
}
