import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hardenCommand, type HardenFlags } from '../../src/cli/commands/harden.js';
import { isUserError } from '../../src/util/errors.js';
import { bufferIO } from './buffer-io.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { FIXTURE_MODEL, ROOT, tempDir, writeTinySuite } from '../helpers/cli.js';

/** Runs the command in-process and returns what it threw (every case here must throw). */
async function thrown(flags: HardenFlags, cwd = tempDir()): Promise<Error> {
  const e = await hardenCommand(flags, [], bufferIO(cwd)).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error('expected hardenCommand to throw');
  // Every one is a user-facing error: the CLI prints its message and exits 2.
  expect(isUserError(e), `${e.name}: ${e.message}`).toBe(true);
  return e;
}

describe('deepperform harden: bad input is a usage error (exit 2) that says what is wrong', () => {
  it('the CLI exits 2: nothing to harden, --suite with model flags, a bad --epochs, a module model', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'module.perf.yaml'),
      `name: mine\nmodel: { module: ${join(ROOT, 'fixtures/example-adnn/brightness-gated.mjs')} }\ndata: { dataset: fashion-mnist-embedded }\nnorm: linf\nepsilon: 0.1\n`,
    );
    const [none, mixed, epochs, mod] = await Promise.all([
      runCliInProcess(['harden'], dir),
      runCliInProcess(['harden', '--suite', 'module.perf.yaml', '--norm', 'l2', '--epsilon', '2'], dir),
      runCliInProcess(['harden', '--suite', 'module.perf.yaml', '--epochs', '0'], dir),
      runCliInProcess(['harden', '--suite', 'module.perf.yaml'], dir),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/harden needs --suite <file>, or --model <dir> and --epsilon <e>/);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--suite takes the model, data, norm, epsilon and generator settings from module\.perf\.yaml; drop --norm, --epsilon/);
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toMatch(/--epochs must be an integer >= 1, got "0"/);
    expect(mod.code).toBe(2);
    expect(mod.stderr).toMatch(/module\.perf\.yaml: retraining needs a zoo model \(model: arch \+ weights\)/);
  }, 120_000);

  it('a suite file that does not exist, or has a mistake, is named with the place', async () => {
    expect((await thrown({ suite: 'nope.perf.yaml' })).message).toMatch(/suite file not found: .*nope\.perf\.yaml/);
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.perf.yaml'), 'name: bad\nmodel: { arch: sdn-tiny, weights: m }\ndata: { dataset: fashion-mnist-embedded }\nnorm: l3\nepsilon: 0.1\n');
    expect((await thrown({ suite: 'bad.perf.yaml' }, dir)).message).toMatch(/bad\.perf\.yaml:4:7 {2}norm: /);
  });

  it('--model: a folder without model.json, and a model.json naming no architecture', async () => {
    expect((await thrown({ model: 'missing', epsilon: 0.1 })).message).toMatch(/missing\/model\.json: does not exist \(a model folder is written by train-model/);
    const dir = tempDir();
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm/model.json'), '{"metadata": {}}');
    expect((await thrown({ model: 'm', epsilon: 0.1 }, dir)).message).toMatch(/m\/model\.json: names no architecture/);
  });

  it('out-of-range numbers, all named at once', async () => {
    const e = await thrown({ model: FIXTURE_MODEL, epsilon: -1, tau: 2, flopsWeight: -0.5, lr: 0 });
    expect(e.message).toBe('--epsilon must be > 0, got -1; --tau must be between 0 and 1, got 2; --flops-weight must be >= 0, got -0.5; --lr must be > 0, got 0');
  });

  it('--out: not the model itself, not a file, not a folder holding other files (checked before any training)', async () => {
    const dir = tempDir();
    const suite = writeTinySuite(dir, 'tiny.perf.yaml');
    expect((await thrown({ suite, out: FIXTURE_MODEL }, dir)).message).toMatch(/is the folder of the model being hardened/);
    writeFileSync(join(dir, 'file'), 'x');
    expect((await thrown({ suite, out: 'file' }, dir)).message).toMatch(/--out file is a file/);
    mkdirSync(join(dir, 'busy'));
    writeFileSync(join(dir, 'busy/notes.md'), 'x');
    expect((await thrown({ suite, out: 'busy' }, dir)).message).toMatch(/--out busy holds other files \(notes\.md\)/);
  });
});
