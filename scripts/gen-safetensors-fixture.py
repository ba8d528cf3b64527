#!/usr/bin/python3
"""safetensors files written from PyTorch tensors, for tests/safetensors-torch.test.ts.

Run from anywhere (PyTorch for the system Python comes from Debian: apt-get install -y python3-torch):

    /usr/bin/python3 scripts/gen-safetensors-fixture.py

It writes, under tests/fixtures/safetensors/:

- torch-dtypes.safetensors: float32, float64, float16, bfloat16, int64, int32, uint8 and bool tensors,
  a 0-d tensor, empty tensors and string metadata; torch-dtypes.json holds the expected values (what
  each tensor holds after steadytensor's conversion: F16/BF16 as the float32 they equal, I64/U8 as
  int32, BOOL as 0/1), non-finite floats as the strings "NaN", "Infinity", "-Infinity".
- torch-int64-overflow.safetensors: an int64 tensor whose element 1 (2**31) does not fit int32.
- torch-mlp.safetensors: the state_dict of a seeded nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3));
  torch-mlp.json holds an input batch and PyTorch's output for it.

The Python `safetensors` package is not installed here (and there is no network), so the files are
written by `write_safetensors` below straight from the tensors' raw bytes, following the format as
the reference implementation (huggingface/safetensors) writes it: an 8-byte little-endian u64 header
length N, N bytes of compact UTF-8 JSON ({"__metadata__": {...}} first, then
{name: {"dtype", "shape", "data_offsets": [begin, end]}}) padded with spaces to a multiple of 8, then
the data, little-endian and row-major, tensors ordered by element size (largest first) then name as
the reference does to keep each tensor aligned. Output is deterministic (fixed seeds, no timestamps).
"""

import json
import math
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "safetensors")

DTYPES = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}


def raw_bytes(t):
    """The tensor's values as little-endian row-major bytes."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret the bits as int16
        t = t.view(torch.int16)
    arr = t.numpy()
    return arr.astype(arr.dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    names = sorted(tensors, key=lambda n: (-tensors[n].element_size(), n))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for n in names:
        b = raw_bytes(tensors[n])
        header[n] = {"dtype": DTYPES[tensors[n].dtype], "shape": list(tensors[n].shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    print("wrote", os.path.relpath(path))


def num(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
    return v


def expected(t):
    """What steadytensor should hold: {shape, dtype, data} with data flat and row-major."""
    ours = {torch.float64: "float64", torch.float32: "float32", torch.float16: "float32", torch.bfloat16: "float32",
            torch.int64: "int32", torch.int32: "int32", torch.uint8: "int32", torch.bool: "bool"}[t.dtype]
    flat = t.reshape(-1)
    if t.dtype in (torch.float16, torch.bfloat16):
        flat = flat.float()
    if t.dtype in (torch.uint8, torch.bool):  # bools as 0/1, as in the other fixtures
        flat = flat.long()
    data = [num(v) for v in flat.tolist()]
    return {"shape": list(t.shape), "dtype": ours, "data": data}


def write_json(path, obj):
    """One top-level field per line, and one tensor per line inside "tensors", so diffs stay readable."""
    def dump(v):
        return json.dumps(v, ensure_ascii=False)

    lines = []
    for k, v in obj.items():
        if k == "tensors":
            inner = ",\n".join(f"  {dump(n)}: {dump(t)}" for n, t in v.items())
            lines.append(f" {dump(k)}: {{\n{inner}\n }}")
        else:
            lines.append(f" {dump(k)}: {dump(v)}")
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
    print("wrote", os.path.relpath(path))


def dtypes_fixture():
    torch.manual_seed(1234)
    inf, nan = float("inf"), float("nan")
    tensors = {
        "f32": torch.tensor([[1.5, -0.0, nan, inf], [-inf, 1e-45, 3.4028234663852886e38, 0.1]], dtype=torch.float32),
        "f32_random": torch.randn(3, 2, 4, dtype=torch.float32),
        "f64": torch.tensor([1 / 3, -0.0, 1e-300, -2.5e300, nan], dtype=torch.float64),
        "f16": torch.tensor([[1 / 3, 65504.0, -65504.0, 2 ** -24], [inf, nan, -0.0, 0.1]], dtype=torch.float16),
        "bf16": torch.tensor([1 / 3, 3.0e38, 1e-40, -inf, nan, -7.25], dtype=torch.bfloat16),
        "i64": torch.tensor([-(2 ** 31), 2 ** 31 - 1, 0, -1, 123456789], dtype=torch.int64),
        "i64_scalar": torch.tensor(42, dtype=torch.int64),
        "i32": torch.tensor([[-(2 ** 31), 7], [2 ** 31 - 1, -3]], dtype=torch.int32),
        "u8": torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([[True, False, True], [False, False, True]]),
        "scalar": torch.tensor(3.5, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "empty_i64": torch.zeros(0, dtype=torch.int64),
    }
    metadata = {"format": "pt", "source": "scripts/gen-safetensors-fixture.py", "unicode": "ünï ✓"}
    write_safetensors(os.path.join(OUT, "torch-dtypes.safetensors"), tensors, metadata)
    write_json(os.path.join(OUT, "torch-dtypes.json"), {
        "torch": torch.__version__,
        "metadata": metadata,
        "tensors": {n: expected(t) for n, t in tensors.items()},
    })
    write_safetensors(os.path.join(OUT, "torch-int64-overflow.safetensors"),
                      {"steps": torch.tensor([5, 2 ** 31, -3], dtype=torch.int64)})


def mlp_fixture():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = net(x)
    write_safetensors(os.path.join(OUT, "torch-mlp.safetensors"), net.state_dict(), {"format": "pt"})
    write_json(os.path.join(OUT, "torch-mlp.json"), {
        "torch": torch.__version__,
        "architecture": "Sequential(Linear(4, 8), ReLU(), Linear(8, 3))",
        "x": expected(x),
        "y": expected(y),
    })


if __name__ == "__main__":
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    dtypes_fixture()
    mlp_fixture()
