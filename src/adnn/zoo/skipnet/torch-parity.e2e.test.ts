import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTorch, runTorch } from '../../../../test/helpers/python.mjs';
import { tempDir } from '../../../../test/helpers/cli.js';
import { skipNetStateDict } from '../../../../test/helpers/skipnet-state-dict.js';
import { importTorchWeights, readSafetensors, stripDataParallelPrefix } from '../../import/index.js';
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

const TORCH_SCRIPT = `
import json, sys, torch
from torch import nn
from torch_peer import randomise, save_safetensors
import torch.nn.functional as F
torch.manual_seed(0)
out = sys.argv[1]

def conv3(ci, co, s=1):
    return nn.Conv2d(ci, co, 3, s, 1, bias=False)

class Block(nn.Module):
    def __init__(self, ci, co, s, downsample):
        super().__init__()
        self.conv1, self.bn1, self.conv2, self.bn2 = conv3(ci, co, s), nn.BatchNorm2d(co), conv3(co, co), nn.BatchNorm2d(co)
        self.downsample = downsample
    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))

class FFGate2(nn.Module):
    def __init__(self, c, pool):
        super().__init__()
        self.conv1, self.bn1 = conv3(c, c, 2), nn.BatchNorm2d(c)
        self.avg_layer, self.linear_layer = nn.AvgPool2d((pool + 1) // 2), nn.Conv2d(c, 2, 1)
    def forward(self, x, state):
        z = self.linear_layer(self.avg_layer(F.relu(self.bn1(self.conv1(x))))).flatten(1)
        return F.softmax(z, 1)[:, 1], state

class Control(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn, self.proj = nn.LSTM(10, 10), nn.Linear(10, 1)
    def forward(self, e, state):
        h, state = self.rnn(e.view(1, e.size(0), -1), state)
        return torch.sigmoid(self.proj(h[0]))[:, 0], state

class SkipNet(nn.Module):
    def __init__(self, ff, layers=(18, 18, 18)):
        super().__init__()
        self.units = []
        self.conv1, self.bn1 = conv3(3, 16), nn.BatchNorm2d(16)
        ci = 16
        for g, (n, c, pool) in enumerate(zip(layers, (16, 32, 64), (32, 16, 8)), 1):
            for i in range(n):
                s = 2 if g > 1 and i == 0 else 1
                ds = nn.Sequential(nn.Conv2d(ci, c, 1, s, bias=False), nn.BatchNorm2d(c)) if s != 1 or ci != c else None
                setattr(self, 'group%d_ds%d' % (g, i), ds)
                setattr(self, 'group%d_layer%d' % (g, i), Block(ci, c, s, ds))
                setattr(self, 'group%d_gate%d' % (g, i), FFGate2(c, pool) if ff else nn.Sequential(nn.AvgPool2d(pool), nn.Conv2d(c, 10, 1)))
                self.units.append((g, i)); ci = c
        if not ff:
            self.control = Control()
        self.ff = ff
        self.avgpool, self.fc = nn.AvgPool2d(8), nn.Linear(64, 10)
    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        prev, mask, state, ps = x, None, None, []
        for g, i in self.units:
            ds = getattr(self, 'group%d_ds%d' % (g, i))
            if ds is not None:
                prev = ds(prev)
            x = getattr(self, 'group%d_layer%d' % (g, i))(x)
            if mask is not None:
                x = mask * x + (1 - mask) * prev
            prev = x
            gate = getattr(self, 'group%d_gate%d' % (g, i))
            p, state = gate(x, state) if self.ff else self.control(gate(x), state)
            ps.append(p)
            mask = (p > 0.5).float().view(-1, 1, 1, 1)
        return self.fc(self.avgpool(x).flatten(1)), torch.stack(ps[:-1], 1)

x = torch.rand(2, 3, 32, 32)
mean, std = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1), torch.tensor([0.2023, 0.1994, 0.2010]).view(1, 3, 1, 1)
res = {'x': x.permute(0, 2, 3, 1).flatten().tolist()}
for name, ff, prefix in [('recurrent', False, ''), ('feedforward', True, 'module.')]:
    model = SkipNet(ff); randomise(model); model.eval()
    with torch.no_grad():
        logits, p = model((x - mean) / std)
    save_safetensors(model.state_dict(), out + '/' + name + '.safetensors', prefix)
    res[name] = {'logits': logits.flatten().tolist(), 'p': p.flatten().tolist(), 'keys': list(model.state_dict().keys())}
json.dump(res, open(out + '/io.json', 'w'))
`;

interface TorchRun {
  x: number[];
  recurrent: { logits: number[]; p: number[]; keys: string[] };
  feedforward: { logits: number[]; p: number[]; keys: string[] };
}

const torchAvailable = hasTorch();

// Needs Debian's python3-torch (the reference peer); skipped where it is not installed.
describe.skipIf(!torchAvailable)('the same gate probabilities and logits as PyTorch (python3-torch; full SkipNet-110, batch 2)', () => {
  let dir = '';
  let run: TorchRun;

  beforeAll(() => {
    dir = tempDir();
    const r = runTorch(TORCH_SCRIPT, dir);
    expect(r.status, r.stderr).toBe(0);
    run = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8')) as TorchRun;
  });

  for (const gate of ['recurrent', 'feedforward'] as const) {
    it(`${ARCH[gate]}`, async () => {
      const ref = run[gate];
      // The hand listing of the original's keys agrees with the model the script built.
      expect([...skipNetStateDict({ gate }).keys()].sort()).toEqual([...ref.keys].sort());
      const file = join(dir, `${gate}.safetensors`);
      const { tensors, stripped } = stripDataParallelPrefix(await readSafetensors(file));
      expect(stripped).toBe(gate === 'feedforward');
      // The default configuration folds in SkipNet's CIFAR normalisation and takes raw [0, 1] images.
      const net = build(gate);
      importTorchWeights(net, tensors, skipNetTorchMapping(net), file);
      const x = tf.tensor4d(run.x, [2, 32, 32, 3]);
      const { logits, p } = net.soft(x, 0.5);
      const [ourP, ourLogits] = [p.dataSync(), logits.dataSync()];
      // Both decisions occur, so the comparison covers running and skipping blocks.
      const ran = ref.p.filter((v) => v > 0.5).length;
      expect(ran).toBeGreaterThan(0);
      expect(ran).toBeLessThan(ref.p.length);
      expect(ourP.length).toBe(ref.p.length);
      const worstP = Math.max(...ref.p.map((v, i) => Math.abs(v - ourP[i])));
      expect(worstP, 'largest gate probability difference').toBeLessThan(1e-4);
      const scale = Math.max(...ref.logits.map(Math.abs));
      const worst = Math.max(...ref.logits.map((v, i) => Math.abs(v - ourLogits[i])));
      expect(worst / scale, `worst logit difference ${worst}, largest logit ${scale}`).toBeLessThan(1e-3);
      tf.dispose([x, logits, p]);
      net.dispose();
    });
  }
});
