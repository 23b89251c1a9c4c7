import { describe, expect, it } from 'vitest';
import { adaptiveTimes } from '../../../../test/helpers/adaptive-time.js';
import { blockDropTinyConfig, buildBlockDrop } from './blockdrop.js';

describe('blockdrop-tiny: adaptive execution really saves time', () => {
  it('dropping every block is faster than running them all (medians, same batch)', () => {
    const net = buildBlockDrop('blockdrop-tiny', blockDropTinyConfig(), 3);
    const t = adaptiveTimes(net, 64);
    expect(t.fewestFlops).toBe(net.meta.baseFlops);
    expect(t.fewestFlops).toBeLessThan(t.mostFlops);
    expect(t.fewestMs).toBeLessThan(t.mostMs);
    net.dispose();
  });
});
