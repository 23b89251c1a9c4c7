/**
 * Resource limits and plain-data rules for suite files, checked before the
 * schema sees anything: a suite is a short file of strings, numbers, lists
 * and maps, so its size, text encoding, nesting, aliases and tags are bounded
 * here, each breach one short problem (exit 2) instead of a crash, a hang or
 * a value silently converted.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type YAMLMap } from 'yaml';
import type { SuiteProblem } from './errors.js';
import type { SourceMap } from './locate.js';

/** A suite is a few hundred bytes; a megabyte is far beyond any real one and bounds parse time and memory. */
export const MAX_SUITE_BYTES = 1024 * 1024;
/** Suites nest 4 levels (mitigation.retrain.out); 32 leaves room and keeps every recursion shallow. */
export const MAX_DEPTH = 32;
/** Alias expansions when converting to plain data (the yaml package's own default, stated here). */
export const MAX_ALIAS_COUNT = 100;

/** Explicit tags of the YAML core schema that only restate a plain value's type. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** A problem for the whole file (no key path), at a position. */
function fileProblem(line: number, column: number, message: string): SuiteProblem {
  return { line, column, path: '', message };
}

/** The size limit, for text or bytes; undefined when within it. */
export function sizeProblem(bytes: number): SuiteProblem | undefined {
  if (bytes <= MAX_SUITE_BYTES) return undefined;
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return fileProblem(1, 1, `the file is ${mb(bytes)}; a suite file may be at most ${mb(MAX_SUITE_BYTES)}`);
}

/**
 * The file's text, or a problem at the first byte that is not UTF-8 (node's
 * own decoding would turn it into U+FFFD and carry on). A UTF-8 byte-order
 * mark is dropped.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { problem: SuiteProblem } {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const { line, column } = bytePosition(bytes, bad);
    const hint = bytes[0] === 0xff || bytes[0] === 0xfe ? ' (it looks like UTF-16: save it as UTF-8)' : ' (Latin-1 or another legacy encoding? save it as UTF-8)';
    const byte = `0x${bytes[bad].toString(16).toUpperCase().padStart(2, '0')}`;
    return { problem: fileProblem(line, column, `the file is not UTF-8 text: byte ${byte} cannot start or continue a character${hint}`) };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  return { text };
}

/**
 * Offset of the first byte that is not part of a well-formed UTF-8 sequence
 * (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing past
 * U+10FFFF), or -1. NUL and other C0 controls are valid UTF-8 but never text
 * in a suite, so they count as invalid too.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
      i++;
      continue;
    }
    const [len, lo, hi] = c >= 0xc2 && c <= 0xdf ? [2, 0x80, 0xbf]
      : c === 0xe0 ? [3, 0xa0, 0xbf]
      : c === 0xed ? [3, 0x80, 0x9f]
      : c >= 0xe1 && c <= 0xef ? [3, 0x80, 0xbf]
      : c === 0xf0 ? [4, 0x90, 0xbf]
      : c === 0xf4 ? [4, 0x80, 0x8f]
      : c >= 0xf1 && c <= 0xf3 ? [4, 0x80, 0xbf]
      : [0, 0, 0];
    if (len === 0) return i;
    // The second byte has the narrow range; the rest are plain continuation bytes.
    if (i + 1 >= b.length || b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k < len; k++) if (i + k >= b.length || b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += len;
  }
  return -1;
}

/** 1-based line and column (in characters of the valid text before it) of a byte offset. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, column: [...before].length + 1 };
}

/**
 * What the parser accepted but a suite must not hold: tags it could not
 * resolve (its warnings, e.g. `!!js/function`), explicit tags beyond the
 * plain types (`!!binary`, `!!set`), a key twice in a map, and nesting
 * deeper than MAX_DEPTH.
 * One walk, iterative, so a deep document cannot overflow the stack here.
 */
export function structureProblems(src: SourceMap): SuiteProblem[] {
  const at = (offset: number) => src.lineCounter.linePos(offset);
  const problems: SuiteProblem[] = src.doc.warnings.map((w) => {
    const { line, col } = at(w.pos[0]);
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1];
    return fileProblem(line, col, tag === undefined ? `YAML: ${firstLine(w.message)}` : tagMessage(tag));
  });
  const warned = new Set(problems.map((p) => `${p.line}:${p.column}`));
  // The first collection (in file order) that opens one level too many.
  let tooDeep = Number.POSITIVE_INFINITY;
  const stack: { node: unknown; depth: number }[] = [{ node: src.doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isPair(node)) {
      stack.push({ node: node.key, depth }, { node: node.value, depth });
      continue;
    }
    if (isAlias(node)) {
      const cycle = aliasCycle(node, src);
      if (cycle !== undefined) problems.push(cycle);
      continue;
    }
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) continue; // an empty value
    const start = node.range?.[0] ?? 0;
    if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
      const { line, col } = at(start);
      if (!warned.has(`${line}:${col}`)) problems.push(fileProblem(line, col, tagMessage(node.tag)));
    }
    if (isScalar(node)) continue;
    if (isMap(node)) problems.push(...duplicateKeys(node, src));
    if (depth + 1 > MAX_DEPTH) {
      tooDeep = Math.min(tooDeep, start);
      continue;
    }
    for (const item of node.items as unknown[]) stack.push({ node: item, depth: depth + 1 });
  }
  if (Number.isFinite(tooDeep)) {
    const { line, col } = at(tooDeep);
    problems.push(fileProblem(line, col, `values are nested more than ${MAX_DEPTH} levels deep; a suite needs at most 4`));
  }
  return problems;
}

/**
 * An alias inside the very map or list its anchor names (`a: &a [*a]`)
 * makes a cycle: the data would be infinitely deep. Anchors come before
 * their aliases, so this is the only way to make one.
 */
function aliasCycle(alias: Alias, src: SourceMap): SuiteProblem | undefined {
  const target = alias.resolve(src.doc);
  const at = alias.range?.[0];
  if (target === undefined || isScalar(target) || at === undefined || target.range === undefined || target.range === null) return undefined;
  if (at < target.range[0] || at >= target.range[2]) return undefined;
  const { line, col } = src.lineCounter.linePos(at);
  return fileProblem(line, col, `alias *${alias.source} is inside the value its anchor &${alias.source} names: a value cannot contain itself`);
}

/**
 * Keys given twice in one map, at the second. The parser's own check
 * (uniqueKeys) compares each key with all before it, quadratic in the keys
 * of a map; a set is linear.
 */
function duplicateKeys(node: YAMLMap<unknown, unknown>, src: SourceMap): SuiteProblem[] {
  const seen = new Set<string>();
  const out: SuiteProblem[] = [];
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    const { line, col } = src.lineCounter.linePos(pair.key.range?.[0] ?? 0);
    const shown = key.length > 60 ? `${key.slice(0, 57)}...` : key;
    out.push(fileProblem(line, col, `YAML syntax: key "${shown}" appears twice in the same map`));
  }
  return out;
}

function tagMessage(tag: string): string {
  const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
  return `YAML tag ${shown} is not allowed: a suite holds plain strings, numbers, true/false, lists and maps`;
}

/** The YAML parser reports its own stack overflow on deep flow nesting; say what it means. */
export function syntaxMessage(code: string, message: string): string | undefined {
  if (code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(message)) return `values are nested too deeply to read; a suite needs at most 4 levels`;
  return undefined;
}

/** The parsed document as plain data, with alias expansion bounded (an alias bomb is a problem, not a crash). */
export function toPlainData(src: SourceMap): { data: unknown } | { problem: SuiteProblem } {
  try {
    const data: unknown = src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    // Aliases can stack anchored values inside each other past the depth the text shows.
    if (plainDepth(data) <= MAX_DEPTH) return { data };
    const { line, col } = src.lineCounter.linePos(firstAliasOffset(src));
    return { problem: fileProblem(line, col, `aliases (*name) nest values more than ${MAX_DEPTH} levels deep; a suite needs at most 4`) };
  } catch (e) {
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e;
    const { line, col } = src.lineCounter.linePos(firstAliasOffset(src));
    const message = `aliases (*name) expand to too many values (more than ${MAX_ALIAS_COUNT} uses); write the values out instead`;
    return { problem: fileProblem(line, col, message) };
  }
}

/** Nesting depth of plain data (no cycles: aliasCycle ruled them out), iteratively. */
function plainDepth(data: unknown): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: data, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const v of Object.values(value)) stack.push({ value: v, depth: depth + 1 });
  }
  return deepest;
}

function firstAliasOffset(src: SourceMap): number {
  const stack: unknown[] = [src.doc.contents];
  let first = Number.POSITIVE_INFINITY;
  while (stack.length > 0) {
    const n = stack.pop();
    if (isPair(n)) stack.push(n.key, n.value);
    else if (isAlias(n)) first = Math.min(first, n.range?.[0] ?? first);
    else if (isMap(n) || isSeq(n)) for (const item of n.items as unknown[]) stack.push(item);
  }
  return Number.isFinite(first) ? first : 0;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
