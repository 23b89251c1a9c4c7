
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { blockDropStateDict } from '../../../../test/helpers/blockdrop-state-dict.js';
import { tempDir } from '../../../../test/helpers/cli.js';
import { fillStateDict } from '../../../../test/helpers/sdn-state-dict.js';
import { stateDictFile, type StateDictValues } from '../../../../test/helpers/skipnet-state-dict.js';
import { importTorchWeights, readSafetensors } from '../../import/index.js';
import type { SkippingNetwork } from '../resnet/index.js';
import { blockDrop110Config, buildBlockDrop } from './blockdrop.js';
import { blockDropTorchMapping } from './torch-names.js';

/** blockdrop-110 at another depth: [1, 1, 1] keeps the checks that run the network fast. */
function build(stages: [number, number, number] = [18, 18, 18], input = blockDrop110Config().input): SkippingNetwork {
  return buildBlockDrop('blockdrop-110', { ...blockDrop110Config(input), stages }, 0);
}

const ours = (net: SkippingNetwork, name: string) => net.namedWeights().get(name)!.dataSync();
const theirs = (values: StateDictValues, key: string) => values.get(key)!.values;

describe('blockDropTorchMapping against the original state_dict keys (listed by hand)', () => {
  it('backbone under "resnet." (blocks.{stage}.{block}, or the pretrained layer{s}.{b}), agent under "agent."', () => {
    const net = build();
    const m = blockDropTorchMapping(net);
    expect(m.get('conv1.weight')).toEqual({ torch: 'resnet.conv1.weight', layout: { kind: 'conv' } });
    // Stage 3 block 17 is blocks.2.17; the pretrained checkpoint calls it layer3.17.
    expect(m.get('stage3.block17.bn2.running_var')).toEqual({
      torch: 'resnet.blocks.2.17.bn2.running_var',
      aliases: ['resnet.layer3.17.bn2.running_var'],
      layout: { kind: 'same' },
    });
    // No shortcut parameters: DownsampleB has none, nor has ours.
    expect([...m.keys()].some((k) => k.includes('downsample'))).toBe(false);
    expect(m.get('fc.weight')).toEqual({ torch: 'resnet.fc.weight', layout: { kind: 'linear' } });
    expect(m.get('agent.stage2.block0.conv1.weight')).toEqual({ torch: 'agent.features.blocks.1.0.conv1.weight', layout: { kind: 'conv' } });
    expect(m.get('agent.bn1.running_mean')?.torch).toBe('agent.features.bn1.running_mean');
    expect(m.get('agent.logit.weight')).toEqual({ torch: 'agent.logit.weight', layout: { kind: 'linear' } });
    expect(m.get('agent.vnet.bias')?.torch).toBe('agent.vnet.bias');
    expect(m.get('unused:agent.features.fc.weight')?.layout.kind).toBe('unused');
    net.dispose();
  });

  it('a full checkpoint lands with the right transposes and BN statistics', () => {
    const net = build();
    const values = fillStateDict(blockDropStateDict(), 3);
    importTorchWeights(net, values, blockDropTorchMapping(net), 'r110.safetensors');
    // conv [o 64, i 64, 3, 3] -> [kh, kw, i, o]: (o 9, i 33, kh 1, kw 2) is ((9*64+33)*3+1)*3+2 = 5486, ours ((1*3+2)*64+33)*64+9 = 22601.
    expect(ours(net, 'stage3.block4.conv2.weight')[22601]).toBe(theirs(values, 'resnet.blocks.2.4.conv2.weight')[5486]);
    // The agent's stride-2 conv [32, 16, 3, 3]: (o 31, i 0, kh 0, kw 0) is 31*16*9 = 4464, ours 31.
    expect(ours(net, 'agent.stage2.block0.conv1.weight')[31]).toBe(theirs(values, 'agent.features.blocks.1.0.conv1.weight')[4464]);
    // logit [54 blocks, 64] -> [64, 54]: (block 53, feature 2) is 53*64+2 = 3394, ours 2*54+53 = 161.
    expect(ours(net, 'agent.logit.weight')[161]).toBe(theirs(values, 'agent.logit.weight')[3394]);
    expect(Array.from(ours(net, 'stage1.block0.bn1.running_mean'))).toEqual(Array.from(theirs(values, 'resnet.blocks.0.0.bn1.running_mean')));
    expect(Array.from(ours(net, 'agent.stage3.block0.bn2.running_var'))).toEqual(Array.from(theirs(values, 'agent.features.blocks.2.0.bn2.running_var')));
    expect(Array.from(ours(net, 'agent.vnet.bias'))).toEqual(Array.from(theirs(values, 'agent.vnet.bias')));
    net.dispose();
  });

  it("a backbone with the pretrained ResNet's names and an older agent with features.fc are accepted", () => {
    const net = build([1, 1, 1]);
    const values = fillStateDict(blockDropStateDict({ layers: [1, 1, 1], pretrainedNames: true }), 4);
    values.set('agent.features.fc.weight', { shape: [10, 64], values: new Float32Array(640) });
    values.set('agent.features.fc.bias', { shape: [10], values: new Float32Array(10) });
    importTorchWeights(net, values, blockDropTorchMapping(net), 'x.safetensors');
    expect(Array.from(ours(net, 'stage2.block0.bn2.bias'))).toEqual(Array.from(theirs(values, 'resnet.layer2.0.bn2.bias')));
    net.dispose();
  });

  it('a file with a key missing, an extra key and a wrongly shaped tensor gives one error naming all three', async () => {
    const shapes = blockDropStateDict();
    shapes.delete('resnet.blocks.1.4.bn1.running_mean');
    shapes.set('agent.features.blocks.0.1.conv1.weight', [16, 16, 3, 3]);
    shapes.set('agent.logit.weight', [53, 64]);
    const file = join(tempDir(), 'broken.safetensors');
    writeFileSync(file, stateDictFile(fillStateDict(shapes)));
    const net = build();
    const load = async () => importTorchWeights(net, await readSafetensors(file), blockDropTorchMapping(net), file);
    await expect(load()).rejects.toThrow(
      /broken\.safetensors: does not fit blockdrop-110: missing: resnet\.blocks\.1\.4\.bn1\.running_mean \(or resnet\.layer2\.4\.bn1\.running_mean\); unexpected: agent\.features\.blocks\.0\.1\.conv1\.weight; wrong shape: agent\.logit\.weight \[53,64\] -> \[64,53\], expected \[64,54\]$/,
    );
    net.dispose();
  });

  it('another input size is refused: FlatResNet32 pools with AvgPool2d(8)', () => {
    const net = build([1, 1, 1], { height: 64, width: 64, channels: 3, range: [0, 1] });
    expect(() => blockDropTorchMapping(net)).toThrow(/blockdrop-110 configuration: PyTorch weights need a 32x32 input: .* \(64x64 here\)/);
    net.dispose();
  });

  it('the policy: output k of "logit" is the probability of block k (zero weights, p = sigmoid(bias), by hand)', () => {
    const net = build([1, 1, 1]);
    const values = fillStateDict(blockDropStateDict({ layers: [1, 1, 1] }), 5);
    const bias = [-0.3, 0.2, 1.1];
    values.set('agent.logit.weight', { shape: [3, 64], values: new Float32Array(192) });
    values.set('agent.logit.bias', { shape: [3], values: Float32Array.from(bias) });
    importTorchWeights(net, values, blockDropTorchMapping(net), 'x.safetensors');
    const x = tf.fill([1, 32, 32, 3], 0.5) as tf.Tensor4D;
    const { logits, p } = net.soft(x, 0.5);
    const got = p.dataSync();
    bias.forEach((b, k) => expect(got[k]).toBeCloseTo(1 / (1 + Math.exp(-b)), 6));
    tf.dispose([x, logits, p]);
    net.dispose();
  });
});

/**
 * A PyTorch reference written for this test (not the original's code):
 * FlatResNet32 [18, 18, 18] with DownsampleB shortcuts and the Policy32 agent
 * ([1, 1, 1], 54 outputs), with the original's module names, random weights
 * and BN statistics, eval mode. Raw [0, 1] input (the R110 models are not
 * normalised); block t runs when the agent's p_t >= 0.5, as in test.py. Saved
 * as one file with the keys of {'agent': ..., 'resnet': ...} prefixed.
 */
