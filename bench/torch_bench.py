#!/usr/bin/env python3
"""PyTorch column of `npm run bench`: the same four workloads, the same inputs, the same timing rule.

Run by bench/libs/torch.ts as `/usr/bin/python3 bench/torch_bench.py '<json config>'`; prints one
JSON object on stdout. Inputs come from det_uniform, the twin of detUniform in bench/data.ts, so the
first-step losses can be compared with the TypeScript libraries. The caller sets the thread count
(and OPENBLAS_CORETYPE on AVX-512 machines) in the environment before Python starts, because
OpenBLAS reads it when it loads.
"""

import json
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F


SLOW_RUNS = 2  # as in bench/harness.ts: timed runs of a case whose warm-up exceeds slowMs


def det_uniform(n, seed, scale):
    """(2·h/2³² − 1)·scale with h = (i·2654435761 + seed·40503) mod 2³², as in bench/data.ts."""
    i = torch.arange(n, dtype=torch.int64)
    h = (i * 2654435761 + (seed * 40503) % 2**32) % 2**32
    return ((2.0 * (h.to(torch.float64) / 4294967296.0) - 1.0) * scale).to(torch.float32)


def det_labels(n, classes):
    return (torch.arange(n, dtype=torch.int64) * 7) % classes


def measure(run, plan):
    """Warm-up runs, then timed runs until minRuns and the budget are met (or maxRuns); bench/harness.ts's rule."""
    check = None
    calls = 0

    def call():
        # like harness.ts: keep what the second call returned (after one optimizer step), else the first
        nonlocal check, calls
        v = run()
        if calls == 0 or (calls == 1 and isinstance(v, float)):
            check = v if isinstance(v, float) else None
        calls += 1

    min_runs = plan["minRuns"]
    for i in range(max(1, plan["warmup"])):
        t0 = time.perf_counter_ns()
        call()
        if (time.perf_counter_ns() - t0) / 1e6 > plan["slowMs"]:
            min_runs = min(min_runs, SLOW_RUNS)
            break
    runs = []
    spent = 0.0
    while len(runs) < plan["maxRuns"] and (len(runs) < min_runs or spent < plan["budgetMs"]):
        t0 = time.perf_counter_ns()
        call()
        dt = (time.perf_counter_ns() - t0) / 1e6
        runs.append(dt)
        spent += dt
    return {"runsMs": runs, "minMs": min(runs), "medianMs": statistics.median(runs), "check": check}


def matmul_case(n):
    a = det_uniform(n * n, 4, 1.0).reshape(n, n)
    b = det_uniform(n * n, 5, 1.0).reshape(n, n)
    return lambda: torch.mm(a, b)


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

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def transformer_case():
    B, S, D, H, FF = 16, 64, 128, 4, 512
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


def main():
    cfg = json.loads(sys.argv[1])
    threads = int(cfg["threads"])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    plans = cfg["plans"]
    results = []

    def record(workload, case, make):
        try:
            t = measure(make(), plans[workload])
            results.append({"workload": workload, "case": case, **t})
        except Exception as e:  # one failing case must not lose the others
            results.append({"workload": workload, "case": case, "error": f"{type(e).__name__}: {e}"})

    only = set(cfg["only"])
    if "matmul" in only:
        for n in cfg["matmulSizes"]:
            record("matmul", f"n={n}", lambda n=n: matmul_case(n))
    if "mlp" in only:
        record("mlp", "step", mlp_case)
    if "transformer" in only:
        record("transformer", "fwd+bwd", transformer_case)
    if "add" in only:
        record("add", "grad", lambda: add_case(True, cfg["addOps"], cfg["addLen"]))
        record("add", "nograd", lambda: add_case(False, cfg["addOps"], cfg["addLen"]))

    print(json.dumps({
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "blas": blas_library(),
        "openblasCoretype": os.environ.get("OPENBLAS_CORETYPE"),
        "results": results,
    }))


if __name__ == "__main__":
    main()
