import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn } from '../../src/adnn/index.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.js';
import { encodeSafetensors } from '../helpers/safetensors-writer.js';
import { blockDropStateDict } from '../helpers/blockdrop-state-dict.js';
import { RANET_DEFAULT } from '../../src/adnn/zoo/ranet/config.js';
import { ranetTorchMapping } from '../../src/adnn/zoo/ranet/index.js';
import { buildRanet } from '../../src/adnn/zoo/ranet/ranet.js';
import { ranetStateDict } from '../helpers/ranet-state-dict.js';
import { fillStateDict, resnet56StateDict } from '../helpers/sdn-state-dict.js';
import { fillSkipNetStateDict, skipNetStateDict, stateDictFile } from '../helpers/skipnet-state-dict.js';
import { useCpu } from '../helpers/tf.js';

beforeAll(useCpu);

describe('deepperform import-weights', () => {
  it('a missing file is a usage error (exit 2) naming the file', async () => {
    const r = await runCli(['import-weights', '--arch', 'sdn-resnet56', '--from', 'nowhere/sdn.safetensors', '--out', tempDir()], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nowhere\/sdn\.safetensors: does not exist/);
  });

  it('an architecture without a PyTorch mapping, or an unknown --normalize, is a usage error', async () => {
    const tiny = await runCli(['import-weights', '--arch', 'sdn-tiny', '--from', 'x.safetensors', '--out', tempDir()], ROOT);
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toMatch(/sdn-tiny has no PyTorch import; architectures that have one: .*sdn-resnet56/);
    const norm = await runCli(['import-weights', '--arch', 'sdn-vgg16', '--from', 'x.safetensors', '--out', tempDir(), '--normalize', 'imagenet'], ROOT);
    expect(norm.code).toBe(2);
    expect(norm.stderr).toMatch(/--normalize imagenet: expected one of cifar10, cifar100, svhn, none/);
  });

  it('imports a ResNet-56 SDN state_dict and saves a model that loads, with the source and its sha256', async () => {
    const dir = tempDir();
    const tensors: Parameters<typeof encodeSafetensors>[0] = {};
    const values = fillStateDict(resnet56StateDict({ classes: 10 }), 3);
    for (const [key, t] of values) {
      const int = key.endsWith('num_batches_tracked');
      tensors[key] = { dtype: int ? 'I64' : 'F32', shape: t.shape, values: int ? [0] : Array.from(t.values) };
    }
    const file = join(dir, 'c10.safetensors');
    writeFileSync(file, encodeSafetensors(tensors));
    const out = join(dir, 'model');
    // Without --classes the default (100) does not fit, and the hint says what does.
    const slip = await runCli(['import-weights', '--arch', 'sdn-resnet56', '--from', file, '--out', out], ROOT);
    expect(slip.code).toBe(2);
    expect(slip.stderr).toMatch(/hint: the file's classifiers have 10 classes; pass --classes 10/);
    expect(slip.stderr).toMatch(/wrong shape: layers\.3\.output\.linear\.weight \[10,256\] -> \[256,10\], expected \[256,100\]/);
    const r = await runCli(['import-weights', '--arch', 'sdn-resnet56', '--from', file, '--out', out, '--classes', '10', '--normalize', 'cifar10'], ROOT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sdn-resnet56 \(32x32x3, 10 classes, normalisation cifar10\)/);
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).metadata;
    expect(meta.imported.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(meta.imported.from).toBe(file);
    expect(meta.config.normalize).toEqual({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    const { network } = await loadAdnn(out);
    const w = network.namedWeights();
    // Biases are copied: end_layers.2.bias is our fc.bias.
    expect(Array.from(w.get('fc.bias')!.dataSync())).toEqual(Array.from(values.get('end_layers.2.bias')!.values));
    // Conv [out 16, in 16, kh 3, kw 3] -> ours [kh, kw, in, out]: torch (o 1, i 2, kh 0, kw 1) is at
    // torch index ((1 * 16 + 2) * 3 + 0) * 3 + 1 = 163 and our index ((0 * 3 + 1) * 16 + 2) * 16 + 1 = 289.
    const torchConv = values.get('layers.0.layers.0.0.weight')!.values;
    expect(w.get('stage0.block0.conv1.weight')!.dataSync()[289]).toBe(torchConv[163]);
    network.dispose();
  });

  it('imports a SkipNet-110 checkpoint saved from nn.DataParallel ("module." keys) with the CIFAR-100 normalisation', async () => {
    const dir = tempDir();
    const values = fillSkipNetStateDict(skipNetStateDict({ gate: 'recurrent', classes: 100 }), 11);
    const file = join(dir, 'skipnet.safetensors');
    writeFileSync(file, stateDictFile(values, 'module.'));
    const out = join(dir, 'model');
    const r = await runCli(['import-weights', '--arch', 'skipnet-110', '--from', file, '--out', out, '--classes', '100', '--normalize', 'cifar100'], ROOT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/skipnet-110 \(32x32x3, 100 classes, normalisation cifar100\)/);
    expect(r.stdout).toMatch(/note: every key had nn\.DataParallel's "module\." prefix, which was dropped/);
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).metadata;
    // SkipNet's data.py normalises CIFAR-10 and CIFAR-100 alike.
    expect(meta.config.normalize).toEqual({ mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] });
    const { network } = await loadAdnn(out);
    const w = network.namedWeights();
    const [bih, bhh] = [values.get('control.rnn.bias_ih_l0')!.values, values.get('control.rnn.bias_hh_l0')!.values];
    expect(w.get('control.lstm.bias')!.dataSync()[17]).toBe(Math.fround(bih[17] + bhh[17]));
    // fc [100, 64] -> [64, 100]: (o 99, i 1) is 99*64+1 = 6337, ours 1*100+99 = 199.
    expect(w.get('fc.weight')!.dataSync()[199]).toBe(values.get('fc.weight')!.values[6337]);
    network.dispose();
  });

  it('imports a BlockDrop-110 agent + resnet file with its own (absent) normalisation; other input sizes and presets are refused', async () => {
    const dir = tempDir();
    const values = fillStateDict(blockDropStateDict(), 12);
    const file = join(dir, 'blockdrop.safetensors');
    writeFileSync(file, stateDictFile(values));
    const out = join(dir, 'model');
    const r = await runCli(['import-weights', '--arch', 'blockdrop-110', '--from', file, '--out', out, '--normalize', 'cifar10'], ROOT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/blockdrop-110 \(32x32x3, 10 classes, normalisation cifar10\)/);
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).metadata;
    // The R110 models of BlockDrop read raw [0, 1] images (utils.get_transforms).
    expect(meta.config.normalize).toBeNull();
    const { network } = await loadAdnn(out);
    // logit [54, 64] -> [64, 54]: (block 20, feature 63) is 20*64+63 = 1343, ours 63*54+20 = 3422.
    expect(network.namedWeights().get('agent.logit.weight')!.dataSync()[3422]).toBe(values.get('agent.logit.weight')!.values[1343]);
    network.dispose();
    const svhn = await runCli(['import-weights', '--arch', 'blockdrop-110', '--from', file, '--out', join(dir, 'x'), '--normalize', 'svhn'], ROOT);
    expect(svhn.code).toBe(2);
    expect(svhn.stderr).toMatch(/--normalize svhn: expected one of cifar10, cifar100, none for blockdrop-110/);
    const size = await runCli(['import-weights', '--arch', 'blockdrop-110', '--from', file, '--out', join(dir, 'y'), '--input', '64x64x3'], ROOT);
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/blockdrop-110 configuration: PyTorch weights need a 32x32 input/);
  });

  it('imports a RaNet (RANet-pytorch CIFAR-10) state_dict; a broken file, "none" and another input size are exit 2', async () => {
    const dir = tempDir();
    const net = buildRanet({ ...RANET_DEFAULT, numClasses: 10 });
    const shapes = ranetStateDict(net, ranetTorchMapping(net));
    net.dispose();
    const values = fillStateDict(shapes, 13);
    const file = join(dir, 'ranet-c10.safetensors');
    // main.py saves the state_dict of an nn.DataParallel model: every key starts with "module.".
    writeFileSync(file, stateDictFile(values, 'module.'));
    const out = join(dir, 'model');
    const r = await runCli(['import-weights', '--arch', 'ranet', '--from', file, '--out', out, '--classes', '10', '--normalize', 'cifar10'], ROOT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ranet \(32x32x3, 10 classes, normalisation cifar10\): 1481 weights filled/);
    expect(r.stdout).toMatch(/note: every key had nn\.DataParallel's "module\." prefix, which was dropped/);
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).metadata;
    // RANet-pytorch's dataloader.py statistics for CIFAR-10.
    expect(meta.config.normalize).toEqual({ mean: [0.4914, 0.4824, 0.4467], std: [0.2471, 0.2435, 0.2616] });
    const { network } = await loadAdnn(out);
    // classifier.3.linear.weight [10, 128] -> [128, 10]: (o 2, i 50) is 2 * 128 + 50 = 306, ours 50 * 10 + 2 = 502.
    expect(network.namedWeights().get('exit3.linear.weight')!.dataSync()[502]).toBe(values.get('classifier.3.linear.weight')!.values[306]);
    network.dispose();

    const broken = new Map(values);
    broken.delete('scale_flows.2.0.conv_last.net.0.weight');
    const brokenFile = join(dir, 'broken.safetensors');
    writeFileSync(brokenFile, stateDictFile(broken));
    // Without --classes the default (100) does not fit either: one error names the file and every problem, and the hint says what fits.
    const bad = await runCli(['import-weights', '--arch', 'ranet', '--from', brokenFile, '--out', join(dir, 'x')], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.safetensors: does not fit ranet: missing: scale_flows\.2\.0\.conv_last\.net\.0\.weight; wrong shape: classifier\.0\.linear\.weight \[10,128\] -> \[128,10\], expected \[128,100\]/);
    expect(bad.stderr).toMatch(/hint: the file's classifiers have 10 classes; pass --classes 10/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    const none = await runCli(['import-weights', '--arch', 'ranet', '--from', file, '--out', join(dir, 'z'), '--normalize', 'none'], ROOT);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--normalize none: expected one of cifar10, cifar100 for ranet/);
    const size = await runCli(['import-weights', '--arch', 'ranet', '--from', file, '--out', join(dir, 'w'), '--input', '64x64x3', '--classes', '10'], ROOT);
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/ranet: PyTorch weights need a 32x32 input/);
  });
});
