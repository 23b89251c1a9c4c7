import { describe, expect, it } from 'vitest';
import { adaptiveTimes } from '../../../../test/helpers/adaptive-time.js';
import { RANET_TINY_DEFAULT } from './config.js';
import { buildRanet } from './ranet.js';

describe('ranet-tiny: adaptive execution really saves time', () => {
  it('leaving at the first exit is faster than running every sub-network (medians, same batch)', () => {
    const net = buildRanet(RANET_TINY_DEFAULT, 3, 'ranet-tiny');
    const t = adaptiveTimes(net, 64);
    // 1.46 MFLOPs (first layer, sub-network 0, exit 0) against 3.35 MFLOPs for everything.
    expect(t.fewestFlops).toBe(1_459_136);
    expect(t.mostFlops).toBe(3_352_184);
    expect(t.fewestMs).toBeLessThan(t.mostMs);
    net.dispose();
  });
});
