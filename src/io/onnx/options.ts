// The options of st.onnx.export, checked, and the naming of the graph's inputs and outputs:
// which tensors in forward's arguments become graph inputs (positional tensors, and tensors in a
// plain options object such as a Transformer's masks) and which returned tensors become outputs.

import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";

/** Options of st.onnx.export: opset, input/output names and dynamic axes, as torch.onnx.export's. */
export interface ExportOptions {
  /** ONNX opset to write (default 17; 17 to 21 accepted). */
  opsetVersion?: number;
  /**
   * Symbolic axes per input or output name, as torch.onnx: `{ input: { 0: "batch", 1: "seq" } }`,
   * or a list of axes (`{ input: [0] }`, named `<name>_dim_<axis>`). Axes of one name share a size.
   */
  dynamicAxes?: Record<string, Record<number, string> | readonly number[]>;
  /** Names of the graph inputs, in the order the tensors appear in exampleInputs. */
  inputNames?: readonly string[];
  /** Names of the graph outputs, in the order forward returns them (nulls skipped). */
  outputNames?: readonly string[];
  /** Node only: also write the bytes to this file (atomically). In a browser, write the returned bytes yourself. */
  path?: string;
}

export interface ResolvedOptions {
  opsetVersion: number;
  dynamicAxes: Record<string, Record<number, string>>;
  inputNames: readonly string[] | undefined;
  outputNames: readonly string[] | undefined;
}

/** A graph input or output: a name and the traced tensor behind it. */
export interface NamedInput {
  name: string;
  tensor: Tensor;
}

/** The most recent opset whose semantics the op mappings were written against. */
export const MAX_OPSET = 21;

function checkNames(what: string, names: unknown): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string" || n === "")) {
    throw new ValueError(`onnx.export: ${what} must be a list of non-empty strings (got ${JSON.stringify(names)})`);
  }
  return names;
}

export function resolveOptions(opts: ExportOptions): ResolvedOptions {
  if (opts === null || typeof opts !== "object") throw new ValueError(`onnx.export: options must be an object (got ${opts === null ? "null" : typeof opts})`);
  const opset = opts.opsetVersion ?? 17;
  if (!Number.isInteger(opset) || opset < 17 || opset > MAX_OPSET) {
    throw new ValueError(`onnx.export: opsetVersion must be an integer from 17 to ${MAX_OPSET} (got ${opset})`);
  }
  const dynamicAxes: Record<string, Record<number, string>> = {};
  for (const [name, axes] of Object.entries(opts.dynamicAxes ?? {})) {
    if (Array.isArray(axes)) {
      dynamicAxes[name] = Object.fromEntries(axes.map((a) => [a, `${name}_dim_${a}`]));
    } else if (axes !== null && typeof axes === "object") {
      for (const v of Object.values(axes)) {
        if (typeof v !== "string" || v === "") throw new ValueError(`onnx.export: dynamicAxes["${name}"] must map axes to non-empty names (got ${JSON.stringify(axes)})`);
      }
      dynamicAxes[name] = axes as Record<number, string>;
    } else {
      throw new ValueError(`onnx.export: dynamicAxes["${name}"] must be { axis: name } or a list of axes (got ${JSON.stringify(axes)})`);
    }
  }
  return { opsetVersion: opset, dynamicAxes, inputNames: checkNames("inputNames", opts.inputNames), outputNames: checkNames("outputNames", opts.outputNames) };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The tensors of forward's arguments, named: positional ones input / input_i, option ones by
 * key. A tensor passed twice (self-attention's query = key = value) is one input.
 */
export function collectInputs(args: readonly unknown[], names: readonly string[] | undefined): NamedInput[] {
  const found: NamedInput[] = [];
  const seen = new Set<Tensor>();
  const positional = new Set(args.filter((a) => a instanceof Tensor)).size;
  let p = 0;
  const add = (name: string, t: Tensor) => {
    if (seen.has(t)) return;
    seen.add(t);
    found.push({ name, tensor: t });
  };
  for (const a of args) {
    if (a instanceof Tensor) { if (!seen.has(a)) add(positional === 1 ? "input" : `input_${p++}`, a); }
    else if (isPlainObject(a)) {
      for (const [k, v] of Object.entries(a)) if (v instanceof Tensor) add(k, v);
    }
  }
  if (found.length === 0) throw new ValueError("onnx.export: exampleInputs hold no Tensor (a graph needs at least one input)");
  if (names) {
    if (names.length !== found.length) {
      throw new ValueError(`onnx.export: inputNames has ${names.length} names for ${found.length} input tensors (${found.map((f) => f.name).join(", ")})`);
    }
    names.forEach((n, i) => { found[i]!.name = n; });
  }
  return found;
}

/** The tensors forward returned (a Tensor, or an array of Tensors and nulls), named. */
export function collectOutputs(result: unknown, names: readonly string[] | undefined): NamedInput[] {
  const list = result instanceof Tensor ? [result] : Array.isArray(result) ? result.filter((r) => r !== null && r !== undefined) : null;
  if (list === null || list.length === 0 || !list.every((t) => t instanceof Tensor)) {
    throw new ValueError(`onnx.export: forward must return a Tensor or an array of Tensors (got ${result === null ? "null" : typeof result})`);
  }
  const out = (list as Tensor[]).map((tensor, i) => ({ name: list.length === 1 ? "output" : `output_${i}`, tensor }));
  if (names) {
    if (names.length !== out.length) throw new ValueError(`onnx.export: outputNames has ${names.length} names for ${out.length} outputs`);
    names.forEach((n, i) => { out[i]!.name = n; });
  }
  return out;
}
