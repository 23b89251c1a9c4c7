
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../../test/helpers/tf.js';
import { tempDir } from '../../../../test/helpers/cli.js';
import { ranetStateDict } from '../../../../test/helpers/ranet-state-dict.js';
import { fillStateDict } from '../../../../test/helpers/sdn-state-dict.js';
import { stateDictFile } from '../../../../test/helpers/skipnet-state-dict.js';
import { importTorchWeights, readSafetensors } from '../../import/index.js';
import { RANET_DEFAULT, RANET_TINY_DEFAULT, withInput, type RaNetConfig } from './config.js';
import { buildRanet } from './ranet.js';
import { ranetTorchMapping } from './torch-names.js';

const C32: RaNetConfig['input'] = { height: 32, width: 32, channels: 3, range: [0, 1] };

describe('ranetTorchMapping against RANet-pytorch state_dict keys (by hand)', () => {
  const net = buildRanet(RANET_DEFAULT, 0, 'ranet');
  const m = ranetTorchMapping(net);
  const shape = (name: string) => net.namedWeights().get(name)!.shape;

  it('the first layer, a fusion layer, conv_last, a transition and an exit', () => {
    expect(m.get('stem0.conv.weight')).toEqual({ torch: 'FirstLayer.layers.0.net.0.weight', layout: { kind: 'conv' } });
    expect(m.get('stem3.bn.running_var')).toEqual({ torch: 'FirstLayer.layers.3.net.1.running_var', layout: { kind: 'same' } });
    // Block 1 of sub-network 1 is scale_flows.1.0; a bottleneck is net.{0,1} (1x1, BN) and net.{3,4} (3x3, BN).
    expect(m.get('scale1.block1.layer0.up.squeeze.conv.weight')?.torch).toBe('scale_flows.1.0.layers.0.conv_up.net.0.weight');
    expect(m.get('scale1.block1.layer0.main.conv.bn.bias')?.torch).toBe('scale_flows.1.0.layers.0.conv_normal.net.4.bias');
    expect(m.get('scale1.block1.last.bn.running_mean')?.torch).toBe('scale_flows.1.0.conv_last.net.1.running_mean');
    expect(m.get('scale1.block2.trans.conv.weight')?.torch).toBe('scale_flows.1.1.trans.net.0.weight');
    expect(m.get('exit3.conv1.bn.weight')?.torch).toBe('classifier.3.m.1.net.1.weight');
    expect(m.get('exit7.linear.weight')).toEqual({ torch: 'classifier.7.linear.weight', layout: { kind: 'linear' } });
  });

  it("our shapes are the original's, by its construction rules", () => {
    // FirstLayer: 3 -> 16 (finest) ... 32 -> 64 (coarsest); torch [out, in, 3, 3].
    expect(shape('stem0.conv.weight')).toEqual([3, 3, 3, 16]);
    expect(shape('stem3.conv.weight')).toEqual([3, 3, 32, 64]);
    // Sub-network 1, block 1, layer 0: conv_up reads block 1 of sub-network 0's input (64 channels)
    // and gives floor(12 * 0.25) = 3 channels through a min(64, 4 * 3) = 12 wide 1x1 (bnFactor[0] 4).
    expect(shape('scale1.block1.layer0.up.squeeze.conv.weight')).toEqual([1, 1, 64, 12]);
    expect(shape('scale1.block1.layer0.up.conv.conv.weight')).toEqual([3, 3, 12, 3]);
    // conv_normal: 32 in, 12 - 3 = 9 out, squeeze min(32, 2 * 9) = 18 (bnFactor[1] 2).
    expect(shape('scale1.block1.layer0.main.squeeze.conv.weight')).toEqual([1, 1, 32, 18]);
    // conv_last: the coarse block's last feature, 64 + 4 * 24 = 160, to floor((32 + 4 * 12) * 0.25) = 20.
    expect(shape('scale1.block1.last.conv.weight')).toEqual([1, 1, 160, 20]);
    // Block 2: 100 + 4 * 12 = 148, + floor(148 / 4) = 37 -> 185, transition to floor(185 / 2) = 92.
    expect(shape('scale1.block2.trans.conv.weight')).toEqual([1, 1, 185, 92]);
    // Exit 0 reads sub-network 0's block 1 (160 channels); exit 7's linear is [100, 128] in torch.
    expect(shape('exit0.conv0.conv.weight')).toEqual([3, 3, 160, 128]);
    expect(shape('exit7.linear.weight')).toEqual([128, 100]);
  });

  it('covers every parameter: 293 ConvBasic (conv + 4 BN tensors each) and 8 linear layers', () => {
    // ConvBasic layers: first layer 4; exits 8 x 2; sub-network 0: 2 blocks x 4 layers x 2;
    // sub-network 1: 2 fusion blocks x 4 layers x 4 + 2 conv_last, 2 x 4 x 2, 1 transition;
    // sub-network 2: 4 x 4 x 4 + 4, 2 x 4 x 2, 2 transitions; sub-network 3: 6 x 4 x 4 + 6, 2 x 4 x 2, 2.
    const convBasic = 4 + 16 + 16 + (32 + 2 + 16 + 1) + (64 + 4 + 16 + 2) + (96 + 6 + 16 + 2);
    expect(convBasic).toBe(293);
    expect(m.size).toBe(293 * 5 + 8 * 2);
    expect([...net.namedWeights().keys()].every((k) => m.has(k))).toBe(true);
    // With num_batches_tracked, the state_dict has 293 * 6 + 16 = 1774 keys.
    expect(ranetStateDict(net, m).size).toBe(1774);
  });

  it('refuses configurations the original CIFAR model cannot express (exit code 2 from the CLI)', () => {
    const refused = (config: RaNetConfig, arch = 'ranet') => () => ranetTorchMapping(buildRanet(config, 0, arch));
    expect(refused(withInput(RANET_DEFAULT, { ...C32, height: 64, width: 64 }))).toThrow(
      /invalid RaNet configuration: ranet: PyTorch weights need a 32x32 input: .*exit 0 ends on 4x4 for 64x64/,
    );
    expect(refused(withInput(RANET_DEFAULT, { ...C32, channels: 1 }))).toThrow(/need a 3-channel input/);
    expect(refused(withInput(RANET_TINY_DEFAULT, C32), 'ranet-tiny')).toThrow(/ranet-tiny: PyTorch weights need the original's stride-1 CIFAR first layer \(stemStride 2/);
    expect(refused({ ...RANET_DEFAULT, classifierChannels: 64 })).toThrow(/need exits of 128 channels.*\(64 here\)/);
  });
});

describe('importing a state_dict file', () => {
  // One network for every file: a failed import leaves its weights untouched.
  const net = buildRanet({ ...RANET_DEFAULT, numClasses: 10 }, 0, 'ranet');
  const mapping = ranetTorchMapping(net);

  /** A file of the original's keys and shapes (edited), values from fillStateDict. */
  function writeFile(edit?: (sd: ReturnType<typeof ranetStateDict>) => void) {
    const shapes = ranetStateDict(net, mapping);
    edit?.(shapes);
    const values = fillStateDict(shapes, 5);
    const file = join(tempDir(), 'ranet.safetensors');
    writeFileSync(file, stateDictFile(values));
    return { values, file };
  }

  /** What the import of an edited file reports after the file name, or 'imported'. */
  async function problems(edit: (sd: ReturnType<typeof ranetStateDict>) => void): Promise<string> {
    const { file } = writeFile(edit);
    try {
      importTorchWeights(net, await readSafetensors(file), mapping, file);
      return 'imported';
    } catch (e) {
      const message = (e as Error).message;
      expect(message.startsWith(`${file}: does not fit ranet: `), message).toBe(true);
      return message.slice(`${file}: does not fit ranet: `.length);
    }
  }

  it('fills every weight with the layouts transposed', async () => {
    const { values, file } = writeFile();
    importTorchWeights(net, await readSafetensors(file), mapping, file);
    const w = net.namedWeights();
    // linear [10, 128] -> [128, 10]: torch (o 7, i 100) is 7 * 128 + 100 = 996, ours 100 * 10 + 7 = 1007.
    expect(w.get('exit7.linear.weight')!.dataSync()[1007]).toBe(values.get('classifier.7.linear.weight')!.values[996]);
    // conv [out 12, in 64, 1, 1] -> [1, 1, 64, 12]: torch (o 5, i 40) is 5 * 64 + 40 = 360, ours 40 * 12 + 5 = 485.
    const up = values.get('scale_flows.1.0.layers.0.conv_up.net.0.weight')!.values;
    expect(w.get('scale1.block1.layer0.up.squeeze.conv.weight')!.dataSync()[485]).toBe(up[360]);
    expect(Array.from(w.get('scale2.block4.trans.bn.running_var')!.dataSync())).toEqual(Array.from(values.get('scale_flows.2.3.trans.net.1.running_var')!.values));
  });

  it('a missing key, an unexpected key and a wrongly shaped tensor: one error naming the file and all three', async () => {
    const found = await problems((sd) => {
      sd.delete('scale_flows.3.5.conv_last.net.1.weight');
      sd.set('scale_flows.3.5.extra.weight', [4]);
      sd.set('classifier.2.linear.bias', [100]);
    });
    expect(found).toBe(
      'missing: scale_flows.3.5.conv_last.net.1.weight; unexpected: scale_flows.3.5.extra.weight; ' +
        'wrong shape: classifier.2.linear.bias [100] -> [100], expected [10]',
    );
  });

  it('each problem alone is reported alone', async () => {
    expect(await problems((sd) => sd.delete('FirstLayer.layers.2.net.0.weight'))).toBe('missing: FirstLayer.layers.2.net.0.weight');
    expect(await problems((sd) => sd.set('classifier.8.linear.bias', [10]))).toBe('unexpected: classifier.8.linear.bias');
    // A transposed conv weight: [out 32, in 16, 3, 3] saved as [16, 32, 3, 3].
    expect(await problems((sd) => sd.set('FirstLayer.layers.2.net.0.weight', [16, 32, 3, 3]))).toBe(
      'wrong shape: FirstLayer.layers.2.net.0.weight [16,32,3,3] -> [3,3,32,16], expected [3,3,16,32]',
    );
  });
});
