import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadUserAdnn } from '../../src/adnn/index.js';
import { initBackend } from '../../src/engine/index.js';

const HERE = import.meta.dirname;
const ROOT = resolve(HERE, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/**
 * One tsc run over copies of the example beside it, so `import type {
 * AdnnModule } from 'deepperform'` resolves as in a user's project: through
 * package.json's exports (self-reference) to the built
 * dist/src/api/index.d.ts (npm test builds first). Returns tsc's output.
 */
async function typecheck(sources: Record<string, string>): Promise<string> {
  const files = Object.entries(sources).map(([name, text]) => {
    const file = join(HERE, `.${name}-${process.pid}.ts`);
    writeFileSync(file, text);
    return file;
  });
  const config = join(HERE, `.tsconfig-${process.pid}.json`);
  const base = JSON.parse(readFileSync(join(HERE, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
  writeFileSync(config, JSON.stringify({ compilerOptions: base.compilerOptions, files }));
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', config, '--pretty', 'false'], { cwd: HERE });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  } finally {
    for (const f of [...files, config]) rmSync(f, { force: true });
  }
}

const example = readFileSync(join(HERE, 'two-exit.ts'), 'utf8');

describe("the TypeScript example, typed with the package's AdnnModule", () => {
  it('type-checks against the package entry; a wrong kind and a missing run do not', async () => {
    const wrongKind = example.replace("kind: 'early-exit'", "kind: 'early'");
    const noRun = example.replace(/\n {4}run\(x, tau\) \{/, '\n    walk(x: tf.Tensor4D, tau: number) {');
    expect([wrongKind, noRun]).not.toContain(example);
    const out = await typecheck({ good: example, kind: wrongKind, run: noRun });
    expect(out).not.toMatch(/\.good-\d+\.ts\(/);
    expect(out).toMatch(/\.kind-\d+\.ts\(\d+,\d+\): error TS2322[\s\S]*Type '"early"' is not assignable to type '("skipping" \| "early-exit"|"early-exit" \| "skipping")'/);
    expect(out).toMatch(/\.run-\d+\.ts\(\d+,\d+\): error TS2322[\s\S]*Property 'run' is missing/);
  }, 120_000);
});

describe('the example at run time', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('passes the contract check at load, and its FLOPs follow p and tau by the early-exit rule', async () => {
    const net = await loadUserAdnn(join(HERE, 'two-exit.ts'), 'default', {});
    expect(net.meta.kind).toBe('early-exit');
    const x = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const { p, logits } = net.soft(x);
    const pv = p.dataSync();
    for (const tau of [0.15, 0.3, 0.9]) {
      const { ran, flops } = net.run(x, tau);
      for (let b = 0; b < 6; b++) {
        // block 0 runs iff exit 0's confidence 1 - p < tau, i.e. p > 1 - tau
        const runs = 1 - pv[b] < tau;
        expect(ran[b]).toBe(runs ? 1 : 0);
        expect(flops[b]).toBe(runs ? 980 + 15_680 : 980);
      }
    }
    tf.dispose([x, p, logits]);
    net.dispose?.();
  });

  it('draws the same weights twice for seed 0 (tfjs alone would take 0 as no seed)', async () => {
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const logits = async () => {
      const net = await loadUserAdnn(join(HERE, 'two-exit.ts'), 'default', { seed: 0 });
      const out = net.soft(x);
      // p reads exit 0's weights (seed), the logits the final classifier's (seed + 1).
      const values = [...out.p.dataSync(), ...out.logits.dataSync()];
      tf.dispose([out.p, out.logits]);
      net.dispose?.();
      return values;
    };
    expect(await logits()).toEqual(await logits());
    x.dispose();
  });
});
