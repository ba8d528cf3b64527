#!/usr/bin/python3
"""PyTorch reference fixtures for the tensor toolbox of issue 15 (tests/toolbox-fixtures.test.ts).

Regenerate (PyTorch 1.13 for the system Python, from Debian):

    /usr/bin/python3 scripts/gen-toolbox-fixtures.py     # or: npm run fixtures:toolbox

Writes tests/fixtures/toolbox/ops.json in the common fixture format (tests/fixtures/README.md):
``{"torch": ..., "cases": [...]}``, one case per line. Each case is
``{"name", "op", "args", "inputs": [tensor...], "outputs": [tensor...], "upstream": [tensor...] | null,
"grads": [tensor | null, ...] | null}``: ``outputs`` lists every output of the op (values and
indices for sort-like ops); ``grads`` are the gradients of sum_k (outputs[k] * upstream[k]).sum() over
the floating outputs, for the floating inputs. Deterministic: each case seeds torch from a CRC32
of its name. The fixtures are committed; the tests never need PyTorch.
"""

import json
import os
import warnings

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "toolbox", "ops.json")

torch.set_num_threads(1)
warnings.filterwarnings("ignore")

from fixture_json import enc_full as enc, seed  # noqa: E402  (scripts/ is on sys.path when run as a script)


CASES = []


def case(name, op, fn, inputs, args=None, grad=True):
    """Runs fn(*inputs); records outputs and, with grad, the gradients of a seeded projection."""
    seed(name + "/upstream")
    leaves = []
    for x in inputs:
        x = x.detach().clone()
        if grad and x.is_floating_point():
            x.requires_grad_(True)
        leaves.append(x)
    out = fn(*leaves)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    rec = {"name": name, "op": op, "args": args or {}, "inputs": [enc(x) for x in leaves], "outputs": [enc(o) for o in outs],
           "upstream": None, "grads": None}
    diff = [x for x in leaves if x.requires_grad]
    float_outs = [o for o in outs if o.is_floating_point() and o.requires_grad]
    if grad and diff and float_outs:
        ups = [torch.randn(o.shape, dtype=o.dtype) for o in float_outs]
        loss = sum((o * u).sum() for o, u in zip(float_outs, ups))
        gs = torch.autograd.grad(loss, diff, allow_unused=True)
        it = iter(gs)
        rec["upstream"] = [enc(u) for u in ups]
        rec["grads"] = [(lambda g, x: enc(g if g is not None else torch.zeros_like(x)))(next(it), x) if x.requires_grad else None for x in leaves]
    assert not any(c["name"] == name for c in CASES), name
    CASES.append(rec)


def randn(name, *shape, dtype=torch.float32):
    seed(name)
    return torch.randn(*shape, dtype=dtype)


def uniform(name, lo, hi, *shape):
    seed(name)
    return torch.rand(*shape) * (hi - lo) + lo


# ---- elementwise ------------------------------------------------------------------------------
for op, lo, hi in [("tan", -1.4, 1.4), ("asin", -0.95, 0.95), ("acos", -0.95, 0.95), ("atan", -4, 4), ("sinh", -3, 3),
                   ("cosh", -3, 3), ("asinh", -4, 4), ("acosh", 1.05, 5), ("atanh", -0.95, 0.95), ("log2", 0.05, 9),
                   ("log10", 0.05, 90), ("exp2", -5, 5), ("erfinv", -0.99, 0.99), ("reciprocal", 0.2, 3)]:
    case(op, op, getattr(torch, op), [uniform(op, lo, hi, 3, 4)])
case("erfinv edges", "erfinv", torch.erfinv, [torch.tensor([-1.0, 1.0, 0.0, 1.5, -0.999999, 0.5])], grad=False)
case("reciprocal int", "reciprocal", torch.reciprocal, [torch.tensor([1, 2, -4, 0])], grad=False)
case("acos outside", "acos", torch.acos, [torch.tensor([1.5, -2.0, 1.0])], grad=False)

case("atan2 broadcast", "atan2", torch.atan2, [randn("atan2 y", 3, 4), randn("atan2 x", 4)])
case("atan2 axes", "atan2", torch.atan2, [torch.tensor([0.0, 1, -1, 0, 0, -0.0]), torch.tensor([1.0, 0, 0, -1, 0, -1])], grad=False)
signs_a = torch.tensor([7.0, -7, 7, -7, 5.5, -5.5, 0, 6])
signs_b = torch.tensor([3.0, 3, -3, -3, 2, 2, 3, 3])
case("remainder signs", "remainder", torch.remainder, [signs_a, signs_b], grad=False)
case("fmod signs", "fmod", torch.fmod, [signs_a, signs_b], grad=False)
case("remainder int", "remainder", torch.remainder, [signs_a.long(), signs_b.long()], grad=False)
case("fmod int", "fmod", torch.fmod, [signs_a.long(), signs_b.long()], grad=False)
case("remainder scalar", "remainderScalar", lambda a: torch.remainder(a, 1.5), [randn("rs", 2, 3) * 4], args={"other": 1.5})
case("remainder grads", "remainder", torch.remainder, [uniform("rg a", 2.1, 2.9, 2, 3) * torch.tensor([1.0, -1, 1]), uniform("rg b", 1.0, 1.04, 2, 3)])
case("fmod grads", "fmod", torch.fmod, [uniform("fg a", 2.1, 2.9, 2, 3) * torch.tensor([1.0, -1, 1]), uniform("fg b", 1.0, 1.04, 2, 3) * torch.tensor([[1.0], [-1]])])
case("hypot", "hypot", torch.hypot, [randn("hypot a", 3, 4), randn("hypot b", 3, 4)])
case("lerp scalar weight", "lerp", lambda a, b: torch.lerp(a, b, 0.3), [randn("lerp a", 3, 4), randn("lerp b", 3, 4)], args={"weight": 0.3})
case("lerp tensor weight", "lerpTensor", torch.lerp, [randn("lerpt a", 3, 4), randn("lerpt b", 3, 4), torch.rand(4)])

# ---- cumulative -------------------------------------------------------------------------------
case("cumsum dim 1", "cumsum", lambda x: torch.cumsum(x, 1), [randn("cumsum", 2, 5, 3)], args={"dim": 1})
case("cumsum int32", "cumsum", lambda x: torch.cumsum(x, 0), [torch.tensor([3, -1, 4, 1, -5], dtype=torch.int32)], args={"dim": 0}, grad=False)
case("cumsum bool", "cumsum", lambda x: torch.cumsum(x, -1), [torch.tensor([[True, False, True], [True, True, False]])], args={"dim": -1}, grad=False)
case("cumprod dim 0", "cumprod", lambda x: torch.cumprod(x, 0), [randn("cumprod", 4, 3)], args={"dim": 0})
case("cumprod with zeros", "cumprod", lambda x: torch.cumprod(x, 1),
     [torch.tensor([[1.5, 0.0, -0.75, 2.0, 0.5], [-1.25, 0.0, 0.0, 1.25, 0.5], [0.5, 2.0, 0.0, 3.0, -1.0]])], args={"dim": 1})

# ---- sorting ----------------------------------------------------------------------------------
ties = torch.tensor([[2.0, 1.0, 2.0, 0.5, 1.0, 2.0], [0.0, -0.0, 3.0, 3.0, -1.0, 0.0]])
case("sort stable ties", "sort", lambda x: torch.sort(x, dim=1, stable=True), [ties], args={"dim": 1, "descending": False})
case("sort stable ties descending", "sort", lambda x: torch.sort(x, dim=1, descending=True, stable=True), [ties], args={"dim": 1, "descending": True})
case("sort NaN last", "sort", lambda x: torch.sort(x, stable=True), [torch.tensor([1.0, float("nan"), -2.0, float("inf"), 0.0])], args={"dim": -1, "descending": False}, grad=False)
case("sort NaN descending", "sort", lambda x: torch.sort(x, descending=True, stable=True), [torch.tensor([1.0, float("nan"), -2.0, float("nan"), 0.0])], args={"dim": -1, "descending": True}, grad=False)
case("sort dim 0", "sort", lambda x: torch.sort(x, dim=0, stable=True), [randn("sort0", 4, 3)], args={"dim": 0, "descending": False})
case("argsort int32 ties", "argsort", lambda x: torch.argsort(x, dim=-1, stable=True), [torch.tensor([[3, 1, 3, 2, 1], [0, 0, -1, 5, 0]], dtype=torch.int32)], args={"dim": -1, "descending": False}, grad=False)
case("argsort descending", "argsort", lambda x: torch.sort(x, dim=-1, descending=True, stable=True)[1], [torch.tensor([3, 1, 3, 2, 1], dtype=torch.int32)], args={"dim": -1, "descending": True}, grad=False)
case("topk largest", "topk", lambda x: torch.topk(x, 3, dim=1), [randn("topk", 3, 6)], args={"k": 3, "dim": 1, "largest": True})
case("topk smallest dim 0", "topk", lambda x: torch.topk(x, 2, dim=0, largest=False), [randn("topk0", 5, 3)], args={"k": 2, "dim": 0, "largest": False})
case("kthvalue", "kthvalue", lambda x: torch.kthvalue(x, 2, dim=1), [randn("kth", 3, 5)], args={"k": 2, "dim": 1, "keepdim": False})
case("kthvalue keepdim", "kthvalue", lambda x: torch.kthvalue(x, 4, dim=0, keepdim=True), [randn("kthk", 5, 2)], args={"k": 4, "dim": 0, "keepdim": True})
case("median all even", "medianAll", torch.median, [randn("median all", 4, 5)])
case("median all odd", "medianAll", torch.median, [randn("median odd", 3, 3)])
case("median dim", "median", lambda x: torch.median(x, dim=1), [randn("median dim", 3, 6)], args={"dim": 1, "keepdim": False})
case("median NaN", "medianAll", torch.median, [torch.tensor([1.0, float("nan"), 2.0, 0.0])], grad=False)
case("median dim NaN", "median", lambda x: torch.median(x, dim=1), [torch.tensor([[1.0, float("nan"), 2.0], [3.0, 0.0, 1.0]])], args={"dim": 1, "keepdim": False}, grad=False)
for interp in ["linear", "lower", "higher", "midpoint", "nearest"]:
    q = torch.tensor([0.0, 0.1, 0.25, 0.5, 0.7, 0.95, 1.0])
    case("quantile %s dim 1" % interp, "quantile", lambda x: torch.quantile(x, q, dim=1, interpolation=interp), [randn("quantile " + interp, 3, 7)],
         args={"q": q.tolist(), "dim": 1, "keepdim": False, "interpolation": interp})
case("quantile all scalar", "quantile", lambda x: torch.quantile(x, 0.3), [randn("quantile all", 4, 5)], args={"q": 0.3, "dim": None, "keepdim": False, "interpolation": "linear"})
case("quantile keepdim dim 0", "quantile", lambda x: torch.quantile(x, 0.6, dim=0, keepdim=True), [randn("quantile keep", 6, 3)], args={"q": 0.6, "dim": 0, "keepdim": True, "interpolation": "linear"})
case("quantile float64 q tensor all keepdim", "quantile", lambda x: torch.quantile(x, torch.tensor([0.2, 0.8], dtype=torch.float64), keepdim=True),
     [randn("quantile64", 3, 4, dtype=torch.float64)], args={"q": [0.2, 0.8], "dim": None, "keepdim": True, "interpolation": "linear"})
case("quantile NaN lane", "quantile", lambda x: torch.quantile(x, 0.5, dim=1), [torch.tensor([[1.0, float("nan"), 2.0], [3.0, 0.0, 1.0]])],
     args={"q": 0.5, "dim": 1, "keepdim": False, "interpolation": "linear"}, grad=False)

# ---- unique, nonzero, maskedSelect ---------------------------------------------------------------
uq = torch.tensor([[3, 1, 2], [1, 3, 3], [0, 1, 2]], dtype=torch.int32)
case("unique sorted inverse counts", "unique", lambda x: torch.unique(x, sorted=True, return_inverse=True, return_counts=True), [uq], grad=False)
case("unique float", "unique", lambda x: torch.unique(x, return_inverse=True, return_counts=True), [torch.tensor([2.5, -1.0, 2.5, 0.0, -1.0, 7.0])], grad=False)
uqd = torch.tensor([[1, 2, 1, 0], [3, 4, 3, 0], [1, 2, 1, 0]], dtype=torch.int32)
case("unique dim 0", "uniqueDim", lambda x: torch.unique(x, dim=0, return_inverse=True, return_counts=True), [uqd], args={"dim": 0}, grad=False)
case("unique dim 1", "uniqueDim", lambda x: torch.unique(x, dim=1, return_inverse=True, return_counts=True), [uqd], args={"dim": 1}, grad=False)
case("nonzero", "nonzero", torch.nonzero, [torch.tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])], grad=False)
case("maskedSelect broadcast", "maskedSelect", lambda x, m: torch.masked_select(x, m), [randn("msel", 2, 3), torch.tensor([True, False, True])])

# ---- scatter -----------------------------------------------------------------------------------
idx = torch.tensor([[1, 0, 1, 2], [1, 1, 0, 2]])
for reduce in ["sum", "prod", "mean", "amax", "amin"]:
    for inc in [True, False]:
        name = "scatterReduce %s includeSelf %s" % (reduce, inc)
        case(name, "scatterReduce", lambda x, s: x.scatter_reduce(0, idx, s, reduce, include_self=inc), [randn(name + " x", 3, 4), randn(name + " s", 2, 4)],
             args={"dim": 0, "index": enc(idx), "reduce": reduce, "includeSelf": inc})
case("scatterReduce mean int", "scatterReduce", lambda x, s: x.scatter_reduce(0, torch.tensor([0, 0, 1, 1]), s, "mean"), [torch.tensor([5, 5, 5]), torch.tensor([1, 2, -3, -4])],
     args={"dim": 0, "index": enc(torch.tensor([0, 0, 1, 1])), "reduce": "mean", "includeSelf": True}, grad=False)
sidx = torch.tensor([[2, 0, 1], [0, 2, 1]])
case("scatter src", "scatter", lambda x, s: x.scatter(1, sidx, s), [randn("scatter x", 2, 4), randn("scatter s", 2, 3)], args={"dim": 1, "index": enc(sidx)})
case("scatter value", "scatterValue", lambda x: x.scatter(1, sidx, 2.5), [randn("scatterv x", 2, 4)], args={"dim": 1, "index": enc(sidx), "value": 2.5})
case("indexAdd", "indexAdd", lambda x, s: x.index_add(1, torch.tensor([2, 0, 2]), s), [randn("ia x", 2, 4), randn("ia s", 2, 3)], args={"dim": 1, "index": enc(torch.tensor([2, 0, 2])), "alpha": 1})
case("indexAdd alpha", "indexAdd", lambda x, s: x.index_add(0, torch.tensor([1, 1]), s, alpha=-2.5), [randn("iaa x", 3, 2), randn("iaa s", 2, 2)], args={"dim": 0, "index": enc(torch.tensor([1, 1])), "alpha": -2.5})

# ---- einsum ------------------------------------------------------------------------------------
for eq, shapes in [("ij,jk->ik", [(3, 4), (4, 5)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]), ("ii->i", [(4, 4)]), ("ii", [(4, 4)]),
                   ("i,i->", [(5,), (5,)]), ("...ij->...ji", [(2, 3, 4, 5)]), ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),
                   ("ij,jk", [(2, 3), (3, 4)]), ("i,j->ij", [(3,), (4,)]), ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
                   ("ij->", [(3, 4)]), ("iij->ji", [(3, 3, 2)]), ("...i,...i->...", [(2, 3, 4), (3, 4)]), ("ba,ab->", [(3, 4), (4, 3)])]:
    case("einsum " + eq, "einsum", lambda *xs: torch.einsum(eq, *xs), [randn("einsum %s %d" % (eq, k), *s) for k, s in enumerate(shapes)], args={"equation": eq})

# ---- matrix products, diagonals ----------------------------------------------------------------
case("mm", "mm", torch.mm, [randn("mm a", 3, 4), randn("mm b", 4, 2)])
case("bmm", "bmm", torch.bmm, [randn("bmm a", 2, 3, 4), randn("bmm b", 2, 4, 2)])
case("addmm", "addmm", lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2.0), [randn("addmm c", 2), randn("addmm a", 3, 4), randn("addmm b", 4, 2)], args={"beta": 0.5, "alpha": 2.0})
case("baddbmm", "baddbmm", lambda c, a, b: torch.baddbmm(c, a, b, beta=2.0, alpha=-1.0), [randn("baddbmm c", 1, 3, 2), randn("baddbmm a", 2, 3, 4), randn("baddbmm b", 2, 4, 2)], args={"beta": 2.0, "alpha": -1.0})
case("diag vector offset 1", "diag", lambda x: torch.diag(x, 1), [randn("diag v", 3)], args={"offset": 1})
case("diag vector offset -2", "diag", lambda x: torch.diag(x, -2), [randn("diag v2", 2)], args={"offset": -2})
case("diag matrix offset -1", "diag", lambda x: torch.diag(x, -1), [randn("diag m", 3, 4)], args={"offset": -1})
case("diagonal 3-D offset 1 dims 2 0", "diagonal", lambda x: torch.diagonal(x, 1, 2, 0), [randn("diagonal", 3, 2, 4)], args={"offset": 1, "dim1": 2, "dim2": 0})
case("diagonal offset -1", "diagonal", lambda x: torch.diagonal(x, -1), [randn("diagonal2", 4, 3)], args={"offset": -1, "dim1": 0, "dim2": 1})
case("trace", "trace", torch.trace, [randn("trace", 3, 4)])

# ---- reorderings, logical, grids ---------------------------------------------------------------
case("flip", "flip", lambda x: torch.flip(x, [0, 2]), [randn("flip", 2, 3, 4)], args={"dims": [0, 2]})
case("flip int32", "flip", lambda x: torch.flip(x, [1]), [torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int32)], args={"dims": [1]}, grad=False)
case("roll dims", "roll", lambda x: torch.roll(x, (1, -2), (0, 1)), [randn("roll", 3, 4)], args={"shifts": [1, -2], "dims": [0, 1]})
case("roll flat", "roll", lambda x: torch.roll(x, 5), [randn("rollf", 2, 3)], args={"shifts": 5, "dims": None})
anyx = torch.tensor([[0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [float("nan"), 2.0, 3.0]])
case("any dim 1", "any", lambda x: torch.any(x, 1), [anyx], args={"dim": 1, "keepdim": False}, grad=False)
case("all dim 1", "all", lambda x: torch.all(x, 1), [anyx], args={"dim": 1, "keepdim": False}, grad=False)
case("any all", "any", torch.any, [anyx], args={"dim": None, "keepdim": False}, grad=False)
case("all bool keepdim", "all", lambda x: torch.all(x, 0, keepdim=True), [torch.tensor([[True, False], [True, True]])], args={"dim": 0, "keepdim": True}, grad=False)
case("meshgrid ij", "meshgrid", lambda a, b, c: torch.meshgrid(a, b, c, indexing="ij"), [randn("mg a", 2), randn("mg b", 3), randn("mg c", 4)], args={"indexing": "ij"})
case("meshgrid xy", "meshgrid", lambda a, b, c: torch.meshgrid(a, b, c, indexing="xy"), [randn("mgx a", 2), randn("mgx b", 3), randn("mgx c", 4)], args={"indexing": "xy"})
case("logspace", "logspace", lambda: torch.logspace(-2, 3, 7), [], args={"start": -2, "end": 3, "steps": 7, "base": 10}, grad=False)
case("logspace base 2", "logspace", lambda: torch.logspace(0, 4, 5, base=2.0), [], args={"start": 0, "end": 4, "steps": 5, "base": 2}, grad=False)
case("select", "select", lambda x: x.select(1, -1), [randn("select", 2, 3, 4)], args={"dim": 1, "index": -1})

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
    f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in CASES))
    f.write("\n]}\n")
print("wrote %s (%d cases)" % (os.path.relpath(OUT, ROOT), len(CASES)))
