// Loads the PyTorch reference fixtures in tests/fixtures/*.json (format: tests/fixtures/README.md)
// and turns every fixture tensor {shape, dtype, data} into a steadytensor Tensor.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DType, Tensor, tensor } from "../../src/index.js";

/** A tensor as the fixture files store it; non-finite floats are the strings "NaN"/"Infinity"/"-Infinity". */
export interface FixtureTensor {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

/** A fixture value after loading: tensors are Tensors, "Infinity"/"-Infinity"/"NaN" strings are numbers. */
export type FixtureValue = Tensor | number | string | boolean | null | FixtureValue[] | { [key: string]: FixtureValue };

/** A loaded case: its unique `name` plus the file's own fields (see tests/fixtures/README.md). */
export type FixtureCase = { name: string } & { [key: string]: FixtureValue };

export interface FixtureFile<C> {
  /** `torch.__version__` that wrote the file. */
  torch: string;
  cases: C[];
  /** The case called `name`; throws (naming the file) when there is none. */
  byName(name: string): C;
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** True for a {shape, dtype, data} object as written by scripts/gen-fixtures.py. */
export function isFixtureTensor(v: unknown): v is FixtureTensor {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o.shape) && typeof o.dtype === "string" && Array.isArray(o.data) && Object.keys(o).length === 3;
}

/**
 * A fixture tensor as a Tensor of its own dtype. Float32 data are exact (the file holds the
 * float64 equal to each float32 value), so nothing is rounded twice.
 *
 * @example fixtureTensor({ shape: [2], dtype: "float32", data: [1, "NaN"] }) // tensor([1., nan])
 */
export function fixtureTensor(ft: FixtureTensor): Tensor {
  const values = ft.data.map((v) => {
    if (typeof v === "number") return v;
    const n = NON_FINITE[v];
    if (n === undefined) throw new Error(`fixture tensor: unexpected datum ${JSON.stringify(v)}`);
    return n;
  });
  const arrays = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;
  const ctor = arrays[ft.dtype];
  if (!ctor) throw new Error(`fixture tensor: unknown dtype ${ft.dtype}`);
  return tensor(ctor.from(values), { dtype: ft.dtype, shape: ft.shape });
}

/** Recursively converts fixture tensors to Tensors and non-finite strings to numbers. */
export function convertFixture(v: unknown): FixtureValue {
  if (isFixtureTensor(v)) return fixtureTensor(v);
  if (typeof v === "string") return v in NON_FINITE ? NON_FINITE[v]! : v;
  if (Array.isArray(v)) return v.map(convertFixture);
  if (typeof v === "object" && v !== null) {
    const out: { [key: string]: FixtureValue } = {};
    for (const [k, x] of Object.entries(v)) out[k] = convertFixture(x);
    return out;
  }
  return v as FixtureValue;
}

const raw = new Map<string, { torch: string; cases: { name: string }[] }>();

/**
 * Reads tests/fixtures/<name>.json (parsed once per process) and returns its cases with fresh
 * Tensors on every call, so a test may mutate them (requiresGrad_, in-place ops) without
 * affecting other tests. Pass a case interface to type the fields you use.
 *
 * @example
 * const ops = loadFixtures<{ name: string; op: string; inputs: Tensor[]; output: Tensor }>("ops");
 * for (const c of ops.cases) expectClose(run(c), c.output);
 */
export function loadFixtures<C extends { name: string } = FixtureCase>(name: string): FixtureFile<C> {
  const file = name.endsWith(".json") ? name : `${name}.json`;
  let json = raw.get(file);
  if (!json) {
    const path = fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url));
    json = JSON.parse(readFileSync(path, "utf8")) as { torch: string; cases: { name: string }[] };
    raw.set(file, json);
  }
  const cases = json.cases.map((c) => convertFixture(c) as unknown as C);
  return {
    torch: json.torch,
    cases,
    byName(caseName: string): C {
      const c = cases.find((x) => x.name === caseName);
      if (!c) throw new Error(`loadFixtures: ${file} has no case named "${caseName}"`);
      return c;
    },
  };
}
