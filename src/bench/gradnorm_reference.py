"""PyTorch reference for `mtlstream bench step`: the same model, batch and GradNorm in plain PyTorch.

`mtlstream bench step` runs this script right after its Java (DJL) rounds of a batch size and
prints the timings in the same table, so the Java step is judged against a straightforward
PyTorch implementation on the same machine, thread count and batch.

How it mirrors the Java benchmark (io.mtlstream.bench.StepBenchmark, Config.reference()):
  - input 64; trunk Linear 64->256, ReLU, Linear 256->256, ReLU; W (GradNorm's shared weight) is
    the weight of the last trunk Linear;
  - 3 tasks cycling regression (1 output, MSE mean), binary (1 logit, BCE-with-logits mean) and
    5-class multiclass (cross-entropy mean); each tower Linear 256->64, ReLU, Linear 64->outputs;
  - the batch is split over the tasks in contiguous blocks (batch/3 rows each, the remainder to
    the first tasks); all rows go through the trunk together, each tower sees its task's rows;
  - network optimizer Adam lr 1e-3;
  - 8 pre-generated batches (standard-normal features, labels valid per task) reused cyclically;
  - --warmup steps per variant, then --rounds rounds that each run --burst steps of every variant
    in turn; the figure per variant is the median ms/step over rounds.

Variants:
  equal     one backward of sum_i L_i.
  gradnorm  Algorithm 1 of Chen et al. 2018 as docs GRADNORM.md defines it: n_i = ||dL_i/dW|| by
            torch.autograd.grad(L_i, W, retain_graph=True) per task; one backward of
            sum_i w_i L_i with the old weights; then the closed-form dL_grad/dw_i =
            n_i * sign(G_i - c_i), c_i = mean(G) * r_i^alpha, r_i = (L_i/R_i) / mean_j(L_j/R_j),
            R_i = the first step's losses, alpha 1.5, applied by Adam lr 0.025 (state kept across
            steps), then clamp w >= 1e-3 and renormalise sum(w) = T. A step with a non-finite loss
            is skipped, as in the Java learner.

Usage:
  python3 gradnorm_reference.py [--batch 256] [--threads 2] [--warmup 50] [--rounds 15] [--burst 20]
  python3 gradnorm_reference.py --selftest

Prints one JSON object on stdout. --selftest checks the weight update against the exact vectors of
GRADNORM.md (cases A, B, C, SGD) and exits 1 if any differs. Needs only python3-torch.
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

INPUTS = 64
TRUNK = (256, 256)
TOWER = 64
TASK_KINDS = (("regression", 1), ("binary", 1), ("multiclass", 5))
NET_LR = 1e-3
ALPHA = 1.5
WEIGHT_LR = 0.025
W_MIN = 1e-3
LOSS_FLOOR = 1e-12
POOL = 8
SEED = 7


def task_kinds(tasks):
    return [TASK_KINDS[t % len(TASK_KINDS)] for t in range(tasks)]


def rows_per_task(batch, tasks):
    return [batch // tasks + (1 if t < batch % tasks else 0) for t in range(tasks)]


class SharedBottom(nn.Module):
    """Trunk of Linear+ReLU layers and one Linear-ReLU-Linear tower per task."""

    def __init__(self, kinds):
        super().__init__()
        layers, width = [], INPUTS
        for out in TRUNK:
            layers += [nn.Linear(width, out), nn.ReLU()]
            width = out
        self.trunk = nn.Sequential(*layers)
        self.towers = nn.ModuleList(
            nn.Sequential(nn.Linear(width, TOWER), nn.ReLU(), nn.Linear(TOWER, outputs))
            for _, outputs in kinds
        )
        self.kinds = kinds

    def shared_weight(self):
        """W: the weight of the last trunk Linear."""
        return self.trunk[-2].weight

    def losses(self, x, labels, rows):
        z = self.trunk(x)
        out, start = [], 0
        for t, n in enumerate(rows):
            logits = self.towers[t](z[start : start + n])
            out.append(task_loss(self.kinds[t][0], logits, labels[t]))
            start += n
        return out


def task_loss(kind, logits, y):
    if kind == "regression":
        return F.mse_loss(logits, y)
    if kind == "binary":
        return F.binary_cross_entropy_with_logits(logits, y)
    return F.cross_entropy(logits, y)


def random_batches(kinds, batch, count, generator):
    rows = rows_per_task(batch, len(kinds))
    pool = []
    for _ in range(count):
        x = torch.randn(batch, INPUTS, generator=generator)
        labels = []
        for (kind, outputs), n in zip(kinds, rows):
            if kind == "regression":
                labels.append(torch.randn(n, outputs, generator=generator))
            elif kind == "binary":
                labels.append(torch.randint(0, 2, (n, 1), generator=generator).float())
            else:
                labels.append(torch.randint(0, outputs, (n,), generator=generator))
        pool.append((x, labels, rows))
    return pool


def gradnorm_weight_grad(norms, weights, losses, refs, alpha):
    """Closed-form GradNorm gradient: returns (dL_grad/dw, L_grad), all inputs 1-D tensors.

    G_i = w_i n_i; c_i = mean(G) r_i^alpha with r_i = (L_i/R_i) / mean_j(L_j/R_j), a constant;
    L_grad = sum_i |G_i - c_i|, so dL_grad/dw_i = n_i sign(G_i - c_i).
    """
    g = weights * norms
    ratio = losses.clamp(min=LOSS_FLOOR) / refs
    target = g.mean() * (ratio / ratio.mean()) ** alpha
    return norms * torch.sign(g - target), (g - target).abs().sum()


class GradNormWeights:
    """Task weights with their own optimizer (state kept across steps), clamp and renormalise."""

    def __init__(self, tasks, alpha=ALPHA, make_optimizer=None, initial=None):
        self.w = torch.ones(tasks, dtype=torch.float64) if initial is None else initial.clone()
        self.alpha = alpha
        factory = make_optimizer or (lambda params: torch.optim.Adam(params, lr=WEIGHT_LR))
        self.optimizer = factory([self.w])
        self.refs = None

    def update(self, norms, losses, refs=None):
        norms, losses = norms.double(), losses.double()
        if refs is not None:
            self.refs = refs.double()
        elif self.refs is None:
            self.refs = losses.clamp(min=LOSS_FLOOR).clone()
        grad, l_grad = gradnorm_weight_grad(norms, self.w, losses, self.refs, self.alpha)
        self.w.grad = grad
        self.optimizer.step()
        with torch.no_grad():
            self.w.clamp_(min=W_MIN)
            self.w.mul_(len(self.w) / self.w.sum())
        return l_grad


class Learner:
    """One model, its Adam and, for GradNorm, its task weights."""

    def __init__(self, variant, kinds, seed):
        torch.manual_seed(seed)
        self.model = SharedBottom(kinds)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=NET_LR)
        self.variant = variant
        self.weights = GradNormWeights(len(kinds)) if variant == "gradnorm" else None

    def step(self, batch):
        x, labels, rows = batch
        losses = self.model.losses(x, labels, rows)
        stacked = torch.stack(losses)
        if not bool(torch.isfinite(stacked).all()):
            return False
        self.optimizer.zero_grad(set_to_none=True)
        if self.weights is None:
            stacked.sum().backward()
        else:
            w_param = self.model.shared_weight()
            norms = torch.stack(
                [torch.autograd.grad(l, w_param, retain_graph=True)[0].norm() for l in losses]
            )
            (self.weights.w.to(stacked.dtype) * stacked).sum().backward()
        self.optimizer.step()
        if self.weights is not None:
            self.weights.update(norms.detach(), stacked.detach())
        return True


def bench(args):
    kinds = task_kinds(3)
    pool = random_batches(kinds, args.batch, POOL, torch.Generator().manual_seed(SEED))
    variants = ["equal", "gradnorm"]
    learners = {v: Learner(v, kinds, SEED) for v in variants}
    counters = {v: 0 for v in variants}

    def steps(v, n):
        for _ in range(n):
            learners[v].step(pool[counters[v] % POOL])
            counters[v] += 1

    for v in variants:
        steps(v, args.warmup)
    ms = {v: [] for v in variants}
    for _ in range(args.rounds):
        for v in variants:
            start = time.perf_counter()
            steps(v, args.burst)
            ms[v].append((time.perf_counter() - start) * 1000 / args.burst)
    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "batch": args.batch,
        "warmup": args.warmup,
        "rounds": args.rounds,
        "burst": args.burst,
        "variants": {},
    }
    for v in variants:
        median = statistics.median(ms[v])
        result["variants"][v] = {"ms_per_step": median, "events_per_second": args.batch / (median / 1000)}
    result["gradnorm_weights"] = learners["gradnorm"].weights.w.tolist()
    return result


# GRADNORM.md, "Exact vectors for one weight update" (SGD, then renormalise; no clamp active).
EXACT_CASES = {
    "A": dict(n=(2.0, 0.5), w=(1, 1), L=(0.5, 2.0), R=(1.0, 4.0), alpha=0.5, lr=0.1,
              l_grad=1.5, grad=(2.0, -0.5), after=(0.864865, 1.135135)),
    "B": dict(n=(2.0, 0.5), w=(1, 1), L=(0.5, 3.0), R=(1.0, 4.0), alpha=0.5, lr=0.1,
              l_grad=1.751272, grad=(2.0, -0.5), after=(0.864865, 1.135135)),
    "C": dict(n=(3.0, 1.0, 0.2), w=(0.5, 1.0, 1.5), L=(1, 1, 1), R=(2.0, 1.0, 0.5), alpha=1.5,
              lr=0.05, l_grad=3.292374, grad=(3.0, 1.0, -0.2), after=(0.373665, 1.014235, 1.612100)),
}


def selftest():
    def t(values):
        return torch.tensor(values, dtype=torch.float64)

    results, ok = {}, True
    for name, c in EXACT_CASES.items():
        weights = GradNormWeights(
            len(c["w"]),
            alpha=c["alpha"],
            make_optimizer=lambda params, lr=c["lr"]: torch.optim.SGD(params, lr=lr),
            initial=t(c["w"]),
        )
        grad, _ = gradnorm_weight_grad(t(c["n"]), t(c["w"]), t(c["L"]), t(c["R"]), c["alpha"])
        l_grad = weights.update(t(c["n"]), t(c["L"]), refs=t(c["R"]))
        passed = (
            torch.allclose(grad, t(c["grad"]), atol=1e-9)
            and abs(float(l_grad) - c["l_grad"]) < 5e-6
            and torch.allclose(weights.w, t(c["after"]), atol=5e-6)
            and abs(float(weights.w.sum()) - len(c["w"])) < 1e-12
        )
        ok &= passed
        results[name] = {"passed": passed, "w_after": weights.w.tolist(), "l_grad": float(l_grad)}
    return ok, {"selftest": "pass" if ok else "fail", "torch": torch.__version__, "cases": results}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: torch default)")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--selftest", action="store_true")
    args = parser.parse_args(argv)
    if args.selftest:
        ok, result = selftest()
        print(json.dumps(result))
        return 0 if ok else 1
    if args.batch < 3 or args.rounds < 1 or args.burst < 1 or args.warmup < 0:
        parser.error("need --batch >= 3 (one row per task), --rounds >= 1, --burst >= 1, --warmup >= 0")
    torch.set_num_interop_threads(1)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    print(json.dumps(bench(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
