#!/usr/bin/python3
"""PyTorch round trips, both directions, for tests/pytorch-roundtrip.test.ts (tests never need PyTorch).

    /usr/bin/python3 scripts/gen-roundtrip-fixtures.py          # npm run fixtures:roundtrip: (re)write
    /usr/bin/python3 scripts/gen-roundtrip-fixtures.py --check  # npm run check:pytorch: regenerate in
                                                                # memory, compare with the committed files

Writes, under tests/fixtures/roundtrip/:

1. PyTorch -> steadytensor: models trained here in PyTorch 1.13 (seeded, one thread, deterministic),
   their state_dicts as safetensors, plus inputs and PyTorch's eval-mode outputs as JSON:
   - torch-iris-mlp.safetensors / .json: nn.Sequential(Linear(4, 16), ReLU(), Linear(16, 3)) trained
     on standardized iris (Adam 0.01, 300 full-batch steps); inputs 30 standardized rows, outputs logits.
   - torch-seq-transformer.safetensors / .json: a token classifier, embed (Embedding 12x16) + pos
     (Embedding 10x16) -> TransformerEncoder(2 x TransformerEncoderLayer(16, 4, 32, dropout 0.1,
     batch_first), final LayerNorm) -> mean over the real tokens -> head Linear(16, 2), trained on
     "more tokens from 1..5 than from 6..11?" with padded sequences (token 0 = pad). The JSON holds
     tokens, the padding mask in steadytensor's polarity (true = a real token; PyTorch's
     src_key_padding_mask is its negation) and the logits.
2. steadytensor -> PyTorch: tests/fixtures/roundtrip/st-wine-mlp/ is a model trained and saved by
   steadytensor (`model.save`, written by `npx tsx scripts/make-roundtrip-model.ts`);
   st-wine-mlp-inputs.json holds inputs and steadytensor's predictions. This script rebuilds the
   model in PyTorch from config.json (dense layers -> Linear + activation), loads weights.safetensors
   with the small reader below (the `safetensors` package is not installed), checks PyTorch's
   outputs against steadytensor's predictions, and writes them to st-wine-mlp-torch.json.

safetensors are written by scripts/gen-safetensors-fixture.py's writer (imported, not copied).
float32 values are stored as the doubles they equal (exact once parsed into a Float32Array).
"""

import importlib.util
import json
import math
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "roundtrip")

_spec = importlib.util.spec_from_file_location("gen_safetensors_fixture", os.path.join(HERE, "gen-safetensors-fixture.py"))
_st = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_st)
write_safetensors = _st.write_safetensors

CHECK = "--check" in sys.argv
RTOL, ATOL = 1e-5, 1e-6  # float32 agreement asked of every comparison here and in the test


def tensor_json(t):
    """{shape, dtype, data} with data flat and row-major (float32 as exact doubles, ints as ints)."""
    dtype = {torch.float32: "float32", torch.int64: "int32", torch.bool: "bool"}[t.dtype]
    flat = t.detach().reshape(-1)
    data = flat.long().tolist() if t.dtype == torch.bool else flat.tolist()
    return {"shape": list(t.shape), "dtype": dtype, "data": data}


def dumps(obj):
    """One top-level field per line, so diffs stay readable."""
    return "{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in obj.items()) + "\n}\n"


def close(a, b, rtol=RTOL, atol=ATOL):
    return len(a) == len(b) and all(abs(x - y) <= atol + rtol * abs(y) for x, y in zip(a, b))


failures = []


def emit(name, text=None, tensors=None, compare=None):
    """Writes a fixture file, or under --check compares what would be written with the committed one.

    `compare(old_text)` returns None when the committed file agrees, else a reason."""
    path = os.path.join(OUT, name)
    if CHECK:
        if not os.path.exists(path):
            failures.append(f"{name}: missing (run npm run fixtures:roundtrip)")
            return
        with open(path, "rb") as f:
            old = f.read()
        why = compare(old) if compare is not None else None
        print(f"check {name}: {'ok' if why is None else 'DIFFERS: ' + why}")
        if why is not None:
            failures.append(f"{name}: {why}")
        return
    if tensors is not None:
        write_safetensors(path, tensors, {"format": "pt", "source": "scripts/gen-roundtrip-fixtures.py"})
    else:
        with open(path, "w") as f:
            f.write(text)
        print("wrote", os.path.relpath(path))


def compare_json(new_obj, keys):
    """A comparer: the committed JSON's float arrays under `keys` agree with new_obj's within tolerance."""
    def cmp(old_bytes):
        old = json.loads(old_bytes)
        for k in keys:
            a, b = new_obj[k]["data"], old[k]["data"]
            if new_obj[k]["shape"] != old[k]["shape"] or not close(a, b):
                return f"{k} disagrees with the committed values"
        return None
    return cmp


def compare_safetensors(new_tensors):
    def cmp(old_bytes):
        old = read_safetensors_bytes(old_bytes)
        if sorted(old) != sorted(new_tensors):
            return f"keys {sorted(old)} != {sorted(new_tensors)}"
        for k, t in new_tensors.items():
            if list(old[k].shape) != list(t.shape) or not close(t.reshape(-1).tolist(), old[k].reshape(-1).tolist()):
                return f"tensor {k} disagrees"
        return None
    return cmp


# --- reading safetensors (what model.save writes) -------------------------------------------------

ST_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64, "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors_bytes(buf):
    """{name: tensor} from safetensors bytes: u64 header length, JSON header, little-endian data."""
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(buf[base + begin:base + end])
        t = torch.frombuffer(raw, dtype=ST_DTYPES[info["dtype"]]) if len(raw) > 0 else torch.zeros(0, dtype=ST_DTYPES[info["dtype"]])
        out[name] = t.reshape(info["shape"]).clone()
    return out


def read_safetensors(path):
    with open(path, "rb") as f:
        return read_safetensors_bytes(f.read())


# --- 1. PyTorch -> steadytensor ---------------------------------------------------------------------

def load_table(name):
    """A data/*.csv table (first line: rows, cols, class names): float32 features, int64 labels."""
    with open(os.path.join(ROOT, "data", name)) as f:
        lines = f.read().strip().split("\n")[1:]
    rows = [[float(v) for v in l.split(",")] for l in lines]
    x = torch.tensor([r[:-1] for r in rows], dtype=torch.float32)
    y = torch.tensor([int(r[-1]) for r in rows], dtype=torch.int64)
    return x, y


def iris_mlp():
    torch.manual_seed(0)
    x, y = load_table("iris.csv")
    x = (x - x.mean(0)) / x.std(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    for _ in range(300):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
    net.eval()
    idx = torch.arange(0, 150, 5)  # 30 rows, every class
    inputs = x[idx].contiguous()
    with torch.no_grad():
        outputs = net(inputs)
        accuracy = (net(x).argmax(1) == y).float().mean().item()
    sd = {k: v.detach().contiguous() for k, v in net.state_dict().items()}
    meta = {"torch": torch.__version__, "architecture": "Sequential(Linear(4, 16), ReLU(), Linear(16, 3))",
            "trainAccuracy": accuracy, "inputs": tensor_json(inputs), "outputs": tensor_json(outputs)}
    emit("torch-iris-mlp.safetensors", tensors=sd, compare=compare_safetensors(sd))
    emit("torch-iris-mlp.json", dumps(meta), compare=compare_json(meta, ["inputs", "outputs"]))


class SeqClassifier(torch.nn.Module):
    def __init__(self, vocab=12, max_len=10, d=16, nhead=4, ff=32, layers=2, classes=2):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, d)
        self.pos = torch.nn.Embedding(max_len, d)
        layer = torch.nn.TransformerEncoderLayer(d, nhead, ff, dropout=0.1, batch_first=True)
        self.encoder = torch.nn.TransformerEncoder(layer, layers, norm=torch.nn.LayerNorm(d), enable_nested_tensor=False)
        self.head = torch.nn.Linear(d, classes)

    def forward(self, tokens, attend):
        """tokens [B, L] int64; attend [B, L] bool, True = a real token (steadytensor's polarity)."""
        pos = torch.arange(tokens.shape[1]).unsqueeze(0)
        h = self.encoder(self.embed(tokens) + self.pos(pos), src_key_padding_mask=~attend)
        w = attend.unsqueeze(-1).float()
        return self.head((h * w).sum(1) / w.sum(1))


def seq_batch(g, n, max_len=10):
    lengths = torch.randint(4, max_len + 1, (n,), generator=g)
    tokens = torch.randint(1, 12, (n, max_len), generator=g)
    attend = torch.arange(max_len).unsqueeze(0) < lengths.unsqueeze(1)
    tokens = torch.where(attend, tokens, torch.zeros_like(tokens))
    low = ((tokens >= 1) & (tokens <= 5)).sum(1)
    high = (tokens >= 6).sum(1)
    return tokens, attend, (low > high).long()


def seq_transformer():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    model = SeqClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=0.003)
    model.train()
    for _ in range(400):
        tokens, attend, y = seq_batch(g, 64)
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(tokens, attend), y).backward()
        opt.step()
    model.eval()
    tokens, attend, y = seq_batch(g, 24)
    with torch.no_grad():
        outputs = model(tokens, attend)
        accuracy = (outputs.argmax(1) == y).float().mean().item()
    sd = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    meta = {"torch": torch.__version__,
            "architecture": "embed Embedding(12, 16) + pos Embedding(10, 16) -> encoder TransformerEncoder(2 x "
                            "TransformerEncoderLayer(16, 4, 32, batch_first), norm LayerNorm(16)) -> mean over real tokens -> head Linear(16, 2)",
            "heldOutAccuracy": accuracy, "tokens": tensor_json(tokens), "attend": tensor_json(attend),
            "labels": tensor_json(y), "outputs": tensor_json(outputs)}
    emit("torch-seq-transformer.safetensors", tensors=sd, compare=compare_safetensors(sd))
    emit("torch-seq-transformer.json", dumps(meta), compare=compare_json(meta, ["outputs"]))


# --- 2. steadytensor -> PyTorch ---------------------------------------------------------------------

ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
               "softmax": lambda: torch.nn.Softmax(dim=-1), "gelu": torch.nn.GELU}


def torch_from_config(cfg, weights):
    """nn.Sequential from a steadytensor config.json of dense layers, weights loaded by key."""
    mods = []
    in_features = cfg["input"]["shape"][-1]
    for i, spec in enumerate(cfg["layers"]):
        if spec["className"] != "dense":
            raise ValueError(f"layer {i}: {spec['className']} is not translated here (dense only)")
        c = spec["config"]
        lin = torch.nn.Linear(in_features, c["units"], bias=c["useBias"])
        with torch.no_grad():  # steadytensor keeps PyTorch's [out, in] layout and key names
            lin.weight.copy_(weights[f"{i}.weight"])
            if c["useBias"]:
                lin.bias.copy_(weights[f"{i}.bias"])
        act = c.get("activation") or "linear"
        mods.append(torch.nn.Sequential(lin) if act == "linear" else torch.nn.Sequential(lin, ACTIVATIONS[act]()))
        in_features = c["units"]
    return torch.nn.Sequential(*mods)


def st_wine_mlp():
    d = os.path.join(OUT, "st-wine-mlp")
    if not os.path.exists(os.path.join(d, "config.json")):
        failures.append("st-wine-mlp/: missing; run npx tsx scripts/make-roundtrip-model.ts first")
        return
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    weights = read_safetensors(os.path.join(d, "weights.safetensors"))
    with open(os.path.join(OUT, "st-wine-mlp-inputs.json")) as f:
        ins = json.load(f)
    net = torch_from_config(cfg, weights).eval()
    x = torch.tensor(ins["inputs"], dtype=torch.float32)
    with torch.no_grad():
        y = net(x)
    ours = ins["predictions"]
    agree = close(y.reshape(-1).tolist(), [v for row in ours for v in row])
    worst = max(abs(a - b) for a, b in zip(y.reshape(-1).tolist(), [v for row in ours for v in row]))
    print(f"steadytensor -> PyTorch: {x.shape[0]} rows, PyTorch vs steadytensor max |diff| {worst:.3g} ({'agree' if agree else 'DISAGREE'} at rtol {RTOL}, atol {ATOL})")
    if not agree:
        failures.append("st-wine-mlp: PyTorch's outputs disagree with steadytensor's predictions")
    arch = " -> ".join(f"Linear({l[0].in_features}, {l[0].out_features})" + (f" + {type(l[1]).__name__}" if len(l) > 1 else "") for l in net)
    meta = {"torch": torch.__version__, "architecture": arch, "keys": sorted(weights),
            "outputs": tensor_json(y)}
    emit("st-wine-mlp-torch.json", dumps(meta), compare=compare_json(meta, ["outputs"]))


if __name__ == "__main__":
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    iris_mlp()
    seq_transformer()
    st_wine_mlp()
    if failures:
        print("\n".join(["FAILED:"] + failures))
        sys.exit(1)
    print("all PyTorch round-trip checks passed" if CHECK else "done")
