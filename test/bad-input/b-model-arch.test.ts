/**
 * Bad input, class 2: the suite's model.arch against the architecture the
 * weights were saved from (metadata.arch in model.json), checked before any
 * suite runs: a mismatch or an unknown arch is a SuiteError (exit 2) naming
 * the suite file, the line of model.arch and both architectures.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuiteModel, preflightSuites } from '../../src/runner/index.js';
import { loadSuite, type SuiteError } from '../../src/suite/index.js';
import { FIXTURE_MODEL, ROOT, tempDir } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';
import { minimalSuiteText } from './b-helpers.js';

const RANET = join(ROOT, 'fixtures/models/ranet-tiny');

/** A suite file in `dir` whose model is `arch` with `weights`. */
function suiteFile(dir: string, name: string, arch: string, weights: string): string {
  const file = join(dir, `${name}.perf.yaml`);
  const model = `\n  arch: ${arch}\n  weights: ${weights}`;
  writeFileSync(file, minimalSuiteText({ name, model, data: '{ dataset: fashion-mnist-embedded, seeds: 4 }' }));
  return file;
}

async function preflightError(file: string): Promise<SuiteError> {
  const err = await preflightSuites([await loadSuite(file)]).then(
    () => undefined,
    (e: unknown) => e as SuiteError,
  );
  expect(err?.name).toBe('SuiteError');
  return err!;
}

describe('model.arch against the weights', () => {
  it('sdn-tiny weights under arch ranet-tiny: both architectures, at the line of model.arch', async () => {
    const dir = tempDir();
    const file = suiteFile(dir, 'swapped', 'ranet-tiny', FIXTURE_MODEL);
    const err = await preflightError(file);
    expect(err.problems).toEqual([
      {
        line: 3,
        column: 9,
        path: 'model.arch',
        message: `the weights in ${FIXTURE_MODEL} were saved from "sdn-tiny" (metadata.arch in its model.json), not "ranet-tiny"; set arch: sdn-tiny, or point weights at a ranet-tiny folder`,
      },
    ]);
    expect(err.file).toBe(file);
  });

  it('an architecture the zoo does not know, with a suggestion', async () => {
    const err = await preflightError(suiteFile(tempDir(), 'typo', 'sdn-tine', FIXTURE_MODEL));
    expect(err.problems[0]).toMatchObject({ line: 3, path: 'model.arch' });
    expect(err.problems[0].message).toMatch(/^unknown architecture "sdn-tine" \(did you mean "sdn-tiny"\?\); known: .*sdn-tiny/);
  });

  it('a weights folder that does not exist, or whose model.json names an unknown arch, is reported at model.weights', async () => {
    const dir = tempDir();
    let err = await preflightError(suiteFile(dir, 'none', 'sdn-tiny', join(dir, 'nowhere')));
    expect(err.problems[0]).toMatchObject({ line: 4, path: 'model.weights' });
    expect(err.problems[0].message).toMatch(/nowhere\/model\.json: does not exist/);

    const odd = join(dir, 'odd');
    cpSync(FIXTURE_MODEL, odd, { recursive: true });
    const json = JSON.parse(readFileSync(join(odd, 'model.json'), 'utf8'));
    json.metadata.arch = 'lenet-5';
    writeFileSync(join(odd, 'model.json'), JSON.stringify(json));
    err = await preflightError(suiteFile(dir, 'odd', 'sdn-tiny', odd));
    expect(err.problems[0]).toMatchObject({ line: 4, path: 'model.weights' });
    expect(err.problems[0].message).toMatch(/metadata\.arch "lenet-5" is not a zoo architecture/);
  });

  it('matching arch and weights pass', async () => {
    const dir = tempDir();
    await preflightSuites([await loadSuite(suiteFile(dir, 'ok', 'sdn-tiny', FIXTURE_MODEL)), await loadSuite(suiteFile(dir, 'ok2', 'ranet-tiny', RANET))]);
  });

  it('runSuite without the preflight refuses the mismatch too (loadSuiteModel)', async () => {
    const suite = await loadSuite(suiteFile(tempDir(), 'swapped', 'ranet-tiny', FIXTURE_MODEL));
    await expect(loadSuiteModel(suite)).rejects.toThrow(/model\.arch is "ranet-tiny", but the weights in .* were saved from "sdn-tiny"/);
  });

  it('the CLI: exit 2 before any suite runs, naming file:line and both architectures', async () => {
    const dir = tempDir();
    suiteFile(dir, 'a-good', 'sdn-tiny', FIXTURE_MODEL);
    suiteFile(dir, 'b-swapped', 'ranet-tiny', FIXTURE_MODEL);
    const r = await runCli(['run', 'a-good.perf.yaml', 'b-swapped.perf.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b-swapped\.perf\.yaml:3:9 +model\.arch: the weights in .* were saved from "sdn-tiny" \(metadata\.arch in its model\.json\), not "ranet-tiny"/);
    expect(r.stderr).not.toMatch(/\n +at /); // no stack
    // The good suite did not run first: nothing was trained or reported.
    expect(r.stdout).not.toMatch(/a-good/);
  });
});
