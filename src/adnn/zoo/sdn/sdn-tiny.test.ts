import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../../test/helpers/tf.js';
import { blocksRun, costModel, totalFlops } from '../../flops.js';
import { buildSdnTiny, SDN_TINY_DEFAULT } from './sdn-tiny.js';

beforeAll(useCpu);

describe('sdn-tiny FLOPs (2 x MAC, 28x28x1, widths 8/16/32)', () => {
  const net = buildSdnTiny(SDN_TINY_DEFAULT, 1);

  it('base = stem conv + conv + exit0 dense', () => {
    // 2*1*8*9*784 + 2*8*8*9*784 + 2*(4*4*8)*10
    expect(net.meta.baseFlops).toBe(112_896 + 903_168 + 2_560);
  });

  it('blocks = segment + its exit head', () => {
    expect(net.meta.blocks.map((b) => b.flops)).toEqual([
      451_584 + 903_168 + 5_120, // 8->16 s2 to 14x14, 16->16, exit on 4x4x16
      903_168 + 5_120, // 16->16 at 14x14, exit on 4x4x16
      451_584 + 903_168 + 31_360, // 16->32 s2 to 7x7, 32->32, final dense on 7*7*32
    ]);
    expect(totalFlops(net.meta)).toBe(4_672_896);
  });
});

describe('sdn-tiny adaptive execution', () => {
  const net = buildSdnTiny(SDN_TINY_DEFAULT, 7);
  const x = tf.randomUniform([24, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;

  it('counts the same FLOPs as the cost model (Eq. 5) for every input and tau', () => {
    const soft = net.soft(x);
    const p = soft.p.arraySync();
    const conf = p.flat().map((v) => 1 - v).sort((a, b) => a - b);
    // Thresholds between observed confidences, so inputs leave at different exits.
    const taus = [0.25, 0.5, 0.75].map((q) => conf[Math.floor(q * conf.length)] + 1e-4);
    for (const tau of taus) {
      const exec = net.run(x, tau);
      p.forEach((row, b) => {
        const model = costModel(net.meta, blocksRun('early-exit', row, tau));
        expect(exec.flops[b]).toBe(model);
        const ran = Array.from(exec.ran.subarray(b * 3, b * 3 + 3)).map(Boolean);
        expect(ran).toEqual(blocksRun('early-exit', row, tau));
      });
    }
    tf.dispose([soft.logits, soft.p]);
  });

  it('at tau above every confidence all blocks run; at tau 0 nothing past exit 0 runs', () => {
    const all = net.run(x, 1.01);
    expect(Array.from(all.flops).every((f) => f === totalFlops(net.meta))).toBe(true);
    const none = net.run(x, 0);
    expect(Array.from(none.flops).every((f) => f === net.meta.baseFlops)).toBe(true);
    expect(Array.from(none.ran).every((r) => r === 0)).toBe(true);
  });

  it('predictions of a full run equal the argmax of the final logits', () => {
    const exec = net.run(x, 1.01);
    const soft = net.soft(x);
    const argmax = tf.argMax(soft.logits, 1).arraySync() as number[];
    expect(Array.from(exec.predictions)).toEqual(argmax);
    tf.dispose([soft.logits, soft.p]);
  });
});
