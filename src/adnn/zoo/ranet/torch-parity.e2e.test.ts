import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTorch, PYTHON } from '../../../../test/helpers/python.mjs';
import '../../../../test/helpers/tf.js';
import { ROOT, tempDir } from '../../../../test/helpers/cli.js';
import { importTorchWeights, readSafetensors } from '../../import/index.js';
import { RANET_DEFAULT, RANET_NORMALIZATION, type RaNetConfig } from './config.js';
import { buildRanet } from './ranet.js';
import { ranetTorchMapping } from './torch-names.js';

const torchAvailable = hasTorch();

interface TorchRun {
  x: number[];
  /** Per exit, [batch * classes]. */
  logits: number[][];
  /** Per exit, per image: max softmax. */
  conf: number[][];
  keys: string[];
  taus: number[];
  /** Per tau, per image: the exit PyTorch's rule leaves at. */
  exits: number[][];
}

// Needs Debian's python3-torch (the reference peer); skipped where it is not installed.
describe.skipIf(!torchAvailable)('the same exits as PyTorch (python3-torch; ranet, 32x32x3, 10 classes, batch 8)', () => {
  const BATCH = 8;
  const config: RaNetConfig = { ...RANET_DEFAULT, numClasses: 10, normalize: RANET_NORMALIZATION.cifar10 };
  let dir = '';
  let run: TorchRun;

  beforeAll(() => {
    dir = tempDir();
    const r = spawnSync(PYTHON, [join(ROOT, 'test/helpers/ranet_torch.py'), dir, JSON.stringify(config), String(BATCH)], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    run = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8')) as TorchRun;
  });

  it('logits of every exit, soft p and the adaptive execution agree after import', async () => {
    const net = buildRanet(config, 0, 'ranet');
    const mapping = ranetTorchMapping(net);
    // The reference's state_dict has exactly the keys the mapping reads (plus BN's num_batches_tracked).
    const read = new Set([...mapping.values()].map((s) => s.torch));
    expect(run.keys.filter((k) => !k.endsWith('num_batches_tracked')).sort()).toEqual([...read].sort());
    const file = join(dir, 'ranet.safetensors');
    importTorchWeights(net, await readSafetensors(file), mapping, file);
    const x = tf.tensor4d(run.x, [BATCH, 32, 32, 3]);
    const logits = net.exitLogits(x);
    expect(logits).toHaveLength(run.logits.length);
    /** Worst difference relative to the largest logit: float32 through up to 20 blocks and their resizes. */
    const agree = (ours: tf.Tensor, theirs: number[], what: string) => {
      const v = ours.dataSync();
      const scale = Math.max(...theirs.map(Math.abs));
      const worst = Math.max(...theirs.map((t, j) => Math.abs(t - v[j])));
      expect(worst / scale, `${what}: worst difference ${worst}, largest logit ${scale}`).toBeLessThan(1e-3);
      expect(scale).toBeGreaterThan(1e-3);
    };
    logits.forEach((l, k) => agree(l, run.logits[k], `exit ${k}`));
    // p_k = 1 - max softmax of exit k - 1; the soft logits are the last exit's.
    const soft = net.soft(x);
    const p = soft.p.arraySync();
    p.forEach((row, b) => row.forEach((v, k) => expect(v, `p[${b}][${k}]`).toBeCloseTo(1 - run.conf[k][b], 4)));
    agree(soft.logits, run.logits[7], 'soft logits');
    // The real adaptive execution leaves at PyTorch's exit, answers with its argmax and pays that exit's FLOPs.
    expect(run.taus.length).toBeGreaterThanOrEqual(4);
    const taken = new Set<number>();
    for (const [t, tau] of run.taus.entries()) {
      const exec = net.run(x, tau);
      const K = net.meta.blocks.length;
      for (let b = 0; b < BATCH; b++) {
        const exit = Array.from(exec.ran.subarray(b * K, (b + 1) * K)).filter(Boolean).length;
        expect(exit, `tau ${tau}, image ${b}`).toBe(run.exits[t][b]);
        const row = run.logits[exit].slice(b * 10, (b + 1) * 10);
        expect(exec.predictions[b]).toBe(row.indexOf(Math.max(...row)));
        expect(exec.flops[b]).toBe(net.meta.exitFlops![exit]);
        taken.add(exit);
      }
    }
    // Not vacuous: the thresholds send the images to several exits, the last included.
    expect(taken.size).toBeGreaterThanOrEqual(3);
    expect(taken.has(7)).toBe(true);
    tf.dispose([x, ...logits, soft.logits, soft.p]);
    net.dispose();
  });
});
