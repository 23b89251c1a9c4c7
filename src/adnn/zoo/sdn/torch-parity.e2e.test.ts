import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTorch, runTorch } from '../../../../test/helpers/python.mjs';
import { tempDir } from '../../../../test/helpers/cli.js';
import { importTorchWeights, readSafetensors } from '../../import/index.js';
import { SDN_NORMALIZATION } from './config.js';
import type { EarlyExitNetwork } from './early-exit.js';
import { sdnTorchMapping } from './torch-names.js';
import { SDN_ARCHS as ARCHS, sdnConfig as config, type SdnArch as Arch } from '../../../../test/helpers/sdn-archs.js';

const TORCH_SCRIPT = `
import json, sys, torch
from torch import nn
from torch_peer import randomise, save_safetensors
torch.manual_seed(0)
out, K = sys.argv[1], 10

class IC(nn.Module):  # alpha * maxpool + (1 - alpha) * avgpool with kernel side // 4, then linear
    def __init__(self, side, c):
        super().__init__()
        self.k = side // 4 if side >= 4 else 0
        if self.k:
            self.alpha = nn.Parameter(torch.rand(1))
        p = side // self.k if self.k else side
        self.linear = nn.Linear(c * p * p, K)
    def forward(self, x):
        if self.k:
            x = self.alpha * nn.functional.max_pool2d(x, self.k) + (1 - self.alpha) * nn.functional.avg_pool2d(x, self.k)
        return self.linear(x.flatten(1))

def cbn(ci, co, k, s, bias=False, groups=1):
    return [nn.Conv2d(ci, co, k, s, k // 2, bias=bias, groups=groups), nn.BatchNorm2d(co)]

class Res(nn.Module):
    def __init__(self, ci, co, s, side, ic):
        super().__init__()
        short = nn.Sequential(*cbn(ci, co, 1, s)) if s != 1 or ci != co else nn.Sequential()
        self.layers = nn.ModuleList([nn.Sequential(*cbn(ci, co, 3, s), nn.ReLU(), *cbn(co, co, 3, 1)), short, nn.ReLU()])
        self.output = IC(side, co) if ic else None
    def forward(self, x):
        y = self.layers[0](x) + self.layers[1](x)
        return self.layers[2](y), self.output(y) if self.output else None

class Plain(nn.Module):  # VGG conv block / MobileNet block: layers, then the IC on their output
    def __init__(self, layers, side, c, ic):
        super().__init__()
        self.layers = nn.Sequential(*layers)
        self.output = IC(side, c) if ic else None
    def forward(self, x):
        y = self.layers(x)
        return y, self.output(y) if self.output else None

class SDN(nn.Module):
    def __init__(self, init, layers, end):
        super().__init__()
        self.init_conv, self.layers, self.end_layers = nn.Sequential(*init), nn.ModuleList(layers), nn.Sequential(*end)
    def forward(self, x):
        h, outs = self.init_conv(x), []
        for l in self.layers:
            h, o = l(h)
            if o is not None: outs.append(o)
        return outs + [self.end_layers(h)]

def resnet56():
    ics = [[0,0,0,1,0,0,0,1,0], [0,0,1,0,0,0,1,0,0], [0,1,0,0,0,1,0,0,0]]
    layers, ci, side = [], 16, 32
    for st, c in enumerate([16, 32, 64]):
        for b in range(9):
            s = 2 if st > 0 and b == 0 else 1
            side //= s
            layers.append(Res(ci, c, s, side, ics[st][b])); ci = c
    return SDN(cbn(3, 16, 3, 1) + [nn.ReLU()], layers, [nn.AvgPool2d(8), nn.Flatten(), nn.Linear(64, K)])

def vgg16():
    chans = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
    pools = [1, 2, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2]; ics = [0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0]
    layers, ci, side = [], 3, 32
    for c, p, ic in zip(chans, pools, ics):
        side //= p
        layers.append(Plain(cbn(ci, c, 3, 1, bias=True) + [nn.ReLU()] + ([nn.MaxPool2d(2)] if p == 2 else []), side, c, ic)); ci = c
    layers.append(Plain([nn.Flatten(), nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.5)], 1, 512, 0))
    return SDN([], layers, [nn.Linear(512, 512), nn.Dropout(0.5), nn.Linear(512, K)])

def mobilenet():
    cfg = [64, (128,2), 128, (256,2), 256, (512,2), 512, 512, 512, 512, 512, (1024,2), 1024]; ics = [0,0,1,0,1,0,1,0,1,0,0,1,0]
    layers, ci, side = [], 32, 32
    for x, ic in zip(cfg, ics):
        c, s = (x, 1) if isinstance(x, int) else x
        side //= s
        layers.append(Plain(cbn(ci, ci, 3, s, groups=ci) + [nn.ReLU()] + cbn(ci, c, 1, 1) + [nn.ReLU()], side, c, ic)); ci = c
    return SDN(cbn(3, 32, 3, 1) + [nn.ReLU()], layers, [nn.AvgPool2d(2), nn.Flatten(), nn.Linear(1024, K)])

# The SDN code normalises in its data loaders: the PyTorch model sees normalised images.
norms = {'cifar10': ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), 'cifar100': ([0.507, 0.487, 0.441], [0.267, 0.256, 0.276]), 'svhn': None}
x = torch.rand(2, 3, 32, 32)
res = {'x': x.permute(0, 2, 3, 1).flatten().tolist()}
for name, make, norm in [('sdn-resnet56', resnet56, 'cifar10'), ('sdn-vgg16', vgg16, 'cifar100'), ('sdn-mobilenet', mobilenet, 'svhn')]:
    model = make(); randomise(model); model.eval()
    xin = x if norms[norm] is None else (x - torch.tensor(norms[norm][0]).view(1, 3, 1, 1)) / torch.tensor(norms[norm][1]).view(1, 3, 1, 1)
    with torch.no_grad():
        logits = [o.flatten().tolist() for o in model(xin)]
    save_safetensors(model.state_dict(), out + '/' + name + '.safetensors')
    res[name] = {'normalize': norm, 'logits': logits, 'keys': list(model.state_dict().keys())}
json.dump(res, open(out + '/io.json', 'w'))
`;

interface TorchRun {
  x: number[];
  [arch: string]: { normalize: 'cifar10' | 'cifar100' | 'svhn'; logits: number[][]; keys: string[] } | number[];
}

const torchAvailable = hasTorch();

// Needs Debian's python3-torch (the reference peer); skipped where it is not installed.
describe.skipIf(!torchAvailable)('the same logits as PyTorch at every exit (python3-torch; 32x32x3, batch 2, 10 classes)', () => {
  let dir = '';
  let run: TorchRun;

  beforeAll(() => {
    dir = tempDir();
    const r = runTorch(TORCH_SCRIPT, dir);
    expect(r.status, r.stderr).toBe(0);
    run = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8')) as TorchRun;
  });

  for (const arch of Object.keys(ARCHS) as Arch[]) {
    it(`${arch}`, async () => {
      const ref = run[arch] as Exclude<TorchRun[string], number[]>;
      // The hand listing of the original's keys agrees with the model the script built.
      expect([...ARCHS[arch].listing({ classes: 10 }).keys()].sort()).toEqual([...ref.keys].sort());
      // Ours folds the data loader's normalisation into the model and takes raw [0, 1] images.
      const net = ARCHS[arch].build(config(10, 1, SDN_NORMALIZATION[ref.normalize]), 0) as EarlyExitNetwork;
      const file = join(dir, `${arch}.safetensors`);
      importTorchWeights(net, await readSafetensors(file), sdnTorchMapping(net), file);
      const x = tf.tensor4d(run.x, [2, 32, 32, 3]);
      const logits = net.exitLogits(x);
      expect(logits).toHaveLength(ref.logits.length);
      logits.forEach((l, i) => {
        const ours = l.dataSync();
        const theirs = ref.logits[i];
        const scale = Math.max(...theirs.map(Math.abs));
        const worst = Math.max(...theirs.map((v, j) => Math.abs(v - ours[j])));
        // Relative to the exit's largest logit: float32 through up to 27 blocks.
        expect(worst / scale, `exit ${i}: worst difference ${worst}, largest logit ${scale}`).toBeLessThan(1e-3);
        expect(scale).toBeGreaterThan(1e-3);
      });
      tf.dispose([x, ...logits]);
      net.dispose();
    });
  }
});
