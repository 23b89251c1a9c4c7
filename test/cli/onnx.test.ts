import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';

/**
 * The example suite examples/onnx/early-exit.perf.yaml (a PyTorch-exported
 * early-exit CNN, docs/onnx.md) end to end from the CLI, at tiny budgets:
 * generator, random, ILFO and DeepSloth, with I-FLOPs, coverage, latency and
 * threshold sensitivity measured on the onnxruntime stages.
 */

const EXAMPLE = join(ROOT, 'examples/onnx/early-exit.perf.yaml');

function tinyCopy(dir: string, edit: (yaml: string) => string = (y) => y): string {
  const yaml = readFileSync(EXAMPLE, 'utf8')
    .replace('../../fixtures/onnx/early-exit.onnx', join(ROOT, 'fixtures/onnx/early-exit.onnx'))
    .replace('seeds: 200', 'seeds: 16')
    .replace(/ {2}train:\n( {4}.*\n)+/, '  train: { steps: 4, batchSize: 8, validateEvery: 2, validationInputs: 16 }\n')
    .replace(/baselines:\n( {2}- .*\n)+/, 'baselines:\n  - random\n  - ilfo: { iterations: 5, seeds: 4 }\n  - deepsloth: { seeds: 4, linfSteps: 3 }\n')
    .replace('latencyInputs: 20', 'latencyInputs: 3\n  repeats: 1')
    // The model is right on 9 of these 16 seeds; a broken graph would be near chance (0.1).
    .replace(/assertions:\n( {2}- .*\n)+/, 'assertions:\n  - "seed accuracy > 0.4"\n');
  const file = join(dir, 'onnx.perf.yaml');
  writeFileSync(file, edit(yaml));
  return file;
}

describe('ONNX models from the suite syntax', () => {
  it('runs the whole suite: generator, baselines, latency and sensitivity', async () => {
    const dir = tempDir();
    tinyCopy(dir);
    const r = await runCli(['run', '.', '--reporter', 'console', '--cache-dir', join(dir, 'cache')], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const method of ['deepperform', 'random', 'worst-case']) expect(r.stdout).toMatch(new RegExp(`\\n\\s+${method}\\s+16\\s+\\d`));
    for (const method of ['ilfo', 'deepsloth']) expect(r.stdout).toMatch(new RegExp(`\\n\\s+${method}\\s+4\\s+\\d`));
    expect(r.stdout).toMatch(/latency \(batch 1, 3 inputs\): seeds median [\d.]+ ms/);
    expect(r.stdout).toMatch(/threshold sensitivity, deepperform max I-FLOPs: tau 0\.3 [\d.]+%/);
    expect(r.stdout).toMatch(/✓ seed accuracy > 0\.4/);
  }, 300_000);

  it('a skipping model from its manifest runs too (generator, random; stages per gate and block)', async () => {
    const dir = tempDir();
    const blocks = [0, 1, 2].map((k) => `    - { input: in${k}, output: out${k}, gate: gate${k} }`);
    const yaml = [
      'name: onnx gated',
      'model:',
      `  onnx: ${join(ROOT, 'fixtures/onnx/gated.onnx')}`,
      '  kind: skipping',
      '  blocks:',
      ...blocks,
      '  input: { normalize: { mean: [0.286], std: [0.353] } }',
      'data: { dataset: fashion-mnist-embedded, seeds: 16 }',
      'norm: linf',
      'epsilon: 0.1',
      'generator: { preset: tiny, train: { steps: 4, batchSize: 8, validateEvery: 2, validationInputs: 16 } }',
      'baselines: [random]',
      'measure: { latencyInputs: 3, repeats: 1 }',
    ].join('\n');
    writeFileSync(join(dir, 'gated.perf.yaml'), `${yaml}\n`);
    const r = await runCli(['run', '.', '--reporter', 'console', '--cache-dir', join(dir, 'cache')], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const method of ['seeds', 'deepperform', 'random']) expect(r.stdout).toMatch(new RegExp(`\\n\\s+${method}\\s+16\\s+\\d`));
    expect(r.stdout).toMatch(/threshold sensitivity, random max I-FLOPs: tau 0\.3 [\d.]+%/);
  }, 300_000);

  it('an exit the graph does not have stops the run with exit code 2, naming the file and the exit', async () => {
    const dir = tempDir();
    tinyCopy(dir, (y) => y.replace('exits: [exit0, exit1, final]', 'exits: [exit0, exit_1, final]'));
    const r = await runCli(['run', '.', '--reporter', 'console'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('early-exit.onnx: exits[1]: the graph has no tensor named "exit_1" (its outputs: exit0, exit1, final)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
