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

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_json import enc, encode, seed  # noqa: E402  (scripts/ is on sys.path when run as a script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "rnn")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


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


# ---------------------------------------------------------------------------------------------
# 3. optimizers (float64): RAdam and Rprop on least squares (as scripts/gen-fixtures.py), LBFGS on
#    the Rosenbrock function and a small regression
# ---------------------------------------------------------------------------------------------

STEPS = 25


def opt_problem(name):
    seed(name)
    dt = torch.float64
    X = torch.randn(8, 4, dtype=dt)
    Y = X @ torch.randn(3, 4, dtype=dt).T + torch.randn(3, dtype=dt) + 0.1 * torch.randn(8, 3, dtype=dt)
    return X, Y, torch.randn(3, 4, dtype=dt), torch.randn(3, dtype=dt)


def radam_decoupled_step(params, state, lr, betas, eps, wd):
    """PyTorch 2's RAdam with decoupled_weight_decay=True (1.13 lacks the option), in torch ops."""
    b1, b2 = betas
    with torch.no_grad():
        for p in params:
            st = state.setdefault(p, {"step": 0, "exp_avg": torch.zeros_like(p), "exp_avg_sq": torch.zeros_like(p)})
            st["step"] += 1
            t = st["step"]
            g = p.grad
            p.mul_(1 - lr * wd)
            st["exp_avg"].mul_(b1).add_(g, alpha=1 - b1)
            st["exp_avg_sq"].mul_(b2).addcmul_(g, g, value=1 - b2)
            bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
            m_hat = st["exp_avg"] / bc1
            rho_inf = 2 / (1 - b2) - 1
            rho_t = rho_inf - 2 * t * (b2 ** t) / bc2
            if rho_t > 5.:
                rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                adaptive = math.sqrt(bc2) / st["exp_avg_sq"].sqrt().add_(eps)
                p.add_(m_hat * lr * adaptive * rect, alpha=-1.0)
            else:
                p.add_(m_hat * lr, alpha=-1.0)


def opt_case(name, optimizer, kwargs):
    X, Y, w0, b0 = opt_problem(name)
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    manual = kwargs.get("decoupled_weight_decay", False)
    if not manual:
        opt = getattr(torch.optim, optimizer)([w, b], **kwargs)
    state = {}
    traj, losses = [], []
    for _ in range(STEPS):
        w.grad = None
        b.grad = None
        loss = ((X @ w.T + b - Y) ** 2).mean()
        loss.backward()
        if manual:
            radam_decoupled_step([w, b], state, kwargs["lr"], kwargs.get("betas", (0.9, 0.999)), kwargs.get("eps", 1e-8), kwargs["weight_decay"])
        else:
            opt.step()
        losses.append(loss.item())
        traj.append({"w": w.detach().clone(), "b": b.detach().clone()})
    return {"name": name, "optimizer": optimizer, "options": {camel(k): v for k, v in kwargs.items()}, "X": X, "Y": Y,
            "initial": {"w": w0, "b": b0}, "losses": losses, "trajectory": traj}


def lbfgs_case(name, problem, kwargs, steps):
    dt = torch.float64
    if problem == "rosenbrock":
        xy = torch.tensor([-1.5, 2.0], dtype=dt, requires_grad=True)
        params = [xy]
        def f():
            x, y = xy[0], xy[1]
            return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
        data = {}
    else:
        X, Y, w0, b0 = opt_problem(name)
        w = w0.clone().requires_grad_(True)
        b = b0.clone().requires_grad_(True)
        params = [w, b]
        def f():
            return ((X @ w.T + b - Y) ** 2).mean()
        data = {"X": X, "Y": Y}
    initial = [p.detach().clone() for p in params]
    opt = torch.optim.LBFGS(params, **kwargs)
    def closure():
        opt.zero_grad()
        loss = f()
        loss.backward()
        return loss
    traj, returned, evals = [], [], []
    for _ in range(steps):
        returned.append(float(opt.step(closure)))
        traj.append([p.detach().clone() for p in params])
        evals.append(opt.state[params[0]]["func_evals"])
    return {"name": name, "problem": problem, "options": {camel(k): v for k, v in kwargs.items()}, **data,
            "initial": initial, "returned": returned, "trajectory": traj, "funcEvals": evals,
            "nIter": opt.state[params[0]]["n_iter"], "finalLoss": float(f())}


def gen_optimizers():
    prev = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        c = []
        c.append(opt_case("RAdam-default", "RAdam", dict(lr=0.05)))
        c.append(opt_case("RAdam-betas-eps", "RAdam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6)))
        c.append(opt_case("RAdam-weightDecay", "RAdam", dict(lr=0.05, weight_decay=0.1)))
        c.append(opt_case("RAdam-decoupledWeightDecay", "RAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)))
        c.append(opt_case("Rprop-default", "Rprop", dict(lr=0.01)))
        c.append(opt_case("Rprop-etas-stepSizes", "Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2))))
        c.append(opt_case("Rprop-maximize", "Rprop", dict(lr=0.01, maximize=True)))
        lb = []
        lb.append(lbfgs_case("LBFGS rosenbrock strong_wolfe", "rosenbrock", dict(line_search_fn="strong_wolfe"), 6))
        lb.append(lbfgs_case("LBFGS rosenbrock fixed step", "rosenbrock", dict(lr=0.1, max_iter=10), 6))
        lb.append(lbfgs_case("LBFGS rosenbrock history 3 strong_wolfe", "rosenbrock", dict(line_search_fn="strong_wolfe", history_size=3, max_iter=7), 5))
        lb.append(lbfgs_case("LBFGS regression strong_wolfe", "regression", dict(line_search_fn="strong_wolfe"), 3))
        lb.append(lbfgs_case("LBFGS regression fixed step tolerances", "regression", dict(lr=0.5, max_iter=8, tolerance_grad=1e-5, tolerance_change=1e-7, history_size=5), 4))
        write("optimizers", c + lb)
    finally:
        torch.set_default_dtype(prev)


# ---------------------------------------------------------------------------------------------
# 4. schedules: the lr (and CyclicLR's momentum) after construction and after each step
# ---------------------------------------------------------------------------------------------

def sched_case(name, kind, kwargs, steps=40):
    p = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    sch = getattr(torch.optim.lr_scheduler, kind)(opt, **kwargs)
    lrs = [opt.param_groups[0]["lr"]]
    moms = [opt.param_groups[0]["momentum"]]
    for _ in range(steps):
        opt.step()
        sch.step()
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0]["momentum"])
    opts = {}
    for k, v in kwargs.items():
        opts[{"T_0": "t0", "T_mult": "tMult"}.get(k, camel(k))] = v
    return {"name": name, "scheduler": kind, "options": opts, "steps": steps, "lrs": lrs, "momentums": moms}


def gen_schedules():
    c = []
    c.append(sched_case("CosineAnnealingWarmRestarts T0 7", "CosineAnnealingWarmRestarts", dict(T_0=7)))
    c.append(sched_case("CosineAnnealingWarmRestarts T0 3 tMult 2 etaMin", "CosineAnnealingWarmRestarts", dict(T_0=3, T_mult=2, eta_min=0.01)))
    c.append(sched_case("CyclicLR triangular", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=5)))
    c.append(sched_case("CyclicLR triangular2 asymmetric", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=4, step_size_down=6, mode="triangular2")))
    c.append(sched_case("CyclicLR exp_range", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.97)))
    c.append(sched_case("CyclicLR no momentum cycling", "CyclicLR", dict(base_lr=0.02, max_lr=0.2, step_size_up=3, cycle_momentum=False)))
    c.append(sched_case("CyclicLR momentum bounds", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=5, base_momentum=0.7, max_momentum=0.95)))
    c.append(sched_case("PolynomialLR default", "PolynomialLR", dict()))
    c.append(sched_case("PolynomialLR power 2 totalIters 20", "PolynomialLR", dict(total_iters=20, power=2.0)))
    c.append(sched_case("PolynomialLR power 0.5", "PolynomialLR", dict(total_iters=30, power=0.5)))
    write("schedules", c)


if __name__ == "__main__":
    import sys
    which = set(sys.argv[1:])
    for name, fn in [("rnn", gen_rnn), ("activations", gen_activations), ("losses", gen_losses),
                     ("optimizers", gen_optimizers), ("schedules", gen_schedules)]:
        if not which or name in which:
            fn()
