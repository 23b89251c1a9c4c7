import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../engine/index.js';
import { totalFlops } from '../../flops.js';
import { fullDefaults } from './config.js';
import { checkEq5 } from './eq5-check.js';
import { buildSdnResnet56, SDN_RESNET56_DEFAULT } from './sdn-resnet56.js';

// Its own set-up: models are built while the file is collected, before
// test/setup/backend.ts runs, and need engine/'s backends registered at import.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

// Hand arithmetic, 2 x MAC, 32x32x3, 100 classes (convs have no bias; BN, ReLU, pooling free).
const STEM = 2 * 3 * 16 * 9 * 32 * 32; // 884,736
const BLOCK16 = 2 * (2 * 16 * 16 * 9 * 32 * 32); // two 16->16 3x3 convs at 32x32: 9,437,184
const BLOCK32 = 2 * (2 * 32 * 32 * 9 * 16 * 16); // 9,437,184 (half the side, twice the channels)
const BLOCK64 = 2 * (2 * 64 * 64 * 9 * 8 * 8); // 9,437,184
// First block of a stage: 3x3 stride-2 conv, 3x3 conv, 1x1 stride-2 shortcut conv.
const DOWN32 = 2 * 16 * 32 * 9 * 16 * 16 + 2 * 32 * 32 * 9 * 16 * 16 + 2 * 16 * 32 * 16 * 16; // 7,340,032
const DOWN64 = 2 * 32 * 64 * 9 * 8 * 8 + 2 * 64 * 64 * 9 * 8 * 8 + 2 * 32 * 64 * 8 * 8; // 7,340,032
// Internal classifiers pool every map to 4x4 (kernel 8 at 32, 4 at 16, 2 at 8), then linear -> 100.
const IC16 = 2 * (4 * 4 * 16) * 100; // 51,200
const IC32 = 2 * (4 * 4 * 32) * 100; // 102,400
const IC64 = 2 * (4 * 4 * 64) * 100; // 204,800
const FC = 2 * 64 * 100; // global average pool, then 64 -> 100: 12,800

describe('sdn-resnet56 FLOPs reproduce the reference (ResNet-56 SDN, CIFAR-100)', () => {
  const net = buildSdnResnet56(SDN_RESNET56_DEFAULT, 0);
  afterAll(() => net.dispose());

  it('a basic block of 16 channels at 32x32 costs 9,437,184 FLOPs', () => {
    expect(BLOCK16).toBe(9_437_184);
    expect(net.meta.blocks[0].flops).toBe(4 * BLOCK16 + IC16);
  });

  it('exit 0: stem 3->16 conv at 32x32 + 4 basic blocks + IC linear on 4x4x16 -> 100', () => {
    // 884,736 + 4 * 9,437,184 + 51,200 = 38,684,672
    expect(STEM + 4 * BLOCK16 + IC16).toBe(38_684_672);
    expect(net.meta.baseFlops).toBe(38_684_672);
  });

  it('cumulative FLOPs at all 7 exits, exactly and to 0.1 MFLOPs of the reference', () => {
    const e0 = STEM + 4 * BLOCK16 + IC16; // stage 1 blocks 0-3
    const e1 = e0 + 4 * BLOCK16 + IC16; // stage 1 blocks 4-7
    const e2 = e1 + BLOCK16 + DOWN32 + 2 * BLOCK32 + IC32; // stage 1 block 8, stage 2 blocks 0-2
    const e3 = e2 + 4 * BLOCK32 + IC32; // stage 2 blocks 3-6
    const e4 = e3 + 2 * BLOCK32 + DOWN64 + BLOCK64 + IC64; // stage 2 blocks 7-8, stage 3 blocks 0-1
    const e5 = e4 + 4 * BLOCK64 + IC64; // stage 3 blocks 2-5
    const e6 = e5 + 3 * BLOCK64 + FC; // stage 3 blocks 6-8 and the final classifier
    const hand = [e0, e1, e2, e3, e4, e5, e6];
    expect(hand).toEqual([38_684_672, 76_484_608, 112_238_592, 150_089_728, 185_946_112, 223_899_648, 252_224_000]);
    expect(net.meta.exitFlops).toEqual(hand);
    expect(totalFlops(net.meta)).toBe(e6);
    const reference = [38.7, 76.5, 112.2, 150.1, 186.0, 223.9, 252.2]; // MFLOPs, docs/design.md §3
    // Exit 4 (the fifth) is 185.946 M: within 0.1 M of the rounded 186.0, though it rounds to 185.9.
    hand.forEach((f, i) => expect(Math.abs(f / 1e6 - reference[i])).toBeLessThan(0.1));
    // The paper's Table 1 min / max for DS_C100, to 0.01 M.
    expect((e0 / 1e6).toFixed(2)).toBe('38.68');
    expect((e6 / 1e6).toFixed(2)).toBe('252.22');
  });

  it('has 7 exits: 6 conditional blocks after the first exit', () => {
    expect(net.meta.blocks).toHaveLength(6);
    expect(net.meta.kind).toBe('early-exit');
  });
});

describe('sdn-resnet56 scales to other inputs and classes', () => {
  it('28x28x1 with 10 classes: stem 1->16 at 28x28, ICs pool 28 -> 4 (kernel 7), 14 -> 4 (3), 7 -> 7 (1)', () => {
    const net = buildSdnResnet56(fullDefaults({ height: 28, width: 28, channels: 1, range: [0, 1] }, 10), 0);
    const stem = 2 * 1 * 16 * 9 * 28 * 28; // 225,792
    const block = 2 * (2 * 16 * 16 * 9 * 28 * 28); // 7,225,344
    const ic = 2 * (4 * 4 * 16) * 10; // 5,120
    expect(net.meta.baseFlops).toBe(stem + 4 * block + ic);
    // Exit 4 reads 7x7x64 (28 -> 14 -> 7): kernel floor(7/4) = 1, so the linear layer sees 7*7*64.
    const e4 = net.meta.exitFlops![4] - net.meta.exitFlops![3];
    const b64 = 2 * (2 * 64 * 64 * 9 * 7 * 7);
    const down64 = 2 * 32 * 64 * 9 * 49 + 2 * 64 * 64 * 9 * 49 + 2 * 32 * 64 * 49;
    const b32 = 2 * (2 * 32 * 32 * 9 * 14 * 14);
    expect(e4).toBe(2 * b32 + down64 + b64 + 2 * 7 * 7 * 64 * 10);
    net.dispose();
  });
});

describe('sdn-resnet56 adaptive execution (32x32x3, batch 8)', () => {
  it('counts the same FLOPs as the cost model (Eq. 5) for every input at several taus', () => {
    const net = buildSdnResnet56(SDN_RESNET56_DEFAULT, 5);
    const x = tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
    const check = checkEq5(net, x, 5);
    expect(check.mismatches).toEqual([]);
    // Inputs left at several different exits, so the comparison covers more than the extremes.
    expect(check.distinctCosts).toBeGreaterThanOrEqual(4);
    // At tau 0 every input leaves at exit 0; above 1 every input runs to the end.
    expect(Array.from(net.run(x, 0).flops)).toEqual(new Array(8).fill(38_684_672));
    expect(Array.from(net.run(x, 1.01).flops)).toEqual(new Array(8).fill(252_224_000));
    x.dispose();
    net.dispose();
  });
});
