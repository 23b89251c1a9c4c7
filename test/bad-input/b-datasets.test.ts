/**
 * Bad input, class 8: dataset problems (an unknown dataset, more seeds than
 * the split holds, a missing or wrong `path:`, images of another size than
 * the model's) are found before any suite runs, each at its line in the
 * suite file, not after the suites before it have trained.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preflightSuites } from '../../src/runner/index.js';
import { loadSuite, type SuiteError } from '../../src/suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';
import { minimalSuiteText } from './b-helpers.js';

/** A suite file whose `data:` block is `data` (YAML lines, indented by two). */
function suiteFile(dir: string, name: string, data: string): string {
  const file = join(dir, `${name}.perf.yaml`);
  writeFileSync(file, minimalSuiteText({ name, model: `{ arch: sdn-tiny, weights: ${FIXTURE_MODEL} }`, data: `\n${data}` }));
  return file;
}

async function problems(file: string): Promise<SuiteError['problems']> {
  const err = await preflightSuites([await loadSuite(file)]).then(
    () => undefined,
    (e: unknown) => e as SuiteError,
  );
  expect(err?.name, 'the preflight should refuse the suite').toBe('SuiteError');
  expect(err!.file).toBe(file);
  return err!.problems;
}

describe('dataset problems at load time, at their line', () => {
  it('an unknown dataset, with a suggestion', async () => {
    const [p] = await problems(suiteFile(tempDir(), 'unknown', '  dataset: fashion-mnst\n  seeds: 4'));
    expect(p).toMatchObject({ line: 4, column: 12, path: 'data.dataset' });
    expect(p.message).toMatch(/^unknown dataset "fashion-mnst" \(did you mean "fashion-mnist"\?\); known: .*cifar10/);
  });

  it('more seeds than the split holds (the embedded slice has 1000 test images)', async () => {
    const [p] = await problems(suiteFile(tempDir(), 'many', '  dataset: fashion-mnist-embedded\n  seeds: 1001'));
    expect(p).toEqual({ line: 5, column: 10, path: 'data.seeds', message: '1001 seeds asked for, but the test split of fashion-mnist-embedded has only 1000 inputs' });
  });

  it('the same count from the train split is fine (it is larger)', async () => {
    const dir = tempDir();
    await preflightSuites([await loadSuite(suiteFile(dir, 'train', '  dataset: fashion-mnist-embedded\n  split: train\n  seeds: 1001'))]);
  });

  it('a dataset without a default folder and no path:', async () => {
    const [p] = await problems(suiteFile(tempDir(), 'nopath', '  dataset: mnist\n  seeds: 4'));
    expect(p).toMatchObject({ line: 4, path: 'data.dataset' });
    expect(p.message).toMatch(/^dataset 'mnist' needs a path: a folder holding train-images-idx3-ubyte/);
  });

  it('a path: that does not exist, and a path: given to the embedded slice', async () => {
    const dir = tempDir();
    const [missing] = await problems(suiteFile(dir, 'missing', '  dataset: fashion-mnist\n  path: ./no-such-folder\n  seeds: 4'));
    expect(missing).toMatchObject({ line: 5, column: 9, path: 'data.path' });
    expect(missing.message).toMatch(/no-such-folder: dataset folder for 'fashion-mnist' does not exist/);
    const [fixed] = await problems(suiteFile(dir, 'fixed', '  dataset: fashion-mnist-embedded\n  path: ./x\n  seeds: 4'));
    expect(fixed).toMatchObject({ line: 5, path: 'data.path' });
    expect(fixed.message).toMatch(/ships with deepperform and takes no path/);
  });

  it('a folder that lacks the split files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'empty'));
    const [p] = await problems(suiteFile(dir, 'empty', '  dataset: fashion-mnist\n  path: empty\n  seeds: 4'));
    expect(p).toMatchObject({ line: 5, path: 'data.path' });
    expect(p.message).toMatch(/t10k-images-idx3-ubyte: does not exist/);
  });

  it('images of another size than the model takes (CIFAR-10, 32x32x3, for a 28x28x1 model)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cifar'));
    // Four records of the CIFAR-10 binary format: a label byte, then 3 x 32 x 32 pixel bytes.
    writeFileSync(join(dir, 'cifar', 'test_batch.bin'), Buffer.alloc(4 * 3073));
    const [p] = await problems(suiteFile(dir, 'shape', '  dataset: cifar10\n  path: cifar\n  seeds: 4'));
    expect(p).toEqual({ line: 4, column: 12, path: 'data.dataset', message: 'model sdn-tiny takes 28x28x1 inputs, dataset cifar10 has 32x32x3' });
  });

  it('the CLI: exit 2 before the first (good) suite trains, with file:line', async () => {
    const dir = tempDir();
    suiteFile(dir, 'a-good', '  dataset: fashion-mnist-embedded\n  seeds: 4');
    suiteFile(dir, 'b-many', '  dataset: fashion-mnist-embedded\n  seeds: 5000');
    const r = await runCli(['run', 'a-good.perf.yaml', 'b-many.perf.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b-many\.perf\.yaml:5:10 +data\.seeds: 5000 seeds asked for, but the test split of fashion-mnist-embedded has only 1000 inputs/);
    expect(r.stderr).not.toMatch(/\n +at /);
    expect(r.stdout).not.toMatch(/a-good/);
  });
});
