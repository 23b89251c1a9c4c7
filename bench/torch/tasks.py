"""The timed PyTorch tasks, one class each: set up once (models, inputs,
warm-up), then `once()` does one timed unit of work and returns milliseconds.
The same units as ours in bench/lib/*-bench.mjs: a generator forward +
projection on a batch, one Eq. 8 training step (D then G), a ResNet-56 SDN
soft pass, the gradient of its activation probabilities with respect to the
input, and a whole ILFO attack (bench/torch/ilfo.py).
"""
import time

import torch
import torch.nn.functional as F

from ilfo import IlfoTwin
from models import Discriminator, Generator, SdnResnet56, SdnTiny, count_flops, perturb
from weights import load_sdn_tiny


def _images(batch, h, w, c, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(batch, c, h, w, generator=g)


def _ms(fn):
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


class GenForward:
    """Online generation: G forward (inference mode: BN running statistics,
    InstanceNorm per image) and the Linf projection, on one batch."""

    def __init__(self, shape=(32, 32, 3), width=64, batch=64, epsilon=0.1):
        h, w, c = shape
        torch.manual_seed(0)
        self.g = Generator(h, w, c, width).eval()
        self.x = _images(batch, h, w, c)
        self.eps = epsilon
        self.flops = count_flops(self.g, lambda: self.g(self.x[:1]))

    def _step(self):
        with torch.inference_mode():
            perturb(self.x, self.g(self.x), self.eps)

    def once(self):
        return _ms(self._step)


class TrainStep:
    """One step of Eq. 8 as src/generator/train.ts takes it: D learns seeds vs
    generated inputs (least-squares GAN, G held fixed), then G minimises
    L_GAN + alpha * BCE(p, 1) + beta * hinge(||delta||_inf - eps) against a
    tiny SDN, Adam(lr, 0.5, 0.999) on each. Only G's (resp. D's) parameters get
    gradients, as tfjs computes them only for the variables it minimises.
    adnn_dir: a saved sdn-tiny (deepperform weights folder) to train against,
    the model ours trains against; otherwise a random one of the same shape."""

    def __init__(self, shape=(32, 32, 3), width=64, batch=64, epsilon=0.1, lr=1e-4, alpha=1.0, beta=0.001, adnn_dir=None):
        h, w, c = shape
        torch.manual_seed(0)
        self.g = Generator(h, w, c, width).train()
        self.d = Discriminator(c).train()
        self.net = load_sdn_tiny(adnn_dir) if adnn_dir else SdnTiny(side=h, channels=c).eval()
        for p in self.net.parameters():
            p.requires_grad_(False)
        self.g_opt = torch.optim.Adam(self.g.parameters(), lr=lr, betas=(0.5, 0.999))
        self.d_opt = torch.optim.Adam(self.d.parameters(), lr=lr, betas=(0.5, 0.999))
        self.x = _images(batch, h, w, c)
        self.eps, self.alpha, self.beta = epsilon, alpha, beta
        # Per input: the AdNN's soft pass, G's and D's forward (the bench compares them with ours).
        self.flops = count_flops(self.net, lambda: self.net.soft(self.x[:1]))
        self.flop_parts = {
            'adnn_soft': self.flops,
            'generator': count_flops(self.g.eval(), lambda: self.g(self.x[:1])),
            'discriminator': count_flops(self.d.eval(), lambda: self.d(self.x[:1])),
        }
        self.g.train()
        self.d.train()

    def _d_step(self):
        with torch.no_grad():
            adv = perturb(self.x, self.g(self.x), self.eps)
        self.d_opt.zero_grad(set_to_none=True)
        loss = 0.5 * (((self.d(self.x) - 1) ** 2).mean() + (self.d(adv) ** 2).mean())
        loss.backward()
        self.d_opt.step()
        return loss.item()

    def _g_step(self):
        for p in self.d.parameters():
            p.requires_grad_(False)
        self.g_opt.zero_grad(set_to_none=True)
        delta = self.g(self.x)
        adv = perturb(self.x, delta, self.eps)
        gan = ((self.d(adv) - 1) ** 2).mean()
        perf = -torch.log(torch.clamp(self.net.soft(adv), 1e-7, 1.0)).mean()
        pert = F.relu(delta.abs().flatten(1).amax(1) - self.eps).mean()
        loss = gan + self.alpha * perf + self.beta * pert
        # Ours reads each term back every step (progress output); so do we.
        _ = (gan.item(), perf.item(), pert.item())
        loss.backward()
        self.g_opt.step()
        for p in self.d.parameters():
            p.requires_grad_(True)
        return loss.item()

    def once(self):
        return _ms(lambda: (self._d_step(), self._g_step()))


class AdnnForward:
    """The soft pass of ResNet-56 SDN (every exit's p), inference mode."""

    def __init__(self, batch=64):
        torch.manual_seed(0)
        self.net = SdnResnet56().eval()
        self.x = _images(batch, 32, 32, 3)
        self.flops = count_flops(self.net, lambda: self.net.soft(self.x[:1]))

    def _step(self):
        with torch.inference_mode():
            self.net.soft(self.x)

    def once(self):
        return _ms(self._step)


class AdnnInputGrad:
    """d(sum of the activation probabilities) / d(input) through the ResNet-56
    SDN soft pass, BN in inference mode, no parameter gradients."""

    def __init__(self, batch=64):
        torch.manual_seed(0)
        self.net = SdnResnet56().eval()
        for p in self.net.parameters():
            p.requires_grad_(False)
        self.x = _images(batch, 32, 32, 3)
        self.flops = count_flops(self.net, lambda: self.net.soft(self.x[:1]))

    def _step(self):
        x = self.x.clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(self.net.soft(x).sum(), x)
        return grad

    def once(self):
        return _ms(self._step)


TASKS = {
    'gen_fwd': GenForward,
    'train_step': TrainStep,
    'adnn_fwd': AdnnForward,
    'adnn_inputgrad': AdnnInputGrad,
    'ilfo': IlfoTwin,
}
