import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { colorLevelFor, ConsoleReporter, type ConsoleReporterOptions } from './console.js';
import { erroredSuite, failedSuite, HOSTILE_NAME, run } from './test-fixtures.js';

function capture(options: Omit<ConsoleReporterOptions, 'stdout'> = {}) {
  const stream = new PassThrough();
  let raw = '';
  stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const reporter = new ConsoleReporter({ isTTY: false, env: {}, colorLevel: 0, ...options, stdout: stream });
  return { reporter, raw: () => raw, text: () => stripVTControlCharacters(raw) };
}

const losses = { total: 0.375, perf: 0.125, gan: 0.25, pert: 0 };

describe('ConsoleReporter: run start, phases', () => {
  it('prints the environment line and a line per phase', () => {
    const { reporter, text } = capture();
    reporter.onRunStart({ environment: run.environment, suiteFiles: ['a.perf.yaml', 'b.perf.yaml'] });
    reporter.onSuiteStart({ file: 'suites/a.perf.yaml', name: 'suite A' });
    reporter.onPhase({ file: 'suites/a.perf.yaml', phase: 'loading model', detail: 'skipnet-tiny' });
    reporter.onPhase({ file: 'suites/a.perf.yaml', phase: 'generating' });
    expect(text()).toBe(
      [
        'deepperform 0.1.0 · backend wasm · node v20.20.2 · linux-x64 · Test CPU @ 2.0GHz (2 cores)',
        '2 suite files',
        '',
        '› suite A  suites/a.perf.yaml',
        '  · loading model  skipnet-tiny',
        '  · generating',
        '',
      ].join('\n'),
    );
  });
});

describe('ConsoleReporter: training progress', () => {
  it('off a TTY prints a plain line every 10% of steps', () => {
    const { reporter, raw } = capture({ isTTY: false });
    for (let step = 1; step <= 100; step++) {
      reporter.onTrainingProgress({ file: 'f', step, totalSteps: 100, losses, validationIflops: step === 100 ? 0.35 : undefined });
    }
    const lines = raw().split('\n').filter((l) => l.includes('training step'));
    // step 1 (0%), then 10, 20, ..., 100.
    expect(lines.map((l) => /step (\d+)\//.exec(l)![1])).toEqual(['1', '10', '20', '30', '40', '50', '60', '70', '80', '90', '100']);
    expect(raw()).not.toContain('\r');
    expect(lines.at(-1)).toBe(
      '  training step 100/100 (100%)  loss 0.3750  perf 0.1250  gan 0.2500  pert 0.0000  val I-FLOPs 35.0%',
    );
  });

  it('with CI set, a TTY still gets plain lines', () => {
    const { reporter, raw } = capture({ isTTY: true, env: { CI: 'true' } });
    for (let step = 1; step <= 20; step++) reporter.onTrainingProgress({ file: 'f', step, totalSteps: 20, losses });
    expect(raw()).not.toContain('\r');
    expect(raw().split('\n').filter((l) => l.includes('training step'))).toHaveLength(11);
  });

  it('on a TTY redraws one line, throttled, and ends it at the last step', () => {
    let clock = 0;
    const { reporter, raw } = capture({ isTTY: true, now: () => clock });
    reporter.onTrainingProgress({ file: 'f', step: 1, totalSteps: 4, losses });
    clock = 50; // too soon: not drawn
    reporter.onTrainingProgress({ file: 'f', step: 2, totalSteps: 4, losses });
    clock = 200;
    reporter.onTrainingProgress({ file: 'f', step: 3, totalSteps: 4, losses });
    clock = 210; // last step: always drawn, then a newline
    reporter.onTrainingProgress({ file: 'f', step: 4, totalSteps: 4, losses, validationIflops: 0.5 });
    const frames = raw().split('\r\x1b[K').filter((f) => f.length > 0);
    expect(frames.map((f) => /step (\d)/.exec(f)![1])).toEqual(['1', '3', '4']);
    expect(raw().endsWith('val I-FLOPs 50.0%\n')).toBe(true);
    expect(raw().split('\n')).toHaveLength(2);
  });

  it('on a TTY clears an open progress line before printing another line', () => {
    const { reporter, raw } = capture({ isTTY: true, now: () => 0 });
    reporter.onTrainingProgress({ file: 'f', step: 1, totalSteps: 10, losses });
    reporter.onPhase({ file: 'f', phase: 'generating' });
    expect(raw()).toMatch(/step 1\/10[^\n]*\r\x1b\[K  · generating\n$/);
  });
});

describe('ConsoleReporter: suite end', () => {
  const { reporter, text } = capture();
  reporter.onSuiteEnd(failedSuite);
  reporter.onSuiteEnd(erroredSuite);
  const lines = text().split('\n');
  const lineWith = (s: string) => lines.find((l) => l.includes(s)) ?? '';

  it('names the suite and its file', () => {
    expect(lines[0]).toBe(`✗ ${HOSTILE_NAME}  suites/skip "net"/a&b <c>.perf.yaml  (12.3s)`);
  });

  it('prints a metrics row per input set', () => {
    expect(lineWith('mean FLOPs')).toMatch(/set\s+mean FLOPs\s+mean I-FLOPs\s+max I-FLOPs\s+success\s+coverage\s+accuracy\s+mean L2\s+mean Linf\s+gen\/input/);
    expect(lineWith('seeds ').split(/\s+/).filter(Boolean)).toEqual(['seeds', '35.0M', '—', '—', '—', '50.0%', '90.0%', '—', '—', '—']);
    expect(lineWith('deepperform ').split(/\s+/).filter(Boolean)).toEqual([
      'deepperform', '48.0M', '37.2%', '95.0%', '87.5%', '100.0%', '50.0%', '1.25', '0.0314', '0.42', 'ms',
    ]);
    expect(lineWith('random ').split(/\s+/).filter(Boolean)).toEqual([
      'random', '35.3M', '1.0%', '5.0%', '12.5%', '50.0%', '87.5%', '1.70', '0.0314', '0.01', 'ms',
    ]);
  });

  it('marks each assertion with expected and found', () => {
    expect(lineWith('max I-FLOPs < 99%')).toBe('    ✓ max I-FLOPs < 99%  expected < 99%, found 95.0%');
    expect(lineWith('mean I-FLOPs > 50%')).toBe('    ✗ mean I-FLOPs > 50%  expected > 50%, found 37.2%');
    expect(lineWith('was 37.2%')).toBe('      mean I-FLOPs of "deepperform" was 37.2% & not > 50%');
    expect(lineWith('I-energy')).toBe('    ↓ mean I-energy < 5%  skipped: no power sensor <rapl> on this machine');
    expect(lineWith('block coverage')).toBe('    ! block coverage > 0.9  expected > 0.9, found 0.85  (warning)');
  });

  it('shows a crash with its message and stack frames', () => {
    expect(lineWith('broken suite')).toBe('✗ ERROR broken suite  suites/broken.perf.yaml  (250ms)');
    expect(lineWith('Cannot read weights')).toBe('    Cannot read weights <w.bin> & \u0007retry');
    expect(lineWith('at load')).toBe('      at load (src/adnn/load.ts:10:5)');
  });
});

describe('ConsoleReporter: colours', () => {
  it('paints ✓ green and ✗ red when colour is on', () => {
    const { reporter, raw } = capture({ colorLevel: 1 });
    reporter.onSuiteEnd(failedSuite);
    expect(raw()).toContain('\x1b[32m✓\x1b[39m');
    expect(raw()).toContain('\x1b[31m✗\x1b[39m');
    expect(raw()).toContain('\x1b[33m!\x1b[39m');
  });

  it('NO_COLOR turns colour off unless FORCE_COLOR is set', () => {
    expect(colorLevelFor({ NO_COLOR: '1' })).toBe(0);
    const { reporter, raw } = capture({ colorLevel: undefined, env: { NO_COLOR: '1' } });
    reporter.onSuiteEnd(failedSuite);
    expect(raw()).not.toContain('\x1b[');
  });
});

describe('ConsoleReporter: run end', () => {
  it('prints totals and time, and returns no paths', async () => {
    const { reporter, text } = capture();
    expect(await reporter.onRunEnd(run)).toEqual([]);
    reporter.onReportsWritten(['out/junit.xml', 'out/index.html']);
    expect(text()).toBe(
      [
        '',
        ' Suites     1 passed | 1 failed | 1 errored (3)',
        ' Assertions 2 passed | 1 failed | 1 warned | 1 skipped (5)',
        ' Time       14.1s',
        ' Result     FAILED',
        ' Reports    out/junit.xml, out/index.html',
        '',
      ].join('\n'),
    );
  });
});
