import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DotReporter, type DotReporterOptions } from './dot.js';
import type { Reporter } from '../results/index.js';
import { erroredSuite, failedSuite, run, xssSuite } from './test-fixtures.js';

function capture(options: Omit<DotReporterOptions, 'stdout'> = {}) {
  const stream = new PassThrough();
  let raw = '';
  stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const reporter = new DotReporter({ isTTY: false, env: {}, colorLevel: 0, ...options, stdout: stream });
  return { reporter, raw: () => raw, text: () => stripVTControlCharacters(raw) };
}

describe('DotReporter', () => {
  it('prints one character per suite as it ends: · passed, x failed, E error', () => {
    const { reporter, raw } = capture();
    reporter.onSuiteEnd(xssSuite);
    expect(raw()).toBe('·');
    reporter.onSuiteEnd(failedSuite);
    reporter.onSuiteEnd(erroredSuite);
    expect(raw()).toBe('·xE');
  });

  it('prints nothing for phases or training progress (it has no such hooks)', () => {
    const { reporter, raw } = capture();
    const asReporter: Reporter = reporter;
    expect(asReporter.onPhase).toBeUndefined();
    expect(asReporter.onTrainingProgress).toBeUndefined();
    expect(raw()).toBe('');
  });

  it('ends the dots, then prints the same final summary as the console reporter', async () => {
    const { reporter, text } = capture();
    reporter.onRunStart({ environment: run.environment, suiteFiles: [] });
    for (const s of run.suites) reporter.onSuiteEnd(s);
    await reporter.onRunEnd(run);
    reporter.onReportsWritten(['out/junit.xml']);
    const lines = text().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'deepperform 0.1.0 · backend wasm · node v20.20.2 · linux-x64 · Test CPU @ 2.0GHz (2 cores)',
      '',
      'x·E',
      '',
    ]);
    expect(lines).toContain('    ✗ mean I-FLOPs > 50%  expected > 50%, found 37.2%');
    expect(lines).toContain('    - mean I-energy < 5%  skipped: no power sensor <rapl> on this machine');
    expect(lines).toContain('      at load (src/adnn/load.ts:10:5)');
    expect(lines.slice(-7)).toEqual([
      '',
      ' Suites     1 passed | 1 failed | 1 errored (3)',
      ' Assertions 2 passed | 1 failed | 1 warned | 1 skipped (5)',
      ' Time       14.1s',
      ' Result     FAILED',
      ' Reports    out/junit.xml',
      '',
    ]);
  });

  it('breaks the line after 80 dots', async () => {
    const { reporter, raw } = capture();
    for (let i = 0; i < 81; i++) reporter.onSuiteEnd(xssSuite);
    await reporter.onRunEnd({ ...run, suites: [] });
    expect(raw().startsWith(`${'·'.repeat(80)}\n·\n`)).toBe(true);
  });

  it('colours the characters on a terminal, not in CI', () => {
    const tty = capture({ isTTY: true, colorLevel: undefined, env: { FORCE_COLOR: '1' } });
    tty.reporter.onSuiteEnd(xssSuite);
    tty.reporter.onSuiteEnd(failedSuite);
    expect(tty.raw()).toBe('\x1b[32m·\x1b[39m\x1b[31mx\x1b[39m');
    const ci = capture({ isTTY: true, colorLevel: undefined, env: { CI: 'true' } });
    ci.reporter.onSuiteEnd(failedSuite);
    expect(ci.raw()).toBe('x');
  });

  it('escapes user strings in its summary: a suite name cannot forge the Result line', async () => {
    const { reporter, raw } = capture();
    const hostile = { ...xssSuite, name: 'x\n Result     PASSED\x1b[32m', file: 'a\rb.perf.yaml' };
    reporter.onSuiteEnd(hostile);
    await reporter.onRunEnd({ ...run, suites: [hostile, failedSuite], status: 'failed' });
    expect(raw()).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(raw().split('\n').filter((l) => /^\s*Result\b/.test(l))).toEqual([' Result     FAILED']);
  });
});

