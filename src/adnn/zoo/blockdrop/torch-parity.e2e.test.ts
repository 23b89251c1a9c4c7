import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hasTorch, runTorch } from '../../../../test/helpers/python.mjs';
import { blockDropStateDict } from '../../../../test/helpers/blockdrop-state-dict.js';
import { tempDir } from '../../../../test/helpers/cli.js';
import { importTorchWeights, readSafetensors } from '../../import/index.js';
import type { SkippingNetwork } from '../resnet/index.js';
import { blockDrop110Config, buildBlockDrop } from './blockdrop.js';
import { blockDropTorchMapping } from './torch-names.js';

/** blockdrop-110 at another depth: [1, 1, 1] keeps the checks that run the network fast. */
function build(stages: [number, number, number] = [18, 18, 18], input = blockDrop110Config().input): SkippingNetwork {
  return buildBlockDrop('blockdrop-110', { ...blockDrop110Config(input), stages }, 0);
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

class Block(nn.Module):  # the residual branch only; the shortcut is added outside
    def __init__(self, ci, co, s):
        super().__init__()
        self.conv1, self.bn1, self.conv2, self.bn2 = conv3(ci, co, s), nn.BatchNorm2d(co), conv3(co, co), nn.BatchNorm2d(co)
    def forward(self, x):
        return self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))

class PadDown(nn.Module):  # average pooling, then zero channels
    def __init__(self, ci, co, s):
        super().__init__()
        self.avg, self.copies = nn.AvgPool2d(s), co // ci
    def forward(self, x):
        x = self.avg(x)
        return torch.cat([x] + [x * 0] * (self.copies - 1), 1)

class Flat(nn.Module):
    def __init__(self, layers, classes):
        super().__init__()
        self.layers = layers
        self.conv1, self.bn1 = conv3(3, 16), nn.BatchNorm2d(16)
        blocks, ds, ci = [], [], 16
        for c, n, s in zip((16, 32, 64), layers, (1, 2, 2)):
            ds.append(PadDown(ci, c, s) if s != 1 or ci != c else nn.Sequential())
            blocks.append(nn.ModuleList([Block(ci if b == 0 else c, c, s if b == 0 else 1) for b in range(n)])); ci = c
        self.blocks, self.ds = nn.ModuleList(blocks), nn.ModuleList(ds)
        self.avgpool = nn.AvgPool2d(8)
        self.fc = nn.Linear(64, classes) if classes else nn.Sequential()
    def forward(self, x, policy=None):
        x, t = F.relu(self.bn1(self.conv1(x))), 0
        for seg, n in enumerate(self.layers):
            for b in range(n):
                res = self.ds[seg](x) if b == 0 else x
                fx = F.relu(res + self.blocks[seg][b](x))
                if policy is None:
                    x = fx
                else:
                    m = policy[:, t].view(-1, 1, 1, 1)
                    x = fx * m + res * (1 - m)
                t += 1
        return self.fc(self.avgpool(x).flatten(1))

class Agent(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.features = Flat((1, 1, 1), 0)
        self.logit, self.vnet = nn.Linear(64, blocks), nn.Linear(64, 1)
    def forward(self, x):
        f = self.features(x)
        return torch.sigmoid(self.logit(f)), self.vnet(f)

rnet, agent = Flat((18, 18, 18), 10), Agent(54)
randomise(rnet); randomise(agent); rnet.eval(); agent.eval()
x = torch.rand(2, 3, 32, 32)
with torch.no_grad():
    probs, _ = agent(x)
    logits = rnet(x, (probs >= 0.5).float())
sd = {**{'agent.' + k: v for k, v in agent.state_dict().items()}, **{'resnet.' + k: v for k, v in rnet.state_dict().items()}}
save_safetensors(sd, out + '/r110.safetensors')
json.dump({'x': x.permute(0, 2, 3, 1).flatten().tolist(), 'p': probs.flatten().tolist(), 'logits': logits.flatten().tolist(), 'keys': list(sd.keys())}, open(out + '/io.json', 'w'))
`;

const torchAvailable = hasTorch();

// Needs Debian's python3-torch (the reference peer); skipped where it is not installed.
describe.skipIf(!torchAvailable)('the same policy and logits as PyTorch (python3-torch; full BlockDrop-110, batch 2)', () => {
  it('blockdrop-110', async () => {
    const dir = tempDir();
    const r = runTorch(TORCH_SCRIPT, dir);
    expect(r.status, r.stderr).toBe(0);
    const ref = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8')) as { x: number[]; p: number[]; logits: number[]; keys: string[] };
    // The hand listing of the original's keys agrees with the models the script built.
    expect([...blockDropStateDict().keys()].sort()).toEqual([...ref.keys].sort());
    const file = join(dir, 'r110.safetensors');
    // The default configuration reads the raw [0, 1] image, as the R110 models do.
    const net = build();
    importTorchWeights(net, await readSafetensors(file), blockDropTorchMapping(net), file);
    const x = tf.tensor4d(ref.x, [2, 32, 32, 3]);
    const { logits, p } = net.soft(x, 0.5);
    const [ourP, ourLogits] = [p.dataSync(), logits.dataSync()];
    const ran = ref.p.filter((v) => v >= 0.5).length;
    expect(ran).toBeGreaterThan(0);
    expect(ran).toBeLessThan(ref.p.length);
    expect(Math.max(...ref.p.map((v, i) => Math.abs(v - ourP[i]))), 'largest policy difference').toBeLessThan(1e-4);
    const scale = Math.max(...ref.logits.map(Math.abs));
    const worst = Math.max(...ref.logits.map((v, i) => Math.abs(v - ourLogits[i])));
    expect(worst / scale, `worst logit difference ${worst}, largest logit ${scale}`).toBeLessThan(1e-3);
    tf.dispose([x, logits, p]);
    net.dispose();
  });
});
