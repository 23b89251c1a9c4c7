import { describe, expect, it } from 'vitest';
import '../../../../test/helpers/tf.js';
import { RANET_DEFAULT } from './config.js';
import type { ConvBasicPlan, RaNetPlan } from './plan.js';
import { planRanet } from './plan.js';
import { buildRanet } from './ranet.js';

/*
 * The full `ranet`: DeepPerform's RaNet config (nBlocks 2, nChannels 16,
 * growthRate 6, grFactor / bnFactor 4-2-1-1, scales 1-2-3-3, block step 2,
 * step 4, compress 0.25, reduction 0.5) on 32x32x3. Meta only: nothing is run.
 */

describe('ranet structure (the original construction rules)', () => {
  const plan = planRanet(RANET_DEFAULT);
  const outputs = plan.flows.map((blocks) => blocks.map((b) => `${b.output[2]}@${b.output[0]}`));

  it('first layer: 3->16 at 32, 16->16 at 32, 16->32 s2, 32->64 s2; sub-network 0 gets the coarsest', () => {
    expect(plan.flowInputs).toEqual([
      [8, 8, 64],
      [16, 16, 32],
      [32, 32, 16],
      [32, 32, 16],
    ]);
  });

  it('sub-network 0: two dense blocks of 4 layers, growth 6*4 = 24: 64 -> 160 -> 256 at 8x8', () => {
    expect(outputs[0]).toEqual(['160@8', '256@8']);
  });

  it('sub-network 1 (growth 12): fusion blocks 1-2 (block 2 down + transition), dense blocks 3-4', () => {
    // 32 + 4*12 = 80, + floor(80/4) = 100; 100 + 48 = 148, + 37 = 185, transition floor(185/2) = 92 at 8x8;
    // then 92 + 48 = 140 and 140 + 48 = 188.
    expect(outputs[1]).toEqual(['100@16', '92@8', '140@8', '188@8']);
  });

  it('sub-network 2 (growth 6): transitions and downsampling after blocks 2 and 4', () => {
    // 16 + 24 = 40 + 10 = 50; 50 + 24 = 74 + 18 = 92 -> 46 (16x16); 46 + 24 = 70 + 17 = 87;
    // 87 + 24 = 111 + 27 = 138 -> 69 (8x8); 69 + 24 = 93; 93 + 24 = 117.
    expect(outputs[2]).toEqual(['50@32', '46@16', '87@16', '69@8', '93@8', '117@8']);
  });

  it('sub-network 3: transitions after blocks 2 and 5 (floor(8k/3)), downsampling at blocks 4 and 6', () => {
    expect(outputs[3]).toEqual(['50@32', '46@32', '87@32', '138@16', '101@16', '156@8', '180@8', '204@8']);
  });

  it('8 exits, two per sub-network, all reading 8x8 maps', () => {
    expect(plan.exits.map((e) => `${e.flow}:${e.convs[0].input[0]}`)).toEqual(['0:8', '0:8', '1:8', '1:8', '2:8', '2:8', '3:8', '3:8']);
  });
});

describe('ranet FLOPs against the references', () => {
  it('2 x MAC on CIFAR-100: 31.50 M at the first exit and 188.68 M at the last (paper Table 1, RN_C100 min / max)', () => {
    const net = buildRanet(RANET_DEFAULT, 0);
    expect(net.meta.exitFlops).toEqual([
      31_499_264, 62_392_320, 88_993_536, 100_397_824, 120_745_088, 126_742_656, 179_206_400, 188_678_400,
    ]);
    expect((net.meta.exitFlops![0] / 1e6).toFixed(2)).toBe('31.50');
    expect((net.meta.exitFlops![7] / 1e6).toFixed(2)).toBe('188.68');
    expect(net.meta.blocks).toHaveLength(7);
    net.dispose();
  });

  it("DeepPerform's list (RANet op_counter, CIFAR-10 model) = our MACs + ReLU outputs + pooling + linear bias, exactly", () => {
    // The authors' counter (RANet-pytorch op_counter.py) also counts one op per ReLU
    // output element, 128 * 2 * 2 per AvgPool2d(2) and the linear bias; their
    // commented FLOPs list in PolicyNet.py is for the 10-class model.
    const reference = [15_814_410, 31_283_220, 44_655_390, 50_358_312, 60_654_578, 63_647_996, 90_173_958, 94_904_592];
    const config = { ...RANET_DEFAULT, numClasses: 10 };
    const net = buildRanet(config, 0);
    const relu = cumulativeReluOutputs(net.plan);
    const perExit = 128 * 2 * 2 + 10;
    const ours = net.meta.exitFlops!.map((f, k) => f / 2 + relu[k] + perExit * (k + 1));
    expect(ours).toEqual(reference);
    // MACs of convolutions and linear layers alone, what our FLOPs halve to:
    expect(net.meta.exitFlops!.map((f) => f / 2)).toEqual([
      15_738_112, 31_173_120, 44_462_208, 50_152_832, 60_314_944, 63_302_208, 89_522_560, 94_247_040,
    ]);
    net.dispose();
  });
});

/** Output elements of every ConvBasic (each ends in a ReLU) run before leaving at each exit. */
function cumulativeReluOutputs(plan: RaNetPlan): number[] {
  const size = (c: ConvBasicPlan) => c.output[0] * c.output[1] * c.output[2];
  let total = plan.stem.reduce((s, c) => s + size(c), 0);
  return plan.segments.map((seg) => {
    for (const b of seg.blocks) {
      for (const l of b.layers) {
        total += size(l.main.squeeze) + size(l.main.conv);
        if (l.kind === 'fusion') total += size(l.up.squeeze) + size(l.up.conv);
      }
      if (b.last) total += size(b.last);
      if (b.trans) total += size(b.trans);
    }
    total += size(seg.exit.convs[0]) + size(seg.exit.convs[1]);
    return total;
  });
}
