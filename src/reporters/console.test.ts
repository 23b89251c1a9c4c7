import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { colorLevelFor, ConsoleReporter, liveProgressText, progressBar, type ConsoleReporterOptions } from './console.js';
import { evaluateAssertion, parseAssertion } from '../assert/index.js';
import { shortReason } from './metrics.js';
import { erroredSuite, failedSuite, HOSTILE_NAME, run, worstCaseSuite, xssSuite } from './test-fixtures.js';

/** HOSTILE_NAME as the terminal shows it: its control character (U+0001) escaped. */
const SHOWN_NAME = HOSTILE_NAME.replace('\u0001', '\\x01');
import type { TrainingProgressInfo } from '../results/index.js';

/** A fake stdout; `columns` set makes it look like a terminal of that width. */
function capture(options: Omit<ConsoleReporterOptions, 'stdout'> = {}, columns?: number) {
  const stream = Object.assign(new PassThrough(), columns ? { columns } : {});
  let raw = '';
  stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  const reporter = new ConsoleReporter({ isTTY: false, env: {}, colorLevel: 0, ...options, stdout: stream });
  return { reporter, raw: () => raw, text: () => stripVTControlCharacters(raw) };
}

const losses = { total: 0.375, perf: 0.125, gan: 0.25, pert: 0 };
const FILE = 'suites/a.perf.yaml';

function progress(step: number, totalSteps: number, validationIflops?: number): TrainingProgressInfo {
  return { file: FILE, step, totalSteps, losses, validationIflops };
}

describe('ConsoleReporter: plain output (CI or a pipe)', () => {
  it('prints a suite warning as soon as it comes, and the training line and warnings when the suite ends', () => {
    const { reporter, text } = capture();
    reporter.onSuiteWarning({ file: FILE, warning: { kind: 'early-stopping-budget', message: 'early stopping cannot fire within the training budget' } });
    expect(text()).toBe('  ! early stopping cannot fire within the training budget\n');
    reporter.onSuiteEnd(failedSuite);
    const lines = text().split('\n');
    expect(lines).toContain(
      '    generator: trained in this run, 50 epochs (500 steps, 1m 05s), stopped at the step budget (not converged); ' +
        'validation I-FLOPs (1000 inputs) best 35.0% ± 2.0% at step 300 (epoch 30), last 34.5% ± 2.0% at step 500 (epoch 50); learning rate 1e-3 -> 1e-4',
    );
    expect(lines.at(-2)).toBe('    ! the generator did not converge: training stopped at its step budget <500> & more');
  });

  it('does not repeat at the suite end a warning it printed as it came', () => {
    const { reporter, text } = capture();
    const warning = failedSuite.warnings![0]!;
    reporter.onSuiteWarning({ file: failedSuite.file, warning });
    reporter.onSuiteEnd(failedSuite);
    expect(text().split(warning.message).length - 1).toBe(1);
  });

  it('shows the standard error of a validation and the learning rate when training reports them', () => {
    const { reporter, text } = capture();
    reporter.onPhase({ file: FILE, phase: 'training generator' });
    reporter.onTrainingProgress({ ...progress(1, 10, 0.35), validationStandardError: 0.0125, learningRate: 1e-4 });
    expect(text()).toContain('  training step 1/10 (10%)  loss 0.3750  perf 0.1250  gan 0.2500  pert 0.0000  lr 1e-4  val I-FLOPs 35.0% ± 1.3%\n');
  });

  it('prints the environment, then a line per suite start and phase', () => {
    const { reporter, text } = capture();
    reporter.onRunStart({ environment: run.environment, suiteFiles: ['a.perf.yaml', 'b.perf.yaml'] });
    reporter.onSuiteStart({ file: FILE, name: 'suite A' });
    reporter.onPhase({ file: FILE, phase: 'loading model', detail: 'skipnet-tiny' });
    reporter.onPhase({ file: FILE, phase: 'baseline', detail: 'ilfo' });
    reporter.onPhase({ file: FILE, phase: 'measuring' });
    expect(text()).toBe(
      [
        'deepperform 0.1.0 · backend wasm · node v20.20.2 · linux-x64 · Test CPU @ 2.0GHz (2 cores)',
        '2 suite files',
        '',
        '› suite A  suites/a.perf.yaml',
        '  · loading model  skipnet-tiny',
        '  · baseline  ilfo',
        '  · measuring',
        '',
      ].join('\n'),
    );
  });

  it('prints a failed fixed-bound assertion (error and warning) with expected and found once', async () => {
    const source = { value: () => 0.372 };
    const failed = evaluateAssertion(parseAssertion('max I-FLOPs < 30%'), source);
    const warned = evaluateAssertion(parseAssertion('max I-FLOPs < 20%', { level: 'warn' }), source);
    const { reporter, text } = capture();
    const suite = { ...failedSuite, assertions: [failed, warned] };
    reporter.onSuiteEnd(suite);
    await reporter.onRunEnd({ ...run, suites: [suite], status: 'failed' });
    const out = text();
    // One line each (the summary lists assertions), never a second line restating it.
    expect(out.split('found 37.2%').length - 1).toBe(2);
    expect(out).not.toMatch(/found 37\.2%.*\n\s*expected max I-FLOPs/);
  });

  it("says why energy was not measured in one short line; the probes' details stay in HTML and JSON", () => {
    const { reporter, text } = capture();
    const why = 'no power sensor can be read here (RAPL: no /sys/class/powercap; NVIDIA: nvidia-smi not found on PATH; INA3221: no hwmon)';
    reporter.onSuiteEnd({ ...failedSuite, unmeasured: { energy: why } });
    const lines = text().split('\n').filter((l) => l.includes('energy: not measured'));
    expect(lines).toEqual(['    energy: not measured (no power sensor can be read here; details in the HTML and JSON reports)']);
    expect(shortReason('measure.energy is off in this suite')).toBe('measure.energy is off in this suite');
  });

  it('prints each engine note once, under the environment line', () => {
    const { reporter, text } = capture();
    const notes = ['onnxruntime-node did not load (gone); running on tfjs-wasm alone: slower'];
    reporter.onRunStart({ environment: { ...run.environment, notes }, suiteFiles: ['a.perf.yaml'] });
    expect(text().split('\n').slice(1, 3)).toEqual([`note: ${notes[0]}`, '1 suite file']);
  });

  it('logs training every 10% of steps with ETA and the latest validation I-FLOPs', () => {
    let clock = 0;
    const { reporter, raw } = capture({ now: () => clock });
    reporter.onPhase({ file: FILE, phase: 'training generator' });
    for (let step = 1; step <= 100; step++) {
      clock = step * 1000; // one second per step
      reporter.onTrainingProgress(progress(step, 100, step === 20 ? 0.35 : undefined));
    }
    const lines = raw().split('\n').filter((l) => l.includes('training step'));
    expect(lines.map((l) => /step (\d+)\//.exec(l)![1])).toEqual(['1', '10', '20', '30', '40', '50', '60', '70', '80', '90', '100']);
    // No ETA before a second step was seen; at step 10, 9 s for 9 steps, 90 steps left.
    expect(lines[0]).toBe('  training step 1/100 (1%)  loss 0.3750  perf 0.1250  gan 0.2500  pert 0.0000');
    expect(lines[1]).toBe('  training step 10/100 (10%)  ETA 1m 30s  loss 0.3750  perf 0.1250  gan 0.2500  pert 0.0000');
    // Validation ran at step 20 only; later lines keep showing it.
    expect(lines[2]).toContain('ETA 1m 20s  loss 0.3750');
    expect(lines[2]!.endsWith('val I-FLOPs 35.0%')).toBe(true);
    expect(lines[5]!.endsWith('val I-FLOPs 35.0%')).toBe(true);
    expect(lines[10]).toBe('  training step 100/100 (100%)  loss 0.3750  perf 0.1250  gan 0.2500  pert 0.0000  val I-FLOPs 35.0%');
  });

  it('logs the step where training stopped early when the next phase begins', () => {
    const { reporter, raw } = capture();
    reporter.onPhase({ file: FILE, phase: 'training generator' });
    for (let step = 1; step <= 37; step++) reporter.onTrainingProgress(progress(step, 100, step === 37 ? 0.125 : undefined));
    reporter.onPhase({ file: FILE, phase: 'generating' });
    const lines = raw().split('\n');
    expect(lines.at(-3)).toBe('  training step 37/100 (37%)  loss 0.3750  perf 0.1250  gan 0.2500  pert 0.0000  val I-FLOPs 12.5%');
    expect(lines.at(-2)).toBe('  · generating');
  });

  it("logs a baseline's steps at each new quarter, naming the baseline", () => {
    const { reporter, raw } = capture();
    reporter.onPhase({ file: FILE, phase: 'baseline', detail: 'ilfo (first 50 of 100 seeds)' });
    for (let done = 1; done <= 600; done++) reporter.onPhaseProgress({ file: FILE, done, total: 600, unit: 'steps' });
    // Another file's progress (a stale event) is not this phase's.
    reporter.onPhaseProgress({ file: 'other.perf.yaml', done: 1, total: 2, unit: 'steps' });
    expect(raw().split('\n').slice(1, -1)).toEqual([
      '    baseline ilfo 150/600 steps (25%)',
      '    baseline ilfo 300/600 steps (50%)',
      '    baseline ilfo 450/600 steps (75%)',
      '    baseline ilfo 600/600 steps (100%)',
    ]);
  });

  it('names the method in refining progress too', () => {
    const { reporter, raw } = capture();
    reporter.onPhase({ file: FILE, phase: 'refining', detail: 'deepperform-refine, 15 steps' });
    reporter.onPhaseProgress({ file: FILE, done: 15, total: 15, unit: 'steps' });
    expect(raw().split('\n').slice(1, -1)).toEqual(['    refining deepperform-refine 15/15 steps (100%)']);
  });

  it('writes no escape codes and no carriage returns, even on a terminal when CI is set', () => {
    for (const opts of [{ isTTY: false, env: {} }, { isTTY: true, env: { CI: 'true' } }]) {
      const { reporter, raw } = capture({ ...opts, colorLevel: undefined });
      reporter.onSuiteStart({ file: FILE, name: 'suite A' });
      reporter.onPhase({ file: FILE, phase: 'training generator' });
      for (let step = 1; step <= 20; step++) reporter.onTrainingProgress(progress(step, 20));
      reporter.onSuiteEnd(failedSuite);
      void reporter.onRunEnd(run);
      expect(raw()).not.toMatch(/[\r\x1b]/);
      expect(raw().split('\n').filter((l) => l.includes('training step'))).toHaveLength(11);
    }
  });

  it('FORCE_COLOR brings colour back to plain output', () => {
    const { reporter, raw } = capture({ colorLevel: undefined, env: { FORCE_COLOR: '1' } });
    reporter.onSuiteEnd(failedSuite);
    expect(raw()).toContain('\x1b[31m✗\x1b[39m');
    expect(colorLevelFor({ FORCE_COLOR: '3' }, false)).toBe(3);
    expect(colorLevelFor({ FORCE_COLOR: '0', CI: '1' }, true)).toBe(0);
    expect(colorLevelFor({ FORCE_COLOR: '', NO_COLOR: '1' }, false)).toBe(1);
  });
});

describe('ConsoleReporter: live output (a terminal)', () => {
  const CLEAR = '\r\x1b[K';

  it('redraws the current phase in place and keeps it with its time when the next begins', () => {
    let clock = 0;
    const { reporter, raw } = capture({ isTTY: true, now: () => clock });
    reporter.onSuiteStart({ file: FILE, name: 'suite A' });
    reporter.onPhase({ file: FILE, phase: 'loading model', detail: 'skipnet-tiny' });
    clock = 1500;
    reporter.onPhase({ file: FILE, phase: 'baseline', detail: 'ilfo' });
    clock = 64_000;
    reporter.onPhase({ file: FILE, phase: 'measuring' });
    expect(raw()).toBe(
      [
        '\n› suite A  suites/a.perf.yaml\n',
        `${CLEAR}  ◦ loading model  skipnet-tiny`,
        `${CLEAR}  ✓ loading model  skipnet-tiny  (1.5s)\n`,
        `${CLEAR}  ◦ baseline  ilfo`,
        `${CLEAR}  ✓ baseline  ilfo  (1m 03s)\n`,
        `${CLEAR}  ◦ measuring`,
      ].join(''),
    );
  });

  it("redraws a baseline's steps in place, throttled, and keeps the count with its time", () => {
    let clock = 0;
    const { reporter, raw } = capture({ isTTY: true, now: () => clock });
    reporter.onPhase({ file: FILE, phase: 'baseline', detail: 'ilfo' });
    clock = 2000;
    reporter.onPhaseProgress({ file: FILE, done: 100, total: 400, unit: 'steps' });
    clock = 2050; // within 100 ms of the last draw: skipped
    reporter.onPhaseProgress({ file: FILE, done: 101, total: 400, unit: 'steps' });
    clock = 8000;
    reporter.onPhaseProgress({ file: FILE, done: 400, total: 400, unit: 'steps' });
    reporter.onPhase({ file: FILE, phase: 'measuring' });
    const frames = raw().split(CLEAR).filter((f) => f.length > 0);
    expect(frames).toEqual([
      '  ◦ baseline  ilfo',
      // 2 s for 100 steps, 300 left: 6 s. 100/400 fills 5 of the 20 cells.
      '  ◦ baseline  ilfo  █████░░░░░░░░░░░░░░░ 25% 100/400 steps  ETA 6s',
      '  ◦ baseline  ilfo  ████████████████████ 100% 400/400 steps',
      '  ✓ baseline  ilfo  400/400 steps  (8.0s)\n',
      '  ◦ measuring',
    ]);
  });

  it('draws training as a bar with percentage, steps, ETA and validation I-FLOPs, throttled', () => {
    let clock = 0;
    const { reporter, raw } = capture({ isTTY: true, now: () => clock });
    reporter.onPhase({ file: FILE, phase: 'training generator' });
    clock = 1000;
    reporter.onTrainingProgress(progress(1, 20, 0.2));
    clock = 1050; // within 100 ms of the last draw: skipped
    reporter.onTrainingProgress(progress(2, 20));
    clock = 5000;
    reporter.onTrainingProgress(progress(5, 20));
    clock = 9000;
    reporter.onPhase({ file: FILE, phase: 'generating' });
    const frames = raw().split(CLEAR).filter((f) => f.length > 0);
    expect(frames).toEqual([
      '  ◦ training generator',
      // 1/20 fills round(0.05 * 20) = 1 of the 20 cells.
      '  ◦ training █░░░░░░░░░░░░░░░░░░░ 5% 1/20  val I-FLOPs 20.0%  loss 0.3750',
      // 4 s for 4 steps since step 1, 15 steps left: 15 s. 5/20 fills 5 of 20 cells.
      '  ◦ training █████░░░░░░░░░░░░░░░ 25% 5/20  ETA 15s  val I-FLOPs 20.0%  loss 0.3750',
      '  ✓ training generator  5/20 steps  val I-FLOPs 20.0%  (9.0s)\n',
      '  ◦ generating',
    ]);
  });

  it('cuts the live line to the terminal width so it never wraps', () => {
    const { reporter, raw } = capture({ isTTY: true, now: () => 0 }, 20);
    reporter.onPhase({ file: FILE, phase: 'loading model', detail: 'a very long model path/with/many/parts' });
    expect(raw()).toBe(`${CLEAR}  ◦ loading model …`);
    expect(Array.from(raw().slice(CLEAR.length))).toHaveLength(19);
  });

  it('marks the phase a suite crashed in with ✗', () => {
    const { reporter, text } = capture({ isTTY: true, now: () => 0 });
    reporter.onPhase({ file: erroredSuite.file, phase: 'loading model' });
    reporter.onSuiteEnd(erroredSuite);
    expect(text()).toContain('  ✗ loading model  (0ms)\n✗ ERROR broken suite');
  });

  it('colours on a terminal: ✓ green, ✗ red, ! yellow', async () => {
    const { reporter, raw } = capture({ isTTY: true, colorLevel: 1 });
    await reporter.onRunEnd(run);
    expect(raw()).toContain('\x1b[32m✓\x1b[39m');
    expect(raw()).toContain('\x1b[31m✗\x1b[39m');
    expect(raw()).toContain('\x1b[33m!\x1b[39m');
  });

  it('NO_COLOR turns colour off on a terminal', () => {
    const { reporter, raw } = capture({ isTTY: true, colorLevel: undefined, env: { NO_COLOR: '1' } });
    reporter.onSuiteEnd(failedSuite);
    expect(raw()).not.toContain('\x1b[');
  });
});

describe('liveProgressText / progressBar', () => {
  it('fills the bar in proportion and clamps it', () => {
    expect(progressBar(0.5)).toBe(`${'█'.repeat(10)}${'░'.repeat(10)}`);
    expect(progressBar(1.7)).toBe('█'.repeat(20));
  });

  it('without a known total shows the step alone', () => {
    expect(liveProgressText(progress(42, 0), undefined, undefined)).toBe('training step 42  loss 0.3750');
  });
});

describe('ConsoleReporter: suite end', () => {
  const { reporter, text } = capture();
  reporter.onSuiteEnd(failedSuite);
  reporter.onSuiteEnd(erroredSuite);
  const lines = text().split('\n');
  const lineWith = (s: string) => lines.find((l) => l.includes(s)) ?? '';

  it('names the suite, its file and time', () => {
    expect(lines[0]).toBe(`✗ ${SHOWN_NAME}  suites/skip "net"/a&b <c>.perf.yaml  (12.3s)`);
  });

  it('prints a metrics row per input set', () => {
    expect(lineWith('mean FLOPs')).toMatch(
      /set\s+n\s+mean FLOPs\s+mean I-FLOPs\s+p50 I-FLOPs\s+max I-FLOPs\s+full-depth\s+success\s+coverage\s+accuracy\s+mean L2\s+mean Linf\s+gen\/input/,
    );
    // The fixture's seeds carry 2 FLOPs values: n counts what was measured.
    expect(lineWith('seeds ').split(/\s+/).filter(Boolean)).toEqual(['seeds', '2', '35.0M', '—', '—', '—', '12.5%', '—', '50.0%', '90.0%', '—', '—', '—']);
    expect(lineWith('deepperform ').split(/\s+/).filter(Boolean)).toEqual([
      'deepperform', '8', '48.0M', '37.2%', '30.0%', '95.0%', '25.0%', '87.5%', '100.0%', '50.0%', '1.25', '0.0314', '0.42', 'ms',
    ]);
  });

  it('leaves the assertions to the final summary', () => {
    expect(text()).not.toContain('expected > 50%');
  });

  it('shows a crash by its message; the stack waits for the summary', () => {
    expect(lineWith('broken suite')).toBe('✗ ERROR broken suite  suites/broken.perf.yaml  (250ms)');
    expect(lineWith('Cannot read weights')).toBe('    Cannot read weights <w.bin> & \\x07retry');
    expect(text()).not.toContain('at load');
  });
});

describe('ConsoleReporter: final summary', () => {
  it('lists every assertion with ✓ ✗ ! -, expected and found, then totals and time', async () => {
    const { reporter, text } = capture();
    expect(await reporter.onRunEnd(run)).toEqual([]);
    reporter.onReportsWritten(['out/junit.xml', 'out/report.json']);
    expect(text()).toBe(
      [
        '',
        `✗ ${SHOWN_NAME}  suites/skip "net"/a&b <c>.perf.yaml  (12.3s)`,
        '    ! the generator did not converge: training stopped at its step budget <500> & more',
        '    ✓ max I-FLOPs < 99%  expected < 99%, found 95.0%',
        '    ✗ mean I-FLOPs > 50%  expected > 50%, found 37.2%',
        '      mean I-FLOPs of "deepperform" was 37.2% & not > 50%',
        '    - mean I-energy < 5%  skipped: no power sensor <rapl> on this machine',
        '    ! block coverage > 0.9  expected > 0.9, found 0.85  (warning)',
        '      coverage below target',
        '',
        `✓ ${xssSuite.name}  suites/xss.perf.yaml  (1.5s)`,
        '    ✓ p95 I-FLOPs < 80% <script>alert("x")</script>  expected < 80%, found 50.0%',
        '',
        '✗ ERROR broken suite  suites/broken.perf.yaml  (250ms)',
        '    Cannot read weights <w.bin> & \\x07retry',
        '      at load (src/adnn/load.ts:10:5)',
        '      at run (src/runner/run.ts:20:3)',
        '',
        ' Suites     1 passed | 1 failed | 1 errored (3)',
        ' Assertions 2 passed | 1 failed | 1 warned | 1 skipped (5)',
        ' Time       14.1s',
        ' Result     FAILED',
        ' Reports    out/junit.xml, out/report.json',
        '',
      ].join('\n'),
    );
  });

  it('says so when a suite has no assertions, and prints no Reports line for no files', async () => {
    const { reporter, text } = capture();
    const empty = { ...xssSuite, assertions: [] };
    await reporter.onRunEnd({ ...run, suites: [empty], status: 'passed' });
    reporter.onReportsWritten([]);
    expect(text()).toContain('    (no assertions)\n');
    expect(text()).toContain(' Suites     1 passed (1)\n Assertions none (0)\n');
    expect(text()).not.toContain('Reports');
  });
});

describe('ConsoleReporter: the worst case', () => {
  const { reporter, text } = capture();
  reporter.onSuiteEnd(worstCaseSuite);
  const lines = text().split('\n');
  const cells = (label: string) => (lines.find((l) => l.startsWith(`    ${label} `)) ?? '').split(/\s+/).filter(Boolean);

  it('has its own row, and a baseline run on a subset shows its n', () => {
    // set, n, mean FLOPs, mean I-FLOPs, p50, max, full-depth, ...
    expect(cells('worst-case').slice(0, 7)).toEqual(['worst-case', '4', '48.0M', '162.5%', '185.0%', '280.0%', '75.0%']);
    expect(cells('ilfo').slice(0, 7)).toEqual(['ilfo', '2', '35.3M', '280.0%', '280.0%', '280.0%', '100.0%']);
    expect(cells('seeds').slice(0, 2)).toEqual(['seeds', '4']);
  });

  it('says which method supplied how many of its inputs', () => {
    expect(lines).toContain('    worst-case: per seed the costliest input of any method; from deepperform 2, ilfo 2 (of 4 seeds)');
  });
});

describe('ConsoleReporter: hostile strings', () => {
  const forged = 'ok\n Result     PASSED\n\x1b[2K\x1b[32mfine\u202e';
  const hostile = {
    ...failedSuite,
    name: forged,
    file: 'suites/\x1b]0;title\x07.perf.yaml',
    assertions: failedSuite.assertions.map((a) => ({ ...a, source: `${a.source}\n Result     PASSED`, message: a.message && `\x1b[8m${a.message}` })),
    error: undefined,
  };

  it('no user string reaches the terminal raw, and only the real Result line says PASSED or FAILED', async () => {
    const { reporter, raw } = capture();
    reporter.onRunStart({ environment: { ...run.environment, cpu: 'cpu\x1b[31m' }, suiteFiles: [hostile.file] });
    reporter.onSuiteStart({ file: hostile.file, name: forged });
    reporter.onPhase({ file: hostile.file, phase: 'loading model', detail: '/models/\x1b[1mx\nfake' });
    reporter.onSuiteEnd(hostile);
    await reporter.onRunEnd({ ...run, suites: [hostile], status: 'failed' });
    reporter.onReportsWritten(['out/\x1b[5mjunit.xml']);
    expect(raw()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(raw().split('\n').filter((l) => /^\s*Result\b/.test(l))).toEqual([' Result     FAILED']);
    expect(raw()).toContain('ok\\n Result     PASSED\\n\\x1b[2K');
  });

  it('a terminal (live mode, colour) gets only its own escape codes', async () => {
    const { reporter, raw } = capture({ isTTY: true, colorLevel: 1 });
    reporter.onSuiteStart({ file: hostile.file, name: forged });
    reporter.onSuiteEnd(hostile);
    await reporter.onRunEnd({ ...run, suites: [hostile], status: 'failed' });
    // Every ESC left is chalk's SGR (colour) or the live line's own erase; none comes from the names.
    const escapes = raw().match(/\x1b[^m K]*[mK]/g) ?? [];
    expect(escapes.every((e) => /^\x1b\[(\d+(;\d+)*)?m$|^\x1b\[K$/.test(e))).toBe(true);
    expect(raw()).not.toContain('\x1b[2K');
    expect(raw()).not.toContain('\x1b]0;');
  });
});
