"""Reads a deepperform weights folder (model.json + weights.bin, the format of
src/nn/weights-io.ts and src/adnn/model-io.ts) into the PyTorch twin, so both
sides of the bench run the same trained model.

weights.bin is the manifest's tensors back to back, little-endian float32 (or
int32), in manifest order. Layouts differ: ours are NHWC with conv filters
[kh, kw, in, out] and dense kernels [in, out] over an NHWC flatten; the twin is
NCHW with [out, in, kh, kw] and Linear [out, in] over an NCHW flatten.
"""
import json
import os

import torch

from models import SdnTiny


class WeightsFileError(Exception):
    """A model folder the twin cannot read; the message names the file."""


def read_weights(folder):
    """(metadata, {name: tensor in our layout}) of a deepperform weights folder."""
    json_path = os.path.join(folder, 'model.json')
    try:
        with open(json_path, encoding='utf-8') as f:
            model = json.load(f)
    except (OSError, ValueError) as e:
        raise WeightsFileError(f'{json_path}: {e}') from e
    manifest = model.get('weightsManifest') or []
    if model.get('format') != 'deepperform-weights' or len(manifest) != 1:
        raise WeightsFileError(f'{json_path}: not a deepperform weights file')
    bin_path = os.path.join(folder, manifest[0]['paths'][0])
    with open(bin_path, 'rb') as f:
        data = bytearray(f.read())
    out, offset = {}, 0
    for spec in manifest[0]['weights']:
        dtype = {'float32': torch.float32, 'int32': torch.int32}[spec['dtype']]
        count = 1
        for n in spec['shape']:
            count *= n
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=offset).clone()
        out[spec['name']] = flat.reshape(spec['shape'])
        offset += 4 * count
    if offset != len(data):
        raise WeightsFileError(f'{bin_path}: {len(data)} bytes, the manifest needs {offset}')
    return model['metadata'], out


def conv_filter(w):
    """[kh, kw, in, out] -> [out, in, kh, kw]."""
    return w.permute(3, 2, 0, 1).contiguous()


def dense_kernel(w, h, wd, c):
    """[h*w*c (NHWC order), out] -> Linear's [out, c*h*w (NCHW order)]: the
    rows are reordered once here, so the twin flattens NCHW maps as usual."""
    return w.reshape(h, wd, c, -1).permute(3, 2, 0, 1).reshape(w.shape[1], -1).contiguous()


def load_sdn_tiny(folder):
    """The sdn-tiny saved in `folder`, in inference mode, parameters frozen.
    Stride-2 convolutions pad as tfjs 'same' does (extra row and column at the
    end), so the loaded weights compute what ours compute."""
    meta, weights = read_weights(folder)
    if meta.get('arch') != 'sdn-tiny':
        raise WeightsFileError(f'{folder}: arch {meta.get("arch")!r}, expected sdn-tiny')
    cfg = meta['config']
    spec = cfg['input']
    if spec['height'] != spec['width']:
        raise WeightsFileError(f'{folder}: the twin takes square inputs, got {spec["height"]}x{spec["width"]}')
    net = SdnTiny(side=spec['height'], channels=spec['channels'], classes=cfg['numClasses'],
                  widths=tuple(cfg['widths']), mean=cfg['normalize']['mean'], std=cfg['normalize']['std'],
                  tf_same=True, input_range=tuple(spec['range']))
    used = set()

    def take(name):
        used.add(name)
        return weights[name]

    with torch.no_grad():
        for s, seg in enumerate(net.segments):
            for i, conv in enumerate(m for m in seg if isinstance(m, torch.nn.Conv2d)):
                conv.weight.copy_(conv_filter(take(f'segment{s}.conv{i}.weight')))
                conv.bias.copy_(take(f'segment{s}.conv{i}.bias'))
        for e, ex in enumerate(net.exits):
            if ex.pool is not None:
                ex.pool.alpha.copy_(take(f'exit{e}.alpha'))
            ex.linear.weight.copy_(dense_kernel(take(f'exit{e}.linear.weight'), *ex.in_shape))
            ex.linear.bias.copy_(take(f'exit{e}.linear.bias'))
    unused = sorted(set(weights) - used)
    if unused:
        raise WeightsFileError(f'{folder}: weights the twin has no place for: {", ".join(unused)}')
    for p in net.parameters():
        p.requires_grad_(False)
    return net.eval()
