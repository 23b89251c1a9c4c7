import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../test/cli/buffer-io.js';
import { tempDir } from '../../test/helpers/cli.js';
import { execute } from './execute.js';

/** execute() is main() without the process: everything it prints goes to the IO it is given. */
describe('execute: one command line on injected IO', () => {
  it('--version and --help print to io.stdout and exit 0', async () => {
    const io = bufferIO(tempDir());
    expect(await execute(['--version'], io)).toBe(0);
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(io.out()).toBe(`${version}\n`);
    const help = bufferIO(tempDir());
    expect(await execute(['list', '--help'], help)).toBe(0);
    expect(help.out()).toMatch(/^Usage: deepperform list \[options\] \[paths\.\.\.\]/);
    expect(help.err()).toBe('');
  });

  it("the option parser's errors go to io.stderr, exit 2", async () => {
    const io = bufferIO(tempDir());
    expect(await execute(['nope'], io)).toBe(2);
    expect(io.err()).toBe("error: unknown command 'nope'\n");
    expect(io.out()).toBe('');
  });

  it("a command's user error is printed to io.stderr, exit 2; its output goes to io.stdout", async () => {
    const dir = tempDir();
    const io = bufferIO(dir);
    expect(await execute(['import-weights', '--arch', 'sdn-tiny', '--from', 'x.safetensors', '--out', 'm'], io)).toBe(2);
    expect(io.err()).toMatch(/^error: sdn-tiny has no PyTorch import/);
    const info = bufferIO(dir);
    expect(await execute(['models'], info)).toBe(0);
    expect(info.out()).toMatch(/^ {2}arch +family +size +description\n/);
  });
});
