#!/usr/bin/python3
"""PyTorch reference fixtures for steadytensor's parity tests.

Regenerate (PyTorch for the system Python comes from Debian, not PyPI):

    apt-get install -y python3-torch
    /usr/bin/python3 scripts/gen-fixtures.py        # or: npm run fixtures

Run it from anywhere; it writes every file under ``tests/fixtures/`` of this repository and prints
what it wrote. The output is deterministic: each case seeds ``torch.manual_seed`` from a CRC32 of its
name, PyTorch runs single-threaded with deterministic algorithms, and nothing depends on time or on
the order in which cases are generated. The fixtures are committed; the tests never need PyTorch.

Format (see tests/fixtures/README.md for the per-file details)
-----------------------------------------------------------------
Each file is one JSON object ``{"torch": "<torch.__version__>", "cases": [case, ...]}``, written
with one case per line so that diffs stay readable.

Every tensor is ``{"shape": [...], "dtype": "float32"|"float64"|"int32"|"bool", "data": [...]}``
with ``data`` flat and row-major. int64 tensors (class indices, ``num_batches_tracked``) are written
as "int32"; bools as 0/1. Floats are the exact values PyTorch held (a float32 value is written as the
shortest decimal of the float64 equal to it, so ``Math.fround`` of the parsed number is a no-op).
Non-finite floats are the strings "NaN", "Infinity" and "-Infinity". A 0-d tensor has
``"shape": []`` and one datum.

Option names are steadytensor's: PyTorch's keyword names camelCased (``negative_slope`` ->
``negativeSlope``, ``T_max`` -> ``tMax``, ...). An ``options`` object holds exactly the keywords
that were passed to the PyTorch constructor, so an option left out means "PyTorch's default".

Files: layers.json, losses.json, optimizers.json, schedules.json, state_dict.json, ops.json.
"""

import json
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
# SequentialLR calls child.step(0) at a milestone, which trips PyTorch's own epoch-deprecation warning.
warnings.filterwarnings("ignore", message="The epoch parameter in `scheduler.step\\(\\)`")

WARNINGS = []


def warn(msg):
    WARNINGS.append(msg)
    print("  WARNING: " + msg, file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# encoding helpers
# ---------------------------------------------------------------------------------------------

from fixture_json import enc_full as enc, number, seed  # noqa: E402  (scripts/ is on sys.path when run as a script)


def enc_opt(v):
    """An option value as JSON (tuples -> lists, inf -> "Infinity")."""
    if isinstance(v, (tuple, list)):
        return [enc_opt(x) for x in v]
    if isinstance(v, float):
        return number(v)
    return v


CAMEL_OVERRIDES = {"T_max": "tMax"}


def camel(name):
    if name in CAMEL_OVERRIDES:
        return CAMEL_OVERRIDES[name]
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def camel_opts(kwargs):
    return {camel(k): enc_opt(v) for k, v in kwargs.items()}


def write(filename, cases):
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError("duplicate case names in %s: %s" % (filename, sorted(dup)))
    path = os.path.join(OUT_DIR, filename)
    lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases]
    header = json.dumps(torch.__version__)
    text = '{"torch":%s,"cases":[\n%s\n]}\n' % (header, ",\n".join(lines))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %-40s %4d cases %9d bytes" % (os.path.relpath(path, ROOT), len(cases), len(text)))
    return len(text)


# ---------------------------------------------------------------------------------------------
# 1. layers
# ---------------------------------------------------------------------------------------------


def act_input(shape=(4, 5)):
    """randn*2 with a few large magnitudes (±30, ±100) to test stability; no exact zeros."""
    x = torch.randn(*shape) * 2
    flat = x.view(-1)
    specials = [30.0, -30.0, 100.0, -100.0]
    for i, v in enumerate(specials):
        flat[(i * 7 + 3) % flat.numel()] = v
    return x


def zero_input():
    """Small values and exact zeros: pins PyTorch's (sub)gradient convention at 0."""
    return torch.tensor([[0.0, -0.0, 1e-3, -1e-3, 0.5], [-0.5, 0.0, 2.0, -2.0, 0.0]])


def layer_case(name, module, kwargs, x, train=False, init=None, grads_for_input=True):
    seed(name)
    m = getattr(nn, module)(**kwargs)
    if init is not None:
        with torch.no_grad():
            init(m)
    m.train(train)
    params = {k: enc(v.clone()) for k, v in m.state_dict().items()}
    x = x.clone()
    if grads_for_input and x.is_floating_point():
        x.requires_grad_(True)
    out = m(x)
    upstream = torch.randn(out.shape, dtype=out.dtype)
    (out * upstream).sum().backward()
    grads = {}
    if grads_for_input and x.is_floating_point():
        grads["input"] = enc(x.grad)
    for pname, p in m.named_parameters():
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        grads[pname] = enc(g)
    state_after = {k: enc(b.clone()) for k, b in m.named_buffers()}
    return {
        "name": name,
        "module": module,
        "options": camel_opts(kwargs),
        "train": train,
        "params": params,
        "input": enc(x),
        "upstream": enc(upstream),
        "output": enc(out),
        "grads": grads,
        "stateAfter": state_after,
    }


def randomize_bn(m):
    if m.affine:
        m.weight.copy_(1 + 0.3 * torch.randn_like(m.weight))
        m.bias.copy_(0.3 * torch.randn_like(m.bias))
    if m.track_running_stats:
        m.running_mean.copy_(0.5 * torch.randn_like(m.running_mean))
        m.running_var.copy_(0.5 + torch.rand_like(m.running_var))
        m.num_batches_tracked.fill_(3)


def randomize_affine(m):
    for p in m.parameters():
        p.copy_((1 if p is getattr(m, "weight", None) else 0) + 0.3 * torch.randn_like(p))


def randomize_prelu(m):
    m.weight.copy_(torch.rand_like(m.weight) * 0.5)


def gen_layers():
    cases = []

    def add(name, module, kwargs, make_x, **kw):
        seed(name + "/input")
        x = make_x()
        cases.append(layer_case(name, module, kwargs, x, **kw))

    # Linear
    add("Linear-bias", "Linear", dict(in_features=5, out_features=3), lambda: torch.randn(4, 5))
    add("Linear-nobias", "Linear", dict(in_features=5, out_features=3, bias=False),
        lambda: torch.randn(4, 5))
    add("Linear-3d-input", "Linear", dict(in_features=5, out_features=3),
        lambda: torch.randn(2, 4, 5))
    add("Identity", "Identity", {}, lambda: torch.randn(4, 5))
    add("Flatten-default", "Flatten", {}, lambda: torch.randn(2, 3, 4))
    add("Flatten-0-1", "Flatten", dict(start_dim=0, end_dim=1), lambda: torch.randn(2, 3, 4))
    add("Dropout-eval", "Dropout", dict(p=0.5), lambda: torch.randn(4, 5), train=False)

    # BatchNorm1d
    for train in (True, False):
        mode = "train" if train else "eval"
        for affine in (True, False):
            aff = "affine" if affine else "noaffine"
            add("BatchNorm1d-NC-%s-%s" % (mode, aff), "BatchNorm1d",
                dict(num_features=5, affine=affine), lambda: 1.5 * torch.randn(4, 5) + 0.7,
                train=train, init=randomize_bn)
            add("BatchNorm1d-NCL-%s-%s" % (mode, aff), "BatchNorm1d",
                dict(num_features=3, affine=affine), lambda: 1.5 * torch.randn(2, 3, 4) - 0.4,
                train=train, init=randomize_bn)
    add("BatchNorm1d-NC-train-momentum0.3-eps1e-3", "BatchNorm1d",
        dict(num_features=5, momentum=0.3, eps=1e-3), lambda: torch.randn(4, 5),
        train=True, init=randomize_bn)
    add("BatchNorm1d-NC-eval-notrack", "BatchNorm1d",
        dict(num_features=5, track_running_stats=False), lambda: torch.randn(4, 5),
        train=False, init=randomize_bn)
    add("BatchNorm1d-NCL-train-notrack", "BatchNorm1d",
        dict(num_features=3, track_running_stats=False), lambda: torch.randn(2, 3, 4),
        train=True, init=randomize_bn)

    # LayerNorm
    for affine in (True, False):
        aff = "affine" if affine else "noaffine"
        add("LayerNorm-last1-%s" % aff, "LayerNorm",
            dict(normalized_shape=[5], elementwise_affine=affine),
            lambda: 2 * torch.randn(4, 5) + 1, init=randomize_affine)
        add("LayerNorm-last2-%s" % aff, "LayerNorm",
            dict(normalized_shape=[3, 5], elementwise_affine=affine),
            lambda: 2 * torch.randn(4, 3, 5) - 1, init=randomize_affine)
    add("LayerNorm-last1-eps1e-3", "LayerNorm", dict(normalized_shape=[5], eps=1e-3),
        lambda: torch.randn(2, 3, 5), init=randomize_affine)

    # Embedding (int indices, repeated ones to test gradient accumulation; grads for weight only)
    idx = torch.tensor([[1, 3, 0], [3, 9, 1]], dtype=torch.int64)
    add("Embedding", "Embedding", dict(num_embeddings=10, embedding_dim=4), lambda: idx.clone(),
        grads_for_input=False)
    add("Embedding-paddingIdx0", "Embedding",
        dict(num_embeddings=10, embedding_dim=4, padding_idx=0), lambda: idx.clone(),
        grads_for_input=False)
    add("Embedding-1d-input", "Embedding", dict(num_embeddings=6, embedding_dim=3),
        lambda: torch.tensor([5, 0, 5, 2], dtype=torch.int64), grads_for_input=False)

    # Activations (inputs hold ±30 and ±100)
    simple = [
        ("Sigmoid", "Sigmoid", {}),
        ("Tanh", "Tanh", {}),
        ("ReLU", "ReLU", {}),
        ("LeakyReLU-default", "LeakyReLU", {}),
        ("LeakyReLU-0.2", "LeakyReLU", dict(negative_slope=0.2)),
        ("ELU-alpha1", "ELU", {}),
        ("ELU-alpha0.5", "ELU", dict(alpha=0.5)),
        ("SELU", "SELU", {}),
        ("GELU-none", "GELU", {}),
        ("GELU-tanh", "GELU", dict(approximate="tanh")),
        ("Softmax-dim-1", "Softmax", dict(dim=-1)),
        ("Softmax-dim0", "Softmax", dict(dim=0)),
        ("LogSoftmax-dim-1", "LogSoftmax", dict(dim=-1)),
    ]
    for name, module, kwargs in simple:
        add(name, module, kwargs, act_input)

    def softplus_input():
        x = act_input((4, 5))
        edge = torch.tensor([[9.9, 10.1, 19.9, 20.1, -20.0]])
        return torch.cat([x, edge], 0)

    add("Softplus-beta1", "Softplus", dict(beta=1, threshold=20), softplus_input)
    add("Softplus-beta2", "Softplus", dict(beta=2, threshold=20), softplus_input)

    add("PReLU-1param", "PReLU", {}, act_input, init=randomize_prelu)
    add("PReLU-default-init", "PReLU", {}, act_input)
    add("PReLU-perchannel-NC", "PReLU", dict(num_parameters=5), act_input, init=randomize_prelu)
    add("PReLU-perchannel-NCL", "PReLU", dict(num_parameters=3),
        lambda: 2 * torch.randn(2, 3, 4), init=randomize_prelu)

    # Behaviour at exactly 0 (PyTorch's subgradient choice) kept apart from the main cases.
    for name, module, kwargs, init in [
        ("ReLU-at-zero", "ReLU", {}, None),
        ("LeakyReLU-at-zero", "LeakyReLU", dict(negative_slope=0.2), None),
        ("PReLU-at-zero", "PReLU", {}, randomize_prelu),
        ("ELU-at-zero", "ELU", dict(alpha=0.5), None),
        ("SELU-at-zero", "SELU", {}, None),
        ("GELU-at-zero", "GELU", {}, None),
        ("Softplus-at-zero", "Softplus", {}, None),
    ]:
        add(name, module, kwargs, zero_input, init=init)
    return cases


# ---------------------------------------------------------------------------------------------
# 2. losses
# ---------------------------------------------------------------------------------------------


def ce_reference(x, target, weight=None, ignore_index=-100, label_smoothing=0.0,
                 reduction="mean"):
    """Independent float64 cross-entropy (PyTorch's documented formula), to catch version quirks."""
    x = x.double()
    C = x.shape[1]
    logp = torch.log_softmax(x, 1)
    w = torch.ones(C, dtype=torch.float64) if weight is None else weight.double()
    wshape = [1, C] + [1] * (x.dim() - 2)
    if target.is_floating_point():
        t = target.double()
        if label_smoothing > 0:
            t = t * (1 - label_smoothing) + label_smoothing / C
        per = -(t * logp * w.view(wshape)).sum(1)
        if reduction == "mean":
            return per.sum() / per.numel()
        return per.sum() if reduction == "sum" else per
    mask = target != ignore_index
    tt = torch.where(mask, target, torch.zeros_like(target))
    lp_t = logp.gather(1, tt.unsqueeze(1)).squeeze(1)
    w_t = w[tt] * mask
    nll = -w_t * lp_t
    smooth = -(logp * w.view(wshape)).sum(1) * mask
    per = (1 - label_smoothing) * nll + (label_smoothing / C) * smooth
    if reduction == "mean":
        return per.sum() / w_t.sum()
    return per.sum() if reduction == "sum" else per


def loss_case(name, loss, kwargs, x, target, weight=None, pos_weight=None, check=None):
    seed(name)
    ctor = dict(kwargs)
    if weight is not None:
        ctor["weight"] = weight
    if pos_weight is not None:
        ctor["pos_weight"] = pos_weight
    fn = getattr(nn, loss)(**ctor)
    x = x.clone().requires_grad_(True)
    out = fn(x, target)
    case = {"name": name, "loss": loss, "options": camel_opts(kwargs), "input": enc(x),
            "target": enc(target)}
    if weight is not None:
        case["weight"] = enc(weight)
    if pos_weight is not None:
        case["posWeight"] = enc(pos_weight)
    if kwargs.get("reduction", "mean") == "none":
        upstream = torch.randn(out.shape, dtype=out.dtype)
        (out * upstream).sum().backward()
        case["upstream"] = enc(upstream)
    else:
        out.backward()
    case["output"] = enc(out)
    case["grads"] = {"input": enc(x.grad)}
    if check is not None:
        ref = check(x.detach(), target, **{k: v for k, v in ctor.items()
                                           if k in ("weight", "ignore_index", "label_smoothing",
                                                    "reduction")})
        if not torch.allclose(out.detach().double(), ref, rtol=1e-5, atol=1e-6):
            warn("%s: PyTorch %s vs documented formula %s" % (name, out.tolist(), ref.tolist()))
    return case


def gen_losses():
    cases = []
    reductions = ("mean", "sum", "none")

    def data(name, fn):
        seed(name + "/data")
        return fn()

    # regression losses
    def reg_pair():
        x = 1.5 * torch.randn(4, 5)
        y = 1.5 * torch.randn(4, 5)
        return x, y

    for loss, variants in [
        ("MSELoss", [({}, "")]),
        ("L1Loss", [({}, "")]),
        ("HuberLoss", [({}, "-delta1"), (dict(delta=0.5), "-delta0.5")]),
        ("SmoothL1Loss", [({}, "-beta1"), (dict(beta=0.5), "-beta0.5")]),
    ]:
        for extra, suffix in variants:
            for red in reductions:
                name = "%s%s-%s" % (loss, suffix, red)
                x, y = data(name, reg_pair)
                cases.append(loss_case(name, loss, dict(extra, reduction=red), x, y))
    x, y = data("MSELoss-broadcast-free-3d", lambda: (torch.randn(2, 3, 4), torch.randn(2, 3, 4)))
    cases.append(loss_case("MSELoss-3d-mean", "MSELoss", {}, x, y))

    # cross-entropy
    N, C = 6, 5

    def ce_idx(name, n=N, extra_dims=(), ignore=None):
        def make():
            x = 2 * torch.randn(n, C, *extra_dims)
            t = torch.randint(0, C, (n, *extra_dims), dtype=torch.int64)
            if ignore is not None:
                flat = t.view(-1)
                flat[1] = ignore
                flat[flat.numel() - 2] = ignore
            return x, t
        return data(name, make)

    def ce_prob(name, extra_dims=()):
        def make():
            x = 2 * torch.randn(N, C, *extra_dims)
            t = torch.softmax(torch.randn(N, C, *extra_dims) * 1.5, 1)
            return x, t
        return data(name, make)

    def cw(name):
        return data(name + "/weight", lambda: 0.5 + torch.rand(C))

    CE = "CrossEntropyLoss"
    for red in reductions:
        n = "CrossEntropyLoss-index-%s" % red
        cases.append(loss_case(n, CE, dict(reduction=red), *ce_idx(n), check=ce_reference))
        n = "CrossEntropyLoss-prob-%s" % red
        cases.append(loss_case(n, CE, dict(reduction=red), *ce_prob(n), check=ce_reference))
        n = "CrossEntropyLoss-index-weight-%s" % red
        cases.append(loss_case(n, CE, dict(reduction=red), *ce_idx(n), weight=cw(n),
                               check=ce_reference))
        n = "CrossEntropyLoss-index-weight-ignore-ls0.1-%s" % red
        cases.append(loss_case(n, CE, dict(reduction=red, ignore_index=2, label_smoothing=0.1),
                               *ce_idx(n, ignore=2), weight=cw(n), check=ce_reference))
    n = "CrossEntropyLoss-index-ignore-default"
    cases.append(loss_case(n, CE, {}, *ce_idx(n, ignore=-100), check=ce_reference))
    n = "CrossEntropyLoss-index-ignoreIndex1"
    cases.append(loss_case(n, CE, dict(ignore_index=1), *ce_idx(n, ignore=1), check=ce_reference))
    n = "CrossEntropyLoss-index-ignoreIndex1-sum"
    cases.append(loss_case(n, CE, dict(ignore_index=1, reduction="sum"), *ce_idx(n, ignore=1),
                           check=ce_reference))
    n = "CrossEntropyLoss-index-ls0.1"
    cases.append(loss_case(n, CE, dict(label_smoothing=0.1), *ce_idx(n), check=ce_reference))
    n = "CrossEntropyLoss-index-ls0.1-none"
    cases.append(loss_case(n, CE, dict(label_smoothing=0.1, reduction="none"), *ce_idx(n),
                           check=ce_reference))
    n = "CrossEntropyLoss-prob-ls0.1"
    cases.append(loss_case(n, CE, dict(label_smoothing=0.1), *ce_prob(n), check=ce_reference))
    n = "CrossEntropyLoss-prob-weight"
    cases.append(loss_case(n, CE, {}, *ce_prob(n), weight=cw(n), check=ce_reference))
    n = "CrossEntropyLoss-index-weight-ls0.1"
    cases.append(loss_case(n, CE, dict(label_smoothing=0.1), *ce_idx(n), weight=cw(n),
                           check=ce_reference))
    n = "CrossEntropyLoss-NCd-index"
    cases.append(loss_case(n, CE, {}, *ce_idx(n, n=3, extra_dims=(4,)), check=ce_reference))
    n = "CrossEntropyLoss-NCd-index-none"
    cases.append(loss_case(n, CE, dict(reduction="none"), *ce_idx(n, n=3, extra_dims=(4,)),
                           check=ce_reference))
    n = "CrossEntropyLoss-NCd-index-weight-ignore-ls0.1"
    cases.append(loss_case(n, CE, dict(ignore_index=0, label_smoothing=0.1),
                           *ce_idx(n, n=3, extra_dims=(4,), ignore=0), weight=cw(n),
                           check=ce_reference))
    n = "CrossEntropyLoss-NCd-prob"
    cases.append(loss_case(n, CE, {}, *ce_prob(n, extra_dims=(3,)), check=ce_reference))

    def large_logits():
        x = torch.tensor([[1e4, 0.0, -1e4, 50.0, -50.0],
                          [-1e4, -1e4, -1e4, -1e4, 0.0],
                          [100.0, 100.0, 100.0, 100.0, 100.0],
                          [3e3, -3e3, 0.0, 1.0, 2.0]])
        t = torch.tensor([2, 0, 4, 0], dtype=torch.int64)
        return x, t
    n = "CrossEntropyLoss-index-large-logits"
    cases.append(loss_case(n, CE, {}, *data(n, large_logits), check=ce_reference))
    n = "CrossEntropyLoss-index-large-logits-none"
    cases.append(loss_case(n, CE, dict(reduction="none"), *data(n, large_logits),
                           check=ce_reference))

    # NLL (input = log-probabilities)
    def nll_data(name, ignore=None, extra_dims=()):
        x, t = ce_idx(name, n=N if not extra_dims else 3, extra_dims=extra_dims, ignore=ignore)
        return torch.log_softmax(x, 1), t

    for red in reductions:
        n = "NLLLoss-%s" % red
        cases.append(loss_case(n, "NLLLoss", dict(reduction=red), *nll_data(n)))
        n = "NLLLoss-weight-ignore-%s" % red
        cases.append(loss_case(n, "NLLLoss", dict(reduction=red, ignore_index=3),
                               *nll_data(n, ignore=3), weight=cw(n)))
    n = "NLLLoss-weight"
    cases.append(loss_case(n, "NLLLoss", {}, *nll_data(n), weight=cw(n)))
    n = "NLLLoss-ignore-default"
    cases.append(loss_case(n, "NLLLoss", {}, *nll_data(n, ignore=-100)))
    n = "NLLLoss-NCd-weight"
    cases.append(loss_case(n, "NLLLoss", {}, *nll_data(n, extra_dims=(4,)), weight=cw(n)))

    # BCE (input = probabilities, kept in [0.02, 0.98]); targets mostly 0/1, a few soft
    def bce_data():
        p = torch.sigmoid(1.5 * torch.randn(4, 3)).clamp(0.02, 0.98)
        t = (torch.rand(4, 3) > 0.5).float()
        t[0, 0] = 0.3
        t[2, 1] = 0.8
        return p, t

    for red in reductions:
        n = "BCELoss-%s" % red
        cases.append(loss_case(n, "BCELoss", dict(reduction=red), *data(n, bce_data)))
    n = "BCELoss-weight"
    cases.append(loss_case(n, "BCELoss", {}, *data(n, bce_data),
                           weight=data(n + "/weight", lambda: 0.5 + torch.rand(3))))
    n = "BCELoss-saturated-matching"
    # input exactly 0/1 where the target agrees: loss 0, grads 0 (log clamped to -100 inside).
    cases.append(loss_case(n, "BCELoss", dict(reduction="sum"),
                           torch.tensor([0.0, 1.0, 1e-6, 1 - 1e-6, 0.5]),
                           torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0])))

    # BCEWithLogits with logits up to ±100
    def bcel_data():
        x = 3 * torch.randn(4, 3)
        x[0, 0], x[1, 1], x[2, 2], x[3, 0] = 100.0, -100.0, 40.0, -40.0
        t = (torch.rand(4, 3) > 0.5).float()
        t[0, 0], t[1, 1] = 0.0, 1.0   # confidently wrong at ±100: loss 100, no inf/NaN
        t[3, 2] = 0.25
        return x, t

    BL = "BCEWithLogitsLoss"
    for red in reductions:
        n = "BCEWithLogitsLoss-%s" % red
        cases.append(loss_case(n, BL, dict(reduction=red), *data(n, bcel_data)))
        n = "BCEWithLogitsLoss-posWeight-%s" % red
        cases.append(loss_case(n, BL, dict(reduction=red), *data(n, bcel_data),
                               pos_weight=torch.tensor([0.5, 2.0, 3.0])))
    n = "BCEWithLogitsLoss-weight-posWeight"
    cases.append(loss_case(n, BL, {}, *data(n, bcel_data),
                           weight=torch.tensor([1.5, 0.5, 1.0]),
                           pos_weight=torch.tensor([0.5, 2.0, 3.0])))
    return cases


# ---------------------------------------------------------------------------------------------
# 3. optimizers (float64)
# ---------------------------------------------------------------------------------------------

STEPS = 25


def opt_problem():
    seed("optimizer-problem")
    dt = torch.float64
    X = torch.randn(8, 4, dtype=dt)
    w_true = torch.randn(3, 4, dtype=dt)
    b_true = torch.randn(3, dtype=dt)
    Y = X @ w_true.T + b_true + 0.1 * torch.randn(8, 3, dtype=dt)
    w0 = torch.randn(3, 4, dtype=dt)
    b0 = torch.randn(3, dtype=dt)
    return X, Y, w0, b0


def opt_case(name, optimizer, kwargs, groups=None):
    X, Y, w0, b0 = opt_problem()
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    params = {"w": w, "b": b}
    cls = getattr(torch.optim, optimizer)
    ctor = dict(kwargs)
    if optimizer == "NAdam":
        # PyTorch < 2.0's default (single-tensor) NAdam multiplies mu into mu_product_next twice
        # (fixed upstream in pytorch/pytorch#92699, PyTorch 2.0); its foreach path was already
        # right, so use it and get the trajectory current PyTorch gives.
        ctor["foreach"] = True
    if groups is None:
        opt = cls([w, b], **ctor)
    else:
        opt = cls([dict(g, params=[params[p] for p in g["params"]]) for g in groups], **ctor)
    traj = []
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((X @ w.T + b - Y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        traj.append({"w": enc(w), "b": enc(b)})
    case = {"name": name, "optimizer": optimizer, "options": camel_opts(kwargs)}
    if groups is not None:
        case["groups"] = [camel_opts(g) for g in groups]
    case.update({"X": enc(X), "Y": enc(Y), "initial": {"w": enc(w0), "b": enc(b0)},
                 "losses": losses, "trajectory": traj})
    final = ((X @ w.T + b - Y) ** 2).mean().item()
    if not final < losses[0]:
        warn("%s: loss did not decrease (%g -> %g)" % (name, losses[0], final))
    return case


def gen_optimizers():
    # Optimizer state scalars (step, NAdam's mu_product) take the default dtype; float64 keeps the
    # whole trajectory in float64, as a JS implementation doing its scalar math in numbers would.
    prev = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return _gen_optimizers()
    finally:
        torch.set_default_dtype(prev)


def _gen_optimizers():
    c = []
    c.append(opt_case("SGD-plain", "SGD", dict(lr=0.05)))
    c.append(opt_case("SGD-momentum0.9", "SGD", dict(lr=0.05, momentum=0.9)))
    c.append(opt_case("SGD-momentum-dampening0.1", "SGD", dict(lr=0.05, momentum=0.9,
                                                               dampening=0.1)))
    c.append(opt_case("SGD-nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True)))
    c.append(opt_case("SGD-weightDecay0.01", "SGD", dict(lr=0.05, weight_decay=0.01)))
    c.append(opt_case("SGD-momentum-weightDecay", "SGD", dict(lr=0.05, momentum=0.9,
                                                              weight_decay=0.01)))
    c.append(opt_case("Adam-default", "Adam", dict(lr=0.05)))
    c.append(opt_case("Adam-amsgrad", "Adam", dict(lr=0.05, amsgrad=True)))
    c.append(opt_case("Adam-weightDecay0.01", "Adam", dict(lr=0.05, weight_decay=0.01)))
    c.append(opt_case("Adam-betas-eps", "Adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6)))
    c.append(opt_case("AdamW-default", "AdamW", dict(lr=0.05)))
    c.append(opt_case("AdamW-amsgrad", "AdamW", dict(lr=0.05, amsgrad=True)))
    c.append(opt_case("AdamW-weightDecay0.1", "AdamW", dict(lr=0.05, weight_decay=0.1)))
    c.append(opt_case("RMSprop-default", "RMSprop", dict(lr=0.01)))
    c.append(opt_case("RMSprop-centered", "RMSprop", dict(lr=0.01, centered=True)))
    c.append(opt_case("RMSprop-momentum0.9", "RMSprop", dict(lr=0.01, momentum=0.9)))
    c.append(opt_case("RMSprop-alpha0.9", "RMSprop", dict(lr=0.01, alpha=0.9)))
    c.append(opt_case("RMSprop-centered-momentum-weightDecay", "RMSprop",
                      dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.01)))
    c.append(opt_case("Adagrad-default", "Adagrad", dict(lr=0.1)))
    c.append(opt_case("Adagrad-lrDecay-initialAccumulator", "Adagrad",
                      dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)))
    c.append(opt_case("Adagrad-weightDecay", "Adagrad", dict(lr=0.1, weight_decay=0.01)))
    c.append(opt_case("Adadelta-default", "Adadelta", dict(lr=1.0)))
    c.append(opt_case("Adadelta-rho0.8", "Adadelta", dict(lr=1.0, rho=0.8)))
    c.append(opt_case("Adadelta-lr10-weightDecay", "Adadelta", dict(lr=10.0, weight_decay=0.01)))
    c.append(opt_case("Adamax-default", "Adamax", dict(lr=0.05)))
    c.append(opt_case("Adamax-weightDecay", "Adamax", dict(lr=0.05, weight_decay=0.01)))
    c.append(opt_case("NAdam-default", "NAdam", dict(lr=0.05)))
    c.append(opt_case("NAdam-momentumDecay0.01", "NAdam", dict(lr=0.05, momentum_decay=0.01)))
    c.append(opt_case("NAdam-weightDecay", "NAdam", dict(lr=0.05, weight_decay=0.01)))
    c.append(opt_case("SGD-two-groups", "SGD", dict(lr=0.05, momentum=0.9),
                      groups=[{"params": ["w"], "lr": 0.02}, {"params": ["b"], "lr": 0.1}]))
    c.append(opt_case("Adam-two-groups", "Adam", dict(lr=0.05),
                      groups=[{"params": ["w"], "lr": 0.02},
                              {"params": ["b"], "lr": 0.1, "weight_decay": 0.1}]))
    return c


# ---------------------------------------------------------------------------------------------
# 4. learning-rate schedules
# ---------------------------------------------------------------------------------------------

SCHED_STEPS = 50
BASE_LR = 0.1
SCHED_OPT = {"optimizer": "SGD", "options": {"lr": BASE_LR, "momentum": 0.9}}
L = torch.optim.lr_scheduler


def plateau_metrics():
    """Decreasing, then flat, then noisy, then a late improvement, then flat."""
    seed("plateau-metrics")
    m = [round(1.0 - 0.05 * i, 6) for i in range(10)]            # 1.00 .. 0.55
    m += [0.55] * 8                                                # flat
    noise = (torch.rand(16, dtype=torch.float64) - 0.5) * 0.02
    m += [round(0.55 + float(v), 6) for v in noise]                # noisy around 0.55
    m += [0.5, 0.45, 0.45, 0.4499, 0.44999]                        # improvement, tiny rel steps
    m += [0.45] * (SCHED_STEPS - len(m))
    return m


def make_sched(opt, spec):
    kind, kw = spec["scheduler"], spec["kwargs"]
    if kind == "SequentialLR":
        children = [make_sched(opt, ch) for ch in kw["schedulers"]]
        return L.SequentialLR(opt, children, milestones=kw["milestones"])
    if kind == "ChainedScheduler":
        return L.ChainedScheduler([make_sched(opt, ch) for ch in kw["schedulers"]])
    return getattr(L, kind)(opt, **kw)


def describe(spec):
    kw = spec["kwargs"]
    if spec["scheduler"] in ("SequentialLR", "ChainedScheduler"):
        opts = {"schedulers": [describe(ch) for ch in kw["schedulers"]]}
        if "milestones" in kw:
            opts["milestones"] = kw["milestones"]
        return {"scheduler": spec["scheduler"], "options": opts}
    return {"scheduler": spec["scheduler"], "options": camel_opts(kw)}


def S(kind, **kw):
    return {"scheduler": kind, "kwargs": kw}


def sched_case(name, spec, metrics=None):
    seed(name)
    p = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=BASE_LR, momentum=0.9)
    sch = make_sched(opt, spec)
    steps = SCHED_STEPS
    if spec["scheduler"] == "OneCycleLR":
        # OneCycleLR defines totalSteps lr values, i.e. totalSteps - 1 step() calls; PyTorch lets
        # one more step through and extrapolates past the end (the "linear" strategy gives a
        # negative lr), which is not behaviour worth pinning.
        steps = min(steps, spec["kwargs"]["total_steps"] - 1)
    lrs = [opt.param_groups[0]["lr"]]
    for i in range(steps):
        opt.step()
        if metrics is not None:
            sch.step(metrics[i])
        else:
            sch.step()
        lrs.append(opt.param_groups[0]["lr"])
    d = describe(spec)
    case = {"name": name, "scheduler": d["scheduler"], "options": d["options"],
            "optimizer": SCHED_OPT, "baseLr": BASE_LR}
    if metrics is not None:
        case["metrics"] = metrics[:steps]
    case["steps"] = steps
    case["lrs"] = lrs
    return case


def gen_schedules():
    c = []
    c.append(sched_case("StepLR-10-0.5", S("StepLR", step_size=10, gamma=0.5)))
    c.append(sched_case("StepLR-7-default-gamma", S("StepLR", step_size=7)))
    c.append(sched_case("MultiStepLR", S("MultiStepLR", milestones=[10, 25, 40], gamma=0.5)))
    c.append(sched_case("ExponentialLR-0.9", S("ExponentialLR", gamma=0.9)))
    c.append(sched_case("CosineAnnealingLR-tMax50", S("CosineAnnealingLR", T_max=50)))
    c.append(sched_case("CosineAnnealingLR-tMax20-etaMin", S("CosineAnnealingLR", T_max=20,
                                                             eta_min=0.001)))
    c.append(sched_case("LinearLR-warmup", S("LinearLR", start_factor=0.1, total_iters=10)))
    c.append(sched_case("LinearLR-decay", S("LinearLR", start_factor=1.0, end_factor=0.2,
                                            total_iters=30)))
    c.append(sched_case("OneCycleLR-cos", S("OneCycleLR", max_lr=0.5, total_steps=50)))
    c.append(sched_case("OneCycleLR-linear", S("OneCycleLR", max_lr=0.5, total_steps=50,
                                               anneal_strategy="linear")))
    c.append(sched_case("OneCycleLR-threePhase", S("OneCycleLR", max_lr=0.5, total_steps=50,
                                                   three_phase=True)))
    c.append(sched_case("OneCycleLR-pctStart-divFactors", S(
        "OneCycleLR", max_lr=0.5, total_steps=50, pct_start=0.2, div_factor=10.0,
        final_div_factor=100.0)))
    m = plateau_metrics()
    c.append(sched_case("ReduceLROnPlateau-min", S("ReduceLROnPlateau", mode="min", factor=0.5,
                                                   patience=3, threshold=1e-4), metrics=m))
    m2 = [round(1.0 - v, 6) for v in m]
    c.append(sched_case("ReduceLROnPlateau-max-abs-cooldown-minLr", S(
        "ReduceLROnPlateau", mode="max", factor=0.5, patience=2, threshold=0.01,
        threshold_mode="abs", cooldown=2, min_lr=0.02), metrics=m2))
    c.append(sched_case("SequentialLR-warmup-cosine", S(
        "SequentialLR",
        schedulers=[S("LinearLR", start_factor=0.1, total_iters=10),
                    S("CosineAnnealingLR", T_max=40)],
        milestones=[10])))
    c.append(sched_case("ChainedScheduler-exp-step", S(
        "ChainedScheduler",
        schedulers=[S("ExponentialLR", gamma=0.95), S("StepLR", step_size=10, gamma=0.5)])))
    return c


# ---------------------------------------------------------------------------------------------
# 5. state dict
# ---------------------------------------------------------------------------------------------


def gen_state_dict():
    name = "Sequential-Linear-BatchNorm1d-ReLU-Linear"
    seed(name)
    model = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    for _ in range(3):
        xb = torch.randn(16, 6) * 2 + 0.5
        yb = torch.randn(16, 3)
        opt.zero_grad()
        F.mse_loss(model(xb), yb).backward()
        opt.step()
    model.eval()
    x = torch.randn(5, 6)
    with torch.no_grad():
        out = model(x)
    modules = [
        {"module": "Linear", "options": {"inFeatures": 6, "outFeatures": 8}},
        {"module": "BatchNorm1d", "options": {"numFeatures": 8}},
        {"module": "ReLU", "options": {}},
        {"module": "Linear", "options": {"inFeatures": 8, "outFeatures": 3}},
    ]
    sd = model.state_dict()
    return [{"name": name, "container": "Sequential", "modules": modules, "train": False,
             "trainingSteps": 3, "stateDict": {k: enc(v) for k, v in sd.items()},
             "stateDictKeys": list(sd.keys()), "input": enc(x), "output": enc(out)}]


# ---------------------------------------------------------------------------------------------
# 6. ops (float64)
# ---------------------------------------------------------------------------------------------


def op_case(name, op, args, inputs, fn, grads=True):
    """inputs: list of tensors; fn(*inputs) -> tensor. grads for floating inputs only."""
    seed(name)
    ins = [t.clone() for t in inputs]
    diff = [t.is_floating_point() for t in ins]
    if grads:
        for t, d in zip(ins, diff):
            if d:
                t.requires_grad_(True)
    out = fn(*ins)
    case = {"name": name, "op": op, "args": {k: enc_opt(v) for k, v in args.items()},
            "inputs": [enc(t) for t in ins], "output": enc(out)}
    if grads:
        upstream = torch.randn(out.shape, dtype=out.dtype)
        (out * upstream).sum().backward()
        case["upstream"] = enc(upstream)
        case["grads"] = [enc(t.grad) if d else None for t, d in zip(ins, diff)]
        for g in case["grads"]:
            if g is not None and any(isinstance(v, str) for v in g["data"]):
                warn("%s: non-finite gradient" % name)
    return case


def gen_ops():
    dt = torch.float64
    c = []

    def r(name, *shape):
        seed(name + "/input")
        return torch.randn(*shape, dtype=dt)

    def rr(name, *shapes):
        seed(name + "/input")
        return [torch.randn(*s, dtype=dt) for s in shapes]

    n = "matmul-batched-broadcast"
    c.append(op_case(n, "matmul", {}, rr(n, (2, 1, 3, 4), (5, 4, 2)), torch.matmul))
    n = "matmul-vector-matrix"
    c.append(op_case(n, "matmul", {}, rr(n, (4,), (4, 3)), torch.matmul))

    n = "cov-correction1"
    c.append(op_case(n, "cov", {"correction": 1}, [r(n, 3, 10)],
                     lambda x: torch.cov(x, correction=1)))
    n = "cov-correction0"
    c.append(op_case(n, "cov", {"correction": 0}, [r(n, 3, 10)],
                     lambda x: torch.cov(x, correction=0)))
    n = "corrcoef"
    c.append(op_case(n, "corrcoef", {}, [r(n, 3, 10)], torch.corrcoef))

    for fname in ("var", "std"):
        f = getattr(torch, fname)
        for dims, corr, keep in [([1], 0, False), ([1], 1, False), ([0, 2], 1, True),
                                 ([0, 2], 0, False), (None, 1, False)]:
            n = "%s-dim%s-correction%d%s" % (fname, "all" if dims is None else
                                            ",".join(map(str, dims)), corr,
                                            "-keepdim" if keep else "")
            args = {"dim": dims, "correction": corr, "keepdim": keep}
            c.append(op_case(n, fname, args, [r(n, 3, 4, 5)],
                             lambda x, d=dims, k=keep, cc=corr: f(x, dim=d, correction=cc,
                                                                  keepdim=k)))

    inf = float("inf")
    for p, dims, keep in [(1, None, False), (2, None, False), (inf, None, False),
                          (1, [1], False), (2, [1], True), (inf, [0], False), (2, [0, 1], False),
                          (3, [1], False)]:
        n = "norm-p%s-dim%s%s" % (p if p != inf else "inf",
                                  "all" if dims is None else ",".join(map(str, dims)),
                                  "-keepdim" if keep else "")
        c.append(op_case(n, "norm", {"p": p, "dim": dims, "keepdim": keep}, [r(n, 3, 4)],
                         lambda x, p=p, d=dims, k=keep: torch.linalg.vector_norm(
                             x, ord=p, dim=d, keepdim=k)))
    n = "norm-fro"
    c.append(op_case(n, "norm", {"p": "fro", "dim": None, "keepdim": False}, [r(n, 3, 4)],
                     lambda x: torch.norm(x, p="fro")))
    n = "norm-p2-zero-row"
    x = r(n, 3, 4)
    x[1] = 0.0
    c.append(op_case(n, "norm", {"p": 2, "dim": [1], "keepdim": False}, [x],
                     lambda x: torch.linalg.vector_norm(x, ord=2, dim=1)))

    n = "logsumexp-neginf"
    x = r(n, 3, 4) * 3
    x[0, 1] = -inf
    x[2, 0] = -inf
    x[2, 3] = -inf
    c.append(op_case(n, "logsumexp", {"dim": 1, "keepdim": False}, [x],
                     lambda x: torch.logsumexp(x, 1)))
    n = "logsumexp-large"
    x = torch.tensor([[1e4, 0.0, -1e4], [1000.0, 1000.0, -inf], [-1e4, -1e4, -1e4]], dtype=dt)
    c.append(op_case(n, "logsumexp", {"dim": -1, "keepdim": True}, [x],
                     lambda x: torch.logsumexp(x, -1, keepdim=True)))
    n = "logsumexp-all-neginf-row"
    x = torch.tensor([[0.5, -inf, 1.0], [-inf, -inf, -inf]], dtype=dt)
    # forward only: PyTorch's backward gives NaN for the all -inf row (exp(-inf - -inf)).
    c.append(op_case(n, "logsumexp", {"dim": 1, "keepdim": False}, [x],
                     lambda x: torch.logsumexp(x, 1), grads=False))

    ext = torch.tensor([1e4, 0.0, -1e4], dtype=dt)
    c.append(op_case("softmax-extreme", "softmax", {"dim": -1}, [ext],
                     lambda x: torch.softmax(x, -1)))
    c.append(op_case("logSoftmax-extreme", "logSoftmax", {"dim": -1}, [ext],
                     lambda x: torch.log_softmax(x, -1)))
    ext2 = torch.tensor([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]], dtype=dt)
    c.append(op_case("softmax-extreme-dim0", "softmax", {"dim": 0}, [ext2],
                     lambda x: torch.softmax(x, 0)))
    c.append(op_case("logSoftmax-extreme-2d", "logSoftmax", {"dim": 1}, [ext2],
                     lambda x: torch.log_softmax(x, 1)))

    n = "svdvals-5x3"
    c.append(op_case(n, "svdvals", {}, [r(n, 5, 3)], torch.linalg.svdvals))

    n = "gather-dim1"
    idx = torch.tensor([[0, 2], [1, 1], [3, 0]], dtype=torch.int64)
    c.append(op_case(n, "gather", {"dim": 1}, [r(n, 3, 4), idx],
                     lambda x, i: torch.gather(x, 1, i)))
    n = "gather-dim0"
    idx = torch.tensor([[2, 0, 1, 2], [0, 0, 2, 1]], dtype=torch.int64)
    c.append(op_case(n, "gather", {"dim": 0}, [r(n, 3, 4), idx],
                     lambda x, i: torch.gather(x, 0, i)))
    n = "scatterAdd-dim1"
    idx = torch.tensor([[0, 1, 0], [4, 4, 2]], dtype=torch.int64)
    s, src = rr(n, (3, 5), (2, 3))
    c.append(op_case(n, "scatterAdd", {"dim": 1}, [s, idx, src],
                     lambda s, i, v: torch.scatter_add(s, 1, i, v)))
    n = "scatterAdd-dim0"
    idx = torch.tensor([[1, 0, 1, 1], [1, 2, 0, 1]], dtype=torch.int64)
    s, src = rr(n, (3, 4), (2, 4))
    c.append(op_case(n, "scatterAdd", {"dim": 0}, [s, idx, src],
                     lambda s, i, v: torch.scatter_add(s, 0, i, v)))

    n = "pad-constant-2d"
    c.append(op_case(n, "pad", {"pad": [1, 2, 0, 1], "mode": "constant", "value": 0.5},
                     [r(n, 2, 3, 4)], lambda x: F.pad(x, (1, 2, 0, 1), "constant", 0.5)))
    n = "pad-constant-zero-last-dim"
    c.append(op_case(n, "pad", {"pad": [2, 1], "mode": "constant", "value": 0.0},
                     [r(n, 2, 3)], lambda x: F.pad(x, (2, 1))))

    n = "repeat-2-1-3"
    c.append(op_case(n, "repeat", {"repeats": [2, 1, 3]}, [r(n, 2, 3)],
                     lambda x: x.repeat(2, 1, 3)))
    n = "repeat-2-2"
    c.append(op_case(n, "repeat", {"repeats": [2, 2]}, [r(n, 2, 3)], lambda x: x.repeat(2, 2)))

    for op in ("tril", "triu"):
        f = getattr(torch, op)
        for d in (1, -1, 0):
            n = "%s-diagonal%d" % (op, d)
            c.append(op_case(n, op, {"diagonal": d}, [r(n, 4, 5)],
                             lambda x, f=f, d=d: f(x, diagonal=d)))
        n = "%s-batched-diagonal1" % op
        c.append(op_case(n, op, {"diagonal": 1}, [r(n, 2, 3, 4)],
                         lambda x, f=f: f(x, diagonal=1)))
    return c


# ---------------------------------------------------------------------------------------------


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    print("torch %s -> %s" % (torch.__version__, os.path.relpath(OUT_DIR, os.getcwd())))
    total = 0
    total += write("layers.json", gen_layers())
    total += write("losses.json", gen_losses())
    total += write("optimizers.json", gen_optimizers())
    total += write("schedules.json", gen_schedules())
    total += write("state_dict.json", gen_state_dict())
    total += write("ops.json", gen_ops())
    print("total %d bytes" % total)
    if WARNINGS:
        print("%d warning(s):" % len(WARNINGS))
        for w in WARNINGS:
            print("  " + w)


if __name__ == "__main__":
    main()
