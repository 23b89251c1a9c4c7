/**
 * Bad input, class 6 (last part): an epsilon larger than inputs in [0, 1]
 * allow (`epsilon: 1e9`, or 8 meant as 8/255) is refused before any suite
 * runs, at the line of `epsilon`, instead of silently testing nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preflightSuites } from '../../src/runner/index.js';
import { loadSuite, type SuiteError } from '../../src/suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';
import { minimalSuiteText } from './b-helpers.js';

function suiteFile(norm: string, epsilon: string): string {
  const file = join(tempDir(), 'eps.perf.yaml');
  const text = minimalSuiteText({ name: 'eps', model: `{ arch: sdn-tiny, weights: ${FIXTURE_MODEL} }`, data: '{ dataset: fashion-mnist-embedded, seeds: 4 }' });
  writeFileSync(file, text.replace('norm: linf\nepsilon: 0.1', `norm: ${norm}\nepsilon: ${epsilon}`));
  return file;
}

async function problems(file: string): Promise<SuiteError['problems']> {
  const err = await preflightSuites([await loadSuite(file)]).then(
    () => undefined,
    (e: unknown) => e as SuiteError,
  );
  return err?.problems ?? [];
}

describe('bad input, class 6: epsilon beyond the input range', () => {
  it('Linf 1e9 and L2 29 on 28x28x1 inputs (limit sqrt(784) = 28) are refused at the epsilon line', async () => {
    const [linf] = await problems(suiteFile('linf', '1e9'));
    expect(linf).toMatchObject({ line: 5, path: 'epsilon' });
    expect(linf.message).toMatch(/^epsilon 1000000000 is larger than the input range allows/);
    const [l2] = await problems(suiteFile('l2', '29'));
    expect(l2).toMatchObject({ line: 5, path: 'epsilon' });
    expect(l2.message).toMatch(/sqrt\(784\) = 28 in L2/);
  });

  it('budgets up to the limit pass', async () => {
    expect(await problems(suiteFile('linf', '1'))).toEqual([]);
    expect(await problems(suiteFile('l2', '28'))).toEqual([]);
  });

  it('the CLI: exit 2 before training, with file:line', async () => {
    const file = suiteFile('linf', '8');
    const r = await runCli(['run', file, '--reporter', 'console', '-o', join(tempDir(), 'reports')], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/eps\.perf\.yaml:5:\d+.*epsilon 8 is larger than the input range allows/s);
  });
});
