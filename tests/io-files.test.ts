// st.save / st.load / st.loadWithMetadata / st.writeFileAtomic on real files: round trips, errors
// that name the path, and the atomic write: a process killed with SIGKILL while saving in a loop
// always leaves a file that loads with one complete save's content (what ModelCheckpoint relies on).

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { expectError } from "./helpers/expect-error.js";

const work = mkdtempSync(join(tmpdir(), "steady-io-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("st.save / st.load", () => {
  it("round-trips a state dict, a Map and metadata through a file", () => {
    const net = new st.nn.Sequential(new st.nn.Linear(3, 5), new st.nn.ReLU(), new st.nn.Linear(5, 2));
    const path = join(work, "net.safetensors");
    st.save(net.stateDict(), path, { metadata: { epoch: "4" } });
    const { tensors, metadata } = st.loadWithMetadata(path);
    expect(metadata).toEqual({ epoch: "4" });
    expect(Object.keys(tensors)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    const copy = new st.nn.Sequential(new st.nn.Linear(3, 5), new st.nn.ReLU(), new st.nn.Linear(5, 2));
    copy.loadStateDict(st.load(path));
    const x = st.randn([4, 3]);
    expect(copy.call(x).toArray()).toEqual(net.call(x).toArray());

    const p2 = join(work, "map.safetensors");
    st.save(new Map([["mask", st.tensor([true, false])], ["n", st.scalar(3, "int32")]]), p2);
    const back = st.load(p2);
    expect(back.mask!.toArray()).toEqual([true, false]);
    expect(back.n!.shape).toEqual([]);
    expect(st.loadWithMetadata(p2).metadata).toEqual({});

    const p3 = join(work, "module.safetensors");
    st.save(net, p3); // the module itself: its stateDict()
    expect(Object.keys(st.load(p3))).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(st.load(p3)["2.bias"]!.toArray()).toEqual(net.stateDict()["2.bias"]!.toArray());
  });

  it("the file on disk is the exact safetensors encoding, and overwriting replaces it", () => {
    const path = join(work, "exact.safetensors");
    const tensors = { w: st.tensor([[1, 2], [3, 4]], { dtype: "float64" }) };
    st.save(tensors, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(st.io.encodeSafetensors(tensors));
    st.save({ v: st.ones([1]) }, path);
    expect(Object.keys(st.load(path))).toEqual(["v"]);
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("errors name the path: a missing file, a corrupt file, a directory that does not exist, bad arguments", () => {
    const missing = join(work, "nope.safetensors");
    const e = expectError(() => st.load(missing), st.ValueError, "load", `"${missing}"`, "ENOENT");
    expect((e as { cause?: { code?: string } }).cause?.code).toBe("ENOENT");
    const corrupt = join(work, "corrupt.safetensors");
    writeFileSync(corrupt, Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    expectError(() => st.load(corrupt), st.FormatError, `load("${corrupt}")`, "header length 200 runs past the end");
    expectError(() => st.loadWithMetadata(corrupt), st.FormatError, `loadWithMetadata("${corrupt}")`);
    const noDir = join(work, "no", "such", "dir", "w.safetensors");
    expectError(() => st.save({ w: st.ones([1]) }, noDir), st.ValueError, "save", `"${noDir}"`, "ENOENT");
    expectError(() => st.save({ w: st.ones([1]) }, join(work, "m.safetensors"), { metadata: { a: 1 as unknown as string } }), st.ValueError, "save(", 'metadata value "a"');
    expectError(() => st.save({ w: st.ones([1]) }, ""), st.ValueError, "save: path must be a non-empty string");
    expectError(() => st.load(42 as unknown as string), st.ValueError, "load: path must be a non-empty string");
  });
});

describe("writeFileAtomic", () => {
  it("writes bytes and strings, and leaves no temporary file", () => {
    const p = join(work, "a.json");
    st.writeFileAtomic(p, JSON.stringify({ ok: true }));
    expect(JSON.parse(readFileSync(p, "utf8"))).toEqual({ ok: true });
    st.writeFileAtomic(p, new Uint8Array([104, 105]));
    expect(readFileSync(p, "utf8")).toBe("hi");
    expect(readdirSync(work).filter((f) => f.startsWith("a.json."))).toEqual([]);
  });

  it("a write that fails at the rename leaves the target untouched and removes its temporary file", () => {
    const dir = join(work, "fail");
    mkdirSync(join(dir, "target"), { recursive: true }); // a directory: a file cannot be renamed over it
    expectError(() => st.writeFileAtomic(join(dir, "target"), "x"), st.ValueError, "writeFileAtomic", `"${join(dir, "target")}"`);
    expect(readdirSync(dir)).toEqual(["target"]);
  });
});

describe("an interrupted save never leaves a half-written file", () => {
  const child = fileURLToPath(new URL("./fixtures/safetensors/save-loop.ts", import.meta.url));
  const lengthFor = (i: number): number => (1 << 19) + (i % 7) * 4099; // as in save-loop.ts

  /** Starts the save loop, lets it save for a random while, SIGKILLs it; resolves with its last stdout line. */
  function runAndKill(path: string, first: number, waitMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, ["--import", "tsx", child, path, String(first)], {
        stdio: ["ignore", "pipe", "pipe"],
        cwd: fileURLToPath(new URL("..", import.meta.url)), // where --import tsx resolves
      });
      let out = "";
      let err = "";
      let timer: NodeJS.Timeout | undefined;
      p.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (timer === undefined && out.includes("saved ")) timer = setTimeout(() => p.kill("SIGKILL"), waitMs);
      });
      p.stderr.on("data", (d: Buffer) => (err += d.toString()));
      p.on("error", reject);
      p.on("close", (code, signal) => { // "close": after stdout is drained, so `out` has every line written
        if (signal !== "SIGKILL") reject(new Error(`save loop exited with ${code}/${signal} before the kill: ${err}`));
        else resolve(out.trim().split("\n").pop() ?? "");
      });
    });
  }

  it("a save loop killed with SIGKILL at random moments, 8 times, always leaves the last complete save", { timeout: 300_000 }, async () => {
    const dir = join(work, "kill");
    mkdirSync(dir);
    const path = join(dir, "ckpt.safetensors");
    let seed = 7;
    let midSave = 0;
    for (let round = 0; round < 8; round++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const first = round * 100000;
      const last = await runAndKill(path, first, 30 + (seed % 400));
      const { tensors, metadata } = st.loadWithMetadata(path);
      const i = Number(metadata.step);
      expect(i, `round ${round}: step ${metadata.step}`).toBeGreaterThanOrEqual(first);
      const n = lengthFor(i);
      expect(metadata.n).toBe(String(n));
      expect(tensors.step!.toArray()).toEqual([i]);
      expect(tensors.a!.shape).toEqual([n]);
      expect(tensors.b!.shape).toEqual([n, 2]);
      // every value from the same save (a mix of two saves would show two values)
      expect(tensors.a!.ne(i).sum().item(), `round ${round}: values of a other than ${i}`).toBe(0);
      expect(tensors.b!.ne(-i).sum().item(), `round ${round}: values of b other than ${-i}`).toBe(0);
      // the loaded save is the last one the child finished, or the next if the kill came after its rename
      const [word, k] = [last.split(" ")[0], Number(last.split(" ")[1])];
      const expected = word === "saved" ? [k] : [k - 1, k];
      expect(expected, `round ${round}: loaded ${i}, child's last line "${last}"`).toContain(i);
      const tmps = readdirSync(dir).filter((f) => f.includes(".tmp-"));
      if (last.startsWith("saving") || tmps.length > 0) midSave++;
      for (const f of tmps) rmSync(join(dir, f));
    }
    // the kills did land while a save was in progress, so the check above exercised the rename
    expect(midSave).toBeGreaterThan(0);
  });
});
