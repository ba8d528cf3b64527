#!/usr/bin/env python3
"""PyTorch reference fixtures for st.linalg -> tests/fixtures/linalg/linalg.json.

Each case names a function `fn` (tests/linalg-fixtures.test.ts maps it to steadytensor), its input
tensors, options, the outputs PyTorch returns and the gradients of sum_i <output_i, upstream_i>
with respect to every input (float64 cases). Outputs defined only up to signs are compared as
sign-invariant quantities: eigenvectors and singular vectors squared elementwise (V*V, U*U; fn
names ending in "_sq"), outputs and gradients alike. QR uses LAPACK's signs on both sides
(geqrf's reflectors) and is compared as is.

Deterministic: each case seeds torch.manual_seed from a CRC32 of its name; single-threaded.
Run: /usr/bin/python3 scripts/gen-linalg-fixtures.py   (or: npm run fixtures:linalg)
"""

import json
import math
import os

import torch

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "linalg")
from fixture_json import enc_full as enc, seed  # noqa: E402  (scripts/ is on sys.path when run as a script)


def well(shape, dtype):
    """A well-conditioned batch of square matrices: randn + 3·I."""
    n = shape[-1]
    return torch.randn(shape, dtype=dtype) + 3 * torch.eye(n, dtype=dtype)


def spd(shape, dtype):
    M = torch.randn(shape, dtype=dtype)
    return M @ M.mT + shape[-1] * torch.eye(shape[-1], dtype=dtype)


def sym(shape, dtype):
    M = torch.randn(shape, dtype=dtype)
    return M + M.mT


# fn name -> (PyTorch function of the inputs and options returning a list of outputs)
FNS = {
    "solve": lambda xs, o: [torch.linalg.solve(xs[0], xs[1], left=o.get("left", True))],
    "solveTriangular": lambda xs, o: [torch.linalg.solve_triangular(xs[0], xs[1], upper=o["upper"], left=o.get("left", True), unitriangular=o.get("unitriangular", False))],
    "inv": lambda xs, o: [torch.linalg.inv(xs[0])],
    "det": lambda xs, o: [torch.linalg.det(xs[0])],
    "slogdet": lambda xs, o: list(torch.linalg.slogdet(xs[0]))[::-1],  # [logabsdet, sign]
    "cholesky": lambda xs, o: [torch.linalg.cholesky(xs[0], upper=o.get("upper", False))],
    "qr": lambda xs, o: list(torch.linalg.qr(xs[0], mode=o.get("mode", "reduced"))),
    "eigh_sq": lambda xs, o: (lambda r: [r[0], r[1] * r[1]])(torch.linalg.eigh(xs[0], UPLO=o.get("UPLO", "L"))),
    "eigvalsh": lambda xs, o: [torch.linalg.eigvalsh(xs[0], UPLO=o.get("UPLO", "L"))],
    "svd_sq": lambda xs, o: (lambda r: [r[0] * r[0], r[1], r[2] * r[2]])(torch.linalg.svd(xs[0], full_matrices=False)),
    "svdvals": lambda xs, o: [torch.linalg.svdvals(xs[0])],
    "pinv": lambda xs, o: [torch.linalg.pinv(xs[0], hermitian=o.get("hermitian", False))],
    "lstsq": lambda xs, o: [torch.linalg.lstsq(xs[0], xs[1], driver="gelsd").solution],
    "matrixNorm": lambda xs, o: [torch.linalg.matrix_norm(xs[0], ord=dec_ord(o["ord"]))],
    "cond": lambda xs, o: [cond(xs[0], dec_ord(o.get("p", 2)))],
    "matrixPower": lambda xs, o: [torch.linalg.matrix_power(xs[0], o["n"])],
    "multiDot": lambda xs, o: [torch.linalg.multi_dot(xs)],
    "vecdot": lambda xs, o: [(xs[0] * xs[1]).sum(-1)],  # torch 1.13 has no linalg.vecdot; its definition
}


def cond(A, p):
    """torch.linalg.cond, written as its definition for p other than ±2: PyTorch 1.13's own
    backward for those p fails (an in-place op on a saved inverse)."""
    if p in (2, -2):
        return torch.linalg.cond(A, p=p)
    return torch.linalg.matrix_norm(A, ord=p) * torch.linalg.matrix_norm(torch.linalg.inv(A), ord=p)


def dec_ord(v):
    return {"Infinity": math.inf, "-Infinity": -math.inf}.get(v, v)


def case(name, fn, inputs, options=None, grads=True):
    options = options or {}
    xs = [x.detach().clone().requires_grad_(grads and x.is_floating_point()) for x in inputs]
    outs = FNS[fn](xs, options)
    c = {"name": name, "fn": fn, "options": options, "inputs": [enc(x) for x in xs]}
    c["outputs"] = [enc(o) for o in outs]
    if grads:
        ups = [torch.randn(o.shape, dtype=o.dtype) if o.is_floating_point() and o.requires_grad else None for o in outs]
        total = sum((o * u).sum() for o, u in zip(outs, ups) if u is not None)
        gs = torch.autograd.grad(total, [x for x in xs if x.requires_grad], allow_unused=True)
        c["upstream"] = [enc(u) if u is not None else None for u in ups]
        c["grads"] = [enc(g) if g is not None else None for g in gs]
    return c


def gen():
    cases = []
    f64, f32 = torch.float64, torch.float32

    def add(name, fn, make, options=None, grads=True):
        seed(name)
        cases.append(case(name, fn, make(), options, grads))

    for dt, tag in ((f64, "f64"), (f32, "f32")):
        g = dt == f64
        add("solve-3x3-" + tag, "solve", lambda: [well((3, 3), dt), torch.randn(3, 2, dtype=dt)], grads=g)
        add("solve-batched-vector-" + tag, "solve", lambda: [well((2, 3, 3), dt), torch.randn(2, 3, dtype=dt)], grads=g)
        add("inv-batched-" + tag, "inv", lambda: [well((2, 4, 4), dt)], grads=g)
        add("det-batched-" + tag, "det", lambda: [torch.randn(3, 3, 3, dtype=dt)], grads=g)
        add("cholesky-batched-" + tag, "cholesky", lambda: [spd((2, 4, 4), dt)], grads=g)
        add("qr-tall-" + tag, "qr", lambda: [torch.randn(5, 3, dtype=dt)], grads=g)
        add("eigh-batched-" + tag, "eigh_sq", lambda: [sym((2, 4, 4), dt)], grads=g)
        add("svd-batched-" + tag, "svd_sq", lambda: [torch.randn(2, 5, 3, dtype=dt)], grads=g)
    add("solve-broadcast-left-false", "solve", lambda: [well((3, 3), f64), torch.randn(2, 4, 3, dtype=f64)], {"left": False})
    add("solveTriangular-upper", "solveTriangular", lambda: [well((2, 3, 3), f64).triu(), torch.randn(2, 3, 2, dtype=f64)], {"upper": True})
    add("solveTriangular-lower-right-unit", "solveTriangular", lambda: [torch.randn(3, 3, dtype=f64), torch.randn(2, 3, dtype=f64)], {"upper": False, "left": False, "unitriangular": True})
    add("slogdet-batched", "slogdet", lambda: [torch.randn(3, 4, 4, dtype=f64)])
    add("cholesky-upper", "cholesky", lambda: [spd((3, 3), f64)], {"upper": True})
    add("qr-wide", "qr", lambda: [torch.randn(2, 3, 5, dtype=f64)])
    add("qr-square", "qr", lambda: [torch.randn(4, 4, dtype=f64)])
    add("qr-complete-tall", "qr", lambda: [torch.randn(5, 3, dtype=f64)], {"mode": "complete"}, grads=False)
    add("qr-complete-wide", "qr", lambda: [torch.randn(3, 4, dtype=f64)], {"mode": "complete"})
    add("qr-r", "qr", lambda: [torch.randn(4, 3, dtype=f64)], {"mode": "r"}, grads=False)
    add("eigvalsh-upper", "eigvalsh", lambda: [torch.randn(2, 5, 5, dtype=f64)], {"UPLO": "U"})
    add("svd-wide", "svd_sq", lambda: [torch.randn(3, 6, dtype=f64)])
    add("svdvals-batched", "svdvals", lambda: [torch.randn(3, 4, 4, dtype=f64)])
    add("pinv-tall", "pinv", lambda: [torch.randn(5, 3, dtype=f64)])
    add("pinv-rank-deficient", "pinv", lambda: [torch.randn(4, 2, dtype=f64) @ torch.randn(2, 3, dtype=f64)], grads=False)
    add("pinv-hermitian", "pinv", lambda: [spd((3, 3), f64)], {"hermitian": True})
    add("lstsq-tall", "lstsq", lambda: [torch.randn(6, 3, dtype=f64), torch.randn(6, 2, dtype=f64)])
    add("lstsq-batched", "lstsq", lambda: [torch.randn(2, 5, 3, dtype=f64), torch.randn(2, 5, 1, dtype=f64)])
    for o in ("fro", "nuc", 1, -1, 2, -2, "Infinity", "-Infinity"):
        add("matrixNorm-%s" % o, "matrixNorm", lambda: [torch.randn(2, 3, 4, dtype=f64)], {"ord": o})
    add("cond-2", "cond", lambda: [torch.randn(2, 3, 3, dtype=f64)])
    add("cond-1", "cond", lambda: [well((3, 3), f64)], {"p": 1})
    add("cond-fro", "cond", lambda: [well((3, 3), f64)], {"p": "fro"})
    add("matrixPower-3", "matrixPower", lambda: [torch.randn(2, 3, 3, dtype=f64)], {"n": 3})
    add("matrixPower-neg2", "matrixPower", lambda: [well((3, 3), f64)], {"n": -2})
    add("multiDot", "multiDot", lambda: [torch.randn(4, dtype=f64), torch.randn(4, 6, dtype=f64), torch.randn(6, 2, dtype=f64), torch.randn(2, 3, dtype=f64)])
    add("vecdot", "vecdot", lambda: [torch.randn(2, 3, 4, dtype=f64), torch.randn(3, 4, dtype=f64)])
    return cases


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    cases = gen()
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names), "duplicate case names"
    lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases]
    text = '{"torch":%s,"cases":[\n%s\n]}\n' % (json.dumps(torch.__version__), ",\n".join(lines))
    path = os.path.join(OUT_DIR, "linalg.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %s: %d cases, %d bytes" % (os.path.relpath(path, ROOT), len(cases), len(text)))


if __name__ == "__main__":
    main()
