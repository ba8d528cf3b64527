// GraphBuilder: collects the nodes and initializers of one ONNX graph with unique value names,
// cached constants (scalars, int64 lists) and the shape arithmetic of dynamic axes: a symbolic
// dimension becomes Shape(input)[axis] (once per symbol), products and sums of them Mul/Add, and
// a symbolic shape a Concat of those pieces — what Reshape/Expand need to run at any batch size.

import type { DType, TypedArray } from "../../core/dtype.js";
import { type AttributeProtoObj, ATTR_TYPE, type NodeProtoObj, ONNX_DTYPE, type TensorProtoObj } from "./schema.js";
import { type Dim, type SymShape, constValue, dimEq, isConst } from "./sym-shape.js";

/** An attribute value, tagged with its ONNX kind. */
export type Attr = { i: number } | { f: number } | { ints: readonly number[] } | { floats: readonly number[] } | { s: string } | { t: TensorProtoObj };

export type OnnxElem = DType | "int64";

/** TensorProto.DataType of a steadytensor dtype (or int64, for shapes and indices). */
export function onnxDType(d: OnnxElem): number {
  switch (d) {
    case "float32": return ONNX_DTYPE.FLOAT;
    case "float64": return ONNX_DTYPE.DOUBLE;
    case "int32": return ONNX_DTYPE.INT32;
    case "bool": return ONNX_DTYPE.BOOL;
    case "int64": return ONNX_DTYPE.INT64;
  }
}

/** Little-endian bytes of a typed array (raw_data); bools as one 0/1 byte each. */
function rawBytes(data: TypedArray | BigInt64Array, dtype: OnnxElem): Uint8Array {
  if (dtype === "bool") return Uint8Array.from(data as Uint8Array, (v) => (v ? 1 : 0));
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (!le) {
    const w = data.BYTES_PER_ELEMENT;
    for (let i = 0; i < bytes.length; i += w) bytes.subarray(i, i + w).reverse();
  }
  return bytes;
}

function toAttr(name: string, v: Attr): AttributeProtoObj {
  if ("i" in v) return { name, type: ATTR_TYPE.INT, i: v.i };
  if ("f" in v) return { name, type: ATTR_TYPE.FLOAT, f: v.f };
  if ("ints" in v) return { name, type: ATTR_TYPE.INTS, ints: [...v.ints] };
  if ("floats" in v) return { name, type: ATTR_TYPE.FLOATS, floats: [...v.floats] };
  if ("s" in v) return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(v.s) };
  return { name, type: ATTR_TYPE.TENSOR, t: v.t };
}

/** Where a dynamic-axis symbol can be read at run time: axis `axis` of graph input `input`. */
export interface SymbolSource {
  input: string;
  axis: number;
}

export class GraphBuilder {
  readonly nodes: NodeProtoObj[] = [];
  readonly initializers: TensorProtoObj[] = [];
  /** Module path stamped on the nodes being added (their doc_string), for reading the graph. */
  scope = "";
  private readonly names = new Set<string>();
  private readonly cache = new Map<string, string>();

  constructor(readonly opset: number, readonly symbols: ReadonlyMap<string, SymbolSource>) {}

  /** A value name not used before, from `base` (sanitized). */
  fresh(base: string): string {
    const b = base.replace(/[^A-Za-z0-9_.:/-]/g, "_") || "v";
    let n = b;
    for (let k = 1; this.names.has(n); k++) n = `${b}_${k}`;
    this.names.add(n);
    return n;
  }

  /** Reserves a name given by the user (graph inputs and outputs); false when already taken. */
  reserve(name: string): boolean {
    if (this.names.has(name)) return false;
    this.names.add(name);
    return true;
  }

  /** Adds a node; returns its output names (fresh ones unless given). */
  node(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputs: number | readonly string[] = 1): string[] {
    const outs = typeof outputs === "number" ? Array.from({ length: outputs }, () => this.fresh(`${op}_out`)) : [...outputs];
    this.nodes.push({
      name: this.fresh(`${this.scope ? `${this.scope}/` : ""}${op}`),
      op_type: op,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => toAttr(k, v)),
      ...(this.scope ? { doc_string: `module: ${this.scope}` } : {}),
    });
    return outs;
  }

  /** Adds a one-output node and returns the output's name (`out` when given). */
  op(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, out?: string): string {
    return this.node(op, inputs, attrs, out === undefined ? 1 : [out])[0]!;
  }

  /** Adds an initializer holding `data` and returns its name. */
  initializer(base: string, dtype: OnnxElem, dims: readonly number[], data: TypedArray | BigInt64Array): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [...dims], data_type: onnxDType(dtype), raw_data: rawBytes(data, dtype) });
    return name;
  }

  /** A cached 0-d constant of `dtype` (−Infinity and NaN included). */
  scalar(v: number | boolean, dtype: DType): string {
    const key = `s:${dtype}:${Object.is(v, -0) ? "-0" : String(v)}`;
    let n = this.cache.get(key);
    if (n === undefined) {
      const data = dtype === "float32" ? Float32Array.of(Number(v)) : dtype === "float64" ? Float64Array.of(Number(v))
        : dtype === "int32" ? Int32Array.of(Number(v)) : Uint8Array.of(v ? 1 : 0);
      n = this.initializer(`const_${dtype}`, dtype, [], data);
      this.cache.set(key, n);
    }
    return n;
  }

  /** A cached 1-D int64 constant (axes, starts, shapes, …). */
  int64s(vals: readonly number[]): string {
    const key = `i64:${vals.join(",")}`;
    let n = this.cache.get(key);
    if (n === undefined) {
      n = this.initializer("const_i64", "int64", [vals.length], BigInt64Array.from(vals, (v) => BigInt(v)));
      this.cache.set(key, n);
    }
    return n;
  }

  /** int64 [1]: the run-time size of a symbol (Shape of the input it comes from, at its axis). */
  private symbolSize(sym: string): string {
    const key = `sym:${sym}`;
    let n = this.cache.get(key);
    if (n === undefined) {
      const src = this.symbols.get(sym)!;
      n = this.op("Shape", [src.input], { start: { i: src.axis }, end: { i: src.axis + 1 } });
      this.cache.set(key, n);
    }
    return n;
  }

  /** int64 [1]: the run-time value of a symbolic dimension (Σ coef·Π symbols). */
  dimTensor(d: Dim): string {
    const key = `dim:${[...d].map(([k, v]) => `${k}=${v}`).sort().join(";")}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    let total: string | null = null;
    for (const [k, c] of d) {
      let term: string | null = null;
      for (const s of k ? k.split("*") : []) term = term === null ? this.symbolSize(s) : this.op("Mul", [term, this.symbolSize(s)]);
      if (term === null) term = this.int64s([c]);
      else if (c !== 1) term = this.op("Mul", [term, this.int64s([c])]);
      total = total === null ? term : this.op("Add", [total, term]);
    }
    const n = total ?? this.int64s([0]);
    this.cache.set(key, n);
    return n;
  }

  /**
   * An int64 [rank] shape tensor for `shape`. For Reshape pass the input's symbolic shape as
   * `reshapeOf`: dims equal to the input's at the same position become 0 (copy) and a single
   * remaining symbolic dim becomes −1 (inferred), so most reshapes stay one constant.
   */
  shapeTensor(shape: SymShape, reshapeOf?: SymShape): string {
    if (shape.every(isConst)) return this.int64s(shape.map(constValue));
    if (reshapeOf) {
      const vals = shape.map((d, i) => (isConst(d) ? constValue(d) : i < reshapeOf.length && dimEq(d, reshapeOf[i]!) ? 0 : null));
      const open = vals.filter((v) => v === null).length;
      // −1 needs every other dim known and non-zero (a 0 in the target is a copy, not a size)
      if (open <= 1 && !shape.some((d) => isConst(d) && constValue(d) === 0)) return this.int64s(vals.map((v) => v ?? -1));
    }
    const parts: string[] = [];
    let run: number[] = [];
    for (const d of shape) {
      if (isConst(d)) { run.push(constValue(d)); continue; }
      if (run.length) parts.push(this.int64s(run));
      run = [];
      parts.push(this.dimTensor(d));
    }
    if (run.length) parts.push(this.int64s(run));
    return parts.length === 1 ? parts[0]! : this.op("Concat", parts, { axis: { i: 0 } });
  }
}
