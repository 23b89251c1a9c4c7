/**
 * Bad input, class 9: console injection. Control characters and ANSI escapes
 * in user strings (suite names, file names, paths on the command line) reach
 * the terminal escaped, and a name with newlines cannot forge a summary line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCommand } from '../../src/cli/commands/list.js';
import { bufferIO } from '../cli/buffer-io.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { runInProcess, tinyProject } from './a-helpers.js';

/** Any character a terminal acts on, but the newline ending each line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A YAML double-quoted name: newlines, a forged summary line, ESC sequences, BEL, NUL, a bidi override. */
const HOSTILE_NAME = '"tiny\\n Result     PASSED\\n\\e[2K\\e[32m✓ all good\\a\\0 \\u202Eevil"';

describe('bad input, class 9: user strings on the console', () => {
  it('a hostile suite name and file name are printed escaped; the one Result line tells the truth', async () => {
    const { dir, suite } = tinyProject('assertions:\n  - "seed accuracy > 1"\n');
    // The suite file itself gets a name with a newline and an escape sequence.
    const hostileFile = join(dir, 'b\n\x1b[31mred.perf.yaml');
    writeFileSync(suite, readFileSync(suite, 'utf8').replace('name: tiny e2e', `name: ${HOSTILE_NAME}`));
    writeFileSync(hostileFile, readFileSync(suite, 'utf8'));
    const r = await runInProcess(dir, ['.'], { reporter: ['console'] });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const results = r.stdout.split('\n').filter((l) => /Result/.test(l) && /PASSED|FAILED/.test(l) && !l.includes('tiny\\n'));
    expect(results).toEqual([' Result     FAILED']);
    expect(r.stdout).toContain('tiny\\n Result     PASSED\\n\\x1b[2K\\x1b[32m✓ all good\\x07\\x00 \\u202eevil');
    expect(r.stdout).toContain('b\\n\\x1b[31mred.perf.yaml');

    const dot = await runInProcess(dir, ['.'], { reporter: ['dot'] });
    expect(dot.stdout).not.toMatch(RAW_CONTROL);
    expect(dot.stdout.split('\n').filter((l) => /^ ?Result/.test(l))).toEqual([' Result     FAILED']);

    const io = bufferIO(dir);
    expect(await listCommand(['.'], {}, io)).toBe(0);
    expect(io.out()).not.toMatch(RAW_CONTROL);
    expect(io.out().split('\n')).toHaveLength(2 + 1 + 2 + 1); // header, two suites, blank, count, final newline
  });

  it("arguments on the command line are escaped in error messages, ours and the option parser's (printed by the CLI's own error path)", async () => {
    const { dir } = tinyProject();
    const path = await runCliInProcess(['run', 'no\x1b[2Jsuch\x07dir', '--reporter', 'console'], dir);
    expect(path.code).toBe(2);
    expect(path.stderr).toContain('no\\x1b[2Jsuch\\x07dir');
    expect(path.stderr).not.toMatch(RAW_CONTROL);
    const pattern = await runCliInProcess(['list', '.', '-t', 'x\x1b[2J('], dir);
    expect(pattern.code).toBe(2);
    expect(pattern.stderr).toContain("argument 'x\\x1b[2J(' is invalid");
    expect(pattern.stderr).not.toMatch(RAW_CONTROL);
  });
});
