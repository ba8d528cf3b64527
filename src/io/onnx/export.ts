// st.onnx.export: a module (or a Keras-style Model) → the bytes of an ONNX ModelProto. The forward
// pass is traced through dispatch (trace.ts), kernels that never touch the inputs are folded into
// initializers, dead calls are dropped, and each remaining kernel call is written as ONNX nodes
// (op-mappings*.ts) with the shape arithmetic its dynamic axes need (sym-*.ts).

import type { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { Module, type AnyModule } from "../../nn/module.js";
import { Model } from "../../train/model.js";
import type { EmitContext } from "./emit-context.js";
import { GraphBuilder, type SymbolSource, onnxDType } from "./graph-builder.js";
import { MAPPED_OPS, MAPPINGS } from "./op-mappings.js";
import { type ExportOptions, type NamedInput, collectInputs, collectOutputs, resolveOptions } from "./options.js";
import { type ModelProtoObj, type ValueInfoProtoObj, encodeModel } from "./schema.js";
import { type SymShape, constDim, dimEval, dimToString, isConst, monomial, symDim } from "./sym-shape.js";
import { DynamicCounts } from "./dynamic-counts.js";
import { ConstantReviver } from "./revive-constants.js";
import { frozenConstant, inferSym } from "./sym-infer.js";
import { type TracedCall, traceForward, whereIn } from "./trace.js";

export type { ExportOptions };

/** IR version to write for an opset (ONNX's versioning table). */
function irVersion(opset: number): number {
  return opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

function valueInfo(name: string, dtype: DType, shape: SymShape, names?: Record<number, string>): ValueInfoProtoObj {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: onnxDType(dtype),
        shape: {
          dim: shape.map((d, i) => {
            if (names?.[i] !== undefined) return { dim_param: names[i] };
            if (isConst(d)) return { dim_value: dimEval(d, new Map()) };
            const m = monomial(d);
            return m && m.coef === 1 && m.syms.length === 1 ? { dim_param: m.syms[0]! } : { dim_param: dimToString(d) };
          }),
        },
      },
    },
  };
}

/**
 * Exports `module`'s forward pass on `exampleInputs` as an ONNX model (ModelProto bytes).
 *
 * The forward runs once in eval mode under `noGrad`; every kernel it dispatches is recorded with
 * its module path and written as standard ONNX ops (default opset 17). Tensors that do not
 * depend on the inputs — parameters, buffers, constants made inside forward — become
 * initializers. `exampleInputs` are forward's arguments (a Tensor or an array of arguments;
 * tensors inside a plain options object, such as a Transformer's masks, become inputs named
 * after their keys). Inputs are named `input` (one) or `input_0`, `input_1`, … and outputs
 * `output` / `output_0`, … unless `inputNames` / `outputNames` say otherwise.
 *
 * With `dynamicAxes` ({ input: { 0: "batch", 1: "seq" } }, as torch.onnx) those axes are symbolic:
 * reshapes and expands whose sizes derive from them are written as shape arithmetic, so the
 * model runs at other batch sizes and sequence lengths. Use example sizes ≥ 2 that differ from
 * the model's fixed sizes, so that the tracer can tell which dims they are. Masks follow
 * steadytensor's convention (bool `true` = attend) in the exported graph as well.
 *
 * An op (or module) without an ONNX mapping throws a ValueError naming the op and its module path.
 * @example
 * const net = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.ReLU(), new st.nn.Linear(8, 2));
 * const bytes = st.onnx.export(net, [st.randn([3, 4])], { dynamicAxes: { input: { 0: "batch" } } });
 * bytes.length > 0; // true: an ONNX ModelProto, ready for onnxruntime
 */
export function exportOnnx(module: AnyModule | Model, exampleInputs: unknown, opts: ExportOptions = {}): Uint8Array {
  if (opts?.path !== undefined) {
    throw new ValueError(`onnx.export: options.path writes a file, which needs Node (import steadytensor on Node, or save the returned bytes yourself; got path ${JSON.stringify(opts.path)})`);
  }
  return encodeModel(buildModel(module, exampleInputs, opts));
}

/** The ModelProto as a plain object (exportOnnx encodes it). @internal */
export function buildModel(module: AnyModule | Model, exampleInputs: unknown, opts: ExportOptions = {}): ModelProtoObj {
  const mod = module instanceof Model ? module.module : module;
  if (!(mod instanceof Module)) {
    throw new ValueError(`onnx.export: module must be an nn.Module or a Model (got ${module === null ? "null" : typeof module})`);
  }
  const args = exampleInputs instanceof Tensor ? [exampleInputs] : exampleInputs;
  if (!Array.isArray(args)) throw new ValueError(`onnx.export: exampleInputs must be a Tensor or an array of forward's arguments (got ${typeof exampleInputs})`);
  const o = resolveOptions(opts);
  const inputs = collectInputs(args, o.inputNames);
  const trace = traceForward(mod, args, inputs.map((i) => i.tensor));
  const outputs = collectOutputs(trace.result, o.outputNames);

  // symbols: every dynamic axis, its example size and where to read it at run time
  const values = new Map<string, number>();
  const sources = new Map<string, SymbolSource>();
  const inSyms = new Map<Tensor, SymShape>();
  for (const inp of inputs) inSyms.set(inp.tensor, symbolicInput(inp, o.dynamicAxes[inp.name] ?? {}, values, sources));
  for (const name of Object.keys(o.dynamicAxes)) {
    if (!inputs.some((i) => i.name === name) && !outputs.some((x) => x.name === name)) {
      throw new ValueError(`onnx.export: dynamicAxes names "${name}", which is no input or output (inputs: ${inputs.map((i) => i.name).join(", ")}; outputs: ${outputs.map((x) => x.name).join(", ")})`);
    }
  }

  const g = new GraphBuilder(o.opsetVersion, sources);
  for (const x of [...inputs, ...outputs]) {
    if (!g.reserve(x.name)) throw new ValueError(`onnx.export: the name "${x.name}" is used twice among the inputs and outputs`);
  }
  const live = liveCalls(trace.calls, outputs.map((x) => x.tensor), trace.derived);
  const names = new Map<Tensor, string>(inputs.map((i) => [i.tensor, i.name]));
  const syms = new Map<Tensor, SymShape>(inSyms);
  const paramNames = new Map<Tensor, string>([...mod.namedParameters(), ...mod.namedBuffers()].map(([n, t]) => [t, n]));
  // graph outputs computed by a call take their output name directly
  const outName = new Map<Tensor, string>();
  for (const x of outputs) if (!outName.has(x.tensor) && !names.has(x.tensor)) outName.set(x.tensor, x.name);

  const nameOf = (t: Tensor): string => {
    let n = names.get(t);
    if (n === undefined) {
      const data = trace.constants.get(t) ?? t.dataSync();
      n = g.initializer(paramNames.get(t) ?? "const", t.dtype, t.shape, data);
      names.set(t, n);
    }
    return n;
  };
  const symOf = (t: Tensor): SymShape => syms.get(t) ?? t.shape.map((n) => constDim(n));
  const used = usedTensors(live, outputs.map((x) => x.tensor));

  const counts = new DynamicCounts(values);
  const reviver = new ConstantReviver(trace.calls, g, values, nameOf);
  const revived = new Set<Tensor>();
  const isConstant = (t: Tensor) => !trace.derived.has(t);
  for (const call of live) {
    const mapping = MAPPINGS[call.op];
    const unsupported = (what?: string) => new ValueError(
      `onnx.export: the op "${call.op}"${whereIn(call.modulePath)} ${what ? `cannot be exported with ${what}` : "has no ONNX mapping"} (mapped ops: ${MAPPED_OPS.join(", ")})`,
    );
    if (!mapping) throw unsupported();
    g.scope = call.modulePath ?? "";
    let outSyms = checkedSyms(call, call.inputs.map(symOf), values);
    const frozenInput = (i: number) => isConstant(call.inputs[i]!) && !revived.has(call.inputs[i]!);
    let frozen = frozenConstant(call, outSyms, frozenInput);
    if (frozen) {
      // a slice of a constant table to the example's length: rebuild it at the run-time length
      for (const t of call.inputs) {
        const r = isConstant(t) ? reviver.revive(t) : null;
        if (r) { names.set(t, r.name); syms.set(t, r.sym); revived.add(t); }
      }
      outSyms = checkedSyms(call, call.inputs.map(symOf), values);
      frozen = frozenConstant(call, outSyms, frozenInput);
    }
    if (frozen) {
      throw new ValueError(`onnx.export: the op "${call.op}"${whereIn(call.modulePath)} combines ${frozen}, so the graph would only run at the example's sizes; pass that tensor as an input (a mask argument, for instance) or leave the axis out of dynamicAxes`);
    }
    const outNames = call.outputs.map((t) => outName.get(t) ?? g.fresh(`${call.op}_out`));
    call.outputs.forEach((t, j) => { names.set(t, outNames[j]!); syms.set(t, outSyms[j]!); });
    counts.record(call, symOf(call.inputs[0]!));
    // a mean's (or variance's) divisor over a dynamic axis: the run-time count, not the example's
    const override = new Map<number, string>();
    const divisor = counts.divisor(call, isConstant, (t) => Number((trace.constants.get(t) ?? t.dataSync())[0]));
    if (divisor) {
      const c = call.inputs[1]!;
      const n = g.op("Cast", [g.dimTensor(divisor)], { to: { i: onnxDType(c.dtype) } });
      override.set(1, g.op("Reshape", [n, g.int64s(c.shape)]));
    }
    const ctx: EmitContext = {
      g, call, opset: o.opsetVersion,
      input: (i) => override.get(i) ?? nameOf(call.inputs[i]!), inTensor: (i) => call.inputs[i]!, inSym: (i) => symOf(call.inputs[i]!),
      out: (j) => outNames[j]!, outSym: (j) => outSyms[j]!, outDType: (j) => call.outputs[j]!.dtype,
      outUsed: (j) => used.has(call.outputs[j]!), unsupported,
    };
    mapping(ctx);
  }
  g.scope = "";

  // outputs that are inputs, constants, or repeated need an Identity to carry their own name
  const written = new Set<string>();
  for (const x of outputs) {
    const src = nameOf(x.tensor);
    if (src !== x.name || written.has(x.name)) g.op("Identity", [src], {}, x.name);
    written.add(x.name);
  }
  return {
    ir_version: irVersion(o.opsetVersion),
    opset_import: [{ domain: "", version: o.opsetVersion }],
    producer_name: "steadytensor",
    producer_version: "0.1.0",
    graph: {
      name: mod.constructor.name || "graph",
      node: g.nodes,
      initializer: g.initializers,
      input: inputs.map((i) => valueInfo(i.name, i.tensor.dtype, inSyms.get(i.tensor)!, o.dynamicAxes[i.name])),
      output: outputs.map((x) => valueInfo(x.name, x.tensor.dtype, symOf(x.tensor), o.dynamicAxes[x.name])),
    },
  };
}

/** The symbolic shape of one graph input from its dynamic axes (and the symbols' example sizes). */
function symbolicInput(inp: NamedInput, axes: Record<number, string>, values: Map<string, number>, sources: Map<string, SymbolSource>): SymShape {
  const shape = inp.tensor.shape;
  const res = shape.map((n) => constDim(n));
  for (const [k, sym] of Object.entries(axes)) {
    const axis = Number(k);
    if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) {
      throw new ValueError(`onnx.export: dynamicAxes["${inp.name}"] names axis ${k}, but the input has shape [${shape.join(", ")}] (axes 0..${shape.length - 1})`);
    }
    const size = shape[axis]!;
    // a size-1 dim looks like a broadcast dim, and two axes of one size cannot be told apart
    // where a reshape splits them: the tracer could not follow the axis through the graph
    if (size < 2) throw new ValueError(`onnx.export: the dynamic axis "${sym}" (axis ${axis} of "${inp.name}") has size ${size} in the example; use an example size of at least 2`);
    for (const [other, v] of values) {
      if (other !== sym && v === size) {
        throw new ValueError(`onnx.export: the dynamic axes "${other}" and "${sym}" both have size ${size} in the example; give them different example sizes so the tracer can tell them apart`);
      }
    }
    const prev = values.get(sym);
    if (prev !== undefined && prev !== size) {
      throw new ValueError(`onnx.export: the dynamic axis "${sym}" has size ${prev} in one input and ${size} in "${inp.name}" (give differing axes different names)`);
    }
    values.set(sym, size);
    if (!sources.has(sym)) sources.set(sym, { input: inp.name, axis });
    res[axis] = symDim(sym);
  }
  return res;
}

/** inferSym, checked against the traced shapes (a rule may only generalize, never disagree). */
function checkedSyms(call: TracedCall, ins: SymShape[], values: ReadonlyMap<string, number>): SymShape[] {
  const out = inferSym(call, ins, values);
  return call.outputs.map((t, j) => {
    const s = out[j];
    const ok = s !== undefined && s.length === t.ndim && s.every((d, i) => dimEval(d, values) === t.shape[i]);
    return ok ? s : t.shape.map((n) => constDim(n));
  });
}

/** The calls the outputs depend on through derived tensors, in trace order. */
function liveCalls(calls: readonly TracedCall[], outputs: readonly Tensor[], derived: ReadonlySet<Tensor>): TracedCall[] {
  const need = new Set<Tensor>(outputs.filter((t) => derived.has(t)));
  const live: TracedCall[] = [];
  for (let i = calls.length - 1; i >= 0; i--) {
    const c = calls[i]!;
    if (!c.derived || !c.outputs.some((t) => need.has(t))) continue;
    live.push(c);
    for (const t of c.inputs) if (derived.has(t)) need.add(t);
  }
  return live.reverse();
}

/** Tensors read by a live call or returned as outputs. */
function usedTensors(live: readonly TracedCall[], outputs: readonly Tensor[]): Set<Tensor> {
  const s = new Set<Tensor>(outputs);
  for (const c of live) for (const t of c.inputs) s.add(t);
  return s;
}
