/**
 * Reads a *.perf.yaml suite: YAML with positions, schema validation, the
 * assertion grammar, then normalisation into a resolved Suite. Every problem
 * is collected and thrown together as one SuiteError.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import {
  AssertionSyntaxError,
  KNOWN_METHODS,
  OPS,
  SAVED,
  parseAssertion,
  parseStructuredAssertion,
  readsSaved,
  type Assertion,
  type ParseOptions,
  type StructuredSpec,
} from '../assert/index.js';
import { UsageError } from '../util/errors.js';
import { SuiteError, type SuiteProblem } from './errors.js';
import { locate, locateInString, type Segment, type SourceMap } from './locate.js';
import { DEFAULT_METHOD, REFINE_METHOD, type MetricNeed } from '../results/index.js';
import type { DetectorSpec, LrScheduleSpec, RetrainSpec, SuiteFile, TrainSpec } from './suite.types.js';
import { DEFAULT_MODULE_TIMEOUT_SECONDS, PRESET_EPOCHS, PRESET_WIDTH, type BaselineName, type BaselineSpec, type ModelSource, type NormName, type ResolvedLrSchedule, type ResolvedTrain, type Suite } from './types.js';
import { validateSuiteData, type RawProblem } from './validate.js';
import { decodeUtf8, sizeProblem, structureProblems, syntaxMessage, toPlainData } from './yaml-guard.js';

export async function loadSuite(file: string): Promise<Suite> {
  const abs = resolve(file);
  let bytes: Buffer;
  try {
    // The size is checked before reading: a suite path could name a huge file or a device.
    const info = await stat(abs);
    if (!info.isFile()) throw new UsageError(`suite file ${file} is not a regular file`);
    const tooBig = sizeProblem(info.size);
    if (tooBig !== undefined) throw new SuiteError(abs, [tooBig]);
    bytes = await readFile(abs);
  } catch (e) {
    if (e instanceof SuiteError || e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `suite file not found: ${file}` : `cannot read suite file ${file}: ${String(e)}`,
    );
  }
  const decoded = decodeUtf8(bytes);
  if ('problem' in decoded) throw new SuiteError(abs, [decoded.problem]);
  return parseSuite(decoded.text, abs);
}

/** Parses suite text; `file` is where it came from (relative paths resolve against its folder). */
export function parseSuite(text: string, file: string): Suite {
  const abs = resolve(file);
  // Characters, not bytes, here; at most 4 bytes each, so this bound holds for any text loadSuite let through.
  const tooBig = sizeProblem(text.length);
  if (tooBig !== undefined) throw new SuiteError(abs, [tooBig]);
  const lineCounter = new LineCounter();
  // Duplicate keys are found by structureProblems, in linear time.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const src: SourceMap = { doc, lineCounter, text };
  checkDocument(src, abs);
  const plain = toPlainData(src);
  if ('problem' in plain) throw new SuiteError(abs, [plain.problem], text);
  const data = plain.data as Record<string, unknown>;
  const raw = validateSuiteData(data);
  const problems = raw.map((p) => place(src, p));
  const epsilon = resolveEpsilon(data.epsilon, src, problems);
  const assertions = parseAssertions(data, src, problems);
  if (problems.length > 0) throw new SuiteError(abs, sortProblems(dedupe(problems)), text);
  return normalise(data as unknown as SuiteFile, abs, epsilon, assertions);
}

/** YAML syntax errors, an empty file or a root that is not a map: nothing further can be checked. */
function checkDocument(src: SourceMap, file: string): void {
  const { doc } = src;
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => syntaxProblem(src, e.code, e.message, e.pos[0]));
    throw new SuiteError(file, sortProblems(problems), src.text);
  }
  const structure = structureProblems(src);
  if (structure.length > 0) throw new SuiteError(file, sortProblems(structure), src.text);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    const message = 'the file is empty: a suite needs at least name, model, data, norm and epsilon';
    throw new SuiteError(file, [{ line: 1, column: 1, path: '', message }], src.text);
  }
  if (!isMap(doc.contents)) {
    const found = isSeq(doc.contents) ? 'a list' : 'a single value';
    const message = `a suite must be a map of keys (name:, model:, ...), found ${found}`;
    throw new SuiteError(file, [{ ...locate(src, [], 'value'), path: '', message }], src.text);
  }
}

function syntaxProblem(src: SourceMap, code: string, message: string, offset: number): SuiteProblem {
  const { line, col } = src.lineCounter.linePos(offset);
  const plain: Record<string, string> = {
    MULTIPLE_DOCS: 'a suite file holds one YAML document; found a second one (---)',
  };
  const limit = syntaxMessage(code, message);
  if (limit !== undefined) return { line, column: col, path: '', message: limit };
  // The parser's message may carry its own excerpt of the line; the code frame shows it already.
  return { line, column: col, path: '', message: `YAML syntax: ${plain[code] ?? message.split('\n')[0]}` };
}

function place(src: SourceMap, p: RawProblem): SuiteProblem {
  return { ...locate(src, p.path, p.part), path: formatPath(p.path), message: p.message };
}

export function formatPath(path: readonly Segment[]): string {
  // A key is shown whole up to 60 characters: a hostile 100 KB key must not flood the message.
  const key = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? key(s) : `.${key(s)}`)).join('');
}

const FRACTION = /^\s*([^/]+?)\s*(?:\/\s*([^/]+?)\s*)?$/;

/** "8/255" -> 0.0313...; numbers pass through. Problems with the form itself are the schema's to report. */
function resolveEpsilon(value: unknown, src: SourceMap, problems: SuiteProblem[]): number {
  const report = (message: string): number => {
    problems.push({ ...locate(src, ['epsilon'], 'value'), path: 'epsilon', message });
    return Number.NaN;
  };
  // Non-finite numbers (.inf, .nan) fail the schema's number type already.
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  const m = FRACTION.exec(value);
  if (m === null) return Number.NaN;
  const num = Number(m[1]);
  const den = m[2] === undefined ? 1 : Number(m[2]);
  if (Number.isNaN(num) || Number.isNaN(den)) return Number.NaN;
  if (den === 0) return report(`"${value}" divides by zero`);
  const eps = num / den;
  if (!(eps > 0) || !Number.isFinite(eps)) return report(`must be > 0, got "${value}" = ${eps}`);
  return eps;
}

function parseAssertions(data: Record<string, unknown>, src: SourceMap, problems: SuiteProblem[]): Assertion[] {
  const items = Array.isArray(data.assertions) ? (data.assertions as unknown[]) : [];
  const baselines = Array.isArray(data.baselines) ? (data.baselines as unknown[]).flatMap(baselineNameOf) : [];
  const generator = data.generator as Record<string, unknown> | undefined;
  const refined = generator?.refine !== undefined ? [REFINE_METHOD] : [];
  const methods = [DEFAULT_METHOD, ...refined, ...baselines];
  const off = settingsOff(data);
  const out: Assertion[] = [];
  items.forEach((item, i) => {
    try {
      const a = parseItem(item, { methods, off });
      if (a !== undefined) out.push(a);
    } catch (e) {
      if (!(e instanceof AssertionSyntaxError)) throw e;
      const path: Segment[] = ['assertions', i, ...fieldOf(item, e.part)];
      problems.push({ ...locateInString(src, path, e.index), path: formatPath(path), message: e.message });
    }
  });
  return out;
}

/**
 * The settings this suite turns off that metrics need, each with how to turn
 * it on (the schema has filled in the defaults: latency and energy on, no
 * mitigation sections).
 */
function settingsOff(data: Record<string, unknown>): Partial<Record<MetricNeed, string>> {
  const section = (v: unknown): Record<string, unknown> | undefined =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const measure = section(data.measure);
  const mitigation = section(data.mitigation);
  const off: Partial<Record<MetricNeed, string>> = {};
  for (const key of ['latency', 'energy'] as const) {
    if (measure?.[key] === false) off[`measure.${key}`] = `measure.${key} is false (set it to true, or drop the assertion)`;
  }
  for (const key of ['detector', 'retrain'] as const) {
    if (mitigation?.[key] === undefined) off[`mitigation.${key}`] = `it has no mitigation.${key} section (add one; \`${key}: {}\` takes every default)`;
  }
  return off;
}

/** One list item in any of its three forms; undefined when its shape is wrong (the schema reports that). */
function parseItem(item: unknown, options: ParseOptions): Assertion | undefined {
  if (typeof item === 'string') return parseAssertion(item, options);
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  const level = o.level === 'warn' || o.level === 'error' ? o.level : 'error';
  if (typeof o.assert === 'string') return parseAssertion(o.assert, { ...options, level });
  const spec = structuredSpec(o);
  return spec === undefined ? undefined : parseStructuredAssertion(spec, { ...options, level });
}

/** The map form's fields when the schema found them well-formed, else undefined (the schema reports why). */
function structuredSpec(o: Record<string, unknown>): StructuredSpec | undefined {
  const numberOrString = (v: unknown): v is number | string => typeof v === 'number' || typeof v === 'string';
  if (typeof o.metric !== 'string' || !(OPS as readonly unknown[]).includes(o.op)) return undefined;
  const spec: StructuredSpec = { metric: o.metric, op: o.op as string };
  if (o.against === undefined) {
    if (!numberOrString(o.value) || o.factor !== undefined || o.offset !== undefined) return undefined;
    spec.value = o.value;
    return spec;
  }
  // An unknown name is the schema's enum error (with its suggestion); one message is enough.
  if (typeof o.against !== 'string' || ![...KNOWN_METHODS, SAVED].includes(o.against) || o.value !== undefined) return undefined;
  if (o.factor !== undefined && !(typeof o.factor === 'number' && o.factor > 0)) return undefined;
  if (o.offset !== undefined && !numberOrString(o.offset)) return undefined;
  spec.against = o.against;
  if (o.factor !== undefined) spec.factor = o.factor;
  if (o.offset !== undefined) spec.offset = o.offset;
  return spec;
}

function fieldOf(item: unknown, part: AssertionSyntaxError['part']): Segment[] {
  if (typeof item === 'string') return [];
  if (part === 'expression') return ['assert'];
  return [part];
}

const NORMS: Readonly<Record<string, NormName>> = { linf: 'linf', inf: 'linf', l2: 'l2', '2': 'l2' };

function normalise(f: SuiteFile, file: string, epsilon: number, assertions: Assertion[]): Suite {
  const dir = dirname(file);
  // The schema filled in every default, so these are all present.
  const data = f.data as Required<SuiteFile['data']>;
  const suite: Suite = {
    file,
    name: f.name,
    model: modelSource(f.model, dir),
    data: { dataset: data.dataset, split: data.split, seeds: data.seeds, trainSplit: data.trainSplit },
    norm: NORMS[String(f.norm)],
    epsilon,
    threshold: f.threshold as number,
    seed: f.seed as number,
    generator: resolveGenerator(f, dir),
    measure: f.measure as Suite['measure'],
    baselines: (f.baselines ?? []).map(baselineSpec),
    assertions,
  };
  if (f.mitigation !== undefined) suite.mitigation = resolveMitigation(f.mitigation, dir);
  if (f.saved !== undefined || readsSaved(assertions)) suite.saved = savedPath(file, f.saved);
  if (f.data.path !== undefined) suite.data.path = resolve(dir, f.data.path);
  if (f.data.labels !== undefined) suite.data.labels = f.data.labels;
  return suite;
}

function modelSource(m: SuiteFile['model'], dir: string): ModelSource {
  if (m.module) {
    return {
      source: 'module',
      module: resolve(dir, m.module),
      exportName: m.export ?? 'default',
      options: m.options ?? {},
      timeoutSeconds: m.timeout ?? DEFAULT_MODULE_TIMEOUT_SECONDS,
    };
  }
  if (m.onnx) {
    // The schema made sure kind is there, with exits or blocks as it requires.
    const source: ModelSource = { source: 'onnx', onnx: resolve(dir, m.onnx), kind: m.kind!, input: { layout: m.input?.layout ?? 'NCHW' } };
    if (m.exits) source.exits = m.exits;
    if (m.blocks) source.blocks = m.blocks.map((b) => ({ ...b }));
    if (m.logits) source.logits = m.logits;
    if (m.input?.normalize) Object.assign(source.input, { mean: m.input.normalize.mean, std: m.input.normalize.std });
    return source;
  }
  return { source: 'zoo', arch: m.arch as string, weights: resolve(dir, m.weights as string) };
}

/** The `saved:` file, or by default the suite's name with .perf.yaml (or .yml, .yaml) replaced by .perf.baseline.json. */
function savedPath(file: string, given: string | undefined): string {
  if (given !== undefined) return resolve(dirname(file), given);
  return `${file.replace(/(\.perf)?\.ya?ml$/i, '')}.perf.baseline.json`;
}

/** The name of a baseline item in either form (`ilfo` or `ilfo: {...}`); none when malformed. */
function baselineNameOf(item: unknown): string[] {
  if (typeof item === 'string') return [item];
  return item !== null && typeof item === 'object' ? Object.keys(item).slice(0, 1) : [];
}

function baselineSpec(item: NonNullable<SuiteFile['baselines']>[number]): BaselineSpec {
  if (typeof item === 'string') return { name: item, options: {} };
  const [name, options] = Object.entries(item)[0] as [BaselineName, Record<string, unknown> | undefined];
  return { name, options: options ?? {} };
}

/** The schema filled in each present section's defaults; `out` paths become absolute. */
function resolveMitigation(m: NonNullable<SuiteFile['mitigation']>, dir: string): NonNullable<Suite['mitigation']> {
  const out: NonNullable<Suite['mitigation']> = {};
  if (m.detector) out.detector = { ...(m.detector as Required<DetectorSpec>), out: m.detector.out === undefined ? undefined : resolve(dir, m.detector.out) };
  if (m.retrain) out.retrain = { ...(m.retrain as Required<RetrainSpec>), out: m.retrain.out === undefined ? undefined : resolve(dir, m.retrain.out) };
  return out;
}

function resolveGenerator(f: SuiteFile, dir: string): Suite['generator'] {
  // The schema filled in every default but width and epochs (from the
  // preset) and the schedule's patience (from the training's).
  const preset = f.generator?.preset ?? 'full';
  const train = f.generator?.train as TrainSpec & { patience: number };
  const resolved = {
    ...train,
    width: train.width ?? PRESET_WIDTH[preset],
    epochs: train.epochs ?? PRESET_EPOCHS[preset],
    lrSchedule: resolveSchedule(train.lrSchedule as Required<Omit<LrScheduleSpec, 'patience'>> & LrScheduleSpec, train.patience),
  } as ResolvedTrain;
  const out: Suite['generator'] = { preset, train: resolved };
  if (f.generator?.load !== undefined) out.load = resolve(dir, f.generator.load);
  const refine = f.generator?.refine;
  if (refine !== undefined) out.refine = typeof refine === 'number' ? { steps: refine } : { ...refine };
  return out;
}

function resolveSchedule(s: Required<Omit<LrScheduleSpec, 'patience'>> & LrScheduleSpec, patience: number): ResolvedLrSchedule {
  if (s.type === 'constant') return { type: 'constant' };
  return { type: 'plateau', factor: s.factor, patience: s.patience ?? Math.max(1, Math.floor(patience / 2)), minLearningRate: s.minLearningRate };
}

/** Deepest key path first, then in file order. */
function sortProblems(problems: SuiteProblem[]): SuiteProblem[] {
  const depth = (p: SuiteProblem): number => (p.path === '' ? 0 : p.path.split(/\.|\[/).length);
  return [...problems].sort((a, b) => depth(b) - depth(a) || a.line - b.line || a.column - b.column);
}

function dedupe(problems: SuiteProblem[]): SuiteProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.line}:${p.column}:${p.path}:${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
