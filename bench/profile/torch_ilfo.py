"""PyTorch twin of ilfo() (src/baselines/ilfo.ts) on the sdn-tiny architecture at 28x28x1:
Adam(lr 5e-4), lambda 1e5, target 1 - tau, x + delta clamped to [0, 1], lowest-loss iterate kept,
ITER iterations on one batch of N inputs. Prints ms per input (median of R runs).
OPENBLAS_NUM_THREADS=1 /usr/bin/python3.11 bench/profile/torch_ilfo.py [N] [ITER] [R]"""
import os, sys, time, statistics
import torch
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'torch'))
from models import SdnTiny

torch.set_num_threads(int(os.environ.get('T', '2')))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
iters = int(sys.argv[2]) if len(sys.argv) > 2 else 300
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
torch.manual_seed(0)
net = SdnTiny(side=28, channels=1).eval()
for p in net.parameters():
    p.requires_grad_(False)
x = torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(1))
eps, tau, lam, lr = 0.1, 0.5, 1e5, 5e-4


def ilfo():
    delta = torch.zeros_like(x, requires_grad=True)
    opt = torch.optim.Adam([delta], lr=lr)
    best = torch.zeros_like(x)
    best_loss = torch.full((n,), float('inf'))
    for _ in range(iters):
        opt.zero_grad(set_to_none=True)
        p = net.soft(torch.clamp(x + delta, 0, 1))
        per = lam * torch.relu((1 - tau) - p).sum(1) + (delta ** 2).flatten(1).sum(1)
        with torch.no_grad():
            better = per < best_loss
            best[better] = delta[better]
            best_loss = torch.minimum(per, best_loss)
        per.sum().backward()
        opt.step()
    with torch.no_grad():
        return torch.clamp(x + torch.clamp(best, -eps, eps), 0, 1)


ilfo()
ms = []
c0 = time.process_time()
for _ in range(repeats):
    t = time.perf_counter()
    ilfo()
    ms.append((time.perf_counter() - t) * 1000 / n)
cpu = (time.process_time() - c0) * 1000 / n / repeats
print(f'torch ilfo sdn-tiny {n} inputs {iters} it: ms/input {" ".join(f"{m:.1f}" for m in ms)} median {statistics.median(ms):.1f}; cpu {cpu:.1f}')
