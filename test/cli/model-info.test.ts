import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

describe('deepperform model-info / models', () => {
  it('sdn-tiny --json: blocks, total and cumulative exit FLOPs, by hand', () => {
    const r = runCli(['model-info', 'sdn-tiny', '--json'], ROOT);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    const base = 112_896 + 903_168 + 2_560; // conv 1->8, conv 8->8 at 28x28, exit0 dense 128->10
    const blocks = [451_584 + 903_168 + 5_120, 903_168 + 5_120, 451_584 + 903_168 + 31_360];
    expect(info.blocks.map((b: { flops: number }) => b.flops)).toEqual(blocks);
    expect(info.totalFlops).toBe(4_672_896);
    expect(info.cumulativeExitFlops).toEqual([base, base + blocks[0], base + blocks[0] + blocks[1], 4_672_896]);
  });

  it('--input and --classes rescale the model: 32x32x3 with 100 classes', () => {
    const info = JSON.parse(runCli(['model-info', 'sdn-tiny', '--json', '--input', '32x32x3', '--classes', '100'], ROOT).stdout);
    // stem conv 3->8 at 32x32: 2*3*8*9*1024; conv 8->8: 2*8*8*9*1024; exit0 on 4x4x8 (pool 8) -> 100
    expect(info.cumulativeExitFlops[0]).toBe(442_368 + 1_179_648 + 25_600);
  });

  it('unknown arch and malformed --input are usage errors (exit 2)', () => {
    const bad = runCli(['model-info', 'resnet-9000'], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown architecture "resnet-9000"; known: .*sdn-tiny/);
    expect(runCli(['model-info', 'sdn-tiny', '--input', '3x3'], ROOT).code).toBe(2);
  });

  it('models lists the zoo', () => {
    const r = runCli(['models'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sdn-tiny\s+sdn\s+tiny/);
  });
});

describe('model-info reproduces the published FLOPs', () => {
  it('sdn-resnet56 on 32x32x3 with 100 classes: cumulative exit FLOPs (DESIGN.md §3)', () => {
    const r = runCli(['model-info', 'sdn-resnet56', '--input', '32x32x3', '--classes', '100', '--json'], ROOT);
    expect(r.code).toBe(0);
    const exits: number[] = JSON.parse(r.stdout).cumulativeExitFlops;
    const reference = [38.7, 76.5, 112.2, 150.1, 186.0, 223.9, 252.2];
    // Hand count of the first: stem 2*3*16*9*1024 + 4 blocks of 2*(2*16*16*9*1024) + exit 2*(4*4*16)*100
    expect(exits[0]).toBe(884_736 + 4 * 9_437_184 + 51_200);
    // Within 0.06M of every published figure; exit 5 is 185.946M by the layer list (the reference prints 186.0).
    exits.forEach((f, i) => expect(Math.abs(f / 1e6 - reference[i])).toBeLessThan(0.06));
  });
});
