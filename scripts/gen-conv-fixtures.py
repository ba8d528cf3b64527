#!/usr/bin/python3
"""PyTorch 1.13 reference fixtures for steadytensor's convolution, pooling, resizing and image
normalization layers (issue 15).

Regenerate:  /usr/bin/python3 scripts/gen-conv-fixtures.py   (npm run fixtures:conv)

Writes tests/fixtures/conv/layers.json in the format of scripts/gen-fixtures.py ({"torch": version,
"cases": [...]}, tensors as {shape, dtype, data}, one case per line). Deterministic: each case seeds
torch.manual_seed from a CRC32 of its name.

Each case holds: name, layer (the st.nn class), args (positional constructor arguments) and
options (steadytensor's camelCased options; the script turns them into PyTorch's snake_case
keywords), train (the module's mode), params (the PyTorch state dict after construction, buffers
included, loaded unchanged by steadytensor), x, the output y (and the max-pool indices when asked),
the upstream gradient g, the gradients of sum(y * g) with respect to x ("gradX") and every
parameter ("paramGrads", state-dict keys), and the buffers after the forward ("buffersAfter", for
the layers with running statistics). float32 throughout.

RMSNorm is not in PyTorch 1.13: its reference is x * rsqrt(mean(x^2) + eps) * weight in torch ops
(eps None = torch.finfo(dtype).eps, the default of torch.nn.RMSNorm in later versions).
"""

import json
import os
import re

import torch
import torch.nn as nn

from fixture_json import enc, encode, seed  # noqa: E402  (scripts/ is on sys.path when run as a script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "conv")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def snake(k):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), k)


def torch_value(v):
    return tuple(v) if isinstance(v, list) else v


class RMSNorm(nn.Module):
    def __init__(self, normalized_shape, eps=None, elementwise_affine=True):
        super().__init__()
        self.shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(self.shape)) if elementwise_affine else None

    def forward(self, x):
        eps = torch.finfo(x.dtype).eps if self.eps is None else self.eps
        dims = tuple(range(x.dim() - len(self.shape), x.dim()))
        y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
        return y * self.weight if self.weight is not None else y


def make(layer, args, options):
    kw = {snake(k): torch_value(v) for k, v in options.items()}
    if layer == "RMSNorm":
        return RMSNorm(*args, **kw)
    if layer == "Unflatten":
        return nn.Unflatten(args[0], tuple(args[1]))
    return getattr(nn, layer)(*[torch_value(a) for a in args], **kw)


def case(name, layer, args, options, x_shape, train=True, randomize_buffers=False):
    seed(name)
    m = make(layer, args, options)
    m.train(train)
    with torch.no_grad():
        # non-trivial affine parameters and running statistics (the defaults are ones and zeros)
        for pname, p in m.named_parameters():
            if layer in ("BatchNorm2d", "GroupNorm", "InstanceNorm2d", "RMSNorm"):
                p.copy_(torch.randn_like(p) * 0.5 + (1.0 if pname == "weight" else 0.0))
        if randomize_buffers:
            for bname, b in m.named_buffers():
                if bname == "running_mean":
                    b.copy_(torch.randn_like(b))
                elif bname == "running_var":
                    b.copy_(torch.rand_like(b) + 0.5)
    params = {k: v.clone() for k, v in m.state_dict().items()}
    x = torch.randn(*x_shape, requires_grad=True)
    out = m(x)
    y, idx = (out if isinstance(out, tuple) else (out, None))
    g = torch.randn_like(y)
    (y * g).sum().backward()
    c = {
        "name": name, "layer": layer, "args": args, "options": options, "train": train, "params": params,
        "x": x, "y": y, "g": g, "gradX": x.grad,
        "paramGrads": {k: p.grad for k, p in m.named_parameters() if p.grad is not None},
    }
    if idx is not None:
        c["indices"] = idx
    bufs = dict(m.named_buffers())
    if bufs:
        c["buffersAfter"] = {k: v.clone() for k, v in bufs.items()}
    return c


def cases():
    out = []
    add = lambda *a, **k: out.append(case(*a, **k))
    # convolutions
    add("Conv2d 3->4 k3", "Conv2d", [3, 4, 3], {}, (2, 3, 6, 5))
    add("Conv2d groups 2, stride [2,1], padding [1,0], dilation [1,2]", "Conv2d", [4, 6, [3, 2]],
        {"stride": [2, 1], "padding": [1, 0], "dilation": [1, 2], "groups": 2}, (2, 4, 7, 6))
    add("Conv2d padding same, even kernel, reflect", "Conv2d", [2, 3, 4], {"padding": "same", "paddingMode": "reflect"}, (1, 2, 6, 5))
    add("Conv2d padding 2, circular", "Conv2d", [2, 2, 3], {"padding": 2, "paddingMode": "circular"}, (2, 2, 4, 5))
    add("Conv2d padding [1,2], replicate, stride 2", "Conv2d", [3, 2, 3], {"padding": [1, 2], "paddingMode": "replicate", "stride": 2}, (1, 3, 5, 6))
    add("Conv2d no bias, padding valid, stride 3", "Conv2d", [2, 5, [2, 3]], {"padding": "valid", "stride": 3, "bias": False}, (2, 2, 8, 9))
    add("Conv2d depthwise groups 4, padding same, dilation 2", "Conv2d", [4, 8, 3], {"groups": 4, "padding": "same", "dilation": 2}, (1, 4, 7, 7))
    add("Conv1d stride 2, padding 1, dilation 2", "Conv1d", [3, 4, 3], {"stride": 2, "padding": 1, "dilation": 2}, (2, 3, 11))
    add("Conv1d groups 2, padding same, replicate", "Conv1d", [2, 4, 4], {"groups": 2, "padding": "same", "paddingMode": "replicate"}, (2, 2, 7))
    add("ConvTranspose2d stride 2, padding 1, outputPadding 1, groups 2", "ConvTranspose2d", [4, 6, 3],
        {"stride": 2, "padding": 1, "outputPadding": 1, "groups": 2}, (2, 4, 3, 4))
    add("ConvTranspose2d stride [2,1], dilation [1,2], kernel [2,3]", "ConvTranspose2d", [3, 2, [2, 3]],
        {"stride": [2, 1], "dilation": [1, 2]}, (1, 3, 4, 3))
    # pooling
    add("MaxPool2d 3 stride 2 padding 1 ceilMode returnIndices", "MaxPool2d", [3],
        {"stride": 2, "padding": 1, "ceilMode": True, "returnIndices": True}, (2, 3, 7, 6))
    add("MaxPool2d 2 stride 1 dilation 2", "MaxPool2d", [2], {"stride": 1, "dilation": 2}, (1, 2, 6, 5))
    add("MaxPool1d 3 stride 2 padding 1", "MaxPool1d", [3], {"stride": 2, "padding": 1}, (2, 3, 10))
    add("AvgPool2d 3 stride 2 padding 1 ceilMode, countIncludePad false", "AvgPool2d", [3],
        {"stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}, (2, 2, 7, 6))
    add("AvgPool2d [2,3] padding [1,1] divisorOverride 3", "AvgPool2d", [[2, 3]], {"padding": [1, 1], "divisorOverride": 3}, (1, 3, 5, 7))
    add("AvgPool1d 3 stride 2 padding 1", "AvgPool1d", [3], {"stride": 2, "padding": 1}, (2, 2, 9))
    add("AdaptiveAvgPool2d [3,2] from 7x5", "AdaptiveAvgPool2d", [[3, 2]], {}, (2, 3, 7, 5))
    add("AdaptiveAvgPool2d 1 (global)", "AdaptiveAvgPool2d", [1], {}, (2, 4, 5, 6))
    # resizing
    add("Upsample nearest scaleFactor 2", "Upsample", [], {"scaleFactor": 2, "mode": "nearest"}, (1, 2, 3, 4))
    add("Upsample nearest size [5,7]", "Upsample", [], {"size": [5, 7], "mode": "nearest"}, (2, 1, 3, 4))
    add("Upsample bilinear scaleFactor 2", "Upsample", [], {"scaleFactor": 2, "mode": "bilinear"}, (1, 2, 3, 4))
    add("Upsample bilinear size [5,3], alignCorners", "Upsample", [], {"size": [5, 3], "mode": "bilinear", "alignCorners": True}, (2, 2, 4, 4))
    add("Upsample bilinear size [7,5] (downsample W)", "Upsample", [], {"size": [7, 5], "mode": "bilinear"}, (1, 1, 4, 8))
    # normalization
    add("BatchNorm2d train", "BatchNorm2d", [3], {}, (4, 3, 3, 5))
    add("BatchNorm2d eval, running stats", "BatchNorm2d", [3], {"momentum": 0.2, "eps": 1e-3}, (2, 3, 4, 4), train=False, randomize_buffers=True)
    add("GroupNorm 2 groups of 2", "GroupNorm", [2, 4], {}, (3, 4, 3, 3))
    add("GroupNorm 3 groups, affine false", "GroupNorm", [3, 6], {"affine": False, "eps": 1e-3}, (2, 6, 2, 5))
    add("InstanceNorm2d default", "InstanceNorm2d", [3], {}, (2, 3, 4, 5))
    add("InstanceNorm2d affine, trackRunningStats, train", "InstanceNorm2d", [3], {"affine": True, "trackRunningStats": True}, (4, 3, 4, 4))
    add("InstanceNorm2d trackRunningStats, eval", "InstanceNorm2d", [2], {"trackRunningStats": True}, (2, 2, 3, 3), train=False, randomize_buffers=True)
    add("RMSNorm [4], eps 1e-6", "RMSNorm", [[4]], {"eps": 1e-6}, (3, 5, 4))
    add("RMSNorm [2,3], default eps", "RMSNorm", [[2, 3]], {}, (4, 2, 3))
    add("Unflatten 1 -> [2,3]", "Unflatten", [1, [2, 3]], {}, (2, 6, 2))
    return out


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    cs = cases()
    path = os.path.join(OUT_DIR, "layers.json")
    with open(path, "w") as f:
        f.write('{"torch":%s,"cases":[\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(encode(c), separators=(",", ":")) for c in cs))
        f.write("\n]}\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(cs)} cases)")


if __name__ == "__main__":
    main()
