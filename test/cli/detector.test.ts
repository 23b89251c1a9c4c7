import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectorCommand, type DetectorFlags } from '../../src/cli/commands/detector.js';
import { isUserError } from '../../src/util/errors.js';
import { program } from '../../src/cli/program.js';
import { FIXTURE_MODEL, ROOT, tempDir } from '../helpers/cli.js';
import { bufferIO } from './buffer-io.js';

const DEFAULTS: DetectorFlags = { trainSeeds: 1000, testSeeds: 1000 };

/** Runs the command in-process; returns the user-facing error message (and checks it maps to exit 2). */
async function usageFailure(flags: Partial<DetectorFlags>, cwd = tempDir()): Promise<string> {
  try {
    await detectorCommand({ ...DEFAULTS, ...flags }, bufferIO(cwd));
  } catch (e) {
    expect(isUserError(e), `${(e as Error).name}: ${(e as Error).message}`).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the command to fail');
}

describe('deepperform detector: bad input is a usage error (exit 2) that says what and where', () => {
  it('needs exactly one of --suite and --weights', async () => {
    expect(await usageFailure({})).toMatch(/give --suite <file>, or --weights <dir> with --epsilon/);
    expect(await usageFailure({ suite: 'a.perf.yaml', weights: FIXTURE_MODEL })).toMatch(/either --suite or --weights .*not both/);
  });

  it('--suite: settings the suite owns cannot be overridden; a missing or broken suite is named', async () => {
    const suite = join(ROOT, 'suites/sdn-tiny-linf.perf.yaml');
    expect(await usageFailure({ suite, epsilon: 0.2, norm: 'l2' })).toMatch(/--norm, --epsilon cannot be combined with --suite/);
    expect(await usageFailure({ suite: 'nope.perf.yaml' })).toMatch(/suite file not found: .*nope\.perf\.yaml/);
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.perf.yaml'), 'name: x\nmodel: { arch: sdn-tiny, weights: m }\ndata: { dataset: fashion-mnist-embedded }\nnorm: l3\nepsilon: 0.1\n');
    expect(await usageFailure({ suite: 'bad.perf.yaml' }, dir)).toMatch(/bad\.perf\.yaml[\s\S]*norm/);
  });

  it('--weights: needs --epsilon, a model.json, and an --arch that agrees with it', async () => {
    expect(await usageFailure({ weights: FIXTURE_MODEL })).toMatch(/--weights needs --epsilon/);
    const empty = tempDir();
    expect(await usageFailure({ weights: empty, epsilon: 0.1 })).toBe(`${join(empty, 'model.json')}: does not exist (a model folder is written by train-model, import-weights or harden)`);
    writeFileSync(join(empty, 'model.json'), '{"metadata": {}}');
    expect(await usageFailure({ weights: empty, epsilon: 0.1 })).toBe(`${join(empty, 'model.json')}: names no architecture (metadata.arch)`);
    expect(await usageFailure({ weights: FIXTURE_MODEL, arch: 'skipnet-tiny', epsilon: 0.1 })).toMatch(/--arch skipnet-tiny, but .* holds a sdn-tiny/);
    expect(await usageFailure({ weights: FIXTURE_MODEL, epsilon: -1 })).toMatch(/epsilon/);
  });

  it('more seeds than the split holds is refused before any generator is trained', async () => {
    const flags = { weights: FIXTURE_MODEL, epsilon: 0.1, trainSeeds: 5000, cacheDir: join(tempDir(), 'cache') };
    expect(await usageFailure(flags)).toMatch(/--train-seeds 5000: the train split of fashion-mnist-embedded has only 2000 inputs/);
  });

  it('a user module without firstConv is refused by name, before any generator is trained', async () => {
    const suite = join(ROOT, 'fixtures/example-adnn/brightness.perf.yaml');
    const message = await usageFailure({ suite, cacheDir: join(tempDir(), 'cache') });
    expect(message).toMatch(/model brightness-gated \(example\/brightness-gated\) has no firstConv\(x\)/);
  });
});

describe('deepperform detector on a default suite (shipped generator)', () => {
  it('--json: AUC, overhead by hand, and the detector file', async () => {
    const dir = tempDir();
    const io = bufferIO(dir);
    const code = await detectorCommand(
      { ...DEFAULTS, suite: join(ROOT, 'suites/sdn-tiny-linf.perf.yaml'), trainSeeds: 60, testSeeds: 60, out: 'out/d.json', json: true, cacheDir: join(dir, 'cache') },
      io,
    );
    expect(code).toBe(0);
    const r = JSON.parse(io.out());
    expect(r).toMatchObject({ model: { arch: 'sdn-tiny' }, attack: { norm: 'linf', epsilon: 0.1, tau: 0.5 }, trainSeeds: 60, testSeeds: 60 });
    expect(r.auc).toBeGreaterThanOrEqual(0);
    expect(r.auc).toBeLessThanOrEqual(1);
    expect(r.overheadFlops).toBe(2 * 28 * 28 * 8);
    // The shipped generator was found, not trained; progress went to stderr.
    expect(io.err()).toMatch(/loading generator/);
    expect(io.err()).not.toMatch(/training generator/);
    const file = JSON.parse(readFileSync(join(dir, 'out/d.json'), 'utf8'));
    expect(file).toMatchObject({ format: 'deepperform-detector', formatVersion: 1, model: { arch: 'sdn-tiny' }, features: { dim: 6272 } });
    expect(file.training.provenance).toMatchObject({ norm: 'linf', epsilon: 0.1, trainSplit: 'train', testSplit: 'test' });
  });

  it('is registered: the program parses its options and runs it', async () => {
    let exitCode: number | undefined;
    const cli = program((c) => (exitCode = c));
    cli.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    // commander rejects a malformed number itself (exit 2 in main.ts) ...
    await expect(cli.parseAsync(['node', 'deepperform', 'detector', '--train-seeds', 'many'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    // ... and hands well-formed options to the command, whose usage error propagates.
    await expect(program(() => {}).parseAsync(['node', 'deepperform', 'detector', '--weights', FIXTURE_MODEL])).rejects.toThrow(/--weights needs --epsilon/);
    expect(exitCode).toBeUndefined();
  });
});
