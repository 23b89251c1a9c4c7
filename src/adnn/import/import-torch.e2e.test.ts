import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { tinyImportNet as tinyNet, TINY_IMPORT_MAPPING as mapping } from '../../../test/helpers/import-tiny-net.js';
import { hasTorch, runTorch } from '../../../test/helpers/python.mjs';
import { useCpu } from '../../../test/helpers/tf.js';
import { importTorchWeights, parseSafetensors } from './index.js';

beforeAll(useCpu);

describe('importTorchWeights against PyTorch', () => {
  // Needs Debian's python3-torch (the reference peer); where it is not installed this one check is skipped.
  it.skipIf(!hasTorch())('gives the same outputs as PyTorch on the same input (python3-torch)', () => {
    const dir = tempDir();
    const script = `
import json, sys, torch
from torch_peer import save_safetensors
torch.manual_seed(0)
conv = torch.nn.Conv2d(3, 4, 3, padding=1); fc = torch.nn.Linear(4 * 6 * 6, 5)
x = torch.rand(2, 3, 6, 6)
y = fc(torch.relu(conv(x)).flatten(1))
sd = {'conv.weight': conv.weight, 'conv.bias': conv.bias, 'fc.weight': fc.weight, 'fc.bias': fc.bias, 'conv.num_batches_tracked': torch.tensor(3)}
save_safetensors(sd, sys.argv[1] + '/m.safetensors')
json.dump({'x': x.permute(0, 2, 3, 1).flatten().tolist(), 'y': y.flatten().tolist()}, open(sys.argv[1] + '/io.json', 'w'))
`;
    const r = runTorch(script, dir);
    expect(r.status, r.stderr).toBe(0);
    const { net, forward } = tinyNet();
    const file = join(dir, 'm.safetensors');
    importTorchWeights(net, parseSafetensors(readFileSync(file), file), mapping, file);
    const io = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8')) as { x: number[]; y: number[] };
    const y = forward(tf.tensor4d(io.x, [2, 6, 6, 3])).dataSync();
    io.y.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 4));
    writeFileSync(join(dir, 'done'), '');
  });
});
