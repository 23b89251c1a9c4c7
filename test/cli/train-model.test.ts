import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';
import { writeFashionSlice } from '../helpers/fashion-slice.js';

/** One epoch on 256 Fashion-MNIST images (a --data-path): the summary line speaks the model's own terms. */
describe('deepperform train-model', () => {
  it.each([
    ['sdn-tiny', 'exit early'],
    ['skipnet-tiny', 'skip at least one block'],
  ])('%s: saves model.json with the measured figures and says what adaptive inputs do (%s)', async (arch, verb) => {
    const dir = tempDir();
    await writeFashionSlice(dir, 256, 128);
    const args = ['train-model', '--arch', arch, '--dataset', 'fashion-mnist', '--data-path', '.', '--epochs', '1', '--seed', '1', '--out', 'm'];
    const r = await runCli(args, dir);
    expect(r.code).toBe(0);
    // --out is relative to the command's working directory, and model.json records the command as typed.
    expect(r.stdout).toMatch(/\nsaved m\/model\.json\n$/);
    expect(r.stdout).toMatch(new RegExp(`test accuracy [\\d.]+%, FLOPs at tau 0.5: .*% of inputs ${verb}; \\d+ s`));
    const meta = JSON.parse(readFileSync(join(dir, 'm/model.json'), 'utf8')).metadata.training;
    expect(meta.epochs).toBe(1);
    expect(meta.dataset).toBe('fashion-mnist/train');
    expect(r.stdout).toMatch(/ on fashion-mnist \(256 images\)/);
    expect(meta.command).toBe(`deepperform ${args.join(' ')}`);
    expect(meta.meanFlops).toBeGreaterThan(0);
    expect(meta.maxFlops).toBeGreaterThanOrEqual(meta.meanFlops);
    // The checkpoint only exists to resume an interrupted run.
    expect(existsSync(join(dir, 'm/checkpoint'))).toBe(false);
  }, 180_000);
});
