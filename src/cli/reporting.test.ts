import { describe, expect, it } from 'vitest';
import type { RunResult, SuiteResult } from '../results/index.js';
import { exitCodeFor, isCI, isInteractive } from './reporting.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('live or plain output', () => {
  it('live only on a terminal outside CI', () => {
    expect(isInteractive(tty, {})).toBe(true);
    expect(isInteractive(tty, { CI: 'true' })).toBe(false);
    expect(isInteractive(tty, { CI: '1' })).toBe(false);
    expect(isInteractive(pipe, {})).toBe(false);
  });

  it('CI=false, 0 or empty is not CI', () => {
    expect(isCI({ CI: 'false' })).toBe(false);
    expect(isCI({ CI: 'FALSE' })).toBe(false);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({ CI: '' })).toBe(false);
    expect(isCI({})).toBe(false);
    expect(isCI({ CI: 'woodpecker' })).toBe(true);
  });
});

describe('exit code of a result', () => {
  const suite = (status: SuiteResult['status']) => ({ status }) as SuiteResult;
  const run = (statuses: SuiteResult['status'][]): RunResult =>
    ({ suites: statuses.map(suite), status: statuses.every((s) => s === 'passed') ? 'passed' : 'failed' }) as RunResult;

  it('0 all passed, 1 a failure, 3 a crash (even beside failures)', () => {
    expect(exitCodeFor(run(['passed', 'passed']))).toBe(0);
    expect(exitCodeFor(run(['passed', 'failed']))).toBe(1);
    expect(exitCodeFor(run(['failed', 'error']))).toBe(3);
    expect(exitCodeFor(run([]))).toBe(0);
  });
});
