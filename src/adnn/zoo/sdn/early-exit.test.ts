import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../../../../test/helpers/tf.js';
import { entries } from './index.js';
import { buildSdnTiny, SDN_TINY_DEFAULT } from './sdn-tiny.js';

beforeAll(useCpu);

describe('meta.exitFlops: cumulative FLOPs when leaving at each exit', () => {
  it('sdn-tiny: base, base + b1, base + b1 + b2, total (hand-computed, as in sdn-tiny.test.ts)', () => {
    const net = buildSdnTiny(SDN_TINY_DEFAULT, 1);
    const base = 112_896 + 903_168 + 2_560; // 1,018,624
    const b1 = 451_584 + 903_168 + 5_120; // 1,359,872
    const b2 = 903_168 + 5_120; // 908,288
    const b3 = 451_584 + 903_168 + 31_360; // 1,386,112
    expect(net.meta.exitFlops).toEqual([base, base + b1, base + b1 + b2, base + b1 + b2 + b3]);
    expect(net.meta.exitFlops).toEqual([1_018_624, 2_378_496, 3_286_784, 4_672_896]);
    net.dispose();
  });

  it('the SDN family registers the tiny and the three full configurations', () => {
    const sdn = entries.filter((e) => e.family === 'sdn');
    expect(sdn.map((e) => [e.arch, e.size])).toEqual([
      ['sdn-tiny', 'tiny'],
      ['sdn-resnet56', 'full'],
      ['sdn-vgg16', 'full'],
      ['sdn-mobilenet', 'full'],
    ]);
  });
});
