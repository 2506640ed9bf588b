#!/usr/bin/env python3
"""The PyTorch notebook's training loop on the standard configurations, for `tms bench`.

The loop is the companion notebook's (anthropics/toy-models-of-superposition): K instances
of W as one [K, n, m] tensor with Xavier-normal init, b = 0, relu-output model
x' = ReLU(Wᵀ W x + b); a fresh batch of 1024 every step (feature i active with probability
p_i, value uniform on [0, 1]); loss = Σ_instances mean_{batch, features} I_i (x_i − x'_i)²;
AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01). Written from that
description (see ../shared/paper-notes.md §2–4), not copied.

Usage: scripts/pytorch-bench.py [--seconds S] [--threads 2 1] [--json]
Prints steps/s per configuration and thread count (JSON with --json, which `tms bench
--pytorch FILE` reads).
"""
import argparse
import json
import platform
import time

import torch


def configs():
    def linspace_pow(a, count):
        return a ** (-torch.linspace(0, 1, count))

    intro_p = linspace_pow(20.0, 10)[:, None].expand(10, 5)
    intro_i = (0.9 ** torch.arange(5.0))[None, :].expand(10, 5)
    basic_p = torch.tensor([1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001])[:, None].expand(7, 20)
    basic_i = (0.7 ** torch.arange(20.0))[None, :].expand(7, 20)
    varying_p = linspace_pow(20.0, 20)[:, None].expand(20, 100)
    varying_i = linspace_pow(100.0, 100)[None, :].expand(20, 100)
    dims_p = linspace_pow(20.0, 20)[:, None].expand(20, 200)
    dims_i = torch.ones(20, 200)
    return [
        ("intro-5-2", 5, 2, intro_p, intro_i),
        ("basic-20-5", 20, 5, basic_p, basic_i),
        ("varying-100-20", 100, 20, varying_p, varying_i),
        ("dimensionality-200-20", 200, 20, dims_p, dims_i),
    ]


class Model(torch.nn.Module):
    def __init__(self, n, m, p, importance):
        super().__init__()
        k = p.shape[0]
        self.W = torch.nn.Parameter(torch.empty(k, n, m))
        torch.nn.init.xavier_normal_(self.W)
        self.b = torch.nn.Parameter(torch.zeros(k, n))
        self.p = p.contiguous()
        self.importance = importance.contiguous()

    def forward(self, x):  # x: [batch, K, n]
        h = torch.einsum("bkn,knm->bkm", x, self.W)
        out = torch.einsum("bkm,knm->bkn", h, self.W) + self.b
        return torch.relu(out)

    def batch(self, size):
        k, n = self.p.shape
        values = torch.rand(size, k, n)
        return torch.where(torch.rand(size, k, n) <= self.p, values, torch.zeros(()))


def rate(n, m, p, importance, seconds):
    torch.manual_seed(0)
    model = Model(n, m, p, importance)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        x = model.batch(1024)
        err = model.importance * (x - model(x)) ** 2
        err.mean(dim=(0, 2)).sum().backward()
        opt.step()

    for _ in range(5):
        step()
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    return steps / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--threads", type=int, nargs="+", default=[2, 1])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = {"torch": torch.__version__, "machine": platform.processor() or platform.machine(),
           "seconds": args.seconds, "steps_per_second": {}}
    for t in args.threads:
        torch.set_num_threads(t)
        for name, n, m, p, importance in configs():
            r = rate(n, m, p, importance, args.seconds)
            out["steps_per_second"].setdefault(name, {})[str(t)] = r
            if not args.json:
                print(f"{name:24} {t} thread{'s' if t > 1 else ' '} {r:10.1f} steps/s", flush=True)
    if args.json:
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
