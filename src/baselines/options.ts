import { BaselineError } from './common.js';

/** How one option of a baseline is checked. `auto` options take 'auto' or a positive number. */
export type OptionSpec =
  | { kind: 'count' }
  | { kind: 'whole' }
  | { kind: 'positive' }
  | { kind: 'positive-or-auto' }
  | { kind: 'non-negative-or-auto' }
  | { kind: 'choice'; values: readonly string[] };

export type OptionSpecs<O> = { readonly [K in keyof O]: OptionSpec };

/**
 * The defaults overridden by `given`, each given value checked. Options may
 * come from a suite file, so an unknown key or a wrong value is an error with
 * a message that names the baseline, the key and what it takes.
 */
export function resolveOptions<O extends object>(
  baseline: string,
  defaults: O,
  specs: OptionSpecs<O>,
  given: Readonly<Record<string, unknown>> | Partial<O> | undefined,
): O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  const known = Object.keys(specs);
  for (const [key, value] of Object.entries(given ?? {})) {
    if (value === undefined) continue;
    if (!known.includes(key)) {
      throw new BaselineError(`${baseline}: unknown option "${key}"; it takes ${known.join(', ')}`);
    }
    const spec = (specs as Record<string, OptionSpec>)[key];
    const problem = check(spec, value);
    if (problem) throw new BaselineError(`${baseline}: option "${key}" ${problem}, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return out as O;
}

function check(spec: OptionSpec, v: unknown): string | undefined {
  const isNumber = typeof v === 'number' && Number.isFinite(v);
  switch (spec.kind) {
    case 'count':
      return isNumber && Number.isInteger(v) && v >= 1 ? undefined : 'must be a whole number >= 1';
    case 'whole':
      return isNumber && Number.isInteger(v) && v >= 0 ? undefined : 'must be a whole number >= 0';
    case 'positive':
      return isNumber && v > 0 ? undefined : 'must be a number > 0';
    case 'positive-or-auto':
      return v === 'auto' || (isNumber && v > 0) ? undefined : 'must be "auto" or a number > 0';
    case 'non-negative-or-auto':
      return v === 'auto' || (isNumber && v >= 0) ? undefined : 'must be "auto" or a number >= 0';
    case 'choice':
      return typeof v === 'string' && spec.values.includes(v) ? undefined : `must be one of ${spec.values.join(', ')}`;
  }
}
