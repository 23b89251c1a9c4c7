/**
 * The JUnit report read by a real JUnit consumer, Debian's python3-junitparser
 * (the library CI tools and scripts use to merge and inspect JUnit XML), not
 * by our own code: counts must agree with what it recounts from the test
 * cases, and hostile names must come back as written, minus the characters
 * XML 1.0 cannot carry (which the reporter drops, docs/reporters.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JunitReporter } from '../../src/reporters/index.js';
import { erroredSuite, failedSuite, run, xssSuite } from '../../src/reporters/test-fixtures.js';
import type { RunResult, SuiteResult } from '../../src/results/index.js';

const PYTHON = '/usr/bin/python3';

/** Whether the consumer is installed; the reason is shown in the skipped test's name. */
function probeConsumer(): { ok: boolean; reason: string } {
  const r = spawnSync(PYTHON, ['-c', 'import junitparser'], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `${PYTHON} not found (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: 'python3-junitparser is not installed (apt-get install python3-junitparser)' };
  return { ok: true, reason: '' };
}

/** Reads the file with junitparser and prints what it understood, as JSON. */
const READER = `
import json, sys
from junitparser import JUnitXml

def counts(s):
    return {"tests": s.tests, "failures": s.failures, "errors": s.errors, "skipped": s.skipped, "time": s.time}

xml = JUnitXml.fromfile(sys.argv[1])
out = {"declared": counts(xml), "suites": []}
for suite in xml:
    declared = counts(suite)
    cases = [{
        "name": case.name,
        "classname": case.classname,
        "file": case._elem.get("file"),
        "time": case.time,
        "results": [{"kind": r._tag, "type": r.type, "message": r.message, "text": r.text} for r in case.result],
        "systemOut": case.system_out,
    } for case in suite]
    props = {p.name: p.value for p in suite.properties()}
    suite.update_statistics()
    out["suites"].append({"name": suite.name, "file": suite._elem.get("file"), "declared": declared,
                          "recounted": counts(suite), "cases": cases, "properties": props})
xml.update_statistics()
out["recounted"] = counts(xml)
print(json.dumps(out))
`;

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}
interface ReadCase {
  name: string;
  classname: string;
  file: string;
  time: number;
  results: { kind: string; type: string | null; message: string | null; text: string | null }[];
  systemOut: string | null;
}
interface ReadReport {
  declared: Counts;
  recounted: Counts;
  suites: { name: string; file: string; declared: Counts; recounted: Counts; cases: ReadCase[]; properties: Record<string, string> }[];
}

// Every kind of character XML 1.0 forbids that a string can hold: C0 controls
// other than tab/LF/CR, a lone surrogate of each half (not adjacent: a high
// then a low one would make a valid pair), U+FFFE and U+FFFF.
const FORBIDDEN = '\u0000\u0001\uDFFF\u0008\u000B\u000C\u001B\u001F\uD800\uFFFE\uFFFF';
const HOSTILE = `Q"uote's <tag a="1"> & &amp; ]]> ${FORBIDDEN}end\ttab\nline — 日本語 Übergröße 🚀 עברית`;
/** HOSTILE as the consumer reads it back: the forbidden characters gone, tab and newline kept. */
const HOSTILE_READ = `Q"uote's <tag a="1"> & &amp; ]]> end\ttab\nline — 日本語 Übergröße 🚀 עברית`;
const HOSTILE_FILE = `suites/"q" & <a>/]]>/ü${'\u0007'}.perf.yaml`;
const HOSTILE_FILE_READ = `suites/"q" & <a>/]]>/ü.perf.yaml`;

const hostileSuite: SuiteResult = {
  ...failedSuite,
  name: HOSTILE,
  file: HOSTILE_FILE,
  model: { ...failedSuite.model, name: `model ${HOSTILE}` },
  unmeasured: { energy: `sensor ${HOSTILE}` },
  assertions: failedSuite.assertions.map((a) => ({
    ...a,
    source: `${a.source} ${HOSTILE}`,
    message: a.message === undefined ? undefined : `${a.message} ${HOSTILE}`,
  })),
};
const crashedSuite: SuiteResult = {
  ...erroredSuite,
  name: `crash ]]> ${FORBIDDEN}`,
  error: { message: `boom ${HOSTILE}`, stack: `Error: boom\n    at x (<anonymous> "a&b" ]]>${FORBIDDEN}:1:1)` },
};
const emptySuite: SuiteResult = { ...xssSuite, name: 'no assertions', file: 'suites/empty.perf.yaml', assertions: [] };
const hostileRun: RunResult = { ...run, suites: [hostileSuite, xssSuite, crashedSuite, emptySuite] };

const consumer = probeConsumer();
const title = `JUnit XML read by python3-junitparser${consumer.ok ? '' : ` (skipped: ${consumer.reason})`}`;

describe.skipIf(!consumer.ok)(title, () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dp-junit-consumer-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function readBack(result: RunResult): Promise<ReadReport> {
    const [file] = await new JunitReporter({ outputDir: dir }).onRunEnd(result);
    const r = spawnSync(PYTHON, ['-c', READER, file!], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as ReadReport;
  }

  it('counts tests, failures, errors and skipped per testsuite and in total, as the consumer recounts them', async () => {
    const report = await readBack(hostileRun);
    // Hand count: 4 assertions (1 error-level failure, 1 skipped, 1 warn-level
    // miss that passes), 1 passing, a crash as one errored test, none.
    const expected = [
      { tests: 4, failures: 1, errors: 0, skipped: 1 },
      { tests: 1, failures: 0, errors: 0, skipped: 0 },
      { tests: 1, failures: 0, errors: 1, skipped: 0 },
      { tests: 0, failures: 0, errors: 0, skipped: 0 },
    ];
    const strip = ({ tests, failures, errors, skipped }: Counts) => ({ tests, failures, errors, skipped });
    expect(report.suites.map((s) => strip(s.declared))).toEqual(expected);
    expect(report.suites.map((s) => strip(s.recounted))).toEqual(expected);
    expect(strip(report.declared)).toEqual({ tests: 6, failures: 1, errors: 1, skipped: 1 });
    expect(strip(report.recounted)).toEqual({ tests: 6, failures: 1, errors: 1, skipped: 1 });
  });

  it('reads times in seconds with at most three decimals', async () => {
    const report = await readBack(hostileRun);
    expect(report.declared.time).toBe(14.096);
    expect(report.suites.map((s) => s.declared.time)).toEqual([12.346, 1.5, 0.25, 1.5]);
    expect(report.suites[2]!.cases[0]!.time).toBe(0.25);
  });

  it('gets hostile suite, file and assertion names back, minus the characters XML forbids', async () => {
    const [hostile] = (await readBack(hostileRun)).suites;
    expect(hostile!.name).toBe(HOSTILE_READ);
    expect(hostile!.file).toBe(HOSTILE_FILE_READ);
    expect(hostile!.cases.map((c) => c.name)).toEqual([
      `${HOSTILE_READ} > max I-FLOPs < 99% ${HOSTILE_READ}`,
      `${HOSTILE_READ} > mean I-FLOPs > 50% ${HOSTILE_READ}`,
      `${HOSTILE_READ} > mean I-energy < 5% ${HOSTILE_READ}`,
      `${HOSTILE_READ} > block coverage > 0.9 ${HOSTILE_READ}`,
    ]);
    expect(hostile!.cases.every((c) => c.classname === HOSTILE_FILE_READ && c.file === HOSTILE_FILE_READ)).toBe(true);
  });

  it('carries failure, skip, warning and crash details as written', async () => {
    const report = await readBack(hostileRun);
    const [passed, failed, skipped, warned] = report.suites[0]!.cases;
    expect(passed!.results).toEqual([]);
    expect(failed!.results).toEqual([
      {
        kind: 'failure',
        type: 'AssertionFailed',
        message: 'mean I-FLOPs: expected > 50%, found 37.2%',
        text: `expected: > 50%\nfound: 37.2%\nmean I-FLOPs of "deepperform" was 37.2% & not > 50% ${HOSTILE_READ}`,
      },
    ]);
    expect(skipped!.results).toEqual([
      { kind: 'skipped', type: null, message: `no power sensor <rapl> on this machine ${HOSTILE_READ}`, text: null },
    ]);
    expect(warned!.results).toEqual([]);
    expect(warned!.systemOut).toBe(
      `warning: block coverage > 0.9 ${HOSTILE_READ}: expected > 0.9, found 0.85 (coverage below target ${HOSTILE_READ})`,
    );
    const crash = report.suites[2]!;
    expect(crash.name).toBe('crash ]]> ');
    expect(crash.cases[0]!.name).toBe('crash ]]>  > (suite crashed)');
    expect(crash.cases[0]!.results).toEqual([
      {
        kind: 'error',
        type: 'Crash',
        message: `boom ${HOSTILE_READ}`,
        text: 'Error: boom\n    at x (<anonymous> "a&b" ]]>:1:1)',
      },
    ]);
  });

  it('lists metrics and environment as properties, hostile values intact', async () => {
    const { properties } = (await readBack(hostileRun)).suites[0]!;
    expect(properties['model.name']).toBe(`model ${HOSTILE_READ}`);
    expect(properties['energy.unmeasured']).toBe(`sensor ${HOSTILE_READ}`);
    expect(properties['deepperform.iflops.mean']).toBe('0.372');
    expect(properties['random.success.rate']).toBe('0.125');
    expect(properties['config.epsilon']).toBe(String(8 / 255));
  });
});
