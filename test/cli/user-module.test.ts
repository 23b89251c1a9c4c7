import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadUserAdnn } from '../../src/adnn/index.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';

const EXAMPLE = join(ROOT, 'fixtures/example-adnn/brightness-gated.mjs');

describe('user-defined AdNN modules', () => {
  it('the example: gates open by mean brightness, FLOPs by hand', async () => {
    const net = await loadUserAdnn(EXAMPLE, 'default', {});
    // Mean 0.35 opens the gates at 0.2 and 0.3, not the one at 0.4 (sigmoid(20 * (m - level)) > 0.5 iff m > level).
    const x = tf.fill([1, 28, 28, 1], 0.35) as tf.Tensor4D;
    const exec = net.run(x, 0.5);
    expect(Array.from(exec.ran)).toEqual([1, 1, 0]);
    expect(exec.flops[0]).toBe(2 * 784 * 10 + 2 * (2 * 9 * 784));
    const p = net.soft(x).p.dataSync();
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-20 * 0.15)), 5);
    expect(p[2]).toBeCloseTo(1 / (1 + Math.exp(20 * 0.05)), 4); // float32 mean of 0.35
    net.dispose();
  });

  it('the example suite runs from the CLI and DeepPerform brightens its way through the gates', async () => {
    // Its own cache folder: a test never writes into the repository.
    const r = await runCli(['run', 'fixtures/example-adnn', '--reporter', 'console', '--cache-dir', join(tempDir(), 'cache')], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ mean I-FLOPs > 10%/);
  });

  it('a TypeScript module loads too', async () => {
    const dir = tempDir();
    const ts = join(dir, 'model.ts');
    const src = readFileSync(EXAMPLE, 'utf8').replace(
      'export default function createAdnn({ tf, options }) {',
      'export function makeModel({ tf, options }: { tf: any; options: Record<string, unknown> }): unknown {',
    );
    writeFileSync(ts, src.replace(/\(([a-z]+)\) =>/g, '($1: any) =>').replace(/(soft|run)\(x(, tau)?\)/g, (_m, f, t) => `${f}(x: any${t ? ', tau: number' : ''})`));
    const net = await loadUserAdnn(ts, 'makeModel', {});
    expect(net.meta.blocks).toHaveLength(3);
    net.dispose();
  });

  it('a module that breaks the contract is a configuration error naming the file and what is missing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.mjs'), 'export default () => ({ meta: { name: "x", kind: "sometimes" }, soft() {} });\n');
    copyFileSync(join(ROOT, 'fixtures/example-adnn/brightness.perf.yaml'), join(dir, 'b.perf.yaml'));
    const suite = join(dir, 'b.perf.yaml');
    writeFileSync(suite, readFileSync(suite, 'utf8').replace('./brightness-gated.mjs', './broken.mjs'));
    const r = await runCli(['run', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.mjs: does not implement the AdNN contract: meta\.kind must be "skipping" or "early-exit", got "sometimes".*run\(\) is missing/);
  });

  it('arch and module together are refused at load time', async () => {
    const dir = tempDir();
    const suite = join(dir, 'both.perf.yaml');
    copyFileSync(join(ROOT, 'fixtures/example-adnn/brightness.perf.yaml'), suite);
    writeFileSync(suite, readFileSync(suite, 'utf8').replace('  module:', '  arch: sdn-tiny\n  module:'));
    const r = await runCli(['run', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/both\.perf\.yaml:\d+:\d+\s+model: give one of module/);
  });
});
