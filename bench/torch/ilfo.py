"""PyTorch twin of src/baselines/ilfo.ts (ILFO, Haque et al., CVPR 2020), for
the bench's `torch_ilfo_ms_per_input`: the same loss, projection, optimiser
settings and batching, on the same saved sdn-tiny (bench/torch/weights.py).

Per batch, delta starts at 0 and Adam minimises, per input,
  L(delta) = lambda * sum_i relu(target - p_i(clamp(x + delta))) + ||delta||_2^2
(summed over the batch for the gradient). Each iteration offers the current
delta and its loss to the lowest-loss record before the step (ours:
valueAndGrad, BestIterate.offer, applyGradients); the final delta is offered
once more. The record is projected into the Linf ball and x + delta clamped
to the input range. Adam as tf.train.adam(lr): betas 0.9 / 0.999 and tfjs's
float32 epsilon 1e-7 (PyTorch's default is 1e-8).
"""
import time

import torch
import torch.nn.functional as F

from models import count_flops
from weights import load_sdn_tiny

TFJS_EPSILON = 1e-7


def _activation_target(kind, tau):
    """src/baselines/ilfo.ts activationTarget: early-exit blocks run while p_i > 1 - tau."""
    return tau if kind == 'skipping' else 1.0 - tau


class IlfoTwin:
    """ILFO over `images` (NHWC floats, as the Node side sends them) in batches
    of `batch`; once() times a whole attack, result() returns its inputs."""

    def __init__(self, model_dir, images, shape, iterations=300, lr=5e-4, lam=1e5, tau=0.5, epsilon=0.1, batch=100):
        h, w, c = shape
        self.net = load_sdn_tiny(model_dir)
        self.lo, self.hi = self.net.input_range
        self.seeds = torch.tensor(images, dtype=torch.float32).view(-1, h, w, c)
        self.iterations, self.lr, self.lam, self.eps, self.batch = iterations, lr, lam, epsilon, batch
        self.target = _activation_target('early-exit', tau)
        self.flops = count_flops(self.net, lambda: self.net.soft(self.seeds[:1].permute(0, 3, 1, 2)))
        self.last = None

    def _loss(self, x, delta):
        p = self.net.soft(torch.clamp(x + delta, self.lo, self.hi))
        hinge = F.relu(self.target - p).sum(1)
        return self.lam * hinge + delta.flatten(1).pow(2).sum(1)

    def _attack(self, x):
        delta = torch.zeros_like(x, requires_grad=True)
        opt = torch.optim.Adam([delta], lr=self.lr, betas=(0.9, 0.999), eps=TFJS_EPSILON)
        best = torch.zeros_like(x)
        best_loss = torch.full((x.shape[0],), float('inf'))

        def offer(loss):
            better = loss < best_loss
            best[better] = delta.detach()[better]
            best_loss[better] = loss[better]

        for _ in range(self.iterations):
            loss = self._loss(x, delta)
            with torch.no_grad():
                offer(loss.detach())
            opt.zero_grad(set_to_none=True)
            loss.sum().backward()
            opt.step()
        with torch.no_grad():
            offer(self._loss(x, delta))
            return torch.clamp(x + torch.clamp(best, -self.eps, self.eps), self.lo, self.hi)

    def _run(self):
        out = []
        for start in range(0, self.seeds.shape[0], self.batch):
            x = self.seeds[start:start + self.batch].permute(0, 3, 1, 2).contiguous()
            out.append(self._attack(x).permute(0, 2, 3, 1).contiguous())
        self.last = torch.cat(out)

    def once(self):
        start = time.perf_counter()
        self._run()
        return (time.perf_counter() - start) * 1000.0

    def result(self):
        """The last attack's inputs, NHWC, flat (for the Node side to measure)."""
        return {'images': self.last.flatten().tolist() if self.last is not None else None}
