import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/index.js';
import { totalFlops } from '../../flops.js';
import { fullDefaults, SdnConfigError } from './config.js';
import { checkEq5 } from './eq5-check.js';
import { buildSdnVgg16, SDN_VGG16_DEFAULT } from './sdn-vgg16.js';

// Its own set-up: models are built while the file is collected, before
// test/setup/backend.ts runs, and need engine/'s backends registered at import.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** 3x3 conv, 2 x MAC, at the resolution it runs (pooling happens after it). */
const conv = (ci: number, co: number, side: number): number => 2 * ci * co * 9 * side * side;

describe('sdn-vgg16 FLOPs (VGG-16-BN of the SDN code, 32x32x3, 100 classes)', () => {
  const net = buildSdnVgg16(SDN_VGG16_DEFAULT, 0);
  afterAll(() => net.dispose());

  // Conv layers: widths 64 64 | 128 128 | 256 256 256 | 512 512 512 | 512 512 512, '|' = 2x2 max-pool.
  const convs = [
    conv(3, 64, 32), // 3,538,944
    conv(64, 64, 32), // 75,497,472, then pool -> 16        IC0 on 16x16x64
    conv(64, 128, 16), // 37,748,736
    conv(128, 128, 16), // 75,497,472, then pool -> 8       IC1 on 8x8x128
    conv(128, 256, 8), // 37,748,736
    conv(256, 256, 8), // 75,497,472                        IC2 on 8x8x256
    conv(256, 256, 8), // 75,497,472, then pool -> 4        IC3 on 4x4x256
    conv(256, 512, 4), // 37,748,736
    conv(512, 512, 4), // 75,497,472                        IC4 on 4x4x512
    conv(512, 512, 4), // 75,497,472, then pool -> 2        IC5 on 2x2x512
    conv(512, 512, 2), // 18,874,368
    conv(512, 512, 2), // 18,874,368
    conv(512, 512, 2), // 18,874,368, then pool -> 1
  ];
  // ICs: kernel floor(s/4) pools 16 and 8 to 4x4, 4x4 stays; 2x2 (< 4) is flattened as it is.
  const ics = [4 * 4 * 64, 4 * 4 * 128, 4 * 4 * 256, 4 * 4 * 256, 4 * 4 * 512, 2 * 2 * 512].map((f) => 2 * f * 100);
  // Classifier: 512 -> 512 (+ReLU), 512 -> 512, 512 -> 100.
  const fc = 2 * 512 * 512 + 2 * 512 * 512 + 2 * 512 * 100;

  it('backbone total by hand: 626,393,088 conv + 1,150,976 FC = 627,544,064', () => {
    const convTotal = convs.reduce((a, b) => a + b, 0);
    expect(convTotal).toBe(3_538_944 + 6 * 75_497_472 + 3 * 37_748_736 + 3 * 18_874_368);
    expect(convTotal).toBe(626_393_088);
    expect(fc).toBe(1_150_976);
    // The 6 ICs: 204,800 + 409,600 + 819,200 + 819,200 + 1,638,400 + 409,600 = 4,300,800.
    expect(ics.reduce((a, b) => a + b, 0)).toBe(4_300_800);
    expect(totalFlops(net.meta)).toBe(626_393_088 + 1_150_976 + 4_300_800);
  });

  it('cumulative FLOPs at the 7 exits (after conv layers 2, 4, 6, 7, 9, 10 and the end)', () => {
    const upTo = (n: number) => convs.slice(0, n).reduce((a, b) => a + b, 0);
    const icUpTo = (n: number) => ics.slice(0, n).reduce((a, b) => a + b, 0);
    const after = [2, 4, 6, 7, 9, 10];
    const hand = [...after.map((n, i) => upTo(n) + icUpTo(i + 1)), upTo(13) + icUpTo(6) + fc];
    expect(hand).toEqual([79_241_216, 192_897_024, 306_962_432, 383_279_104, 498_163_712, 574_070_784, 631_844_864]);
    expect(net.meta.exitFlops).toEqual(hand);
  });

  it('refuses inputs too small for five max-pools, naming the arch', () => {
    const small = fullDefaults({ height: 28, width: 28, channels: 1, range: [0, 1] }, 10);
    expect(() => buildSdnVgg16(small, 0)).toThrow(SdnConfigError);
    expect(() => buildSdnVgg16(small, 0)).toThrow(/sdn-vgg16.*28x28.*32x32/);
  });
});

describe('sdn-vgg16 adaptive execution (32x32x3, batch 4)', () => {
  it('counts the same FLOPs as the cost model (Eq. 5) for every input at several taus', () => {
    const net = buildSdnVgg16(SDN_VGG16_DEFAULT, 3);
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const check = checkEq5(net, x, 3);
    expect(check.mismatches).toEqual([]);
    expect(check.distinctCosts).toBeGreaterThanOrEqual(4);
    x.dispose();
    net.dispose();
  });
});
