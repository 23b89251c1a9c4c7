"""What the PyTorch parity scripts share: random weights that keep activations O(1) at depth, and a
safetensors writer. The *.e2e.test.ts files run their scripts through runTorch (python.mjs), which puts
this folder on PYTHONPATH; ranet_torch.py sits beside it."""
import json
import struct

import torch
from torch import nn


def randomise(model):
    """Kaiming-normal convolutions; batch-norm affine parameters and running statistics drawn near 1 and 0."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, nonlinearity='relu')  # keeps activations O(1) through depth
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
            m.num_batches_tracked.fill_(7)


def save_safetensors(sd, path, prefix=''):
    """The state dict `sd` as a safetensors file (F32, and I64 for counters), each key after `prefix`."""
    header, blobs, off = {}, [], 0
    for k, v in sd.items():
        b = v.detach().contiguous().numpy().tobytes()
        header[prefix + k] = {'dtype': 'I64' if v.dtype == torch.int64 else 'F32', 'shape': list(v.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))
