"""PyTorch twins of the networks `npm run bench` times, written from docs/design.md §2
and matched layer for layer to the TypeScript definitions (src/generator/architecture.ts,
src/adnn/zoo/sdn/sdn-tiny.ts, src/adnn/zoo/sdn/sdn-resnet56.ts), so both sides do
the same arithmetic. Images arrive NCHW here (PyTorch's layout); ours are NHWC.
Weights are random (speed does not depend on their values) unless a task
loads a saved model through bench/torch/weights.py.
"""
import torch
from torch import nn
import torch.nn.functional as F

LEAK = 0.2


def _init_normal(module, std=0.02):
    """G and D draw their weights from N(0, 0.02), like ours."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, std)
            if m.bias is not None:
                nn.init.zeros_(m.bias)


def conv_t_out(n, k, s):
    """Transposed convolution without padding: (n - 1) * s + k."""
    return (n - 1) * s + k


def conv_out(n, k, s):
    """Convolution without padding."""
    return (n - k) // s + 1


class ResidualBlock(nn.Module):
    """Reflection pad, 3x3 conv, BN, LeakyReLU, reflection pad, 3x3 conv, BN;
    a 1x1 conv + BN shortcut where the channels change; no activation after the sum."""

    def __init__(self, cin, cout):
        super().__init__()
        self.pad = nn.ReflectionPad2d(1)
        self.conv1 = nn.Conv2d(cin, cout, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.conv2 = nn.Conv2d(cout, cout, 3, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.shortcut = None
        if cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1))

    def forward(self, x):
        h = F.leaky_relu(self.bn1(self.conv1(self.pad(x))), LEAK)
        h = self.bn2(self.conv2(self.pad(h)))
        return h + (self.shortcut(x) if self.shortcut is not None else x)


class Generator(nn.Module):
    """Encoder conv3x3 s1, s2, s2 (valid padding, bias) each with InstanceNorm
    (no affine) + LeakyReLU 0.2; residual blocks 4w->8w->8w->8w->4w; decoder
    convT3x3 s2, s2 (+ IN + LeakyReLU) and a last convT sized to give back the
    input shape, tanh. No bias on the transposed convolutions, as ours."""

    def __init__(self, height, width_px, channels, width=64):
        super().__init__()
        w1, w2, w4, w8 = width, 2 * width, 4 * width, 8 * width
        self.encoder = nn.ModuleList([
            nn.Conv2d(channels, w1, 3, 1),
            nn.Conv2d(w1, w2, 3, 2),
            nn.Conv2d(w2, w4, 3, 2),
        ])
        self.blocks = nn.Sequential(
            ResidualBlock(w4, w8), ResidualBlock(w8, w8), ResidualBlock(w8, w8), ResidualBlock(w8, w4))
        eh = conv_out(conv_out(conv_out(height, 3, 1), 3, 2), 3, 2)
        ew = conv_out(conv_out(conv_out(width_px, 3, 1), 3, 2), 3, 2)
        dh = conv_t_out(conv_t_out(eh, 3, 2), 3, 2)
        dw = conv_t_out(conv_t_out(ew, 3, 2), 3, 2)
        self.decoder = nn.ModuleList([
            nn.ConvTranspose2d(w4, w2, 3, 2, bias=False),
            nn.ConvTranspose2d(w2, w1, 3, 2, bias=False),
            nn.ConvTranspose2d(w1, channels, (height - dh + 1, width_px - dw + 1), 1, bias=False),
        ])
        _init_normal(self)

    def forward(self, x):
        h = x
        for conv in self.encoder:
            h = F.leaky_relu(F.instance_norm(conv(h), eps=1e-5), LEAK)
        h = self.blocks(h)
        for d in self.decoder[:-1]:
            h = F.leaky_relu(F.instance_norm(d(h), eps=1e-5), LEAK)
        return torch.tanh(self.decoder[-1](h))


class Discriminator(nn.Module):
    """conv4x4 s2 p1 (c->8), LeakyReLU; conv (8->16) + BN, LeakyReLU; conv (16->32)
    + BN, LeakyReLU; 1x1 conv to one map, sigmoid (convs with bias, as ours)."""

    def __init__(self, channels):
        super().__init__()
        self.conv0 = nn.Conv2d(channels, 8, 4, 2, 1)
        self.conv1 = nn.Conv2d(8, 16, 4, 2, 1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 4, 2, 1)
        self.bn2 = nn.BatchNorm2d(32)
        self.head = nn.Conv2d(32, 1, 1)
        _init_normal(self)

    def forward(self, x):
        h = F.leaky_relu(self.conv0(x), LEAK)
        h = F.leaky_relu(self.bn1(self.conv1(h)), LEAK)
        h = F.leaky_relu(self.bn2(self.conv2(h)), LEAK)
        return torch.sigmoid(self.head(h))


def perturb(x, delta, eps, lo=0.0, hi=1.0):
    """Linf projection into the ball, then clamp x + delta to the input range."""
    return torch.clamp(x + torch.clamp(delta, -eps, eps), lo, hi)


class PoolMix(nn.Module):
    """alpha * maxpool + (1 - alpha) * avgpool with kernel = stride = k (the SDN exit pooling)."""

    def __init__(self, k):
        super().__init__()
        self.k = k
        self.alpha = nn.Parameter(torch.rand(()))

    def forward(self, x):
        return self.alpha * F.max_pool2d(x, self.k) + (1 - self.alpha) * F.avg_pool2d(x, self.k)


class Exit(nn.Module):
    """Pool to about 4x4 when the map is large enough, flatten, one linear layer."""

    def __init__(self, side, channels, classes, pool):
        super().__init__()
        self.pool = PoolMix(pool) if pool > 1 else None
        out = side // pool if pool > 1 else side
        self.in_shape = (out, out, channels)  # what the linear layer reads (h, w, c)
        self.linear = nn.Linear(out * out * channels, classes)

    def forward(self, x):
        if self.pool is not None:
            x = self.pool(x)
        return self.linear(torch.flatten(x, 1))


def soft_p(exit_logits):
    """p of block i = 1 - max softmax of exit i-1, [B, K]."""
    return torch.stack([1 - F.softmax(l, 1).amax(1) for l in exit_logits[:-1]], 1)


class TfSameConv2d(nn.Conv2d):
    """A 3x3 convolution padded as tfjs 'same' pads: (out - 1) * stride + k - n
    zeros in all, the odd one at the end. Symmetric cases (every stride-1 one)
    use the convolution's own padding; only an odd total (stride 2 on an even
    side: one row and column after the image) pads explicitly."""

    def __init__(self, cin, cout, stride):
        super().__init__(cin, cout, 3, stride, 0)

    def forward(self, x):
        s = self.stride[0]
        before, after = [], []
        for n in (x.shape[2], x.shape[3]):
            total = max((-(-n // s) - 1) * s + 3 - n, 0)
            before.append(total // 2)
            after.append(total - total // 2)
        if before == after:
            return F.conv2d(x, self.weight, self.bias, s, tuple(before))
        return F.conv2d(F.pad(x, [before[1], after[1], before[0], after[0]]), self.weight, self.bias, s)


class SdnTiny(nn.Module):
    """sdn-tiny: four segments of 3x3 'same' conv + ReLU (widths 8, 16, 16, 32;
    stride 2 opening segments 1 and 3), an exit after each; the input is
    normalised by one mean / std. Exits pool by floor(side / 4) from side 8 up.
    tf_same: pad every convolution exactly as tfjs (needed to reproduce a saved
    model's outputs, bench/torch/weights.py); otherwise padding=1, the same
    FLOPs and shapes with PyTorch's symmetric padding."""

    def __init__(self, side=32, channels=3, classes=10, widths=(8, 16, 32), mean=0.286, std=0.353,
                 tf_same=False, input_range=(0.0, 1.0)):
        super().__init__()
        w0, w1, w2 = widths
        self.mean, self.std = mean, std
        self.input_range = input_range
        if tf_same:
            conv = lambda ci, co, s=1: TfSameConv2d(ci, co, s)
        else:
            conv = lambda ci, co, s=1: nn.Conv2d(ci, co, 3, s, 1)
        self.segments = nn.ModuleList([
            nn.Sequential(conv(channels, w0), nn.ReLU(), conv(w0, w0), nn.ReLU()),
            nn.Sequential(conv(w0, w1, 2), nn.ReLU(), conv(w1, w1), nn.ReLU()),
            nn.Sequential(conv(w1, w1), nn.ReLU()),
            nn.Sequential(conv(w1, w2, 2), nn.ReLU(), conv(w2, w2), nn.ReLU()),
        ])
        sides = [side, (side + 1) // 2, (side + 1) // 2, (side + 3) // 4]
        chans = [w0, w1, w1, w2]
        self.exits = nn.ModuleList(
            [Exit(s, c, classes, s // 4 if s >= 8 else 1) for s, c in zip(sides, chans)])

    def exit_logits(self, x):
        h = (x - self.mean) / self.std
        out = []
        for seg, ex in zip(self.segments, self.exits):
            h = seg(h)
            out.append(ex(h))
        return out

    def soft(self, x):
        return soft_p(self.exit_logits(x))


class BasicBlock(nn.Module):
    """ReLU of the incoming (pre-activation) sum, 3x3 conv + BN + ReLU, 3x3 conv + BN,
    plus the identity or a 1x1 conv + BN shortcut; returns the sum before its ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        a = F.relu(x)
        body = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(a)))))
        return body + (self.shortcut(a) if self.shortcut is not None else a)


# Internal classifiers of ResNet-56 SDN: 1 = an exit after that block of the stage.
RESNET56_IC_POSITIONS = [
    [0, 0, 0, 1, 0, 0, 0, 1, 0],
    [0, 0, 1, 0, 0, 0, 1, 0, 0],
    [0, 1, 0, 0, 0, 1, 0, 0, 0],
]
CIFAR100_MEAN = (0.507, 0.487, 0.441)
CIFAR100_STD = (0.267, 0.256, 0.276)


class SdnResnet56(nn.Module):
    """ResNet-56 SDN at 32x32x3: stem 3x3 conv (3->16) + BN, three stages of nine
    basic blocks (16, 32, 64), six internal classifiers, global pool + linear."""

    def __init__(self, classes=100):
        super().__init__()
        self.register_buffer('mean', torch.tensor(CIFAR100_MEAN).view(1, 3, 1, 1))
        self.register_buffer('std', torch.tensor(CIFAR100_STD).view(1, 3, 1, 1))
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16))
        segments, current, exits = [], [], []
        cin, side = 16, 32
        for s, (width, stage) in enumerate(zip((16, 32, 64), RESNET56_IC_POSITIONS)):
            for b, ic in enumerate(stage):
                stride = 2 if s > 0 and b == 0 else 1
                current.append(BasicBlock(cin, width, stride))
                side //= stride
                cin = width
                if ic:
                    segments.append(nn.Sequential(*current))
                    exits.append(Exit(side, width, classes, side // 4))
                    current = []
        segments.append(nn.Sequential(*current))
        self.segments = nn.ModuleList(segments)
        self.exits = nn.ModuleList(exits)
        self.fc = nn.Linear(64, classes)

    def exit_logits(self, x):
        h = self.stem((x - self.mean) / self.std)
        out = []
        for i, seg in enumerate(self.segments):
            h = seg(h)
            if i < len(self.exits):
                out.append(self.exits[i](h))
        out.append(self.fc(F.relu(h).mean((2, 3))))
        return out

    def soft(self, x):
        return soft_p(self.exit_logits(x))


def count_flops(model, run):
    """FLOPs (2 x MAC) of conv, transposed conv and linear layers during run(),
    per input, by the project's convention (a transposed conv costs its input
    pixels times the whole kernel). Lets the bench check the twins match ours."""
    total = [0]

    def hook(m, inp, out):
        x = inp[0]
        if isinstance(m, nn.ConvTranspose2d):
            kh, kw = m.kernel_size
            total[0] += 2 * m.in_channels * m.out_channels * kh * kw * x.shape[2] * x.shape[3]
        elif isinstance(m, nn.Conv2d):
            kh, kw = m.kernel_size
            total[0] += 2 * (m.in_channels // m.groups) * m.out_channels * kh * kw * out.shape[2] * out.shape[3]
        elif isinstance(m, nn.Linear):
            total[0] += 2 * m.in_features * m.out_features

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear))]
    try:
        with torch.no_grad():
            run()
    finally:
        for h in handles:
            h.remove()
    return total[0]
