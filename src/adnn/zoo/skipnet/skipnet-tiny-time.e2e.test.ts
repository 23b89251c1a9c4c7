import { describe, expect, it } from 'vitest';
import { adaptiveTimes } from '../../../../test/helpers/adaptive-time.js';
import { buildSkipNet, skipNetTinyConfig } from './skipnet.js';

describe('skipnet-tiny: adaptive execution really saves time', () => {
  it('skipping every conditional block is faster than running them all (medians, same batch)', () => {
    const net = buildSkipNet('skipnet-tiny', skipNetTinyConfig(), 3);
    const t = adaptiveTimes(net, 64);
    expect(t.fewestFlops).toBe(net.meta.baseFlops);
    expect(t.fewestFlops).toBeLessThan(t.mostFlops);
    expect(t.fewestMs).toBeLessThan(t.mostMs);
    net.dispose();
  });
});
