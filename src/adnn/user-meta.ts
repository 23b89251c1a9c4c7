/**
 * The check of a user module's `meta` at load (user-contract.ts says what
 * each field must be). Every problem is listed, each naming its field; the
 * result is a plain copy, so nothing the module does later changes it.
 */
import type { AdnnKind, AdnnMeta } from './contract.js';

/** Values per input image above which a batch of two would not fit in memory comfortably (4096 x 4096 x 1). */
export const MAX_INPUT_VALUES = 2 ** 24;

export function metaOf(raw: unknown): { meta?: AdnnMeta; problems: string[] } {
  if (raw === null || typeof raw !== 'object') return { problems: [`meta is missing (it must be an object, got ${raw === null ? 'null' : typeof raw})`] };
  const m = raw as Record<string, unknown>;
  const problems: string[] = [];
  const name = nonEmptyString(m.name, 'meta.name', problems);
  const arch = m.arch === undefined ? name : nonEmptyString(m.arch, 'meta.arch (optional)', problems);
  if (m.kind !== 'skipping' && m.kind !== 'early-exit') problems.push(`meta.kind must be "skipping" or "early-exit", got ${shown(m.kind)}`);
  const input = inputOf(m.input, problems);
  if (!Number.isInteger(m.numClasses) || (m.numClasses as number) < 1) problems.push(`meta.numClasses must be a positive integer, got ${shown(m.numClasses)}`);
  if (!isFlops(m.baseFlops)) problems.push(`meta.baseFlops must be a finite number >= 0, got ${shown(m.baseFlops)}`);
  const blocks = blocksOf(m.blocks, problems);
  const exitFlops = exitFlopsOf(m.exitFlops, problems);
  if (problems.length > 0) return { problems };
  const meta: AdnnMeta = {
    name: name!,
    arch: arch!,
    kind: m.kind as AdnnKind,
    input: input!,
    numClasses: m.numClasses as number,
    baseFlops: m.baseFlops as number,
    blocks: blocks!,
  };
  if (exitFlops) meta.exitFlops = exitFlops;
  return { meta, problems };
}

function nonEmptyString(v: unknown, field: string, problems: string[]): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v;
  problems.push(`${field} must be a non-empty string, got ${shown(v)}`);
  return undefined;
}

function inputOf(v: unknown, problems: string[]): AdnnMeta['input'] | undefined {
  const i = (v ?? {}) as Record<string, unknown>;
  const dims = [i.height, i.width, i.channels];
  const range = i.range;
  const okDims = dims.every((d) => Number.isInteger(d) && (d as number) > 0);
  const okRange = Array.isArray(range) && range.length === 2 && range.every((r) => Number.isFinite(r)) && (range[0] as number) < (range[1] as number);
  if (typeof v !== 'object' || v === null || !okDims || !okRange) {
    problems.push(`meta.input must be { height, width, channels (positive integers), range: [low, high] (finite, low < high) }, got ${shown(v)}`);
    return undefined;
  }
  const values = (dims as number[]).reduce((a, b) => a * b, 1);
  if (values > MAX_INPUT_VALUES) {
    problems.push(`meta.input is ${dims.join('x')} = ${values} values per image; at most ${MAX_INPUT_VALUES} are supported`);
    return undefined;
  }
  const [height, width, channels] = dims as number[];
  return { height: height!, width: width!, channels: channels!, range: [range[0] as number, range[1] as number] };
}

function blocksOf(v: unknown, problems: string[]): AdnnMeta['blocks'] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(`meta.blocks must be a non-empty list of { name, flops }, got ${shown(v)}`);
    return undefined;
  }
  const bad = v.findIndex((b) => typeof (b as { name?: unknown })?.name !== 'string' || !isFlops((b as { flops?: unknown })?.flops));
  if (bad >= 0) {
    problems.push(`meta.blocks[${bad}] needs a name (string) and flops (a finite number >= 0), got ${shown(v[bad])}`);
    return undefined;
  }
  return v.map((b: { name: string; flops: number }) => ({ name: b.name, flops: b.flops }));
}

function exitFlopsOf(v: unknown, problems: string[]): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every(isFlops)) {
    problems.push(`meta.exitFlops (optional) must be a list of finite numbers >= 0, got ${shown(v)}`);
    return undefined;
  }
  return [...(v as number[])];
}

/** A FLOPs count as the contract allows it: a finite number >= 0 (meta and run() alike). */
export function isFlops(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** A value as a message shows it: JSON, cut short; NaN and Infinity by name. */
function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
