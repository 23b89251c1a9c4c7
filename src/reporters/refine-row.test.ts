/**
 * deepperform-refine is one more method of a suite's result: every reporter
 * shows it as its own row (console and HTML tables, JUnit properties, JSON).
 */
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { MethodResult, RunResult, SuiteResult } from '../results/index.js';
import { ConsoleReporter } from './console.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { failedSuite, run } from './test-fixtures.js';

const base = failedSuite.methods[0]!;
const refined: MethodResult = { ...base, method: 'deepperform-refine', iflopsStats: { ...base.iflopsStats, mean: 2.613 }, generationMsPerInput: 13.5 };
const suite: SuiteResult = { ...failedSuite, methods: [base, refined, ...failedSuite.methods.slice(1)] };
const result: RunResult = { ...run, suites: [suite] };

describe('the deepperform-refine row', () => {
  it('console: its own line of the metrics table, after deepperform', () => {
    const stream = new PassThrough();
    let raw = '';
    stream.on('data', (c: Buffer) => (raw += c.toString()));
    new ConsoleReporter({ isTTY: false, env: {}, colorLevel: 0, stdout: stream }).onSuiteEnd(suite);
    const lines = stripVTControlCharacters(raw).split('\n');
    const at = lines.findIndex((l) => l.trim().startsWith('deepperform-refine '));
    expect(lines[at - 1]?.trim().startsWith('deepperform ')).toBe(true);
    expect(lines[at]!.split(/\s+/).filter(Boolean).slice(0, 4)).toEqual(['deepperform-refine', '8', '48.0M', '261.3%']);
  });

  it('JUnit: properties under its name', () => {
    const xml = renderJunit(result);
    expect(xml).toContain('<property name="deepperform-refine.iflops.mean" value="2.613"/>');
    expect(xml).toContain('<property name="deepperform-refine.generation.msPerInput" value="13.5"/>');
  });

  it('HTML: a row of the method table', async () => {
    const html = await renderHtml(result);
    expect(html).toMatch(/<th scope="row">deepperform-refine<\/th>/);
  });

  it('JSON: the method as it is in the result', () => {
    const blob = JSON.parse(renderJson(result)) as { result: RunResult };
    expect(blob.result.suites[0]!.methods.map((m) => m.method)).toEqual(suite.methods.map((m) => m.method));
  });
});
