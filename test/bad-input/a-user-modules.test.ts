/**
 * Bad input, class 5: user modules. Every call into a module runs under
 * model.timeout with an error naming the module and the call; process.exit()
 * in user code never ends a run as a success; the contract is checked at
 * load, naming the field; a module without meta.arch no longer breaks the
 * HTML report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { runCliAsync } from '../cli/run-cli-async.js';
import { runInProcess } from './a-helpers.js';

const EXAMPLE = readFileSync(join(ROOT, 'fixtures/example-adnn/brightness-gated.mjs'), 'utf8');

/**
 * A folder with the example brightness-gated module, changed by `edit`, and a
 * fast suite for it (8 seeds, 4 generator steps); `model` is extra YAML under model:.
 */
function moduleProject(edit: (src: string) => string, model = ''): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'm.mjs'), edit(EXAMPLE));
  writeFileSync(
    join(dir, 'm.perf.yaml'),
    [
      'name: user module',
      'model:',
      '  module: ./m.mjs',
      model,
      'data: { dataset: fashion-mnist-embedded, seeds: 8 }',
      'norm: linf',
      'epsilon: 0.1',
      'seed: 1',
      'generator: { preset: tiny, train: { steps: 4, batchSize: 8, width: 2, validateEvery: 2 } }',
      'assertions: ["block coverage >= 0"]',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );
  return dir;
}

/** Inserts `code` at the start of the factory, before the model is built. */
const inFactory = (code: string) => (src: string) => src.replace('export default function createAdnn({ tf, options }) {', `export default function createAdnn({ tf, options }) {\n${code}\n`);
/** Inserts `code` at the start of run(x, tau): the load-time test batch is call 1. */
const inRun = (code: string) => (src: string) => src.replace('    run(x, tau) {', `    runs: 0,\n    run(x, tau) {\n      if (++this.runs > 1) { ${code} }`);

describe('bad input, class 5: user modules, run by the CLI (exit codes are the point)', () => {
  it('a factory that never settles is stopped after model.timeout, naming the module and the export', async () => {
    const dir = moduleProject(inFactory('return new Promise(() => {});'), '  timeout: 1');
    const r = await runCliInProcess(['run', '.', '--reporter', 'console', '--cache-dir', 'cache'], dir);
    expect(r.stderr).toBe(`error: ${join(dir, 'm.mjs')}: export "default" did not finish within 1 s and was stopped (a longer limit: model.timeout in the suite)\n`);
    expect(r.code).toBe(2);
  });

  it('process.exit(0) inside run() is an error naming the call, never a green run', async () => {
    const dir = moduleProject(inRun('process.exit(0);'));
    const r = await runCliAsync(['run', '.', '--reporter', 'console', '--cache-dir', 'cache'], dir);
    expect(r.stderr).toContain(`error: ${join(dir, 'm.mjs')}: run() called process.exit(0); a model must return or throw, never end the process`);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(/PASSED/);
  });

  it('process.exit(0) from elsewhere in the module (a timer) ends an unfinished run with exit 3 and a message', async () => {
    const dir = moduleProject(inFactory('setTimeout(() => process.exit(0), 0);'));
    const r = await runCliAsync(['run', '.', '--reporter', 'console', '--cache-dir', 'cache'], dir);
    expect(r.stderr).toContain('deepperform: the process was ended (exit code 0) before the command finished, e.g. by process.exit() in a user module; no result was reported, exit code 3');
    expect(r.code).toBe(3);
    expect(r.stdout).not.toMatch(/PASSED/);
  });
});

describe('bad input, class 5: user modules, in process', () => {
  it('soft() that loops for ever during training is stopped, naming soft(), and stops the run', async () => {
    const dir = moduleProject((src) => src.replace('    soft(x) {', '    softs: 0,\n    soft(x) {\n      if (++this.softs > 1) for (;;) {}'), '  timeout: 1');
    const r = await runInProcess(dir, ['.'], {});
    expect(r.error?.name).toBe('UserModelError');
    expect(r.exit).toBe(2);
    expect(r.error?.message).toBe(`${join(dir, 'm.mjs')}: soft() did not finish within 1 s and was stopped (a longer limit: model.timeout in the suite)`);
  });

  it('a module without meta.arch runs, and every report is written (the HTML shows its name as the arch)', async () => {
    const dir = moduleProject((src) => src.replace("      arch: 'example/brightness-gated',\n", ''));
    expect(readFileSync(join(dir, 'm.mjs'), 'utf8')).not.toContain('arch:');
    const r = await runInProcess(dir, ['.'], { reporter: ['console', 'junit', 'html'], outputDir: 'out' });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'out/index.html'), 'utf8');
    expect(page).toContain('<dt>arch</dt><dd>brightness-gated</dd>');
    expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toContain('<property name="model.arch" value="brightness-gated"/>');
  });

  it.each([
    ['NaN base FLOPs', (s: string) => s.replace('baseFlops: BASE_FLOPS,', 'baseFlops: NaN,'), 'meta.baseFlops must be a finite number >= 0, got NaN'],
    ['infinite block FLOPs', (s: string) => s.replace('flops: BLOCK_FLOPS }', 'flops: Infinity }'), 'meta.blocks[0] needs a name (string) and flops (a finite number >= 0)'],
    ['an infinite input range', (s: string) => s.replace('range: [0, 1]', 'range: [-Infinity, Infinity]'), 'meta.input must be { height, width, channels (positive integers), range: [low, high] (finite, low < high) }'],
    ['an input too large to allocate', (s: string) => s.replace('height: H, width: W', 'height: 1e6, width: 1e6'), 'meta.input is 1000000x1000000x1 = 1000000000000 values per image'],
    ['an empty name', (s: string) => s.replace("name: 'brightness-gated',", "name: '',"), 'meta.name must be a non-empty string, got ""'],
    ['dispose that is not a function', (s: string) => s.replace('    dispose() {', '    dispose: 1,\n    disposeOld() {'), 'dispose must be a function when given, got number'],
  ])('the contract is checked at load: %s is exit 2 naming the field, before any training', async (_what, edit, message) => {
    const dir = moduleProject(edit);
    const r = await runInProcess(dir, ['.'], {});
    expect(r.error?.name).toBe('UserModelError');
    expect(r.exit).toBe(2);
    expect(r.error?.message).toContain(`${join(dir, 'm.mjs')}: does not implement the AdNN contract: ${message}`);
    expect(r.stdout).not.toMatch(/training generator/);
  });
});
