import { describe, expect, it } from 'vitest';
import { adaptiveTimes } from '../../../../test/helpers/adaptive-time.js';
import { buildSdnResnet56, SDN_RESNET56_DEFAULT } from './sdn-resnet56.js';

describe('sdn-resnet56 (full, 32x32x3, 100 classes): adaptive execution really saves time', () => {
  it('leaving at exit 0 (38.7 MFLOPs) is faster than running every segment (252.2 MFLOPs), batch 8', () => {
    const net = buildSdnResnet56(SDN_RESNET56_DEFAULT, 3);
    const t = adaptiveTimes(net, 8, 5);
    expect(t.fewestFlops).toBe(38_684_672);
    expect(t.mostFlops).toBe(252_224_000);
    expect(t.fewestMs).toBeLessThan(t.mostMs);
    net.dispose();
  });
});
