#!/usr/bin/env python3
"""PyTorch column of `npm run bench`: the same four workloads, the same inputs, the same timing rule.

A bench worker (bench/protocol.ts): started by bench/libs/torch.ts as
`/usr/bin/python3 bench/torch_bench.py`, it reads one JSON request per line on stdin (prepare a case
and warm it up, time k runs, dispose) and answers one JSON line on stdout, so the parent can
interleave its runs with the other libraries'. Inputs come from det_uniform, the twin of detUniform
in bench/data.ts, so the first-step losses can be compared with the TypeScript libraries. The
caller sets the thread count (and OPENBLAS_CORETYPE on AVX-512 machines) in the environment before
Python starts, because OpenBLAS reads it when it loads.
"""

import json
import os
import sys
import time

import torch
import torch.nn.functional as F


def det_uniform(n, seed, scale):
    """(2·h/2³² − 1)·scale with h = (i·2654435761 + seed·40503) mod 2³², as in bench/data.ts."""
    i = torch.arange(n, dtype=torch.int64)
    h = (i * 2654435761 + (seed * 40503) % 2**32) % 2**32
    return ((2.0 * (h.to(torch.float64) / 4294967296.0) - 1.0) * scale).to(torch.float32)


def det_labels(n, classes):
    return (torch.arange(n, dtype=torch.int64) * 7) % classes


WARMUP_BUDGET_MS = 3000  # as in bench/harness.ts


class Runner:
    """bench/harness.ts's Runner: warm-up, then timed runs; keeps the second call's number (else the first)."""

    def __init__(self, run):
        self.run = run
        self.check = None
        self.calls = 0

    def call(self):
        t0 = time.perf_counter_ns()
        v = self.run()
        dt = (time.perf_counter_ns() - t0) / 1e6
        if self.calls == 0 or (self.calls == 1 and isinstance(v, float)):
            self.check = v if isinstance(v, float) else None
        self.calls += 1
        return dt

    def warm_up(self, plan):
        start = time.perf_counter_ns()
        last = 0.0
        i = 0
        while i < max(1, plan["warmup"]) or (time.perf_counter_ns() - start) / 1e6 < plan["warmupMs"]:
            i += 1
            last = self.call()
            if last > plan["slowMs"]:
                return {"estMs": last, "slow": True}
            if (time.perf_counter_ns() - start) / 1e6 > WARMUP_BUDGET_MS:
                break
        return {"estMs": last, "slow": False}

    def time(self, k, rewarm):
        if rewarm:
            self.call()
        return [self.call() for _ in range(k)]


def matmul_case(n):
    a = det_uniform(n * n, 4, 1.0).reshape(n, n)
    b = det_uniform(n * n, 5, 1.0).reshape(n, n)
    return lambda: torch.mm(a, b)


def classifier_step(model, opt, x, y):
    """One training step of a classifier (zero grads, cross-entropy, backward, optimizer step): the MLP and LeNet workloads."""

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def mlp_case():
    sizes, batch = [784, 256, 256, 10], 128
    layers = []
    for l in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[l], sizes[l + 1])
        bound = 1 / sizes[l] ** 0.5
        with torch.no_grad():
            lin.weight.copy_(det_uniform(sizes[l + 1] * sizes[l], 10 + 2 * l, bound).reshape(sizes[l + 1], sizes[l]))
            lin.bias.copy_(det_uniform(sizes[l + 1], 11 + 2 * l, bound))
        layers.append(lin)
    model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = det_uniform(batch * 784, 1, 1.0).reshape(batch, 784)
    y = det_labels(batch, 10)

    return classifier_step(model, opt, x, y)


def transformer_case(B=16, S=64):
    D, H, FF = 128, 4, 512
    layer = torch.nn.TransformerEncoderLayer(
        d_model=D, nhead=H, dim_feedforward=FF, dropout=0.0, activation="relu", batch_first=True, norm_first=False
    )

    def u(n, seed, fan_in):
        return det_uniform(n, seed, 1 / fan_in ** 0.5)

    with torch.no_grad():
        layer.self_attn.in_proj_weight.copy_(u(3 * D * D, 20, D).reshape(3 * D, D))
        layer.self_attn.in_proj_bias.copy_(u(3 * D, 21, D))
        layer.self_attn.out_proj.weight.copy_(u(D * D, 22, D).reshape(D, D))
        layer.self_attn.out_proj.bias.copy_(u(D, 23, D))
        layer.linear1.weight.copy_(u(FF * D, 24, D).reshape(FF, D))
        layer.linear1.bias.copy_(u(FF, 25, D))
        layer.linear2.weight.copy_(u(D * FF, 26, FF).reshape(D, FF))
        layer.linear2.bias.copy_(u(D, 27, FF))
    x = det_uniform(B * S * D, 2, 1.0).reshape(B, S, D)
    target = det_uniform(B * S * D, 3, 1.0).reshape(B, S, D)

    def step():
        layer.zero_grad(set_to_none=True)
        loss = F.mse_loss(layer(x), target)
        loss.backward()
        return loss.item()

    return step


def add_case(record_grad, ops, length):
    a = det_uniform(length, 6, 1.0).requires_grad_(record_grad)
    b = det_uniform(length, 7, 1.0).requires_grad_(record_grad)

    def loop():
        for _ in range(ops):
            a + b

    if record_grad:
        return loop

    def no_grad_loop():
        with torch.no_grad():
            loop()

    return no_grad_loop


def blas_library():
    """The BLAS shared object actually mapped into this process (after a matmul has run)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line}
        return ", ".join(sorted(os.path.realpath(p) for p in libs)) or "none mapped (MKL-DNN/built-in)"
    except OSError:
        return "unknown"


def lenet_case():
    """Workload 5: LeNet-style CNN step on 28x28x1, batch 64, SGD lr 0.01 (bench/data.ts lenetData)."""
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    with torch.no_grad():
        for i, (inc, outc) in enumerate([(1, 6), (6, 16)]):
            bound = 1 / (inc * 25) ** 0.5
            conv = model[3 * i]
            conv.weight.copy_(det_uniform(outc * inc * 25, 31 + 2 * i, bound).reshape(outc, inc, 5, 5))
            conv.bias.copy_(det_uniform(outc, 32 + 2 * i, bound))
        for i, (inf, outf) in enumerate([(256, 120), (120, 84), (84, 10)]):
            bound = 1 / inf ** 0.5
            lin = model[7 + 2 * i]
            lin.weight.copy_(det_uniform(outf * inf, 35 + 2 * i, bound).reshape(outf, inf))
            lin.bias.copy_(det_uniform(outf, 36 + 2 * i, bound))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = det_uniform(64 * 784, 30, 1.0).reshape(64, 1, 28, 28)
    y = det_labels(64, 10)

    return classifier_step(model, opt, x, y)


def make_case(workload, label, add_ops, add_len):
    if workload == "lenet":
        return lenet_case()
    if workload == "matmul":
        return matmul_case(int(label[2:]))
    if workload == "mlp":
        return mlp_case()
    if workload == "transformer":
        return transformer_case()
    if workload == "add":
        return add_case(label == "grad", add_ops, add_len)
    raise ValueError(f"unknown workload {workload}")


def rss_mib():
    """Current resident set size of this process, in MiB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def long_sequence(cfg):
    """`torch_bench.py --long '{"batch", "seq", "runs", "threads"}'` (bench/long-seq.ts): times the
    encoder layer's forward+backward on long sequences in a fresh process and prints one JSON line
    with the run times, the RSS before the case was built and the peak RSS (ru_maxrss)."""
    import resource

    torch.set_num_threads(int(cfg["threads"]))
    torch.manual_seed(0)
    base = rss_mib()
    run = transformer_case(cfg["batch"], cfg["seq"])
    loss = run()  # the warm-up run, whose loss is the cross-check
    times = []
    for _ in range(cfg["runs"]):
        t0 = time.perf_counter_ns()
        run()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"id": "torch", "version": f"torch {torch.__version__}", "runsMs": times, "baseRssMiB": base,
                      "peakRssMiB": peak, "loss": loss}))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--long":
        long_sequence(json.loads(sys.argv[2]))
        return
    # the protocol owns stdout; anything else printed (by Python or C code) goes to stderr
    proto = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(m):
        proto.write(json.dumps(m) + "\n")
        proto.flush()

    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(int(cfg["threads"]))
    torch.manual_seed(0)
    send({
        "op": "loaded",
        "id": "torch",
        "version": f"torch {torch.__version__}",
        "threads": f"{torch.get_num_threads()} (torch.set_num_threads)",
        "ours": False,
        "blas": blas_library(),
        "notes": [f"PyTorch ran with OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} (the CPU has avx512f)."]
        if os.environ.get("OPENBLAS_CORETYPE") else [],
    })
    runner = None
    for line in sys.stdin:
        m = json.loads(line)
        try:
            if m["op"] == "prepare":
                runner = Runner(make_case(m["workload"], m["case"], cfg["addOps"], cfg["addLen"]))
                send({"op": "prepared", "warm": runner.warm_up(m["plan"])})
            elif m["op"] == "time":
                send({"op": "timed", "runsMs": runner.time(m["k"], m["rewarm"]), "check": runner.check})
            elif m["op"] == "dispose":
                runner = None
                send({"op": "disposed"})
            else:
                send({"op": "error", "message": f"unknown request {m['op']}"})
        except Exception as e:  # one failing case must not lose the others
            send({"op": "error", "message": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()
