#!/usr/bin/python3
"""PyTorch 1.13 reference fixtures for steadytensor's recurrent layers, the issue-15 activations and
losses, and the optimizers/schedules LBFGS, RAdam, Rprop, CosineAnnealingWarmRestarts, CyclicLR,
PolynomialLR.

Regenerate:  /usr/bin/python3 scripts/gen-rnn-fixtures.py   (or: npm run fixtures:rnn)

Writes tests/fixtures/rnn/{rnn,activations,losses,optimizers,schedules}.json in the format of
scripts/gen-fixtures.py ({"torch": version, "cases": [...]}, tensors as {shape, dtype, data}, one
case per line). Deterministic: each case seeds torch.manual_seed from a CRC32 of its name.

rnn.json: per case the module kind and steadytensor's camelCased options, the PyTorch state dict
("params", loaded unchanged), the input and initial states, the outputs, upstream gradients and the
gradients of sum(output*g) + sum(hN*gh) (+ sum(cN*gc)) for the input, the initial states and every
parameter (state-dict keys). float32, modules in eval mode (no dropout).
"""

import json
import math
import os
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "rnn")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)


def enc(t):
    t = t.detach()
    if t.dtype == torch.bool:
        return {"shape": list(t.shape), "dtype": "bool", "data": [int(x) for x in t.reshape(-1).tolist()]}
    if t.dtype in (torch.int64, torch.int32):
        return {"shape": list(t.shape), "dtype": "int32", "data": [int(x) for x in t.reshape(-1).tolist()]}
    dt = "float64" if t.dtype == torch.float64 else "float32"
    out = []
    for x in (t.reshape(-1).numpy() if dt == "float32" else t.reshape(-1).tolist()):
        x = float(x) if dt == "float64" else x
        if math.isnan(x):
            out.append("NaN")
        elif math.isinf(x):
            out.append("Infinity" if x > 0 else "-Infinity")
        elif dt == "float32":
            # the shortest decimal that rounds back to this float32 (Float32Array.from restores it)
            out.append(json.loads(np.format_float_scientific(x, unique=True, trim="-").replace("e+", "e")))
        else:
            out.append(x)
    return {"shape": list(t.shape), "dtype": dt, "data": out}


def encode(v):
    if isinstance(v, torch.Tensor):
        return enc(v)
    if isinstance(v, dict):
        return {k: encode(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def write(name, cases):
    os.makedirs(OUT_DIR, exist_ok=True)
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names), "duplicate case names in " + name
    path = os.path.join(OUT_DIR, name + ".json")
    lines = [json.dumps(encode(c), separators=(",", ":"), allow_nan=False) for c in cases]
    text = '{"torch":%s,"cases":[\n%s\n]}\n' % (json.dumps(torch.__version__), ",\n".join(lines))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %-40s %4d cases %9d bytes" % (os.path.relpath(path, ROOT), len(cases), len(text)))


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


# ---------------------------------------------------------------------------------------------
# 1. recurrent layers and cells
# ---------------------------------------------------------------------------------------------

def rnn_case(name, kind, input_size, hidden, kwargs, seq=5, batch=3, states=True, unbatched=False):
    seed(name)
    cls = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
    m = cls(input_size, hidden, **kwargs).eval()
    dirs = 2 if kwargs.get("bidirectional") else 1
    layers = kwargs.get("num_layers", 1)
    bf = kwargs.get("batch_first", False)
    if unbatched:
        xshape = (seq, input_size)
        sshape = (layers * dirs, hidden)
    else:
        xshape = (batch, seq, input_size) if bf else (seq, batch, input_size)
        sshape = (layers * dirs, batch, hidden)
    x = torch.randn(*xshape, requires_grad=True)
    inits = {}
    if states:
        inits["h0"] = (torch.randn(*sshape) * 0.5).requires_grad_()
        if kind == "LSTM":
            inits["c0"] = (torch.randn(*sshape) * 0.5).requires_grad_()
    if kind == "LSTM":
        out, (hN, cN) = m(x, (inits["h0"], inits["c0"]) if states else None)
        finals = {"hN": hN, "cN": cN}
    else:
        out, hN = m(x, inits["h0"] if states else None)
        finals = {"hN": hN}
    g = torch.randn_like(out)
    gs = {k: torch.randn_like(v) for k, v in finals.items()}
    total = (out * g).sum() + sum((finals[k] * gs[k]).sum() for k in finals)
    total.backward()
    opts = {camel(k): v for k, v in kwargs.items()}
    return {
        "name": name, "kind": kind, "inputSize": input_size, "hiddenSize": hidden, "options": opts,
        "params": {k: v for k, v in m.state_dict().items()},
        "input": x, "inits": inits, "output": out, "finals": finals, "g": g, "gFinals": gs,
        "grads": {"input": x.grad, **{k: v.grad for k, v in inits.items()}},
        "paramGrads": {k: p.grad for k, p in m.named_parameters()},
    }


def cell_case(name, kind, input_size, hidden, kwargs, batch=3, states=True):
    seed(name)
    cls = {"RNNCell": nn.RNNCell, "LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell}[kind]
    m = cls(input_size, hidden, **kwargs)
    x = torch.randn(batch, input_size, requires_grad=True)
    inits = {}
    if states:
        inits["h0"] = (torch.randn(batch, hidden) * 0.5).requires_grad_()
        if kind == "LSTMCell":
            inits["c0"] = (torch.randn(batch, hidden) * 0.5).requires_grad_()
    if kind == "LSTMCell":
        h, c = m(x, (inits["h0"], inits["c0"]) if states else None)
        outs = {"h": h, "c": c}
    else:
        outs = {"h": m(x, inits["h0"] if states else None)}
    gs = {k: torch.randn_like(v) for k, v in outs.items()}
    sum((outs[k] * gs[k]).sum() for k in outs).backward()
    return {
        "name": name, "kind": kind, "inputSize": input_size, "hiddenSize": hidden,
        "options": {camel(k): v for k, v in kwargs.items()},
        "params": dict(m.state_dict()), "input": x, "inits": inits, "outputs": outs, "gOutputs": gs,
        "grads": {"input": x.grad, **{k: v.grad for k, v in inits.items()}},
        "paramGrads": {k: p.grad for k, p in m.named_parameters()},
    }


def gen_rnn():
    cases = []
    full = {"num_layers": 2, "bidirectional": True, "batch_first": True}
    for kind in ("RNN", "LSTM", "GRU"):
        cases.append(rnn_case(kind + " 1 layer", kind, 4, 6, {}))
        cases.append(rnn_case(kind + " 2 layers bidirectional batchFirst with states", kind, 4, 5, full))
        cases.append(rnn_case(kind + " 2 layers seq-first no states", kind, 3, 4, {"num_layers": 2}, states=False))
        cases.append(rnn_case(kind + " no bias bidirectional", kind, 3, 4, {"bias": False, "bidirectional": True}))
        cases.append(rnn_case(kind + " unbatched", kind, 3, 4, {"num_layers": 2}, unbatched=True))
    cases.append(rnn_case("RNN relu 2 layers bidirectional", "RNN", 4, 5, {"nonlinearity": "relu", "num_layers": 2, "bidirectional": True}))
    for kind in ("RNNCell", "LSTMCell", "GRUCell"):
        cases.append(cell_case(kind, kind, 4, 6, {}))
        cases.append(cell_case(kind + " no bias no state", kind, 4, 6, {"bias": False}, states=False))
    cases.append(cell_case("RNNCell relu", "RNNCell", 4, 6, {"nonlinearity": "relu"}))
    write("rnn", cases)


# ---------------------------------------------------------------------------------------------
# 2. activations (float32 and float64; kinks and ±1e4 included) and losses
# ---------------------------------------------------------------------------------------------

KINKS = [-1e4, -20.0, -3.0, -1.0, 0.0, 1.0, 3.0, 20.0, 1e4, -0.5, 2.5, -2.0]


def act_case(name, fn_name, kwargs, fn, dtype=torch.float32):
    seed(name)
    x = torch.cat([torch.randn(18, dtype=dtype) * 4, torch.tensor(KINKS, dtype=dtype)]).reshape(5, 6).requires_grad_()
    y = fn(x, **kwargs)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    return {"name": name, "fn": fn_name, "options": {camel(k): v for k, v in kwargs.items()}, "input": x, "output": y, "g": g, "grad": x.grad}


def gen_activations():
    cases = []
    acts = [("silu", F.silu, {}), ("mish", F.mish, {}), ("hardtanh", F.hardtanh, {}), ("hardtanh", F.hardtanh, {"min_val": -2.0, "max_val": 3.0}),
            ("hardswish", F.hardswish, {}), ("logsigmoid", F.logsigmoid, {}), ("softsign", F.softsign, {})]
    for dt in (torch.float32, torch.float64):
        dn = "float32" if dt == torch.float32 else "float64"
        for fname, fn, kw in acts:
            cases.append(act_case("%s %s %s" % (fname, json.dumps(kw, sort_keys=True), dn), fname, kw, fn, dt))
    for dim, shape1, shape2, eps in [(1, (4, 6), (4, 6), 1e-8), (-1, (2, 3, 5), (2, 3, 5), 1e-8), (0, (5, 3), (5, 1), 1e-8), (1, (3, 4), (3, 4), 0.5)]:
        name = "cosineSimilarity dim %d %s %s eps %g" % (dim, shape1, shape2, eps)
        seed(name)
        a = torch.randn(*shape1, requires_grad=True)
        b = torch.randn(*shape2, requires_grad=True)
        if eps == 0.5:
            a = (a * 0.1).detach().requires_grad_()
        y = F.cosine_similarity(a, b, dim=dim, eps=eps)
        g = torch.randn_like(y)
        (y * g).sum().backward()
        cases.append({"name": name, "fn": "cosineSimilarity", "options": {"dim": dim, "eps": eps}, "inputs": [a, b], "output": y, "g": g, "grads": [a.grad, b.grad]})
    write("activations", cases)


def loss_case(name, fn_name, fn, inputs, kwargs, grad_idx):
    xs = [t.detach().clone().requires_grad_(i in grad_idx) for i, t in enumerate(inputs)]
    y = fn(*xs, **kwargs)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    return {"name": name, "fn": fn_name, "options": {camel(k): v for k, v in kwargs.items()}, "inputs": xs, "output": y, "g": g,
            "grads": [x.grad if i in grad_idx else None for i, x in enumerate(xs)]}


def gen_losses():
    cases = []
    for red in ("mean", "batchmean", "sum", "none"):
        for log_target in (False, True):
            name = "klDiv %s logTarget %s" % (red, log_target)
            seed(name)
            inp = torch.randn(4, 5).log_softmax(-1)
            tgt = torch.randn(4, 5).softmax(-1)
            tgt[0, 1] = 0.0  # 0·log 0 = 0
            if log_target:
                tgt = torch.randn(4, 5).log_softmax(-1)
            cases.append(loss_case(name, "klDiv", F.kl_div, [inp, tgt], {"reduction": red, "log_target": log_target}, (0, 1)))
    for red in ("mean", "sum", "none"):
        for margin in (0.0, 0.3):
            name = "cosineEmbeddingLoss %s margin %g" % (red, margin)
            seed(name)
            y = torch.tensor([1, -1, 1, -1, -1, 1])
            cases.append(loss_case(name, "cosineEmbeddingLoss", F.cosine_embedding_loss, [torch.randn(6, 4), torch.randn(6, 4), y], {"margin": margin, "reduction": red}, (0, 1)))
            name = "marginRankingLoss %s margin %g" % (red, margin)
            seed(name)
            y = torch.tensor([1.0, -1.0, 1.0, -1.0, -1.0, 1.0])
            cases.append(loss_case(name, "marginRankingLoss", F.margin_ranking_loss, [torch.randn(6), torch.randn(6), y], {"margin": margin, "reduction": red}, (0, 1)))
    name = "cosineEmbeddingLoss unbatched"
    seed(name)
    cases.append(loss_case(name, "cosineEmbeddingLoss", F.cosine_embedding_loss, [torch.randn(5), torch.randn(5), torch.tensor(-1)], {"margin": -0.5}, (0, 1)))
    for kw in ({}, {"margin": 2.0, "p": 1.0}, {"swap": True, "reduction": "sum"}, {"p": 3.0, "eps": 1e-3, "reduction": "none"}):
        name = "tripletMarginLoss %s" % json.dumps(kw, sort_keys=True)
        seed(name)
        cases.append(loss_case(name, "tripletMarginLoss", F.triplet_margin_loss, [torch.randn(5, 4), torch.randn(5, 4), torch.randn(5, 4)], kw, (0, 1, 2)))
    write("losses", cases)


if __name__ == "__main__":
    import sys
    which = set(sys.argv[1:])
    for name, fn in [("rnn", gen_rnn), ("activations", gen_activations), ("losses", gen_losses)]:
        if not which or name in which:
            fn()
