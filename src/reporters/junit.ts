/**
 * JUnit XML for CI systems: one <testsuite> per suite file, one <testcase>
 * per assertion (docs/design.md §6). The XML is written by hand through
 * escape.ts, which makes any string safe, rather than through a builder
 * that might throw on control characters in a user's suite name.
 *
 * Mapping (docs/reporters.md): a missed error-level assertion is a
 * <failure>; a missed warn-level one passes, with a <system-out> note, since
 * it does not fail the run and CI should not turn red for it; an unmeasurable
 * metric is <skipped>; a crashed suite is one testcase with <error>.
 * Characters XML 1.0 cannot carry (C0 controls but tab, LF, CR; lone
 * surrogates; U+FFFE/U+FFFF) are dropped; no CDATA is written, and `>` is
 * escaped everywhere, so `]]>` never appears.
 */
import { join } from 'node:path';
import {
  REPORTED_METRICS,
  pickAggregate,
  readMetric,
  type Aggregate,
  type AssertionResult,
  type MethodResult,
  type MetricDef,
  type Reporter,
  type RunResult,
  type SuiteResult,
} from '../results/index.js';
import { DASH } from './format.js';
import { xmlAttr, xmlText } from './escape.js';
import { mitigationProperties } from './mitigation.js';
import { isFailure, isWarning } from './summary.js';
import { trainingLine } from './training.js';
import { writeReport } from './write-report.js';

export interface JunitReporterOptions {
  outputDir: string;
  /** Defaults to `<outputDir>/junit.xml`. */
  outputFile?: string;
}

export class JunitReporter implements Reporter {
  readonly outputFile: string;

  constructor(options: JunitReporterOptions) {
    this.outputFile = options.outputFile ?? join(options.outputDir, 'junit.xml');
  }

  async onRunEnd(result: RunResult): Promise<string[]> {
    await writeReport('junit', this.outputFile, renderJunit(result));
    return [this.outputFile];
  }
}

// ---- a minimal element tree and its serialiser ----

type AttrValue = string | number | undefined;

interface XmlElement {
  name: string;
  attrs: [string, AttrValue][];
  children: XmlElement[];
  /** Text content; written without added whitespace (stack traces keep their lines). */
  text?: string;
}

function el(name: string, attrs: [string, AttrValue][], children: XmlElement[] = [], text?: string): XmlElement {
  return { name, attrs, children, text };
}

function serialise(node: XmlElement, depth: number): string {
  const pad = '  '.repeat(depth);
  const attrs = node.attrs
    .filter((a): a is [string, string | number] => a[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
  if (node.text !== undefined) return `${pad}<${node.name}${attrs}>${xmlText(node.text)}</${node.name}>`;
  if (node.children.length === 0) return `${pad}<${node.name}${attrs}/>`;
  const inner = node.children.map((c) => serialise(c, depth + 1)).join('\n');
  return `${pad}<${node.name}${attrs}>\n${inner}\n${pad}</${node.name}>`;
}

// ---- JUnit mapping ----

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export function renderJunit(run: RunResult): string {
  const totals: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = run.suites.map((s) => {
    const { element, counts } = suiteElement(s, run);
    totals.tests += counts.tests;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    totals.skipped += counts.skipped;
    return element;
  });
  const root = el(
    'testsuites',
    [
      ['name', 'deepperform'],
      ['tests', totals.tests],
      ['failures', totals.failures],
      ['errors', totals.errors],
      ['skipped', totals.skipped],
      ['time', seconds(run.durationMs)],
      ['timestamp', junitTimestamp(run.startedAt)],
    ],
    suites,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialise(root, 0)}\n`;
}

function suiteElement(s: SuiteResult, run: RunResult): { element: XmlElement; counts: Counts } {
  const shares = splitTime(s.durationMs, s.status === 'error' ? 1 : s.assertions.length);
  const cases = s.status === 'error' ? [crashCase(s)] : s.assertions.map((a, i) => assertionCase(s, a, shares[i] ?? 0));
  const counts: Counts = {
    tests: cases.length,
    failures: s.status === 'error' ? 0 : s.assertions.filter(isFailure).length,
    errors: s.status === 'error' ? 1 : 0,
    skipped: s.status === 'error' ? 0 : s.assertions.filter((a) => a.status === 'skipped').length,
  };
  const element = el(
    'testsuite',
    [
      ['name', s.name],
      ['tests', counts.tests],
      ['failures', counts.failures],
      ['errors', counts.errors],
      ['skipped', counts.skipped],
      ['time', seconds(s.durationMs)],
      ['timestamp', junitTimestamp(run.startedAt)],
      ['file', s.file],
    ],
    [propertiesElement(s, run), ...cases, ...suiteOutput(s)],
  );
  return { element, counts };
}

/**
 * The suite's <system-out>: how the generator was trained and the suite's
 * warnings (e.g. training that ended at its budget), which pass in CI but
 * must stay visible.
 */
function suiteOutput(s: SuiteResult): XmlElement[] {
  const lines = [trainingLine(s), ...(s.warnings ?? []).map((w) => `warning: ${w.message}`)].filter((l): l is string => l !== undefined);
  return lines.length === 0 ? [] : [el('system-out', [], [], lines.join('\n'))];
}

/**
 * The suite's time split evenly over its n testcases, in whole milliseconds
 * that add up to the suite's (rounded) time. Every assertion reads the same
 * measurements (the seeds, the methods, the worst case are shared), so no
 * share is more truly one assertion's than another's; an even split keeps
 * the sum that CI dashboards show equal to the suite's real time.
 */
export function splitTime(durationMs: number, n: number): number[] {
  if (n <= 0) return [];
  const total = Number.isFinite(durationMs) && durationMs > 0 ? Math.round(durationMs) : 0;
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

function assertionCase(s: SuiteResult, a: AssertionResult, ms: number): XmlElement {
  const found = a.actual ?? DASH;
  const children: XmlElement[] = [];
  if (a.status === 'skipped') {
    children.push(el('skipped', [['message', a.message ?? 'skipped']]));
  } else if (isFailure(a)) {
    const message = `${a.metric}: expected ${a.expected}, found ${found}`;
    const body = [`expected: ${a.expected}`, `found: ${found}`, ...(a.message ? [a.message] : [])].join('\n');
    children.push(el('failure', [['type', 'AssertionFailed'], ['message', message]], [], body));
  } else if (isWarning(a)) {
    const why = a.message ? ` (${a.message})` : '';
    children.push(el('system-out', [], [], `warning: ${a.source}: expected ${a.expected}, found ${found}${why}`));
  }
  return el(
    'testcase',
    [['name', `${s.name} > ${a.source}`], ['classname', s.file], ['file', s.file], ['time', seconds(ms)]],
    children,
  );
}

function crashCase(s: SuiteResult): XmlElement {
  const message = s.error?.message ?? 'the suite crashed without a message';
  const error = el('error', [['type', 'Crash'], ['message', message]], [], s.error?.stack ?? message);
  return el(
    'testcase',
    [['name', `${s.name} > (suite crashed)`], ['classname', s.file], ['file', s.file], ['time', seconds(s.durationMs)]],
    [error],
  );
}

// ---- properties: environment, configuration, measured metrics ----

/** A number that was not measured (NaN, e.g. training figures of a cached generator) is left out, not written as "NaN". */
function propertiesElement(s: SuiteResult, run: RunResult): XmlElement {
  const props = suiteProperties(s, run).filter(([, value]) => typeof value !== 'number' || Number.isFinite(value));
  return el(
    'properties',
    [],
    props.map(([name, value]) => el('property', [['name', name], ['value', String(value)]])),
  );
}

export function suiteProperties(s: SuiteResult, run: RunResult): [string, string | number | boolean][] {
  const e = run.environment;
  const c = s.config;
  const props: [string, string | number | boolean][] = [
    ['tool.version', e.toolVersion],
    ['backend', e.backend],
    ['node', e.node],
    ['platform', e.platform],
    ['cpu', e.cpu],
    ['cpu.count', e.cpuCount],
    ['model.name', s.model.name],
    ['model.arch', s.model.arch],
    ['model.kind', s.model.kind],
    ['model.blocks', s.model.blocks.length],
    ['config.dataset', c.dataset],
    ['config.split', c.split],
    ['config.seeds', c.seeds],
    ['config.norm', c.norm],
    ['config.epsilon', c.epsilon],
    ['config.threshold', c.threshold],
    ['config.seed', c.seed],
  ];
  // The registry's properties: the seeds' under `seeds.`, the suite's without a prefix.
  if (s.seeds) props.push(...metricProperties(s, 'seeds', 'seeds.'));
  props.push(...metricProperties(s, 'suite', ''));
  for (const [what, why] of Object.entries(s.unmeasured ?? {})) if (why) props.push([`${what}.unmeasured`, why]);
  for (const { method, points } of s.sensitivity ?? []) {
    for (const pt of points) props.push([`${method}.sensitivity.tau${pt.tau}.iflops.max`, pt.iflops.max]);
  }
  for (const m of s.methods) props.push(...metricProperties(s, 'method', `${m.method}.`, m), ...methodFacts(m));
  props.push(...mitigationProperties(s));
  if (s.training) {
    const t = s.training;
    props.push(
      ['training.loaded', t.loaded],
      ['training.steps', t.steps],
      ['training.epochs', t.epochs],
      ['training.durationMs', t.durationMs],
      ['training.bestValidationIflops', t.bestValidationIflops],
      ...generatorProperties(t),
    );
  }
  return props;
}

/** The training record (this run's or the loaded generator's): converged, why it stopped, best and last. */
function generatorProperties(t: NonNullable<SuiteResult['training']>): [string, string | number | boolean][] {
  const r = t.record;
  if (!r) return [['generator.source', t.source], ['generator.record', 'unavailable']];
  return [
    ['generator.source', t.source],
    ['generator.converged', r.converged],
    ['generator.stopReason', r.stopReason],
    ['generator.steps', r.steps],
    ['generator.epochs', r.epochs],
    ['generator.validation.inputs', r.validationInputs],
    ['generator.best.iflops', r.best.iflops],
    ['generator.best.standardError', r.best.standardError],
    ['generator.best.step', r.best.step],
    ['generator.best.epoch', r.best.epoch],
    ['generator.last.iflops', r.last.iflops],
    ['generator.last.standardError', r.last.standardError],
    ['generator.last.step', r.last.step],
  ];
}

/**
 * The properties of the registry's metrics measured on `of` (results/metrics.ts
 * `property`), read from the seeds, the suite or `method`: a name per
 * aggregate of a per-input metric, one for a single number. A metric without
 * a value here (not measured, not in this result) writes none.
 */
function metricProperties(s: SuiteResult, of: MetricDef['of'], prefix: string, method?: MethodResult): [string, number][] {
  const props: [string, number][] = [];
  for (const def of REPORTED_METRICS) {
    if (def.of !== of || def.property === undefined) continue;
    const reading = readMetric(def, s, method);
    const names: [Aggregate | undefined, string][] = typeof def.property === 'string' ? [[undefined, def.property]] : (Object.entries(def.property) as [Aggregate, string][]);
    for (const [aggregate, name] of names) {
      const value = pickAggregate(def, reading, aggregate);
      if (typeof value === 'number') props.push([`${prefix}${name}`, value]);
    }
  }
  return props;
}

/** What a method's row holds besides metrics: its seeds when a subset, the worst case's sources, a cached time. */
function methodFacts(m: MethodResult): [string, number][] {
  const p = m.method;
  return [
    ...(m.seedCount !== undefined ? ([[`${p}.seeds`, m.seedCount]] as [string, number][]) : []),
    // worst-case: how many seeds' inputs each method supplied.
    ...(m.sources?.counts.map((c): [string, number] => [`${p}.from.${c.method}`, c.seeds]) ?? []),
    ...(m.generationCached ? ([[`${p}.generation.cached`, 1]] as [string, number][]) : []),
  ];
}

// ---- formats ----

/** Seconds with at most three decimals and no trailing zeros: 1234 ms -> "1.234", 1500 -> "1.5". */
export function seconds(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0';
  return String(Number((ms / 1000).toFixed(3)));
}

/** The JUnit schema's timestamp: ISO 8601 without fraction or zone (UTC here). */
export function junitTimestamp(iso: string): string | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 19);
}
