import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JunitReporter, renderJunit, splitTime, suiteProperties } from './junit.js';
import { failedSuite, HOSTILE_FILE, HOSTILE_NAME_XML, run, worstCaseSuite, XSS_ASSERTION, XSS_SUITE } from './test-fixtures.js';

type Attrs = Record<string, string>;
interface ParsedCase {
  '@_name': string;
  '@_classname': string;
  '@_file': string;
  failure?: { '@_type': string; '@_message': string; '#text': string };
  error?: { '@_type': string; '@_message': string; '#text': string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
/** fast-xml-parser puts a node's attributes and its children on one object. */
type ParsedSuite = Attrs & { testcase?: ParsedCase[]; properties: { property: Attrs[] } };

function parse(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    htmlEntities: true,
    trimValues: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as {
    testsuites: Attrs & {
      testsuite: ParsedSuite[];
    };
  };
}

const xml = renderJunit(run);

describe('renderJunit', () => {
  it('is well-formed XML without characters XML 1.0 forbids', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  });

  it('counts tests, failures, errors and skipped on the root', () => {
    const root = parse(xml).testsuites;
    // 4 + 1 assertions, plus one crash testcase for the errored suite.
    expect(root['@_tests']).toBe('6');
    // Only the error-level failure; the warn-level one passes.
    expect(root['@_failures']).toBe('1');
    expect(root['@_errors']).toBe('1');
    expect(root['@_skipped']).toBe('1');
    expect(root['@_name']).toBe('deepperform');
    expect(root['@_time']).toBe('14.096');
    expect(root['@_timestamp']).toBe('2025-03-04T05:06:07');
  });

  it('counts per testsuite and keeps names, file and time', () => {
    const [a, b, c] = parse(xml).testsuites.testsuite;
    expect([a!['@_tests'], a!['@_failures'], a!['@_errors'], a!['@_skipped']]).toEqual(['4', '1', '0', '1']);
    expect([b!['@_tests'], b!['@_failures'], b!['@_errors'], b!['@_skipped']]).toEqual(['1', '0', '0', '0']);
    expect([c!['@_tests'], c!['@_failures'], c!['@_errors'], c!['@_skipped']]).toEqual(['1', '0', '1', '0']);
    expect(a!['@_name']).toBe(HOSTILE_NAME_XML);
    expect(a!['@_file']).toBe(HOSTILE_FILE);
    expect(a!['@_time']).toBe('12.346');
    expect(b!['@_name']).toBe(XSS_SUITE);
    expect(b!['@_time']).toBe('1.5');
    expect(c!['@_time']).toBe('0.25');
  });

  it("splits the suite's time evenly over its testcases, in whole ms adding up to it", () => {
    const [a, b, c] = parse(xml).testsuites.testsuite;
    // 12.346 s over 4 testcases: 12346 ms = 4 x 3086 + 2, the 2 ms to the first two.
    expect(a!.testcase!.map((t) => t['@_time'])).toEqual(['3.087', '3.087', '3.086', '3.086']);
    expect(b!.testcase!.map((t) => t['@_time'])).toEqual(['1.5']);
    expect(c!.testcase!.map((t) => t['@_time'])).toEqual(['0.25']);
    expect(splitTime(10, 3)).toEqual([4, 3, 3]);
    expect(splitTime(2, 3)).toEqual([1, 1, 0]);
    expect(splitTime(Number.NaN, 2)).toEqual([0, 0]);
    expect(splitTime(5, 0)).toEqual([]);
  });

  it('names each testcase "<suite> > <assertion>" with the file as classname', () => {
    const [a, b] = parse(xml).testsuites.testsuite;
    const names = a!.testcase!.map((t) => t['@_name']);
    expect(names).toEqual([
      `${HOSTILE_NAME_XML} > max I-FLOPs < 99%`,
      `${HOSTILE_NAME_XML} > mean I-FLOPs > 50%`,
      `${HOSTILE_NAME_XML} > mean I-energy < 5%`,
      `${HOSTILE_NAME_XML} > block coverage > 0.9`,
    ]);
    expect(a!.testcase!.every((t) => t['@_classname'] === HOSTILE_FILE && t['@_file'] === HOSTILE_FILE)).toBe(true);
    expect(b!.testcase![0]!['@_name']).toBe(`${XSS_SUITE} > ${XSS_ASSERTION}`);
  });

  it('reports a failure with expected and found, a skip with its reason, a warning as output', () => {
    const cases = parse(xml).testsuites.testsuite[0]!.testcase!;
    expect(cases[0]!.failure).toBeUndefined();
    expect(cases[1]!.failure!['@_type']).toBe('AssertionFailed');
    expect(cases[1]!.failure!['@_message']).toBe('mean I-FLOPs: expected > 50%, found 37.2%');
    expect(cases[1]!.failure!['#text']).toBe(
      'expected: > 50%\nfound: 37.2%\nmean I-FLOPs of "deepperform" was 37.2% & not > 50%',
    );
    expect(cases[2]!.skipped!['@_message']).toBe('no power sensor <rapl> on this machine');
    expect(cases[3]!.failure).toBeUndefined();
    expect(cases[3]!['system-out']).toBe(
      'warning: block coverage > 0.9: expected > 0.9, found 0.85 (coverage below target)',
    );
  });

  it('turns a crashed suite into one error testcase carrying the stack', () => {
    const c = parse(xml).testsuites.testsuite[2]!;
    expect(c.testcase).toHaveLength(1);
    const err = c.testcase![0]!.error!;
    expect(err['@_type']).toBe('Crash');
    expect(err['@_message']).toBe('Cannot read weights <w.bin> & retry');
    expect(err['#text']).toContain('\n    at load (src/adnn/load.ts:10:5)');
  });

  it('lists environment and metrics as properties', () => {
    const props = parse(xml).testsuites.testsuite[0]!.properties.property;
    const map = new Map(props.map((p) => [p['@_name'], p['@_value']]));
    expect(map.get('backend')).toBe('wasm');
    expect(map.get('tool.version')).toBe('0.1.0');
    expect(map.get('deepperform.iflops.mean')).toBe('0.372');
    expect(map.get('deepperform.iflops.max')).toBe('0.95');
    expect(map.get('deepperform.coverage')).toBe('1');
    expect(map.get('random.iflops.mean')).toBe('0.01');
    expect(map.get('seeds.flops.mean')).toBe('35000000');
    expect(map.get('training.steps')).toBe('500');
  });

  it('writes the metric properties under the names CI dashboards know, for every metric measured', () => {
    const s = structuredClone(run.suites[0]!);
    const stats = { mean: 1, max: 2, min: 0, p50: 1, p95: 2 };
    Object.assign(s.seeds!, { fullDepthRate: 0.5, latencyStats: stats, energyStats: stats });
    Object.assign(s.methods[0]!, { fullDepthRate: 0.5, ilatencyStats: stats, ienergyStats: stats });
    s.correlation = { r: 0.9, n: 8 };
    const names = suiteProperties(s, run).map(([name]) => name);
    // deepperform.seeds (a seed subset) is a fact of the row, not a metric.
    const dp = ['seeds', 'iflops.mean', 'iflops.max', 'iflops.p50', 'iflops.p95', 'flops.mean', 'flops.max', 'coverage', 'fullDepthRate', 'success.rate', 'success.count', 'accuracy', 'perturbation.l2.mean', 'perturbation.linf.mean', 'generation.msPerInput', 'ilatency.mean', 'ilatency.max', 'ienergy.mean'];
    const seeds = ['flops.mean', 'flops.max', 'coverage', 'fullDepthRate', 'accuracy', 'latency.p50Ms', 'energy.meanJ'];
    expect(names.filter((n) => n.startsWith('deepperform.')).sort()).toEqual(dp.map((n) => `deepperform.${n}`).sort());
    expect(names.filter((n) => n.startsWith('seeds.')).sort()).toEqual(seeds.map((n) => `seeds.${n}`).sort());
    expect(names).toContain('flopsLatency.r');
  });

  it('gives the training record as generator.* properties, and the training line and warnings as the suite system-out', () => {
    const suite = parse(xml).testsuites.testsuite[0]!;
    const map = new Map(suite.properties.property.map((p) => [p['@_name'], p['@_value']]));
    expect(map.get('generator.converged')).toBe('false');
    expect(map.get('generator.stopReason')).toBe('budget-steps');
    expect(map.get('generator.epochs')).toBe('50');
    expect(map.get('generator.best.iflops')).toBe('0.35');
    expect(map.get('generator.best.step')).toBe('300');
    expect(map.get('generator.last.iflops')).toBe('0.345');
    expect(map.get('generator.validation.inputs')).toBe('1000');
    expect(xml).toContain(
      '<system-out>generator: trained in this run, 50 epochs (500 steps, 1m 05s), stopped at the step budget (not converged); ' +
        'validation I-FLOPs (1000 inputs) best 35.0% ± 2.0% at step 300 (epoch 30), last 34.5% ± 2.0% at step 500 (epoch 50); learning rate 1e-3 -&gt; 1e-4\n' +
        'warning: the generator did not converge: training stopped at its step budget &lt;500&gt; &amp; more</system-out>\n  </testsuite>',
    );
  });

  it('says when a loaded generator has no training record', () => {
    const { record: _none, ...bare } = failedSuite.training!;
    const out = renderJunit({ ...run, suites: [{ ...failedSuite, warnings: undefined, training: { ...bare, loaded: true, source: 'cache' } }] });
    const props = new Map(parse(out).testsuites.testsuite[0]!.properties.property.map((p) => [p['@_name'], p['@_value']]));
    expect(props.get('generator.record')).toBe('unavailable');
    expect(props.has('generator.converged')).toBe(false);
    expect(out).toContain('<system-out>generator: loaded from the cache; training record not available</system-out>');
  });
});

describe('renderJunit: the worst case, the full-depth rate and subsets', () => {
  it('writes worst-case like a method, with the seeds each method supplied', () => {
    const out = renderJunit({ ...run, suites: [worstCaseSuite] });
    const props = parse(out).testsuites.testsuite[0]!.properties.property;
    const map = new Map(props.map((p) => [p['@_name'], p['@_value']]));
    expect(map.get('worst-case.iflops.mean')).toBe('1.625');
    expect(map.get('worst-case.iflops.p50')).toBe('1.85');
    expect(map.get('worst-case.fullDepthRate')).toBe('0.75');
    expect(map.get('worst-case.from.deepperform')).toBe('2');
    expect(map.get('worst-case.from.ilfo')).toBe('2');
    expect(map.get('ilfo.seeds')).toBe('2');
    expect(map.get('ilfo.fullDepthRate')).toBe('1');
    expect(map.get('seeds.fullDepthRate')).toBe('0');
    expect(map.has('deepperform.from.ilfo')).toBe(false);
  });
});

describe('renderJunit: numbers that were not measured', () => {
  it('leaves NaN properties out instead of writing "NaN"', () => {
    const cached = {
      ...failedSuite,
      training: { ...failedSuite.training!, loaded: true, bestValidationIflops: Number.NaN },
      correlation: { r: Number.NaN, n: 1, reason: 'one seed' },
    };
    const out = renderJunit({ ...run, suites: [cached] });
    const props = parse(out).testsuites.testsuite[0]!.properties.property.map((p) => p['@_name']);
    expect(props).toContain('training.loaded');
    expect(props).not.toContain('training.bestValidationIflops');
    expect(props).not.toContain('flopsLatency.r');
    expect(out).not.toContain('NaN');
  });
});

describe('JunitReporter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dp-junit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes <outputDir>/junit.xml (creating the directory) and leaves no temp file', async () => {
    const out = join(dir, 'nested', 'reports');
    const paths = await new JunitReporter({ outputDir: out }).onRunEnd(run);
    expect(paths).toEqual([join(out, 'junit.xml')]);
    expect(await readFile(paths[0]!, 'utf8')).toBe(xml);
    expect(await readdir(out)).toEqual(['junit.xml']);
  });
});
