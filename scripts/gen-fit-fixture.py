"""Writes tests/fixtures/fit-parity.json: small models trained by a plain PyTorch loop that does what
`model.fit` promises (Keras's semantics on PyTorch's optimizers), so tests/model-parity.test.ts can
check that fit agrees in loss per epoch to 1e-5.

Each case records the data, the initial weights (PyTorch keys), the settings and the per-epoch
mean loss Σ loss_b·n_b / N (Keras's loss tracker) over fixed batches in order (shuffle off; the
last batch is short). Losses use Keras's reduction Σ wᵢ·ℓᵢ / N with sample weights.

Run with Debian's PyTorch:  /usr/bin/python3 scripts/gen-fit-fixture.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def t(x, dtype="float32"):
    x = x.detach()
    return {"shape": list(x.shape), "dtype": dtype, "data": [float(v) if dtype.startswith("float") else int(v) for v in x.flatten().tolist()]}


def run(name, seed, n, d, sizes, acts, loss_kind, make_opt, opt_spec, epochs=4, batch=32, clipnorm=None, weighted=False):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    if loss_kind == "sparse_cce":
        y = torch.randint(0, sizes[-1], (n,), generator=g)
        y_json = t(y, "int32")
    elif loss_kind == "bce":
        y = (x[:, 0] + 0.5 * x[:, 1] > 0).float().unsqueeze(1)
        y_json = t(y)
    else:
        y = (x @ torch.linspace(-1, 1, d)).unsqueeze(1) + 0.1 * torch.randn(n, 1, generator=g)
        y_json = t(y)
    w = (torch.rand(n, generator=g) * 2) if weighted else None
    torch.manual_seed(seed + 1)
    layers = []
    fan = d
    for units in sizes:
        layers.append(nn.Linear(fan, units))
        fan = units
    init = {}
    for i, lin in enumerate(layers):
        init[f"{i}.weight"] = t(lin.weight)
        init[f"{i}.bias"] = t(lin.bias)
    params = [p for lin in layers for p in lin.parameters()]
    opt = make_opt(params)

    def logits(xb):
        h = xb
        for i, lin in enumerate(layers):
            h = lin(h)
            a = acts[i]
            if a == "relu":
                h = torch.relu(h)
            elif a == "tanh":
                h = torch.tanh(h)
            # the final softmax/sigmoid is fused into the loss (fit's stable path)
        return h

    losses = []
    for _ in range(epochs):
        total = 0.0
        for s in range(0, n, batch):
            xb, yb = x[s:s + batch], y[s:s + batch]
            z = logits(xb)
            if loss_kind == "sparse_cce":
                per = F.cross_entropy(z, yb, reduction="none")
            elif loss_kind == "bce":
                per = F.binary_cross_entropy_with_logits(z, yb, reduction="none").mean(1)
            else:
                per = ((z - yb) ** 2).mean(1)
            loss = (per * w[s:s + batch]).sum() / len(xb) if w is not None else per.mean()
            opt.zero_grad()
            loss.backward()
            if clipnorm is not None:
                for p in params:  # Keras's clipnorm: each variable on its own
                    torch.nn.utils.clip_grad_norm_([p], clipnorm)
            opt.step()
            total += loss.item() * len(xb)
        losses.append(total / n)
    case = {
        "name": name, "x": t(x), "y": y_json, "initialState": init, "units": sizes, "activations": acts,
        "loss": {"sparse_cce": "sparseCategoricalCrossentropy", "bce": "binaryCrossentropy", "mse": "mse"}[loss_kind],
        "optimizer": opt_spec, "epochs": epochs, "batchSize": batch, "epochLosses": losses,
    }
    if clipnorm is not None:
        case["clipnorm"] = clipnorm
    if w is not None:
        case["sampleWeight"] = t(w)
    return case


cases = [
    # Keras's adam defaults but lr 1e-2: eps 1e-7
    run("softmax-adam", 11, 100, 6, [16, 3], ["relu", "softmax"], "sparse_cce",
        lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.9, 0.999), eps=1e-7), {"name": "adam", "learningRate": 1e-2}),
    run("mse-sgd-momentum-clipnorm", 12, 90, 5, [8, 1], ["tanh", "linear"], "mse",
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), {"name": "sgd", "learningRate": 0.05, "momentum": 0.9}, clipnorm=0.5),
    # Keras's rmsprop: rho 0.9, eps 1e-7
    run("sigmoid-rmsprop-sample-weight", 13, 70, 4, [6, 1], ["relu", "sigmoid"], "bce",
        lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.9, eps=1e-7), {"name": "rmsprop", "learningRate": 1e-2}, weighted=True),
]
with open(os.path.join(ROOT, "tests", "fixtures", "fit-parity.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print("wrote tests/fixtures/fit-parity.json", [(c["name"], c["epochLosses"]) for c in cases])
