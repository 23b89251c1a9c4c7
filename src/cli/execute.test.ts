import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../test/cli/buffer-io.js';
import { ROOT, tempDir, writeTinySuite } from '../../test/helpers/cli.js';
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

  // The temporary folder lies outside process.cwd(): relative to the process, each path would be absolute.
  it('file paths in user errors are relative to io.cwd, not to the process', async () => {
    const dir = tempDir();
    expect(relative(process.cwd(), dir).startsWith('..')).toBe(true);
    writeFileSync(join(dir, 'bad.perf.yaml'), 'name: bad\nmodel: { arch: sdn-tiny, weights: m }\ndata: { dataset: fashion-mnist-embedded }\nnorm: l3\nepsilon: 0.1\n');
    writeFileSync(join(dir, 'bad.config.mjs'), 'export default { bial: 2 };\n');
    const module = join(ROOT, 'fixtures/example-adnn/brightness-gated.mjs');
    writeFileSync(join(dir, 'module.perf.yaml'), `name: mine\nmodel: { module: ${module} }\ndata: { dataset: fashion-mnist-embedded }\nnorm: linf\nepsilon: 0.1\n`);
    const suite = bufferIO(dir);
    expect(await execute(['run', 'bad.perf.yaml'], suite)).toBe(2);
    expect(suite.err()).toMatch(/^error: bad\.perf\.yaml:4:7 {2}norm: /);
    const config = bufferIO(dir);
    expect(await execute(['list', '--config', 'bad.config.mjs'], config)).toBe(2);
    expect(config.err()).toMatch(/^error: bad\.config\.mjs: bial: unknown key "bial"/);
    const harden = bufferIO(dir);
    expect(await execute(['harden', '--suite', 'module.perf.yaml'], harden)).toBe(2);
    expect(harden.err()).toMatch(/^error: module\.perf\.yaml: retraining needs a zoo model/);
  });

  it('run, harden and detector read DEEPPERFORM_CONV_ENGINE from io.env, not process.env', async () => {
    expect(process.env.DEEPPERFORM_CONV_ENGINE).toBeUndefined();
    const dir = tempDir();
    writeTinySuite(dir, 'tiny.perf.yaml');
    const commands = [['run', 'tiny.perf.yaml'], ['harden', '--suite', 'tiny.perf.yaml'], ['detector', '--suite', 'tiny.perf.yaml']];
    for (const args of commands) {
      const io = bufferIO(dir, { DEEPPERFORM_CONV_ENGINE: 'gpu' });
      expect(await execute(args, io), args[0]).toBe(2);
      expect(io.err(), args[0]).toMatch(/^error: Unknown convolution engine 'gpu' \(DEEPPERFORM_CONV_ENGINE\)\. Use one of: auto, ort, tfjs\./);
    }
  });
});
