/**
 * Maps a key path in the parsed suite back to a line and column of the YAML
 * source, so every problem points at the exact key or value at fault.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLMap } from 'yaml';

export type Segment = string | number;

export interface Position {
  line: number;
  column: number;
}

export interface SourceMap {
  doc: Document;
  lineCounter: LineCounter;
  text: string;
}

/**
 * Position of the key (`part: 'key'`) or value at `path`. When the path does
 * not exist in full (a missing key), the deepest existing entry is used.
 */
export function locate(src: SourceMap, path: readonly Segment[], part: 'key' | 'value'): Position {
  let node: unknown = src.doc.contents;
  let offset = startOf(node) ?? 0;
  // A missing key is reported at the key of the map that lacks it.
  let parentKeyAt: number | undefined;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k];
    if (isMap(node)) {
      const pair = pairOf(node, seg);
      if (pair === undefined) return at(src, parentKeyAt ?? offset);
      const keyAt = startOf(pair.key) ?? offset;
      parentKeyAt = keyAt;
      if (k === path.length - 1 && part === 'key') return at(src, keyAt);
      node = pair.value;
      offset = startOf(node) ?? keyAt;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
      if (node === undefined) break;
      offset = startOf(node) ?? offset;
      parentKeyAt = offset;
    } else {
      break;
    }
  }
  return at(src, offset);
}

/**
 * Position of character `index` inside the string value at `path`, when the
 * source spells that value out verbatim (plain or quoted on one line, no
 * escapes); otherwise the start of the value.
 */
export function locateInString(src: SourceMap, path: readonly Segment[], index: number): Position {
  const node = nodeAt(src, path);
  const start = startOf(node);
  if (!isScalar(node) || typeof node.value !== 'string' || start === undefined) {
    return locate(src, path, 'value');
  }
  const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  const value = node.value;
  const verbatim = src.text.slice(start + quote, start + quote + value.length) === value;
  return at(src, verbatim ? start + quote + Math.min(index, value.length) : start);
}

function nodeAt(src: SourceMap, path: readonly Segment[]): unknown {
  let node: unknown = src.doc.contents;
  for (const seg of path) {
    if (isMap(node)) node = pairOf(node, seg)?.value;
    else if (isSeq(node)) node = node.items[Number(seg)];
    else return undefined;
  }
  return node;
}

type MapNode = YAMLMap<unknown, unknown>;
type PairNode = MapNode['items'][number];

/** Each map's pairs by key, built once: locating n problems in a map of n keys stays linear. */
const pairIndex = new WeakMap<MapNode, Map<string, PairNode>>();

function pairOf(node: MapNode, seg: Segment): PairNode | undefined {
  let index = pairIndex.get(node);
  if (index === undefined) {
    index = new Map();
    for (const p of node.items) {
      const key = keyText(p.key);
      if (!index.has(key)) index.set(key, p); // the first, as a reader of the file would find it
    }
    pairIndex.set(node, index);
  }
  return index.get(String(seg));
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Start offset of a node; an empty value (`train:` with nothing after it) has none worth pointing at. */
function startOf(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const range = (node as { range?: [number, number, number] }).range;
  if (range === undefined) return undefined;
  if (isScalar(node) && node.value === null && range[0] === range[1]) return undefined;
  return range[0];
}

function at(src: SourceMap, offset: number): Position {
  const { line, col } = src.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Line and column of the key or value at `path` in YAML or JSON text (JSON
 * is YAML), for problems in files other than the suite, such as its saved
 * result; 1:1 when the text does not parse.
 */
export function positionIn(text: string, path: readonly Segment[], part: 'key' | 'value'): Position {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) return { line: 1, column: 1 };
  return locate({ doc, lineCounter, text }, path, part);
}

/** Line and column of a character offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, offset)).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
