#!/usr/bin/python3
"""PyTorch's values of the activations at extreme inputs, for tests/activations-extreme.test.ts.

    /usr/bin/python3 scripts/gen-extreme-fixtures.py

Writes tests/fixtures/activations_extreme.json in the format of scripts/gen-fixtures.py (whose
encoding helpers it reuses): one case per activation and dtype, with the input
[-1e4, -100, -30, 0, 30, 100, 1e4], PyTorch's output and the gradient of output.sum(). The tests
assert these values (float32 results differ from the float64 math where PyTorch's formula rounds,
e.g. sigmoid's gradient σ(1−σ) at 30 is 0 in float32, and the file records what PyTorch gives).
Deterministic: no random numbers.
"""

import importlib.util
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen_fixtures", os.path.join(HERE, "gen-fixtures.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

POINTS = [-1e4, -100.0, -30.0, 0.0, 30.0, 100.0, 1e4]

# name -> (function, options as steadytensor's F.<name> receives them)
ACTIVATIONS = {
    "relu": (F.relu, {}),
    "sigmoid": (torch.sigmoid, {}),
    "tanh": (torch.tanh, {}),
    "leakyRelu": (F.leaky_relu, {}),
    "elu": (F.elu, {}),
    "selu": (F.selu, {}),
    "gelu": (F.gelu, {}),
    "gelu-tanh": (lambda x: F.gelu(x, approximate="tanh"), {"approximate": "tanh"}),
    "softplus": (F.softplus, {}),
    "softplus-inf-threshold": (lambda x: F.softplus(x, beta=1, threshold=float("inf")), {"beta": 1, "threshold": "Infinity"}),
    "softmax": (lambda x: F.softmax(x, dim=-1), {"dim": -1}),
    "logSoftmax": (lambda x: F.log_softmax(x, dim=-1), {"dim": -1}),
    "prelu": (lambda x: F.prelu(x, torch.tensor([0.25], dtype=x.dtype)), {"weight": 0.25}),
}


def cases():
    out = []
    for name, (fn, opts) in ACTIVATIONS.items():
        for dtype in (torch.float32, torch.float64):
            x = torch.tensor(POINTS, dtype=dtype, requires_grad=True)
            y = fn(x)
            y.sum().backward()
            out.append({
                "name": "%s-%s" % (name, gen.DTYPES[dtype]),
                "activation": name,
                "options": opts,
                "input": gen.enc(x),
                "output": gen.enc(y),
                "grads": {"input": gen.enc(x.grad)},
            })
    return out


if __name__ == "__main__":
    torch.set_num_threads(1)
    gen.write("activations_extreme.json", cases())
