import { describe, expect, it } from 'vitest';
import { adaptiveTimes } from '../../../../test/helpers/adaptive-time.js';
import { buildSdnTiny, SDN_TINY_DEFAULT } from './sdn-tiny.js';

describe('sdn-tiny: adaptive execution really saves time', () => {
  it('leaving at the first exit is faster than running every segment (medians, same batch)', () => {
    const net = buildSdnTiny(SDN_TINY_DEFAULT, 3);
    const t = adaptiveTimes(net, 64);
    expect(t.fewestFlops).toBeLessThan(t.mostFlops);
    expect(t.fewestMs).toBeLessThan(t.mostMs);
    net.dispose();
  });
});
