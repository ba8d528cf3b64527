#!/usr/bin/python3
"""PyTorch 1.13 reference fixtures for steadytensor's attention and Transformer modules (issue 12).

Regenerate:  /usr/bin/python3 scripts/gen-transformer-fixtures.py

Writes tests/fixtures/transformer/{sdpa,mha,layers}.json in the format of scripts/gen-fixtures.py
({"torch": version, "cases": [...]}, tensors as {shape, dtype, data}, one case per line).
Deterministic: each case seeds torch.manual_seed from a CRC32 of its name.

Mask convention in the files is steadytensor's: a boolean mask is true = ATTEND (PyTorch's
attn_mask / key_padding_mask use true = ignore, so the script inverts them before calling
PyTorch); float masks are additive in both libraries. No case masks out a whole query row
(PyTorch gives NaN there, steadytensor zeros).

Each case holds: name, kind, options (steadytensor's camelCased constructor options), params
(the PyTorch state dict, loaded unchanged), inputs, masks, call options, the output (and the
attention weights for MultiheadAttention), the upstream gradient g and the gradients of
sum(output * g) with respect to the inputs ("grads") and every parameter ("paramGrads", state-dict
keys; for the stacks only the last layer's and the final norms', to keep the files small).
Modules run in eval mode (dropout off). float32 throughout; float32 data are the shortest
decimals that round back to the float32 value (the loader's Float32Array restores them exactly).

Scaled dot-product attention has no PyTorch 1.13 function (F.scaled_dot_product_attention came in
2.0): its reference is softmax(q kᵀ·scale + mask)·v written in torch ops, float32, with autograd.
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_json import enc, encode, seed  # noqa: E402  (scripts/ is on sys.path when run as a script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "transformer")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def write(name, cases):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w") as f:
        f.write('{"torch":%s,"cases":[\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(encode(c), separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(cases)} cases)")


def r(*shape):
    return torch.randn(*shape)


def torch_mask(m):
    """steadytensor's mask (bool true = attend, or additive float) -> PyTorch's (bool true = ignore)."""
    if m is None:
        return None
    return ~m if m.dtype == torch.bool else m


def lengths_mask(lengths, n):
    """[B, n] bool, true = attend (a real token) for positions < length."""
    return torch.arange(n)[None, :] < torch.tensor(lengths)[:, None]


def causal(n, m=None):
    m = n if m is None else m
    return torch.ones(n, m, dtype=torch.bool).tril()


# ---------------------------------------------------------------------------------------------
# scaled dot-product attention

def sdpa_ref(q, k, v, mask=None, causal_=False, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    s = q @ k.transpose(-2, -1) * scale
    if causal_:
        s = s.masked_fill(~causal(q.shape[-2], k.shape[-2]), float("-inf"))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else s + mask
    return torch.softmax(s, -1) @ v


def sdpa_cases():
    cases = []

    def case(name, L, S, E, mask_fn=None, causal_=False, scale=None, shape=(2, 2)):
        seed(name)
        q = r(*shape, L, E).requires_grad_()
        k = r(*shape, S, E).requires_grad_()
        v = r(*shape, S, E + 1).requires_grad_()
        mask = mask_fn() if mask_fn else None
        out = sdpa_ref(q, k, v, mask, causal_, scale)
        g = r(*out.shape)
        (out * g).sum().backward()
        opts = {}
        if causal_:
            opts["isCausal"] = True
        if scale is not None:
            opts["scale"] = scale
        c = {"name": name, "inputs": {"q": q, "k": k, "v": v}, "options": opts, "output": out, "upstream": g,
             "grads": {"q": q.grad, "k": k.grad, "v": v.grad}}
        if mask is not None:
            c["attnMask"] = mask
        cases.append(c)

    case("sdpa-nomask", 4, 5, 3)
    case("sdpa-scale", 4, 5, 3, scale=0.7)
    case("sdpa-bool", 4, 5, 3, lambda: torch.tensor([[1, 0, 1, 1, 0], [1, 1, 0, 0, 0], [0, 0, 0, 1, 1], [1, 1, 1, 1, 1]], dtype=torch.bool))
    case("sdpa-additive", 4, 5, 3, lambda: torch.randn(4, 5) * 2)
    case("sdpa-causal", 5, 5, 3, causal_=True)
    # key padding broadcast over heads and queries: [B, 1, 1, S]
    case("sdpa-padding", 4, 5, 3, lambda: lengths_mask([5, 2], 5)[:, None, None, :])
    case("sdpa-3d", 3, 6, 4, lambda: torch.randn(3, 6), shape=(3,))
    return cases


# ---------------------------------------------------------------------------------------------
# modules

def grads_of(mod, inputs, out, g):
    (out * g).sum().backward()
    return ({k: t.grad for k, t in inputs.items()},
            {k: p.grad if p.grad is not None else torch.zeros_like(p) for k, p in mod.named_parameters()})


def mha_cases():
    cases = []

    def case(name, opts, L, S, B, self_attn, call, masks, kdim=None, vdim=None):
        seed(name)
        E, H = opts["embedDim"], opts["numHeads"]
        kw = {"batch_first": opts.get("batchFirst", False), "add_bias_kv": opts.get("addBiasKv", False),
              "bias": opts.get("bias", True), "kdim": kdim, "vdim": vdim}
        mha = nn.MultiheadAttention(E, H, **kw).eval()
        with torch.no_grad():  # non-zero biases so that their gradients and loading are tested
            for n, p in mha.named_parameters():
                if "bias" in n:
                    p.copy_(torch.randn_like(p) * 0.5)
        bf = kw["batch_first"]
        shp = lambda n, d: (B, n, d) if bf else (n, B, d)
        if self_attn:
            x = r(*shp(L, E)).requires_grad_()
            inputs = {"query": x}
            q = k = v = x
        else:
            q = r(*shp(L, E)).requires_grad_()
            k = r(*shp(S, kdim or E)).requires_grad_()
            v = r(*shp(S, vdim or E)).requires_grad_()
            inputs = {"query": q, "key": k, "value": v}
        m = {k_: fn() for k_, fn in masks.items()}
        out, w = mha(q, k, v, key_padding_mask=torch_mask(m.get("keyPaddingMask")),
                     attn_mask=torch_mask(m.get("attnMask")),
                     need_weights=call.get("needWeights", True), average_attn_weights=call.get("averageAttnWeights", True))
        g = r(*out.shape)
        grads, pgrads = grads_of(mha, inputs, out, g)
        o = dict(opts)
        if kdim is not None:
            o["kdim"] = kdim
        if vdim is not None:
            o["vdim"] = vdim
        cases.append({"name": name, "options": o, "selfAttention": self_attn, "params": dict(mha.state_dict()),
                      "inputs": inputs, "masks": m, "call": call, "output": out, "weights": w, "upstream": g,
                      "grads": grads, "paramGrads": pgrads})

    E, H, L, S, B = 8, 2, 4, 5, 2
    case("mha-self-causal", {"embedDim": E, "numHeads": H}, L, L, B, True, {}, {"attnMask": lambda: causal(L)})
    case("mha-self-noweights", {"embedDim": E, "numHeads": H}, L, L, B, True, {"needWeights": False}, {})
    case("mha-cross-padding", {"embedDim": E, "numHeads": H}, L, S, B, False, {"averageAttnWeights": False},
         {"keyPaddingMask": lambda: lengths_mask([5, 3], S)})
    case("mha-kdim-vdim-batchfirst", {"embedDim": E, "numHeads": 4, "batchFirst": True}, L, S, B, False, {},
         {"attnMask": lambda: torch.randn(L, S)}, kdim=6, vdim=3)
    case("mha-biaskv-nobias", {"embedDim": E, "numHeads": H, "addBiasKv": True, "bias": False}, L, S, B, False, {},
         {"keyPaddingMask": lambda: lengths_mask([4, 2], S), "attnMask": lambda: torch.rand(L, S) > 0.3})
    return cases


def layer_cases():
    cases = []
    D, NH, FF, S, T, B = 8, 2, 16, 5, 4, 2

    def torch_kw(opts):
        return {"dim_feedforward": opts.get("dimFeedforward", 2048), "dropout": opts.get("dropout", 0.1),
                "activation": opts.get("activation", "relu"), "batch_first": opts.get("batchFirst", False),
                "norm_first": opts.get("normFirst", False)}

    def run(name, kind, opts, mod, src, tgt, masks):
        mod.eval()
        with torch.no_grad():  # LayerNorm affine and biases away from their 1/0 init
            for n, p in mod.named_parameters():
                if "norm" in n or "bias" in n:
                    p.add_(torch.randn_like(p) * 0.3)
        m = {k: fn() for k, fn in masks.items()}
        tm = {k: torch_mask(v) for k, v in m.items()}
        inputs = {}
        if kind == "TransformerEncoderLayer":
            inputs["src"] = src
            out = mod(src, src_mask=tm.get("srcMask"), src_key_padding_mask=tm.get("srcKeyPaddingMask"))
        elif kind == "TransformerEncoder":
            inputs["src"] = src
            out = mod(src, mask=tm.get("mask"), src_key_padding_mask=tm.get("srcKeyPaddingMask"))
        elif kind in ("TransformerDecoderLayer", "TransformerDecoder"):
            inputs["tgt"], inputs["memory"] = tgt, src
            out = mod(tgt, src, tgt_mask=tm.get("tgtMask"), memory_mask=tm.get("memoryMask"),
                      tgt_key_padding_mask=tm.get("tgtKeyPaddingMask"),
                      memory_key_padding_mask=tm.get("memoryKeyPaddingMask"))
        else:
            inputs["src"], inputs["tgt"] = src, tgt
            out = mod(src, tgt, src_mask=tm.get("srcMask"), tgt_mask=tm.get("tgtMask"), memory_mask=tm.get("memoryMask"),
                      src_key_padding_mask=tm.get("srcKeyPaddingMask"), tgt_key_padding_mask=tm.get("tgtKeyPaddingMask"),
                      memory_key_padding_mask=tm.get("memoryKeyPaddingMask"))
        g = r(*out.shape)
        grads, pgrads = grads_of(mod, inputs, out, g)
        if kind in ("TransformerEncoder", "TransformerDecoder", "Transformer"):
            # size: the input gradients already pass through every parameter of a stack; the
            # per-parameter rules are covered by the single-layer cases, so keep the last layer's
            pgrads = {k: v for k, v in pgrads.items() if "layers.1." in k or k.endswith("norm.weight")}
        cases.append({"name": name, "kind": kind, "options": opts, "params": dict(mod.state_dict()), "inputs": inputs,
                      "masks": m, "output": out, "upstream": g, "grads": grads, "paramGrads": pgrads})

    def seqs(bf):
        src = r(*((B, S, D) if bf else (S, B, D))).requires_grad_()
        tgt = r(*((B, T, D) if bf else (T, B, D))).requires_grad_()
        return src, tgt

    for nf in (False, True):
        for act in ("relu", "gelu"):
            bf = nf and act == "gelu"
            opts = {"dModel": D, "nhead": NH, "dimFeedforward": FF, "activation": act, "normFirst": nf, "batchFirst": bf}
            tag = ("pre" if nf else "post") + "-" + act
            name = "encoder-layer-" + tag
            seed(name)
            mod = nn.TransformerEncoderLayer(D, NH, **torch_kw(opts))
            src, tgt = seqs(bf)
            masks = {"srcKeyPaddingMask": lambda: lengths_mask([5, 3], S)}
            if act == "relu":
                masks["srcMask"] = lambda: causal(S)
            run(name, "TransformerEncoderLayer", opts, mod, src, tgt, masks)
            name = "decoder-layer-" + tag
            seed(name)
            mod = nn.TransformerDecoderLayer(D, NH, **torch_kw(opts))
            src, tgt = seqs(bf)
            masks = {"tgtMask": lambda: causal(T), "memoryKeyPaddingMask": lambda: lengths_mask([5, 2], S)}
            if act == "gelu":
                masks = {"tgtKeyPaddingMask": lambda: lengths_mask([4, 3], T), "memoryMask": lambda: torch.randn(T, S)}
            run(name, "TransformerDecoderLayer", opts, mod, src, tgt, masks)

    opts = {"dModel": D, "nhead": NH, "dimFeedforward": FF}
    name = "encoder-2-norm"
    seed(name)
    mod = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, NH, FF), 2, norm=nn.LayerNorm(D), enable_nested_tensor=False)
    src, tgt = seqs(False)
    run(name, "TransformerEncoder", dict(opts, numLayers=2, norm=True), mod, src, tgt,
        {"mask": lambda: causal(S), "srcKeyPaddingMask": lambda: lengths_mask([4, 5], S)})
    name = "decoder-2"
    seed(name)
    mod = nn.TransformerDecoder(nn.TransformerDecoderLayer(D, NH, FF), 2)
    src, tgt = seqs(False)
    run(name, "TransformerDecoder", dict(opts, numLayers=2, norm=False), mod, src, tgt,
        {"tgtMask": lambda: causal(T), "memoryKeyPaddingMask": lambda: lengths_mask([3, 5], S)})

    for nf, act, bf in ((False, "relu", False), (True, "gelu", True)):
        name = "transformer-2-2-" + ("pre-gelu-bf" if nf else "post-relu")
        seed(name)
        opts = {"dModel": D, "nhead": NH, "numEncoderLayers": 2, "numDecoderLayers": 2, "dimFeedforward": FF,
                "activation": act, "normFirst": nf, "batchFirst": bf}
        mod = nn.Transformer(D, NH, 2, 2, FF, activation=act, norm_first=nf, batch_first=bf)
        src, tgt = seqs(bf)
        run(name, "Transformer", opts, mod, src, tgt,
            {"tgtMask": lambda: ~nn.Transformer.generate_square_subsequent_mask(T).isinf(),
             "srcKeyPaddingMask": lambda: lengths_mask([5, 3], S),
             "tgtKeyPaddingMask": lambda: lengths_mask([4, 2], T),
             "memoryKeyPaddingMask": lambda: lengths_mask([5, 3], S)})
    return cases


if __name__ == "__main__":
    write("sdpa", sdpa_cases())
    write("mha", mha_cases())
    write("layers", layer_cases())
