// st.nn.Module behaviour: field walking, PyTorch names, train/eval, apply, freezing, dtype
// conversion, state dicts (keys, loading, errors), toString, hooks, module tracing, containers.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";
// internal helpers, not part of st.nn: imported by path
import { fieldToKey } from "../src/nn/module.js";
import { currentModulePath, isTracingModules, traceModules } from "../src/nn/trace.js";

const { nn } = st;

/** A block with camelCase fields whose keys must come out in PyTorch's snake_case. */
class Block extends nn.Module {
  selfAttn = new nn.Linear(4, 4);
  norm1 = new nn.LayerNorm(4);
  outProj = new nn.Linear(4, 2, { bias: false });
  scale = new nn.Parameter(st.ones([2]));
  stepCount: Tensor;
  cache: Tensor;
  notAModule = { weight: st.ones([3]) };
  constructor() {
    super();
    this.stepCount = this.registerBuffer("stepCount", st.zeros([], { dtype: "int32" }));
    this.cache = this.registerBuffer("cache", st.zeros([2]), false);
  }
  forward(x: Tensor): Tensor {
    return this.outProj.call(this.norm1.call(this.selfAttn.call(x)).relu()).mul(this.scale);
  }
}

class Net extends nn.Module {
  layers = new nn.ModuleList([new Block(), new Block()]);
  head = new nn.Linear(2, 1);
  forward(x: Tensor): Tensor {
    let h = x;
    for (const b of this.layers) h = b.call(h.slice(null, [0, 2]).pad([0, 2]));
    return this.head.call(h);
  }
}

describe("finding parameters, buffers and children by walking fields", () => {
  it("parameters come in field order, own ones first, with PyTorch's dotted snake_case names", () => {
    const b = new Block();
    expect(b.namedParameters().map(([k]) => k)).toEqual([
      "scale", "self_attn.weight", "self_attn.bias", "norm1.weight", "norm1.bias", "out_proj.weight",
    ]);
    expect(b.parameters()[0]).toBe(b.scale);
    expect(b.parameters()[1]).toBe(b.selfAttn.weight);
    // plain objects holding tensors, and plain tensors, are not collected
    expect(b.parameters().length).toBe(6);
  });

  it("buffers are registered explicitly; non-persistent ones stay out of the state dict", () => {
    const b = new Block();
    expect(b.namedBuffers().map(([k]) => k)).toEqual(["step_count", "cache"]);
    expect(Object.keys(b.stateDict())).toEqual([
      "scale", "step_count", "self_attn.weight", "self_attn.bias", "norm1.weight", "norm1.bias", "out_proj.weight",
    ]);
  });

  it("names nest through ModuleList: layers.1.self_attn.weight", () => {
    const n = new Net();
    const names = n.namedParameters().map(([k]) => k);
    expect(names).toContain("layers.1.self_attn.weight");
    expect(names.at(-1)).toBe("head.bias");
    expect(n.namedChildren().map(([k]) => k)).toEqual(["layers", "head"]);
    expect(n.namedModules().map(([k]) => k)).toEqual([
      "", "layers", "layers.0", "layers.0.self_attn", "layers.0.norm1", "layers.0.out_proj",
      "layers.1", "layers.1.self_attn", "layers.1.norm1", "layers.1.out_proj", "head",
    ]);
    expect(n.modules()[0]).toBe(n);
    expect(n.children()[1]).toBe(n.head);
  });

  it("a module or parameter shared by two owners is listed once, but keeps both state-dict keys", () => {
    const shared = new nn.Linear(3, 3);
    const seq = new nn.Sequential(shared, new nn.ReLU(), shared);
    expect(seq.parameters().length).toBe(2);
    expect(seq.modules().length).toBe(3); // Sequential, Linear, ReLU
    expect(Object.keys(seq.stateDict())).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(seq.numParameters()).toBe(12);
  });

  it("fieldToKey maps camelCase to PyTorch keys and leaves snake_case alone", () => {
    expect(fieldToKey("runningMean")).toBe("running_mean");
    expect(fieldToKey("numBatchesTracked")).toBe("num_batches_tracked");
    expect(fieldToKey("inProjWeight")).toBe("in_proj_weight");
    expect(fieldToKey("linear1")).toBe("linear1");
    expect(fieldToKey("in_proj_bias")).toBe("in_proj_bias");
    expect(fieldToKey("myHTTPLayer")).toBe("my_http_layer");
  });

  it("registerParameter / registerModule set fields under the given names", () => {
    class M extends nn.Module {
      constructor() {
        super();
        this.registerParameter("in_proj_weight", new nn.Parameter(st.zeros([2, 2])));
        this.registerModule("out_proj", new nn.Linear(2, 2));
      }
      forward(x: Tensor) { return x; }
    }
    expect(Object.keys(new M().stateDict())).toEqual(["in_proj_weight", "out_proj.weight", "out_proj.bias"]);
    expectError(() => new M().registerParameter("w", st.zeros([2]) as never), st.DTypeError, "registerParameter", "Parameter");
  });
});

describe("Parameter", () => {
  it("is a leaf that requires grad and shares the tensor's storage", () => {
    const t = st.ones([2, 3]);
    const p = new nn.Parameter(t);
    expect(p).toBeInstanceOf(st.Tensor);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    t._data[0] = 5;
    expect(p.toArray()).toEqual([[5, 1, 1], [1, 1, 1]]);
    expect(new nn.Parameter(t, false).requiresGrad).toBe(false);
    expect(p.toString().startsWith("Parameter containing:\ntensor(")).toBe(true);
  });

  it("cuts a non-leaf out of its graph", () => {
    const x = st.ones([2], { requiresGrad: true });
    const p = new nn.Parameter(x.mul(2));
    expect(p.isLeaf).toBe(true);
    expect(p.toArray()).toEqual([2, 2]);
  });

  it("rejects an integer tensor that should require grad", () => {
    expectError(() => new nn.Parameter(st.tensor([1, 2])), st.DTypeError, "Parameter", "int32");
    expect(new nn.Parameter(st.tensor([1, 2]), false).dtype).toBe("int32");
  });
});

describe("train / eval, apply, zeroGrad, freezing, numParameters", () => {
  it("train(false) and eval() reach every descendant; train() restores", () => {
    const n = new Net();
    expect(n.modules().every((m) => m.training)).toBe(true);
    expect(n.eval()).toBe(n);
    expect(n.modules().every((m) => !m.training)).toBe(true);
    n.train();
    expect(n.modules().every((m) => m.training)).toBe(true);
    n.layers.at(0).train(false);
    expect(n.layers.at<Block>(0).selfAttn.training).toBe(false);
    expect(n.layers.at<Block>(1).selfAttn.training).toBe(true);
  });

  it("apply visits children before the parent and returns the module", () => {
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU(), new nn.Linear(2, 3)));
    const seen: string[] = [];
    expect(seq.apply((m) => seen.push(m.constructor.name))).toBe(seq);
    expect(seen).toEqual(["Linear", "ReLU", "Linear", "Sequential", "Sequential"]);
    seq.apply((m) => { if (m instanceof nn.Linear) st.nn.init.constant_(m.weight, 0.5); });
    expect(seq.at<st.nn.Sequential>(1).at<st.nn.Linear>(1).weight.toArray()).toEqual([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
  });

  it("requiresGrad_(false) freezes: no gradient reaches the frozen layer, the rest still train", () => {
    const seq = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
    const [first, last] = [seq.at<st.nn.Linear>(0), seq.at<st.nn.Linear>(2)];
    first.requiresGrad_(false);
    expect(seq.numParameters({ trainableOnly: true })).toBe(10);
    expect(seq.numParameters()).toBe(26);
    seq.call(st.randn([5, 3])).sum().backward();
    expect(first.weight.grad).toBeNull();
    expect(first.bias!.grad).toBeNull();
    expect(last.weight.grad).not.toBeNull();
    seq.requiresGrad_(true);
    seq.call(st.randn([5, 3])).sum().backward();
    expect(first.weight.grad).not.toBeNull();
  });

  it("zeroGrad clears gradients to null, or to zeros with setToNone = false", () => {
    const lin = new nn.Linear(3, 2);
    lin.call(st.randn([4, 3])).sum().backward();
    lin.zeroGrad(false);
    expect(lin.weight.grad!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
    expect(lin.bias!.grad).toBeNull();
  });
});

describe("to(dtype) / double() / float()", () => {
  it("converts parameters and float buffers in place, keeping identity; int buffers stay int32", () => {
    const seq = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4));
    const params = seq.parameters();
    const w0 = Array.from(params[0]!.dataSync());
    const lin = seq.at(0) as st.nn.Linear;
    lin.call(st.randn([2, 3])).sum().backward();
    expect(seq.double()).toBe(seq);
    seq.parameters().forEach((p, i) => expect(p).toBe(params[i]));
    expect(seq.parameters().every((p) => p.dtype === "float64" && p.requiresGrad)).toBe(true);
    expect(Array.from(params[0]!.dataSync())).toEqual(w0);
    expect(lin.weight.grad!.dtype).toBe("float64");
    const bn = seq.at(1) as st.nn.BatchNorm1d;
    expect(bn.runningMean!.dtype).toBe("float64");
    expect(bn.numBatchesTracked!.dtype).toBe("int32");
    // it computes in float64 now
    expect(seq.call(st.randn([3, 3], { dtype: "float64" })).dtype).toBe("float64");
    seq.float();
    expect(lin.weight.dtype).toBe("float32");
    expect(lin.weight).toBe(params[0]);
    expectError(() => seq.to("int32"), st.DTypeError, "Sequential.to", "int32");
  });
});

describe("stateDict / loadStateDict", () => {
  const make = () => new nn.Sequential(new nn.Linear(6, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Linear(8, 3));

  it("uses PyTorch's keys, and its values share storage with the module but are detached", () => {
    const net = make();
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual([
      "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias",
    ]);
    expect(sd["0.weight"]!.requiresGrad).toBe(false);
    expect(sd["0.weight"]).not.toBe(net.at<st.nn.Linear>(0).weight);
    st.noGrad(() => net.at<st.nn.Linear>(0).weight.fill_(2));
    expect(sd["0.weight"]!.dataSync()[0]).toBe(2);
  });

  it("round-trips between two models, copying values in without replacing tensors", () => {
    const a = make();
    const b = make();
    const w = b.at<st.nn.Linear>(0).weight;
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.at<st.nn.Linear>(0).weight).toBe(w);
    expect(Array.from(w.dataSync())).toEqual(Array.from(a.at<st.nn.Linear>(0).weight.dataSync()));
    const x = st.randn([5, 6]);
    a.eval();
    b.eval();
    expectClose(b.call(x), a.call(x), { rtol: 0, atol: 0 });
  });

  it("a missing key is a ValueError naming the key, its module path and class", () => {
    const sd = make().stateDict();
    delete sd["1.running_mean"];
    expectError(() => make().loadStateDict(sd), st.ValueError,
      "Sequential.loadStateDict", "missing key", '"1.running_mean"', 'module "1" (BatchNorm1d)', "strict");
  });

  it("an unexpected key is a ValueError saying where it fails to fit", () => {
    const sd = { ...make().stateDict(), "1.foo": st.zeros([8]), "7.weight": st.zeros([1]) };
    expectError(() => make().loadStateDict(sd), st.ValueError,
      "unexpected keys", '"1.foo"', 'module "1" (BatchNorm1d) has no parameter or persistent buffer "foo"',
      '"7.weight"', 'has no submodule "7"');
  });

  it("a wrong-shaped entry is a ShapeError naming the key and both shapes, even when not strict", () => {
    const sd = make().stateDict();
    sd["0.weight"] = st.zeros([8, 5]);
    for (const strict of [true, false]) {
      expectError(() => make().loadStateDict(sd, { strict }), st.ShapeError,
        '"0.weight"', 'module "0" (Linear)', "[8, 5]", "[8, 6]");
    }
  });

  it("a failed load changes nothing; strict: false loads the matching keys and reports the rest", () => {
    const src = make();
    const dst = make();
    const before = Array.from(dst.at<st.nn.Linear>(3).weight.dataSync());
    const sd = src.stateDict();
    sd["0.bias"] = st.zeros([3]); // wrong shape, checked after 3.weight would have been copied
    expect(() => dst.loadStateDict(sd)).toThrow(st.ShapeError);
    expect(Array.from(dst.at<st.nn.Linear>(3).weight.dataSync())).toEqual(before);

    const partial = src.stateDict();
    delete partial["3.bias"];
    partial["extra"] = st.zeros([1]);
    const r = dst.loadStateDict(partial, { strict: false });
    expect(r).toEqual({ missingKeys: ["3.bias"], unexpectedKeys: ["extra"] });
    expect(Array.from(dst.at<st.nn.Linear>(3).weight.dataSync())).toEqual(Array.from(src.at<st.nn.Linear>(3).weight.dataSync()));
  });

  it("casts values to each tensor's dtype and accepts a Map", () => {
    const lin = new nn.Linear(2, 2);
    const r = lin.loadStateDict(new Map([
      ["weight", st.tensor([[1, 2], [3, 4]], { dtype: "float64" })],
      ["bias", st.tensor([5, 6])], // int32
    ]));
    expect(r.missingKeys).toEqual([]);
    expect(lin.weight.dtype).toBe("float32");
    expect(lin.weight.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(lin.bias!.toArray()).toEqual([5, 6]);
    expectError(() => lin.loadStateDict({ weight: [[1]] as never, bias: st.zeros([2]) }), st.DTypeError, '"weight"', "not a Tensor");
  });
});

describe("toString", () => {
  it("prints like PyTorch's repr", () => {
    const seq = new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU());
    expect(seq.toString()).toBe("Sequential(\n  (0): Linear(in_features=6, out_features=8, bias=True)\n  (1): ReLU()\n)");
    expect(new nn.BatchNorm1d(8).toString()).toBe("BatchNorm1d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
    expect(new nn.LayerNorm([3, 5]).toString()).toBe("LayerNorm((3, 5), eps=1e-05, elementwise_affine=True)");
    expect(new nn.Embedding(10, 4, { paddingIdx: 0 }).toString()).toBe("Embedding(10, 4, padding_idx=0)");
    expect(new nn.LeakyReLU(0.2).toString()).toBe("LeakyReLU(negative_slope=0.2)");
    expect(new nn.GELU({ approximate: "tanh" }).toString()).toBe("GELU(approximate='tanh')");
    expect(new nn.Dropout(0.5).toString()).toBe("Dropout(p=0.5)");
    expect(new nn.ELU().toString()).toBe("ELU(alpha=1.0)");
  });

  it("indents nested modules", () => {
    const net = new nn.Sequential(new nn.Sequential(new nn.Linear(2, 2, { bias: false })), new nn.Flatten());
    expect(net.toString()).toBe(
      "Sequential(\n  (0): Sequential(\n    (0): Linear(in_features=2, out_features=2, bias=False)\n  )\n  (1): Flatten(start_dim=1, end_dim=-1)\n)",
    );
    expect(new Block().toString()).toContain("(self_attn): Linear(in_features=4, out_features=4, bias=True)");
  });
});

describe("forward hooks", () => {
  it("pre-hooks and hooks fire around forward, see args and output, and can replace them", () => {
    const lin = new nn.Linear(2, 2);
    const log: string[] = [];
    const rmPre = lin.registerForwardPreHook((m, args) => {
      log.push(`pre ${m.constructor.name} ${(args[0] as Tensor).shape}`);
      return [(args[0] as Tensor).mul(0)];
    });
    const rmPost = lin.registerForwardHook((_m, args, out) => {
      log.push(`post ${(args[0] as Tensor).sum().item()} ${(out as Tensor).shape}`);
      return (out as Tensor).add(100);
    });
    const y = lin.call(st.ones([3, 2]));
    expect(log).toEqual(["pre Linear 3,2", "post 0 3,2"]);
    // input zeroed by the pre-hook, so y = bias + 100
    expectClose(y.index(0), lin.bias!.add(100));
    rmPre();
    rmPost();
    const y2 = lin.call(st.ones([3, 2]));
    expect(log.length).toBe(2);
    expectClose(y2, st.ones([3, 2]).matmul(lin.weight.T).add(lin.bias!));
  });

  it("a hook on a child sees the activation inside a Sequential (what the monitor uses)", () => {
    const seq = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 1));
    const acts: Tensor[] = [];
    seq.at(1).registerForwardHook((_m, _a, out) => { acts.push(out as Tensor); });
    seq.call(st.randn([5, 3]));
    expect(acts.length).toBe(1);
    expect(acts[0]!.shape).toEqual([5, 4]);
    expect(Math.min(...Array.from(acts[0]!.dataSync()))).toBeGreaterThanOrEqual(0);
  });
});

describe("module tracing labels graph nodes with the module path", () => {
  it("is off by default, and labels nested paths when on", () => {
    const net = new Net();
    const x = st.randn([2, 4]);
    expect(net.call(x).gradFn!.module).toBeUndefined();
    expect(traceModules(true)).toBe(false);
    try {
      expect(isTracingModules()).toBe(true);
      const y = net.call(x);
      // the last op is head's bias add
      expect(y.gradFn!.module).toBe("head");
      // walk the graph and collect every label
      const labels = new Set<string>();
      const stack = [y.gradFn!];
      const seen = new Set<unknown>();
      while (stack.length) {
        const n = stack.pop()!;
        if (seen.has(n)) continue;
        seen.add(n);
        if (n.module) labels.add(n.module);
        for (const e of n.next) if (e && !(e instanceof st.Tensor)) stack.push(e);
      }
      expect([...labels].sort()).toEqual(["Net", "head", "layers.0", "layers.0.norm1", "layers.0.out_proj", "layers.0.self_attn",
        "layers.1", "layers.1.norm1", "layers.1.out_proj", "layers.1.self_attn"]);
      expect(currentModulePath()).toBeUndefined();
    } finally {
      traceModules(false);
    }
    expect(net.call(x).gradFn!.module).toBeUndefined();
  });

  it("pops the path when forward throws", () => {
    traceModules(true);
    try {
      const seq = new nn.Sequential(new nn.Linear(3, 3));
      expect(() => seq.call(st.zeros([2, 4]))).toThrow(st.ShapeError);
      expect(currentModulePath()).toBeUndefined();
    } finally {
      traceModules(false);
    }
  });
});

describe("containers", () => {
  it("Sequential from arguments, an array or named modules", () => {
    const a = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
    const b = new nn.Sequential([new nn.Linear(2, 3), new nn.ReLU()]);
    const c = new nn.Sequential({ fc: new nn.Linear(2, 3), act: new nn.ReLU() });
    expect(Object.keys(a.stateDict())).toEqual(["0.weight", "0.bias"]);
    expect(Object.keys(b.stateDict())).toEqual(["0.weight", "0.bias"]);
    expect(Object.keys(c.stateDict())).toEqual(["fc.weight", "fc.bias"]);
    expect(c.toString()).toContain("(act): ReLU()");
    expect(a.length).toBe(2);
    expect(a.at(-1)).toBeInstanceOf(nn.ReLU);
    a.append(new nn.Linear(3, 1));
    expect(a.length).toBe(3);
    expect(a.call(st.ones([4, 2])).shape).toEqual([4, 1]);
    expect([...a].map((m) => m.constructor.name)).toEqual(["Linear", "ReLU", "Linear"]);
    expectError(() => a.at(3), st.IndexError, "Sequential.at", "3", "3 modules");
    expectError(() => new nn.Sequential(new nn.ReLU(), {} as never), st.DTypeError, "Sequential", "argument 1", "not a Module");
  });

  it("Sequential runs its modules in order", () => {
    const lin = new nn.Linear(3, 2);
    const seq = new nn.Sequential(lin, new nn.Sigmoid());
    const x = st.randn([4, 3]);
    expectClose(seq.call(x), lin.call(x).sigmoid(), { rtol: 0, atol: 0 });
  });

  it("ModuleList registers its modules, keys follow positions, and it has no forward", () => {
    const l = new nn.ModuleList([new nn.Linear(1, 1)]);
    l.append(new nn.Linear(1, 2)).extend([new nn.ReLU()]);
    l.insert(0, new nn.Linear(1, 3));
    expect(l.length).toBe(4);
    expect(Object.keys(l.stateDict())).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"]);
    expect((l.at(0) as st.nn.Linear).outFeatures).toBe(3);
    expectError(() => l.call(), st.ValueError, "ModuleList", "forward");
  });

  it("ModuleDict keeps insertion order, even for numeric-looking keys", () => {
    const d = new nn.ModuleDict({ b: new nn.Linear(1, 1) });
    d.set("2", new nn.Linear(1, 1)).set("1", new nn.ReLU()).set("a", new nn.Linear(1, 1, { bias: false }));
    expect(d.keys()).toEqual(["b", "2", "1", "a"]);
    expect(Object.keys(d.stateDict())).toEqual(["b.weight", "b.bias", "2.weight", "2.bias", "a.weight"]);
    expect(d.get("1")).toBeInstanceOf(nn.ReLU);
    expect(d.delete("2")).toBe(true);
    expect(d.size).toBe(3);
    expectError(() => d.set("x.y", new nn.ReLU()), st.ValueError, "ModuleDict", "x.y");
    expectError(() => d.call(), st.ValueError, "ModuleDict", "forward");
  });
});
