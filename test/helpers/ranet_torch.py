"""A PyTorch reference of the zoo's RaNet (src/adnn/zoo/ranet), written for the
import parity test (src/adnn/zoo/ranet/torch-names.test.ts) from the
construction rules of RANet-pytorch's CIFAR model (models/RANet.py) and with
its module names, so the state_dict keys are the original's:
FirstLayer.layers.i, scale_flows.f.b.{layers.j.{conv_normal,conv_up},conv_last,trans},
classifier.k.{m.0,m.1,linear}; every ConvBasic / bottleneck is an indexed `net`.

Usage: ranet_torch.py <out dir> <config json> <batch>
The config is the TypeScript RaNetConfig (stemStride 1, 128-channel exits:
what the original's CIFAR model is). Random weights and BN statistics, eval
mode, uniform [0, 1] images normalised with config.normalize before the model
(the original normalises in its data loaders). Writes <out>/ranet.safetensors
and <out>/io.json: the images (NHWC), every exit's logits and max softmax,
the state_dict keys, and for a few thresholds tau the exit each image leaves
at (the first exit whose max softmax is >= tau; the last always answers).
"""
import json
import math
import sys

import torch
import torch.nn.functional as F
from torch import nn

from torch_peer import save_safetensors


class ConvBasic(nn.Module):
    """conv (no bias), BN, ReLU; 3x3 pads 1."""

    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU())

    def forward(self, x):
        return self.net(x)


class Bottleneck(nn.Module):
    """1x1 squeeze to min(cin, width * cout), BN, ReLU, 3x3 conv, BN, ReLU (ConvBN, bnAfter)."""

    def __init__(self, cin, cout, width, stride):
        super().__init__()
        inner = min(cin, width * cout)
        self.net = nn.Sequential(
            nn.Conv2d(cin, inner, 1, 1, 0, bias=False), nn.BatchNorm2d(inner), nn.ReLU(),
            nn.Conv2d(inner, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())

    def forward(self, x):
        return self.net(x)


def resize(x, like):
    return F.interpolate(x, size=tuple(like.shape[2:]), mode='bilinear', align_corners=True)


class DenseLayer(nn.Module):
    """[x, f(x)]."""

    def __init__(self, cin, growth, width):
        super().__init__()
        self.conv_normal = Bottleneck(cin, growth, width, 1)

    def forward(self, x, low):
        return torch.cat([x, self.conv_normal(x)], 1)


class FusionLayer(nn.Module):
    """[resize(x), resize(up(low)), f(x)] at f(x)'s size; floor(growth * compress) channels from low."""

    def __init__(self, cin, clow, growth, width, width_low, compress, down):
        super().__init__()
        from_low = math.floor(growth * compress)
        self.conv_up = Bottleneck(clow, from_low, width_low, 1)
        self.conv_normal = Bottleneck(cin, growth - from_low, width, 2 if down else 1)

    def forward(self, x, low):
        res = self.conv_normal(x)
        return torch.cat([resize(x, res), resize(self.conv_up(low), res), res], 1)


class Block(nn.Module):
    """`step` layers; a fusion block ends with a 1x1 ConvBasic of the coarse block's last feature; an optional transition."""

    def __init__(self, c, flow, cin, low, trans, down):
        super().__init__()
        growth, width = c['growthRate'] * c['grFactor'][flow], c['bnFactor'][flow]
        self.fusion = low is not None
        self.layers = nn.ModuleList()
        ch = cin
        for j in range(c['step']):
            if self.fusion:
                last = down and j == c['step'] - 1
                self.layers.append(FusionLayer(ch, low[j], growth, width, c['bnFactor'][flow - 1], c['compressFactor'], last))
            else:
                self.layers.append(DenseLayer(ch, growth, width))
            ch += growth
        # What the next sub-network's fusion block reads: the input and every layer's output.
        self.features = [cin + j * growth for j in range(c['step'] + 1)]
        if self.fusion:
            extra = math.floor(ch * c['compressFactor'])
            self.conv_last = ConvBasic(low[c['step']], extra, 1, 1)
            ch += extra
        if trans:
            self.trans = ConvBasic(ch, math.floor(c['reduction'] * ch), 1, 1)
            ch = math.floor(c['reduction'] * ch)
        self.has_trans = trans
        self.out = ch

    def forward(self, x, low):
        feats = [x]
        for j, layer in enumerate(self.layers):
            x = layer(x, low[j] if self.fusion else None)
            feats.append(x)
        if self.fusion:
            x = torch.cat([x, resize(self.conv_last(low[len(self.layers)]), x)], 1)
        if self.has_trans:
            x = self.trans(x)
        return x, feats


class Exit(nn.Module):
    """The CIFAR classifier: two stride-2 ConvBasic to 128, AvgPool2d(2), linear."""

    def __init__(self, cin, classes):
        super().__init__()
        self.m = nn.Sequential(ConvBasic(cin, 128, 3, 2), ConvBasic(128, 128, 3, 2), nn.AvgPool2d(2))
        self.linear = nn.Linear(128, classes)

    def forward(self, x):
        return self.linear(self.m(x).flatten(1))


class FirstLayer(nn.Module):
    """One 3x3 ConvBasic per sub-network, finest first, stride 2 where the scale level drops; returns coarsest first."""

    def __init__(self, c):
        super().__init__()
        gr, scales = c['grFactor'][::-1], c['scaleList'][::-1]
        self.layers = nn.ModuleList([ConvBasic(3, c['nChannels'] * gr[0], 3, 1)])
        for i in range(1, len(scales)):
            stride = 1 if scales[i] == scales[i - 1] else 2
            self.layers.append(ConvBasic(c['nChannels'] * gr[i - 1], c['nChannels'] * gr[i], 3, stride))

    def forward(self, x):
        out = []
        for layer in self.layers:
            x = layer(x)
            out.append(x)
        return out[::-1]


class RaNet(nn.Module):
    def __init__(self, c):
        super().__init__()
        scales = c['scaleList']
        n = len(scales)
        counts = [0] + [c['blockStep'] * i + c['nBlocks'] for i in range(n)]
        self.FirstLayer = FirstLayer(c)
        self.scale_flows = nn.ModuleList()
        self.classifier = nn.ModuleList()
        self.exit_after = []
        low = None
        for f in range(n):
            flow, feats = nn.ModuleList(), []
            ch = c['nChannels'] * c['grFactor'][f]
            total = counts[f + 1]
            for b in range(1, total + 1):
                trans = any(b == math.floor(k * total / scales[f]) for k in range(1, scales[f]))
                fusion = b <= counts[f]
                down = fusion and b in counts[:f + 1][-(scales[f] - 1):]
                block = Block(c, f, ch, low[b - 1] if fusion else None, trans, down)
                flow.append(block)
                feats.append(block.features)
                ch = block.out
                if not fusion:
                    self.classifier.append(Exit(ch, c['numClasses']))
                    self.exit_after.append((f, b - 1))
            self.scale_flows.append(flow)
            low = feats

    def forward(self, x):
        inputs = self.FirstLayer(x)
        logits, low = [], None
        for f, flow in enumerate(self.scale_flows):
            h, feats = inputs[f], []
            for b, block in enumerate(flow):
                h, fs = block(h, low[b] if block.fusion else None)
                feats.append(fs)
                if (f, b) in self.exit_after:
                    logits.append(self.classifier[self.exit_after.index((f, b))](h))
            low = feats
        return logits


def randomise(model, calibration):
    """Random weights; BN statistics of the calibration images (as training leaves them), so activations stay O(1) at depth."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            # The original's init, N(0, sqrt(2 / (k * k * out))).
            nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
            m.reset_running_stats()
            m.momentum = None  # a plain average over the calibration pass
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, LINEAR_STD)
            nn.init.normal_(m.bias, 0, LINEAR_STD)
    model.train()
    with torch.no_grad():
        model(calibration)
    model.eval()


# Logits wide enough that the exits' confidences spread over (0, 1), so images leave at different exits.
LINEAR_STD = 0.3


def thresholds(conf, count, margin=1e-3):
    """Midpoints between neighbouring confidences of the early exits, spread over their range, at least `margin` from any."""
    values = sorted(v for row in conf[:-1] for v in row)
    gaps = [(a + b) / 2 for a, b in zip(values, values[1:]) if b - a > 2 * margin]
    if not gaps:
        return []
    return sorted({gaps[round(i * (len(gaps) - 1) / max(count - 1, 1))] for i in range(count)})


def main():
    out, config, batch = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    torch.manual_seed(0)
    model = RaNet(config)
    h, w = config['input']['height'], config['input']['width']
    mean = torch.tensor(config['normalize']['mean']).view(1, -1, 1, 1)
    std = torch.tensor(config['normalize']['std']).view(1, -1, 1, 1)
    randomise(model, (torch.rand(32, 3, h, w) - mean) / std)
    x = torch.rand(batch, 3, h, w)
    with torch.no_grad():
        logits = model((x - mean) / std)
    conf = [torch.softmax(l, 1).max(1).values.tolist() for l in logits]
    taus = thresholds(conf, 6)
    last = len(logits) - 1
    exits = [[next((k for k in range(last) if conf[k][i] >= tau), last) for i in range(batch)] for tau in taus]
    save_safetensors(model.state_dict(), out + '/ranet.safetensors')
    json.dump({
        'x': x.permute(0, 2, 3, 1).flatten().tolist(),
        'logits': [l.flatten().tolist() for l in logits],
        'conf': conf,
        'keys': list(model.state_dict().keys()),
        'taus': taus,
        'exits': exits,
    }, open(out + '/io.json', 'w'))


if __name__ == '__main__':
    main()
