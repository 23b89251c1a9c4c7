import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';

describe('deepperform model-info / models', () => {
  it('sdn-tiny --json: blocks, total and cumulative exit FLOPs, by hand', async () => {
    const r = await runCli(['model-info', 'sdn-tiny', '--json'], ROOT);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    const base = 112_896 + 903_168 + 2_560; // conv 1->8, conv 8->8 at 28x28, exit0 dense 128->10
    const blocks = [451_584 + 903_168 + 5_120, 903_168 + 5_120, 451_584 + 903_168 + 31_360];
    expect(info.blocks.map((b: { flops: number }) => b.flops)).toEqual(blocks);
    expect(info.totalFlops).toBe(4_672_896);
    expect(info.cumulativeExitFlops).toEqual([base, base + blocks[0], base + blocks[0] + blocks[1], 4_672_896]);
  });

  it('--input and --classes rescale the model: 32x32x3 with 100 classes', async () => {
    const info = JSON.parse((await runCli(['model-info', 'sdn-tiny', '--json', '--input', '32x32x3', '--classes', '100'], ROOT)).stdout);
    // stem conv 3->8 at 32x32: 2*3*8*9*1024; conv 8->8: 2*8*8*9*1024; exit0 on 4x4x8 (pool 8) -> 100
    expect(info.cumulativeExitFlops[0]).toBe(442_368 + 1_179_648 + 25_600);
  });

  it('unknown arch and malformed --input are usage errors (exit 2)', async () => {
    const bad = await runCli(['model-info', 'resnet-9000'], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown architecture "resnet-9000"; known: .*sdn-tiny/);
    expect((await runCli(['model-info', 'sdn-tiny', '--input', '3x3'], ROOT)).code).toBe(2);
  });

  it('models lists the zoo', async () => {
    const r = await runCli(['models'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sdn-tiny\s+sdn\s+tiny/);
  });
});

describe('model-info reproduces the published FLOPs', () => {
  it('sdn-resnet56 on 32x32x3 with 100 classes: cumulative exit FLOPs (docs/design.md §3)', async () => {
    const r = await runCli(['model-info', 'sdn-resnet56', '--input', '32x32x3', '--classes', '100', '--json'], ROOT);
    expect(r.code).toBe(0);
    const exits: number[] = JSON.parse(r.stdout).cumulativeExitFlops;
    const reference = [38.7, 76.5, 112.2, 150.1, 186.0, 223.9, 252.2];
    // Hand count of the first: stem 2*3*16*9*1024 + 4 blocks of 2*(2*16*16*9*1024) + exit 2*(4*4*16)*100
    expect(exits[0]).toBe(884_736 + 4 * 9_437_184 + 51_200);
    // Within 0.06M of every published figure; exit 5 is 185.946M by the layer list (the reference prints 186.0).
    exits.forEach((f, i) => expect(Math.abs(f / 1e6 - reference[i])).toBeLessThan(0.06));
  });
});

describe('model-info of an ONNX model (docs/onnx.md)', () => {
  it('early-exit: stages cut at the exits and their FLOPs, by hand', async () => {
    const r = await runCli(['model-info', 'fixtures/onnx/early-exit.onnx', '--kind', 'early-exit', '--exits', 'exit0,exit1,final', '--mean', '0.286', '--std', '0.353', '--json'], ROOT);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    // conv 1->8 3x3 at 28x28 + dense 32->10; depthwise 8x3x3 and pointwise 8->16 at 14x14 + dense 144->10; conv 16->32 3x3 in 2 groups at 7x7 + dense 32->10
    const stages = [2 * 8 * 9 * 784 + 2 * 32 * 10, 2 * 8 * 9 * 196 + 2 * 8 * 16 * 196 + 2 * 144 * 10, 2 * 8 * 32 * 9 * 49 + 2 * 32 * 10];
    expect(info.stages.map((s: { flops: number }) => s.flops)).toEqual(stages);
    expect(info.cumulativeExitFlops).toEqual([stages[0], stages[0] + stages[1], stages[0] + stages[1] + stages[2]]);
    expect(info.stages[0].reads).toEqual(['image']);
    expect(info.stages[2].writes).toEqual(['final']);
    expect(info.opset).toBe(13);
  });

  it('skipping: a stage per gate, block and head; the blocks\' FLOPs, by hand', async () => {
    const blocks = [0, 1, 2].flatMap((k) => ['--block', `in${k},out${k},gate${k}`]);
    const r = await runCli(['model-info', 'fixtures/onnx/gated.onnx', '--kind', 'skipping', ...blocks, '--json'], ROOT);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    // two 3x3 convs 8->8 at 14x14 per block
    expect(info.blocks.map((b: { flops: number }) => b.flops)).toEqual([0, 1, 2].map(() => 2 * 2 * 8 * 8 * 9 * 196));
    expect(info.stages.map((s: { name: string }) => s.name)).toEqual(['gates0', 'block0', 'gates1', 'block1', 'gates2', 'block2', 'head']);
  });

  it('needs --kind, and the exits or blocks it implies (exit 2)', async () => {
    const r = await runCli(['model-info', 'fixtures/onnx/gated.onnx'], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--kind early-exit or --kind skipping is required');
    const bad = await runCli(['model-info', 'fixtures/onnx/gated.onnx', '--kind', 'skipping', '--block', 'in0,out0'], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--block in0,out0: expected input,output,gate');
    expect((await runCli(['model-info', 'sdn-tiny', '--kind', 'skipping'], ROOT)).code).toBe(2);
  });
});
