
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/cli.js';
import { fillSkipNetStateDict, skipNetStateDict, stateDictFile, type StateDictValues } from '../../../../test/helpers/skipnet-state-dict.js';
import { importTorchWeights, readSafetensors } from '../../import/index.js';
import type { SkippingNetwork } from '../resnet/index.js';
import { buildSkipNet, skipNet110Config, skipNet110FfConfig, type SkipNetConfig } from './skipnet.js';
import { skipNetTorchMapping } from './torch-names.js';

type Gate = 'recurrent' | 'feedforward';
const ARCH: Record<Gate, string> = { recurrent: 'skipnet-110', feedforward: 'skipnet-110-ff' };

/** skipnet-110(-ff) at another depth: [1, 1, 1] keeps the checks that run the network fast. */
function build(gate: Gate, stages: [number, number, number] = [18, 18, 18], input?: SkipNetConfig['input']): SkippingNetwork {
  const config = gate === 'recurrent' ? skipNet110Config(input) : skipNet110FfConfig(input);
  return buildSkipNet(ARCH[gate], { ...config, stages }, 0);
}

const ours = (net: SkippingNetwork, name: string) => net.namedWeights().get(name)!.dataSync();
const theirs = (values: StateDictValues, key: string) => values.get(key)!.values;
function setValues(values: StateDictValues, key: string, fill: (i: number) => number): void {
  const t = values.get(key)!;
  values.set(key, { shape: t.shape, values: Float32Array.from(t.values, (_, i) => fill(i)) });
}

describe('skipNetTorchMapping against the original state_dict keys (listed by hand)', () => {
  it('skipnet-110: shortcut aliases, the gate after each unit, the LSTM and the idle last gate', () => {
    const net = build('recurrent');
    const m = skipNetTorchMapping(net);
    // The shortcut module is both group2_ds0 and group2_layer0.downsample.
    expect(m.get('stage2.block0.downsample.conv.weight')).toEqual({
      torch: 'group2_ds0.0.weight',
      aliases: ['group2_layer0.downsample.0.weight'],
      layout: { kind: 'conv' },
    });
    expect(m.get('stage3.block0.downsample.bn.running_var')?.aliases).toEqual(['group3_layer0.downsample.1.running_var']);
    expect(m.get('stage3.block17.bn2.running_mean')).toEqual({ torch: 'group3_layer17.bn2.running_mean', layout: { kind: 'same' } });
    // Gate j reads unit j: 17 = group 1 layer 17, 18 = group 2 layer 0, 52 = group 3 layer 16.
    expect(m.get('gate17.embed.weight')).toEqual({ torch: 'group1_gate17.1.weight', layout: { kind: 'dense-from-conv1x1' } });
    expect(m.get('gate18.embed.bias')?.torch).toBe('group2_gate0.1.bias');
    expect(m.get('gate52.embed.weight')?.torch).toBe('group3_gate16.1.weight');
    expect(net.namedWeights().has('gate53.embed.weight')).toBe(false);
    expect(m.get('unused:group3_gate17.1.weight')?.layout.kind).toBe('unused');
    expect(m.get('control.lstm.weight_hh')).toEqual({ torch: 'control.rnn.weight_hh_l0', layout: { kind: 'linear' } });
    expect(m.get('control.lstm.bias')).toEqual({ torch: 'control.rnn.bias_ih_l0', plus: ['control.rnn.bias_hh_l0'], layout: { kind: 'same' } });
    expect(m.get('fc.weight')).toEqual({ torch: 'fc.weight', layout: { kind: 'linear' } });
    net.dispose();
  });

  it('skipnet-110-ff: FFGate-II conv1, bn1 and linear_layer (a 1x1 conv), and the idle last gate', () => {
    const net = build('feedforward');
    const m = skipNetTorchMapping(net);
    expect(m.get('gate18.conv1.weight')).toEqual({ torch: 'group2_gate0.conv1.weight', layout: { kind: 'conv' } });
    expect(m.get('gate40.bn1.running_var')?.torch).toBe('group3_gate4.bn1.running_var');
    expect(m.get('gate40.linear.weight')).toEqual({ torch: 'group3_gate4.linear_layer.weight', layout: { kind: 'dense-from-conv1x1' } });
    const unused = [...m.keys()].filter((k) => k.startsWith('unused:'));
    expect(unused).toHaveLength(7);
    expect(unused).toContain('unused:group3_gate17.bn1.running_mean');
    expect(unused).toContain('unused:group3_gate17.linear_layer.bias');
    net.dispose();
  });

  it('skipnet-110: a full state_dict lands with the right transposes, the summed LSTM bias and the BN statistics', () => {
    const net = build('recurrent');
    const values = fillSkipNetStateDict(skipNetStateDict({ gate: 'recurrent' }), 5);
    importTorchWeights(net, values, skipNetTorchMapping(net), 'c10.safetensors');
    // conv [o 32, i 32, 3, 3] -> [kh, kw, i, o]: (o 5, i 7, kh 2, kw 0) is torch ((5*32+7)*3+2)*3 = 1509, ours ((2*3+0)*32+7)*32+5 = 6373.
    expect(ours(net, 'stage2.block3.conv1.weight')[6373]).toBe(theirs(values, 'group2_layer3.conv1.weight')[1509]);
    // 1x1 shortcut [o 64, i 32, 1, 1] -> [1, 1, 32, 64]: (o 40, i 9) is torch 40*32+9 = 1289, ours 9*64+40 = 616.
    expect(ours(net, 'stage3.block0.downsample.conv.weight')[616]).toBe(theirs(values, 'group3_ds0.0.weight')[1289]);
    // Embedding 1x1 conv [e 10, c 64, 1, 1] of the gate after group 3 layer 2 (unit 38) -> dense [64, 10]: (e 3, c 60) is 252 -> 603.
    expect(ours(net, 'gate38.embed.weight')[603]).toBe(theirs(values, 'group3_gate2.1.weight')[252]);
    // LSTM weight_ih_l0 [4H 40, in 10] -> [10, 40]: row 23 (gate g, unit 3), column 4 is 234 -> 4*40+23 = 183.
    expect(ours(net, 'control.lstm.weight_ih')[183]).toBe(theirs(values, 'control.rnn.weight_ih_l0')[234]);
    const [bih, bhh] = [theirs(values, 'control.rnn.bias_ih_l0'), theirs(values, 'control.rnn.bias_hh_l0')];
    expect(Array.from(ours(net, 'control.lstm.bias'))).toEqual(Array.from(bih, (v, k) => Math.fround(v + bhh[k])));
    expect(Array.from(ours(net, 'stage3.block5.bn2.running_var'))).toEqual(Array.from(theirs(values, 'group3_layer5.bn2.running_var')));
    expect(Array.from(ours(net, 'bn1.running_mean'))).toEqual(Array.from(theirs(values, 'bn1.running_mean')));
    // fc [10, 64] -> [64, 10]: (o 7, i 50) is 498 -> 507.
    expect(ours(net, 'fc.weight')[507]).toBe(theirs(values, 'fc.weight')[498]);
    net.dispose();
  });

  it('skipnet-110-ff: the gates\' conv, BN and 1x1 "linear_layer" land where they belong', () => {
    const net = build('feedforward');
    const values = fillSkipNetStateDict(skipNetStateDict({ gate: 'feedforward' }), 6);
    importTorchWeights(net, values, skipNetTorchMapping(net), 'ff.safetensors');
    // Gate after group 2 layer 4 = gate 22; conv [32, 32, 3, 3]: (o 1, i 30, kh 0, kw 2) is ((1*32+30)*3+0)*3+2 = 560 -> ((0*3+2)*32+30)*32+1 = 3009.
    expect(ours(net, 'gate22.conv1.weight')[3009]).toBe(theirs(values, 'group2_gate4.conv1.weight')[560]);
    // linear_layer [2, 64, 1, 1] of gate 41 (group 3 layer 5) -> [64, 2]: (o 1, c 10) is 1*64+10 = 74 -> 10*2+1 = 21.
    expect(ours(net, 'gate41.linear.weight')[21]).toBe(theirs(values, 'group3_gate5.linear_layer.weight')[74]);
    expect(Array.from(ours(net, 'gate0.bn1.running_mean'))).toEqual(Array.from(theirs(values, 'group1_gate0.bn1.running_mean')));
    net.dispose();
  });

  it('the shortcut under either name alone (a de-duplicating save) or under both, equal, is accepted; differing copies are not', () => {
    const net = build('recurrent', [1, 1, 1]);
    const full = fillSkipNetStateDict(skipNetStateDict({ gate: 'recurrent', layers: [1, 1, 1] }), 7);
    const without = (pattern: RegExp) => new Map([...full].filter(([k]) => !pattern.test(k)));
    const m = skipNetTorchMapping(net);
    for (const values of [full, without(/_ds0\./), without(/\.downsample\./)]) {
      importTorchWeights(net, values, m, 'x.safetensors');
      expect(Array.from(ours(net, 'stage2.block0.downsample.bn.weight'))).toEqual(Array.from(theirs(full, 'group2_ds0.1.weight')));
    }
    setValues(full, 'group2_layer0.downsample.0.weight', () => 0.5);
    expect(() => importTorchWeights(net, full, m, 'x.safetensors')).toThrow(
      /conflicting: group2_ds0\.0\.weight and group2_layer0\.downsample\.0\.weight \(one tensor under two names\) differ$/,
    );
    net.dispose();
  });

  it('a file with a key missing, an extra key and a wrongly shaped tensor gives one error naming all three', async () => {
    const values = fillSkipNetStateDict(skipNetStateDict({ gate: 'recurrent' }));
    values.delete('group2_layer5.conv2.weight');
    values.set('group2_gate99.1.weight', { shape: [10, 32, 1, 1], values: new Float32Array(320) });
    values.set('control.rnn.weight_hh_l0', { shape: [40, 11], values: new Float32Array(440) });
    const file = join(tempDir(), 'broken.safetensors');
    writeFileSync(file, stateDictFile(values));
    const net = build('recurrent');
    const load = async () => importTorchWeights(net, await readSafetensors(file), skipNetTorchMapping(net), file);
    await expect(load()).rejects.toThrow(
      /broken\.safetensors: does not fit skipnet-110: missing: group2_layer5\.conv2\.weight; unexpected: group2_gate99\.1\.weight; wrong shape: control\.rnn\.weight_hh_l0 \[40,11\] -> \[11,40\], expected \[10,40\]$/,
    );
    net.dispose();
  });

  it('another input size is refused: the original pools with fixed windows for 32x32', () => {
    const net = build('recurrent', [1, 1, 1], { height: 28, width: 28, channels: 3, range: [0, 1] });
    expect(() => skipNetTorchMapping(net)).toThrow(/skipnet-110 configuration: PyTorch weights need a 32x32 input: .* \(28x28 here\)/);
    net.dispose();
  });
});

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('imported gates compute what the original computes, by hand ([1, 1, 1] blocks, so two gates)', () => {
  it('recurrent gate: LSTM gate order i, f, g, o and the two summed biases', () => {
    const net = build('recurrent', [1, 1, 1]);
    const values = fillSkipNetStateDict(skipNetStateDict({ gate: 'recurrent', layers: [1, 1, 1] }), 8);
    // Zero embeddings: the LSTM input is 0 at every step; zero weight_hh: only the biases act.
    for (const key of values.keys()) if (/_gate\d+\.1\./.test(key) || key === 'control.rnn.weight_hh_l0') setValues(values, key, () => 0);
    const perGate = [0.2, 0.7, -0.4, 0.9]; // i, f, g, o: ten entries each
    setValues(values, 'control.rnn.bias_ih_l0', (k) => perGate[Math.floor(k / 10)]);
    setValues(values, 'control.rnn.bias_hh_l0', () => 0.1);
    setValues(values, 'control.proj.weight', () => 0.5);
    setValues(values, 'control.proj.bias', () => 0.1);
    importTorchWeights(net, values, skipNetTorchMapping(net), 'x.safetensors');
    const [i, f, g, o] = perGate.map((b) => b + 0.1);
    // c1 = s(i) tanh(g), h1 = s(o) tanh(c1); c2 = s(f) c1 + s(i) tanh(g), h2 = s(o) tanh(c2); p = s(10 * 0.5 * h + 0.1).
    const c1 = sigmoid(i) * Math.tanh(g);
    const c2 = sigmoid(f) * c1 + sigmoid(i) * Math.tanh(g);
    const expected = [c1, c2].map((c) => sigmoid(5 * sigmoid(o) * Math.tanh(c) + 0.1));
    const x = tf.fill([1, 32, 32, 3], 0.3) as tf.Tensor4D;
    const { logits, p } = net.soft(x, 0.5);
    const got = p.dataSync();
    expect(got[0]).toBeCloseTo(expected[0], 5); // 0.3761
    expect(got[1]).toBeCloseTo(expected[1], 5); // 0.2876
    tf.dispose([x, logits, p]);
    net.dispose();
  });

  it('FFGate-II: p is the softmax probability of output 1 ("execute") of the 1x1 conv', () => {
    const net = build('feedforward', [1, 1, 1]);
    const values = fillSkipNetStateDict(skipNetStateDict({ gate: 'feedforward', layers: [1, 1, 1] }), 9);
    // Zero gate convs: BN then gives its bias (running mean 0, variance 1 - eps), ReLU keeps the positive ones,
    // and the pooled vector is that constant. Output 0 reads nothing, output 1 sums the channels.
    for (const gate of ['group1_gate0', 'group2_gate0']) {
      setValues(values, `${gate}.conv1.weight`, () => 0);
      setValues(values, `${gate}.bn1.weight`, () => 1);
      setValues(values, `${gate}.bn1.running_mean`, () => 0);
      setValues(values, `${gate}.bn1.running_var`, () => 1 - 1e-5);
      setValues(values, `${gate}.bn1.bias`, (c) => c / 100 - 0.05);
      const channels = values.get(`${gate}.bn1.bias`)!.shape[0];
      setValues(values, `${gate}.linear_layer.weight`, (k) => (k < channels ? 0 : 1));
      setValues(values, `${gate}.linear_layer.bias`, (k) => [0.3, -0.2][k]);
    }
    importTorchWeights(net, values, skipNetTorchMapping(net), 'x.safetensors');
    // p = softmax(z)[1] = s(z1 - z0) = s(sum_c relu(c / 100 - 0.05) - 0.5); 16 channels: 0.01+...+0.10 = 0.55; 32: 0.01+...+0.26 = 3.51.
    const expected = [sigmoid(0.55 - 0.5), sigmoid(3.51 - 0.5)];
    const x = tf.fill([1, 32, 32, 3], 0.6) as tf.Tensor4D;
    const { logits, p } = net.soft(x, 0.5);
    const got = p.dataSync();
    expect(got[0]).toBeCloseTo(expected[0], 5);
    expect(got[1]).toBeCloseTo(expected[1], 5);
    tf.dispose([x, logits, p]);
    net.dispose();
  });
});

/**
 * A PyTorch reference written for this test (not the original's code): both
 * SkipNet-110 variants with the original's module names (so their state_dict
 * keys are the original's, the shared shortcut under both names), random
 * weights and BN statistics, eval mode, hard gates at 0.5 as the original's
 * inference. The data loader's CIFAR normalisation is applied to the input
 * here; ours folds it into the model. The feed-forward model is saved as
 * nn.DataParallel saves it, every key prefixed with "module.".
 */
