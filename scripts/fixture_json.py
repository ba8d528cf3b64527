"""What the per-area fixture scripts (gen-transformer, gen-rnn, gen-conv, gen-linalg, gen-toolbox)
share: seeding a case by its name, and tensors as JSON {"shape", "dtype", "data"} that the tests
read back exactly.

`enc` writes float32 values as the shortest decimal that rounds back to the same float32
(Float32Array.from restores it exactly, at half the bytes of the float64 repr); `enc_full` writes
every float as its float64 repr. Both write NaN and ±∞ as the strings "NaN", "Infinity",
"-Infinity", bools as 0/1 and int64 tensors as int32.
"""

import json
import math
import zlib

import numpy as np
import torch


def seed(name):
    """Seeds torch from the case name, so adding a case never changes another's numbers."""
    torch.manual_seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)


def _special(x):
    if math.isnan(x):
        return "NaN"
    return "Infinity" if x > 0 else "-Infinity"


def number(x):
    """A float as JSON: itself when finite, else "NaN", "Infinity" or "-Infinity"; anything else unchanged."""
    return _special(x) if isinstance(x, float) and not math.isfinite(x) else x


def enc(t):
    """A tensor as {"shape", "dtype", "data"}."""
    t = t.detach()
    if t.dtype == torch.bool:
        return {"shape": list(t.shape), "dtype": "bool", "data": [int(x) for x in t.reshape(-1).tolist()]}
    if t.dtype in (torch.int64, torch.int32):
        return {"shape": list(t.shape), "dtype": "int32", "data": [int(x) for x in t.reshape(-1).tolist()]}
    dt = "float64" if t.dtype == torch.float64 else "float32"
    out = []
    for x in (t.reshape(-1).numpy() if dt == "float32" else t.reshape(-1).tolist()):
        if math.isnan(x) or math.isinf(x):
            out.append(_special(x))
        elif dt == "float32":
            out.append(json.loads(np.format_float_scientific(x, unique=True, trim="-").replace("e+", "e")))
        else:
            out.append(float(x))
    return {"shape": list(t.shape), "dtype": dt, "data": out}


def encode(v):
    """Tensors anywhere inside dicts, lists and tuples encoded; non-finite floats as strings."""
    if isinstance(v, torch.Tensor):
        return enc(v)
    if isinstance(v, dict):
        return {k: encode(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        return _special(v)
    return v


DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int32", torch.int32: "int32", torch.bool: "bool"}


def enc_full(t):
    """A tensor as {"shape", "dtype", "data"}, floats at their float64 repr."""
    t = t.detach().cpu().contiguous()
    if t.dtype not in DTYPES:
        raise TypeError("unsupported dtype %s" % t.dtype)
    flat = t.reshape(-1).tolist()
    if t.dtype == torch.int64 and flat and (min(flat) < -(2**31) or max(flat) >= 2**31):
        raise ValueError("int64 tensor does not fit int32")
    if t.dtype == torch.bool:
        flat = [1 if v else 0 for v in flat]
    elif t.dtype in (torch.float32, torch.float64):
        flat = [float(v) if math.isfinite(v) else _special(v) for v in flat]
    return {"shape": list(t.shape), "dtype": DTYPES[t.dtype], "data": flat}
