#!/usr/bin/env python3
"""The sparse autoencoder of `tms sae`, written as a plain PyTorch loop (CPU), so anyone can
compare its speed and its results with tms on their own machine.

The SAE, per instance s (all instances batched in one tensor, the way the toy-model notebook
batches its instances):
    z = ReLU(W_enc (h - b_dec) + b_enc),   h_hat = W_dec z + b_dec
    loss = mean over the batch of ||h - h_hat||^2 + lambda_s * ||z||_1
with h = W x the hidden activations of a trained, frozen toy model (h = ReLU(W x) for the
relu-hidden model), fresh data every step (feature i active with probability p, value
uniform on [0, 1]), Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8, no weight decay), decoder
columns kept at unit norm (the gradient's component along each column is removed before the
step, the columns are renormalised after it), and dead latents resampled: a latent that has
not fired for `--dead-steps` steps (and was not resampled within as many) gets the direction
of an input drawn with probability proportional to the square of its loss ||h - h_hat||^2,
h - b_dec normalised, as its decoder column and 0.2 x that direction as its
encoder row (b_enc = 0, its Adam moments zeroed); a resampled latent's firing counts only
from dead-steps/2 steps after its resampling, so one that dies again stays dead. Initial decoder columns are random unit
vectors and the encoder starts as the decoder's transpose; biases start at 0.

The toy model: given as a tms snapshot (--snapshot FILE.json, its W and b per instance), or
trained here first as the notebook trains it (relu-output, AdamW lr 1e-3, weight decay 0.01,
batch 1024, Xavier-normal init over the batched tensor).

    python3 scripts/sae_torch.py                       # 5->2 x 8 at p = 0.01, 5 latents, lambda 0.5
    python3 scripts/sae_torch.py --seconds 5           # speed only: SAE steps/s over 5 s
    python3 scripts/sae_torch.py --snapshot run.json --latents 10 --l1 0.1 0.3 1
    python3 scripts/sae_torch.py --json                # metrics as JSON on stdout

Prints SAE steps/s (one step = every instance once) and per instance the reconstruction
error E||h - h_hat||^2, L0, dead latents and the mean max cosine similarity between the
model's feature directions W_i and the decoder columns (over features with ||W_i|| > 0.5).
"""
import argparse
import json
import math
import os
import sys
import time

# libgomp's default lets idle worker threads spin; on a shared machine (other processes on
# the cores) a spinning thread that loses its core stalls every parallel region, and two
# threads fell to 4 steps/s. Passive waiting keeps the loop at its single-thread speed or
# better there. An explicit OMP_WAIT_POLICY in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402  (after the OpenMP setting, which must precede its initialisation)


def parse():
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--snapshot", help="a tms snapshot (JSON) holding the trained toy model")
    a.add_argument("--features", type=int, default=5)
    a.add_argument("--hidden", type=int, default=2)
    a.add_argument("--instances", type=int, default=8, help="toy-model instances (one SAE each)")
    a.add_argument("--probability", type=float, default=0.01)
    a.add_argument("--model-steps", type=int, default=10000)
    a.add_argument("--latents", type=int, default=5)
    a.add_argument("--l1", type=float, nargs="+", default=[0.5],
                   help="lambda: one value for every SAE, or one per instance")
    a.add_argument("--lr", type=float, default=1e-3)
    a.add_argument("--batch", type=int, default=1024)
    a.add_argument("--steps", type=int, default=10000, help="SAE steps")
    a.add_argument("--seconds", type=float, default=0,
                   help="speed only: train the SAE for this long and report steps/s")
    a.add_argument("--dead-steps", type=int, default=500)
    a.add_argument("--no-resample", action="store_true")
    a.add_argument("--free-decoder", action="store_true", help="no unit-norm decoder")
    a.add_argument("--threads", type=int, default=2)
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--json", action="store_true")
    return a.parse_args()


def load_snapshot(path):
    with open(path) as f:
        doc = json.load(f)
    c = doc["config"]
    if c["model"] not in ("relu-output", "linear", "relu-hidden"):
        sys.exit(f"sae_torch: model {c['model']} is not supported here")
    W = torch.tensor([inst["parameters"]["W"] for inst in doc["instances"]])  # K n m
    b = torch.tensor([inst["parameters"]["b"] for inst in doc["instances"]])  # K n
    p = torch.tensor(c["feature_probability"], dtype=torch.float32)  # K n
    return W, b, p, c["model"] == "relu-hidden"


def batch_x(p, batch):
    """K x batch x n: feature i active with probability p[k, i], value uniform on [0, 1]."""
    K, n = p.shape
    values = torch.rand(K, batch, n)
    active = torch.rand(K, batch, n) < p[:, None, :]
    return values * active


def train_model(args):
    K, n, m = args.instances, args.features, args.hidden
    std = math.sqrt(2.0 / (n * m + K * m))
    W = (torch.randn(K, n, m) * std).requires_grad_()
    b = torch.zeros(K, n, requires_grad=True)
    opt = torch.optim.AdamW([W, b], lr=1e-3, weight_decay=0.01)
    p = torch.full((K, n), args.probability)
    for _ in range(args.model_steps):
        x = batch_x(p, 1024)
        h = torch.einsum("kbn,knm->kbm", x, W)
        out = torch.relu(torch.einsum("kbm,knm->kbn", h, W) + b[:, None, :])
        loss = ((out - x) ** 2).mean(dim=(1, 2)).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return W.detach(), b.detach(), p, False


class SAE:
    def __init__(self, K, m, d, l1, args):
        g = torch.Generator().manual_seed(args.seed + 1)
        self.W_dec = torch.randn(K, m, d, generator=g)  # columns are latent directions
        self.W_dec /= self.W_dec.norm(dim=1, keepdim=True)
        self.W_enc = self.W_dec.transpose(1, 2).clone()  # K d m
        self.b_enc = torch.zeros(K, d)
        self.b_dec = torch.zeros(K, m)
        self.params = [self.W_enc, self.b_enc, self.W_dec, self.b_dec]
        for t in self.params:
            t.requires_grad_()
        self.opt = torch.optim.Adam(self.params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
        self.l1 = l1  # K
        self.unit = not args.free_decoder
        self.resample = not args.no_resample
        self.dead_steps = args.dead_steps
        self.last_fired = torch.zeros(K, d, dtype=torch.long)
        self.last_resampled = torch.zeros(K, d, dtype=torch.long)
        self.resamples = 0
        self.step = 0

    def forward(self, h):
        c = h - self.b_dec[:, None, :]
        z = torch.relu(torch.einsum("kbm,kdm->kbd", c, self.W_enc) + self.b_enc[:, None, :])
        h_hat = torch.einsum("kbd,kmd->kbm", z, self.W_dec) + self.b_dec[:, None, :]
        return z, h_hat

    def train_step(self, h):
        z, h_hat = self.forward(h)
        err = ((h - h_hat) ** 2).sum(-1)  # K b
        loss = (err.mean(1) + self.l1 * z.sum(-1).mean(1)).sum()
        self.opt.zero_grad()
        loss.backward()
        with torch.no_grad():
            if self.unit:
                d = self.W_dec
                d.grad -= (d.grad * d).sum(1, keepdim=True) * d
            self.opt.step()
            if self.unit:
                self.W_dec /= self.W_dec.norm(dim=1, keepdim=True)
            self.step += 1
            fired = (z > 0).any(1)  # K d
            settled = (self.last_resampled == 0) | (
                self.step - self.last_resampled >= self.dead_steps // 2)
            self.last_fired[fired & settled] = self.step
            if self.resample:
                self.resample_dead(h, err.detach())
        return err.detach(), z.detach()

    @torch.no_grad()
    def resample_dead(self, h, err):
        dead = ((self.step - self.last_fired) >= self.dead_steps) & (
            (self.step - self.last_resampled) >= self.dead_steps)
        if not dead.any():
            return
        state = self.opt.state
        for k, j in dead.nonzero().tolist():
            w = err[k] ** 2
            if w.sum() <= 0:
                continue
            s = torch.multinomial(w / w.sum(), 1).item()
            v = h[k, s] - self.b_dec[k]
            v = v / (v.norm() + 1e-8)
            self.W_dec[k, :, j] = v
            self.W_enc[k, j, :] = 0.2 * v
            self.b_enc[k, j] = 0
            for t, index in ((self.W_dec, (k, slice(None), j)), (self.W_enc, (k, j)),
                             (self.b_enc, (k, j))):
                if t in state:
                    state[t]["exp_avg"][index] = 0
                    state[t]["exp_avg_sq"][index] = 0
            self.last_resampled[k, j] = self.step
            self.resamples += 1


def hidden(x, W, relu_hidden):
    h = torch.einsum("kbn,knm->kbm", x, W)
    return torch.relu(h) if relu_hidden else h


def main():
    args = parse()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.snapshot:
        W, b, p, relu_hidden = load_snapshot(args.snapshot)
    else:
        W, b, p, relu_hidden = train_model(args)
    K, n, m = W.shape
    l1 = torch.tensor(args.l1 if len(args.l1) == K else args.l1[:1] * K, dtype=torch.float32)
    sae = SAE(K, m, args.latents, l1, args)
    start = time.perf_counter()
    steps = 0
    while (steps < args.steps) if args.seconds <= 0 else (time.perf_counter() - start < args.seconds):
        x = batch_x(p, args.batch)
        sae.train_step(hidden(x, W, relu_hidden))
        steps += 1
    elapsed = time.perf_counter() - start
    with torch.no_grad():
        x = batch_x(p, 32768)
        h = hidden(x, W, relu_hidden)
        z, h_hat = sae.forward(h)
        err = ((h - h_hat) ** 2).sum(-1).mean(1)
        l0 = (z > 0).float().sum(-1).mean(1)
        dead = ((sae.step - sae.last_fired) >= args.dead_steps).float().mean(1)
        feats = W / W.norm(dim=2, keepdim=True).clamp_min(1e-12)  # K n m
        dec = sae.W_dec / sae.W_dec.norm(dim=1, keepdim=True).clamp_min(1e-12)  # K m d
        cos = torch.einsum("knm,kmd->knd", feats, dec)  # K n d
        best = cos.max(dim=2).values  # K n
        represented = W.norm(dim=2) > 0.5
        recovery = [(best[k][represented[k]].mean().item() if represented[k].any() else float("nan"))
                    for k in range(K)]
    result = {
        "steps": steps, "seconds": elapsed, "steps_per_second": steps / elapsed,
        "threads": args.threads, "instances": K, "features": n, "hidden": m,
        "latents": args.latents, "resamples": sae.resamples,
        "l1": l1.tolist(), "reconstruction": err.tolist(), "l0": l0.tolist(),
        "dead_fraction": dead.tolist(), "recovery": recovery,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"pytorch {torch.__version__}: {K} SAEs on {n}->{m}, {args.latents} latents, "
          f"{steps} steps in {elapsed:.2f} s = {steps / elapsed:.0f} SAE steps/s "
          f"({args.threads} threads)")
    print("  k  lambda   E|h-h^|^2      L0   dead  recovery")
    for k in range(K):
        print(f"{k:3d}  {l1[k].item():6.3g}  {err[k].item():10.3e}  {l0[k].item():6.3f}"
              f"  {dead[k].item():5.2f}  {recovery[k]:8.4f}")
    print(f"mean recovery {sum(recovery) / K:.4f}, best {max(recovery):.4f}")


if __name__ == "__main__":
    main()
