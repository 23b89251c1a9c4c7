/**
 * Checks a config object by hand: the schema is small, and hand-written
 * checks give messages in the user's terms ("bail: must be an integer >= 1,
 * got 0") with the key path, which is what a user needs to fix it.
 */
import { ConfigError, type ConfigProblem } from './errors.js';
import { FILE_REPORTERS, type DeepperformConfig } from './types.js';

type Check = (value: unknown, key: string) => string | undefined;

const stringCheck: Check = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : `must be a non-empty string, got ${show(v)}`);
const booleanCheck: Check = (v) => (typeof v === 'boolean' ? undefined : `must be true or false, got ${show(v)}`);
const intCheck =
  (min: number): Check =>
  (v) => (Number.isInteger(v) && (v as number) >= min ? undefined : `must be an integer >= ${min}, got ${show(v)}`);

const CHECKS: Record<keyof DeepperformConfig, (value: unknown, key: string, out: ConfigProblem[]) => void> = {
  include: stringList,
  reporters: stringList,
  outputDir: single(stringCheck),
  outputFiles: outputFiles,
  cacheDir: single(stringCheck),
  backend: single(stringCheck),
  seed: single(intCheck(0)),
  bail: single(intCheck(1)),
  retrain: single(booleanCheck),
};

export const CONFIG_KEYS = Object.keys(CHECKS) as (keyof DeepperformConfig)[];

/** Returns the config when it is valid; otherwise throws one ConfigError listing every problem. */
export function validateConfig(value: unknown, file: string): DeepperformConfig {
  const problems: ConfigProblem[] = [];
  if (!isPlainObject(value)) {
    problems.push({ key: '', message: `must export a config object (export default defineConfig({ ... })), got ${show(value)}` });
  } else {
    for (const [key, v] of Object.entries(value)) {
      const check = CHECKS[key as keyof DeepperformConfig];
      if (check === undefined) problems.push({ key, message: unknownKey(key, CONFIG_KEYS) });
      else if (v !== undefined) check(v, key, problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return value as DeepperformConfig;
}

function single(check: Check) {
  return (v: unknown, key: string, out: ConfigProblem[]): void => {
    const message = check(v, key);
    if (message !== undefined) out.push({ key, message });
  };
}

function stringList(v: unknown, key: string, out: ConfigProblem[]): void {
  if (!Array.isArray(v)) {
    out.push({ key, message: `must be a list of strings, got ${show(v)}` });
    return;
  }
  v.forEach((item, i) => single(stringCheck)(item, `${key}[${i}]`, out));
}

function outputFiles(v: unknown, key: string, out: ConfigProblem[]): void {
  if (!isPlainObject(v)) {
    out.push({ key, message: `must be a map from reporter (${FILE_REPORTERS.join(', ')}) to a file path, got ${show(v)}` });
    return;
  }
  for (const [name, path] of Object.entries(v)) {
    const at = `${key}.${name}`;
    if (!(FILE_REPORTERS as readonly string[]).includes(name)) out.push({ key: at, message: unknownKey(name, FILE_REPORTERS) });
    else single(stringCheck)(path, at, out);
  }
}

function unknownKey(key: string, known: readonly string[]): string {
  const guess = closest(key, known);
  return `unknown key${guess ? `; did you mean "${guess}"?` : ''} (known: ${known.join(', ')})`;
}

/** The known key a typo most plausibly meant: a small edit distance (1 for short words), or a prefix. */
function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const scored = known.map((k) => ({ k, d: distance(w, k.toLowerCase()) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  if (best && best.d <= (w.length <= 4 ? 1 : 2)) return best.k;
  return known.find((k) => k.toLowerCase().startsWith(w) || w.startsWith(k.toLowerCase()));
}

/** Edit distance where swapping two neighbouring letters costs 1, like any other typo ("bial" -> "bail"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'a list';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
