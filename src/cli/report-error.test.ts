import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { DataError } from '../data/index.js';
import { SuiteError } from '../suite/index.js';
import { UsageError } from '../util/errors.js';
import { reportError } from './report-error.js';

function report(e: unknown): { code: number; printed: string } {
  const lines: string[] = [];
  const code = reportError(e, (text) => lines.push(text));
  return { code, printed: lines.join('\n') };
}

describe('reportError: how a command that threw ends', () => {
  it('a user error from any layer is exit 2 with its message alone, no stack', () => {
    const suite = new SuiteError('/p/a.perf.yaml', [{ line: 3, column: 7, path: 'norm', message: 'must be one of linf, l2, got "l3"' }]);
    for (const e of [new UsageError('no suites found in perf'), new ConfigError('/p/c.mjs', [{ key: 'seed', message: 'must be >= 0, got -1' }]), suite, new DataError('/p/seeds.bin', 'the file is truncated')]) {
      const r = report(e);
      expect(r.code).toBe(2);
      expect(r.printed).toContain(`error: ${e.message.split('\n')[0]}`);
      expect(r.printed).not.toMatch(/\n\s+at /);
    }
  });

  it('an unexpected error (a plain TypeError) is a crash: exit 3 with its stack', () => {
    const r = report(new TypeError("Cannot read properties of undefined (reading 'flops')"));
    expect(r.code).toBe(3);
    expect(r.printed).toMatch(/^.*deepperform crashed:.* TypeError: Cannot read properties of undefined \(reading 'flops'\)\n\s+at /);
  });

  it('an error that only calls itself a user error, or a thrown string, is a crash too', () => {
    expect(report(Object.assign(new Error('forged'), { name: 'UsageError' })).code).toBe(3);
    expect(report('a string').code).toBe(3);
    expect(report(undefined).code).toBe(3);
  });

  it("commander's errors were printed by commander: exit 2, help and version exit 0", () => {
    expect(report(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({ code: 2, printed: '' });
    expect(report(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ code: 0, printed: '' });
  });
});
