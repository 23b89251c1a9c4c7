import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../data/index.js';
import { runBatched } from '../../execute.js';
import { loadAdnn } from '../../index.js';

/**
 * The issue: a trained model must skip on a good share of inputs at tau 0.5,
 * and DeepPerform needs gates that depend on the input. Checked on the first
 * 300 test images of the embedded slice (the README's figures use all 1,000).
 */
describe('the committed skipnet-tiny fixture', () => {
  it('runs different blocks for different inputs at tau 0.5 and saves FLOPs', async () => {
    const { network } = await loadAdnn('fixtures/models/skipnet-tiny');
    const test = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
    const n = 300;
    const exec = runBatched(network, { images: test.images.subarray(0, n * 28 * 28), count: n }, 0.5);
    const k = network.meta.blocks.length;
    const sets = new Map<string, number>();
    const runs = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const ran = Array.from(exec.ran.subarray(i * k, (i + 1) * k));
      ran.forEach((r, j) => (runs[j] += r));
      sets.set(ran.join(''), (sets.get(ran.join('')) ?? 0) + 1);
    }
    // At least a fifth of the inputs run another set of blocks than the most common one.
    expect(n - Math.max(...sets.values())).toBeGreaterThan(0.2 * n);
    // Some block runs for between 10 % and 90 % of the inputs.
    expect(runs.some((r) => r > 0.1 * n && r < 0.9 * n)).toBe(true);
    const mean = Array.from(exec.flops).reduce((a, b) => a + b, 0) / n;
    expect(mean).toBeLessThan(0.85 * (network.meta.baseFlops + network.meta.blocks.reduce((s, b) => s + b.flops, 0)));
    network.dispose();
  });
});
