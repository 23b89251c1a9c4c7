import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/index.js';
import { totalFlops } from '../../flops.js';
import { checkEq5, sharpenDeeperExits } from './eq5-check.js';
import { buildSdnMobilenet, SDN_MOBILENET_DEFAULT } from './sdn-mobilenet.js';

// Its own set-up: models are built while the file is collected, before
// test/setup/backend.ts runs, and need engine/'s backends registered at import.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

// 2 x MAC. A depthwise 3x3 conv on C channels costs 2 * C * 9 * Ho * Wo (one filter per channel),
// a pointwise 1x1 conv 2 * Cin * Cout * Ho * Wo.
const dw = (c: number, side: number): number => 2 * c * 9 * side * side;
const pw = (ci: number, co: number, side: number): number => 2 * ci * co * side * side;

describe('sdn-mobilenet FLOPs (MobileNet of the SDN code, 32x32x3, 100 classes)', () => {
  const net = buildSdnMobilenet(SDN_MOBILENET_DEFAULT, 0);
  afterAll(() => net.dispose());

  const stem = 2 * 3 * 32 * 9 * 32 * 32; // 1,769,472
  // [depthwise at the output side, pointwise] per block; stride-2 blocks halve the side in the depthwise conv.
  const blocks = [
    dw(32, 32) + pw(32, 64, 32), //      589,824 + 4,194,304
    dw(64, 16) + pw(64, 128, 16), //     294,912 + 4,194,304 (stride 2)
    dw(128, 16) + pw(128, 128, 16), //   589,824 + 8,388,608   IC0 on 16x16x128
    dw(128, 8) + pw(128, 256, 8), //     147,456 + 4,194,304 (stride 2)
    dw(256, 8) + pw(256, 256, 8), //     294,912 + 8,388,608   IC1 on 8x8x256
    dw(256, 4) + pw(256, 512, 4), //      73,728 + 4,194,304 (stride 2)
    dw(512, 4) + pw(512, 512, 4), //     147,456 + 8,388,608   IC2 on 4x4x512
    dw(512, 4) + pw(512, 512, 4),
    dw(512, 4) + pw(512, 512, 4), //                           IC3 on 4x4x512
    dw(512, 4) + pw(512, 512, 4),
    dw(512, 4) + pw(512, 512, 4),
    dw(512, 2) + pw(512, 1024, 2), //     36,864 + 4,194,304 (stride 2) IC4 on 2x2x1024
    dw(1024, 2) + pw(1024, 1024, 2), //   73,728 + 8,388,608
  ];
  // ICs: 16 and 8 pool to 4x4, 4x4 stays, 2x2 (< 4) is flattened: 2048, 4096, 8192, 8192, 4096 features.
  const ics = [4 * 4 * 128, 4 * 4 * 256, 4 * 4 * 512, 4 * 4 * 512, 2 * 2 * 1024].map((f) => 2 * f * 100);
  const fc = 2 * 1024 * 100; // average pool 2x2 -> 1x1, then 1024 -> 100

  it('depthwise convs are counted by their groups, not as full convs', () => {
    expect(dw(512, 4)).toBe(147_456);
    // A full 512->512 3x3 conv at 4x4 would be 512 times as much: 75,497,472.
    expect(dw(512, 4) * 512).toBe(2 * 512 * 512 * 9 * 4 * 4);
    expect(net.meta.baseFlops).toBe(stem + blocks[0] + blocks[1] + blocks[2] + ics[0]);
    expect(net.meta.baseFlops).toBe(20_430_848);
  });

  it('total by hand: 92,893,184 backbone + 5,324,800 ICs; cumulative FLOPs at the 6 exits', () => {
    const backbone = stem + blocks.reduce((a, b) => a + b, 0) + fc;
    // stem 1,769,472 + depthwise 2,838,528 + pointwise 88,080,384 + fc 204,800.
    expect(blocks.reduce((a, b) => a + b, 0)).toBe(2_838_528 + 88_080_384);
    expect(backbone).toBe(92_893_184);
    expect(ics.reduce((a, b) => a + b, 0)).toBe(409_600 + 819_200 + 1_638_400 + 1_638_400 + 819_200);
    expect(totalFlops(net.meta)).toBe(backbone + 5_324_800);
    const upTo = (n: number) => stem + blocks.slice(0, n).reduce((a, b) => a + b, 0);
    const icUpTo = (n: number) => ics.slice(0, n).reduce((a, b) => a + b, 0);
    const hand = [...[3, 5, 7, 9, 12].map((n, i) => upTo(n) + icUpTo(i + 1)), upTo(13) + icUpTo(5) + fc];
    expect(hand).toEqual([20_430_848, 34_275_328, 48_717_824, 67_428_352, 89_550_848, 98_217_984]);
    expect(net.meta.exitFlops).toEqual(hand);
  });
});

describe('sdn-mobilenet adaptive execution (32x32x3, batch 4)', () => {
  it('counts the same FLOPs as the cost model (Eq. 5) for every input at several taus', () => {
    const net = buildSdnMobilenet(SDN_MOBILENET_DEFAULT, 3);
    sharpenDeeperExits(net, 3);
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const check = checkEq5(net, x, 5);
    expect(check.mismatches).toEqual([]);
    expect(check.distinctCosts).toBeGreaterThanOrEqual(4);
    x.dispose();
    net.dispose();
  });
});
