#!/usr/bin/python3
"""The PyTorch files that the guides in docs/ load, written the way the guides tell users to write them.

Run: npm run fixtures:docs (PyTorch 1.13 of the system Python: apt-get install -y python3-torch).

tests/docs-guides.test.ts copies every file of tests/fixtures/docs/ into the working directory of
each ```ts block it runs, so a guide can show the Python side (`safetensors.torch.save_file(...)`)
next to the TypeScript that loads its output. Files:

- torch-mlp.safetensors: the state_dict of a seeded nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3));
  torch-mlp.json: an input batch "x" and PyTorch's output "y" for it (docs/interop.md,
  docs/getting-started.md's neighbours, docs/porting-from-pytorch.md).
- torch-encoder-layer.safetensors: nn.TransformerEncoderLayer(d_model=16, nhead=2,
  dim_feedforward=32, dropout=0.0, batch_first=True) with seeded weights; torch-encoder-layer.json:
  input "x" [2, 5, 16], PyTorch's key_padding_mask "torch_key_padding_mask" (True = padding) and the
  eval-mode output "y" (docs/transformer.md). The output is computed with autograd on, so PyTorch's
  fast path (which zeroes padded rows) is not taken: every row is the layer's ordinary output.

The Python `safetensors` package is not installed here (no network), so the files are written by
gen-safetensors-fixture.py's write_safetensors (the format as huggingface/safetensors writes it).
Deterministic: fixed seeds, no timestamps.
"""

import importlib.util
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "docs")

spec = importlib.util.spec_from_file_location("gen_st", os.path.join(HERE, "gen-safetensors-fixture.py"))
gen_st = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen_st)


def f32(t):
    """Nested lists of the float32 values, as the shortest decimals that round back to them."""
    return json.loads(json.dumps(t.detach().double().tolist()))


def write_json(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path))


def mlp():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    x = torch.randn(2, 4)
    with torch.no_grad():
        y = net(x)
    gen_st.write_safetensors(os.path.join(OUT, "torch-mlp.safetensors"), net.state_dict())
    write_json("torch-mlp.json", {"torch": torch.__version__, "x": f32(x), "y": f32(y)})


def encoder_layer():
    torch.manual_seed(1)
    layer = torch.nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True)
    with torch.no_grad():  # non-trivial biases and LayerNorm affines, so loading them matters
        for name, p in layer.named_parameters():
            if "bias" in name or "norm" in name:
                p.add_(0.1 * torch.randn_like(p))
    layer.eval()
    x = torch.randn(2, 5, 16)
    pad = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
    y = layer(x, src_key_padding_mask=pad)  # autograd on: PyTorch's ordinary (not fast) path
    gen_st.write_safetensors(os.path.join(OUT, "torch-encoder-layer.safetensors"), layer.state_dict())
    write_json("torch-encoder-layer.json", {
        "torch": torch.__version__, "x": f32(x), "torch_key_padding_mask": pad.tolist(), "y": f32(y),
    })


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    mlp()
    encoder_layer()
