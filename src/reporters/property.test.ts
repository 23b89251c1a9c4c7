/**
 * Every reporter survives every result: random and edge-case RunResults
 * (random-results.ts) through console (plain and live), dot, junit, html and
 * json. None may throw, and each output stays well-formed: the terminal gets
 * no control character but its own, and a single Result line; JUnit is XML
 * a parser accepts; the HTML validates; the JSON is a blob merge-reports
 * reads back. Seeded, so a failure names the seed that reproduces it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import type { Reporter, RunResult } from '../results/index.js';
import { ConsoleReporter } from './console.js';
import { DotReporter } from './dot.js';
import { renderHtml } from './html.js';
import { readReportBlob, renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { ResultGen } from './random-results.js';
import { tempDir } from '../../test/helpers/cli.js';

const CASES = 40;
const blobs = tempDir();
const runs: [number, RunResult][] = Array.from({ length: CASES }, (_, seed) => [seed, new ResultGen(seed).run()]);

/** Feeds a whole run to a terminal reporter as the runner would, returning what it wrote. */
async function drive(make: (out: PassThrough) => Reporter, run: RunResult): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const r = make(out);
  r.onRunStart?.({ environment: run.environment, suiteFiles: run.suites.map((s) => s.file) });
  for (const s of run.suites) {
    r.onSuiteStart?.({ file: s.file, name: s.name });
    r.onPhase?.({ file: s.file, phase: 'loading model', detail: s.model.name });
    r.onTrainingProgress?.({ file: s.file, step: 1, totalSteps: s.config.seeds, losses: { total: NaN, perf: Infinity, gan: -0, pert: 1e300 }, validationIflops: NaN });
    r.onPhase?.({ file: s.file, phase: s.name, detail: s.file });
    r.onPhaseProgress?.({ file: s.file, done: 1, total: s.config.seeds, unit: s.name });
    r.onSuiteEnd?.(s);
  }
  await r.onRunEnd?.(run);
  r.onReportsWritten?.([run.environment.cpu]);
  return text;
}

/**
 * The lines of a summary, without colour, that read as its Result line. A
 * crash's message is printed line by line, indented under its suite, so
 * only a line at the summary's own place counts; single-line fields (names,
 * files, assertion text) cannot produce any line at all.
 */
function resultLines(text: string): string[] {
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((l) => /^ ?Result\b/.test(l));
}

describe('every reporter survives every result (property test over generated results)', () => {
  it.each(runs)('console, plain and live: no raw control characters, one Result line (seed %i)', async (_seed, run) => {
    const plain = await drive((out) => new ConsoleReporter({ stdout: out, isTTY: false, env: {}, colorLevel: 0 }), run);
    expect(plain).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(resultLines(plain)).toEqual([` Result     ${run.status === 'passed' ? 'PASSED' : 'FAILED'}`]);
    const live = await drive((out) => new ConsoleReporter({ stdout: out, isTTY: true, env: {}, colorLevel: 1 }), run);
    // Only chalk's colours and the live line's own CR + erase-line remain.
    const withoutOwn = live.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r\x1b\[K/g, '');
    expect(withoutOwn).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(resultLines(live)).toHaveLength(1);
  });

  it.each(runs)('dot: no raw control characters, one Result line (seed %i)', async (_seed, run) => {
    const text = await drive((out) => new DotReporter({ stdout: out, isTTY: false, env: {}, colorLevel: 0 }), run);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(resultLines(text)).toHaveLength(1);
  });

  it.each(runs)('junit: well-formed XML with one testsuite per suite (seed %i)', (_seed, run) => {
    const xml = renderJunit(run);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' }).parse(xml) as { testsuites: { testsuite?: unknown[] } };
    expect(parsed.testsuites.testsuite ?? []).toHaveLength(run.suites.length);
    // A crashed suite is counted as an error, so CI never reads errors="0" for a crash.
    const errors = run.suites.filter((s) => s.status === 'error').length;
    expect(xml).toContain(`errors="${errors}"`);
  });

  it.each(runs)('json: a blob merge-reports reads back, with no NaN or Infinity written (seed %i)', async (seed, run) => {
    const text = renderJson(run);
    expect(text).not.toMatch(/\bNaN\b|Infinity/);
    const file = join(blobs, `${seed}.json`);
    await writeFile(file, text);
    const blob = await readReportBlob(file);
    expect(blob.result.suites.map((s) => s.status)).toEqual(run.suites.map((s) => s.status));
  });

  // As html.test.ts, and user strings may end a line in a space (a style rule, not validity).
  const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off', 'no-trailing-whitespace': 'off' } });
  // Vega renders every chart: the pages take a while, so every fourth run is enough to vary them.
  it.each(runs.filter(([seed]) => seed % 4 === 0))('html: renders and validates (seed %i)', async (_seed, run) => {
    const page = await renderHtml(run);
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    const report = await validator.validateString(page);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    expect(page).not.toMatch(/<script>alert|<img src=x/);
  });
});
