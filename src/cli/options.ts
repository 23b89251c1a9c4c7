/**
 * Parsers for command-line values. Each throws commander's
 * InvalidArgumentError, which commander reports with the option's name and
 * the CLI maps to exit code 2.
 */
import { InvalidArgumentError } from 'commander';
import { FILE_REPORTERS, type OutputFiles } from '../config/index.js';
import type { Shard } from '../runner/index.js';

export function number(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`);
    return n;
  };
}

/** An integer >= min, e.g. --seed (>= 0) or --bail (>= 1). */
export function integer(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\s*[+-]?\d+\s*$/.test(v) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
}

/** `i/n` with 1 <= i <= n, Playwright's --shard form. */
export function parseShard(v: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  if (!m) throw new InvalidArgumentError(`--shard takes i/n, e.g. 1/3; got "${v}"`);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) {
    throw new InvalidArgumentError(`--shard ${v}: need 1 <= i <= n (shards are numbered from 1)`);
  }
  return { index, total };
}

/** Repeatable option taking comma lists: `--reporter console,junit --reporter html`. */
export function collectList(v: string, previous: string[] | undefined): string[] {
  const items = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new InvalidArgumentError('needs at least one name');
  return [...(previous ?? []), ...items];
}

/** Repeatable `--output-file junit=path`; a later one for the same reporter wins. */
export function collectOutputFile(v: string, previous: OutputFiles | undefined): OutputFiles {
  const at = v.indexOf('=');
  const name = v.slice(0, Math.max(at, 0)).trim();
  const path = v.slice(at + 1).trim();
  if (at < 0 || path === '' || !(FILE_REPORTERS as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(`--output-file takes <reporter>=<path> with reporter one of ${FILE_REPORTERS.join(', ')}; got "${v}"`);
  }
  return { ...previous, [name]: path };
}

/** -t: a JavaScript regular expression on suite names. */
export function parsePattern(v: string): RegExp {
  try {
    return new RegExp(v);
  } catch (e) {
    throw new InvalidArgumentError(`not a valid regular expression (${(e as Error).message})`);
  }
}
