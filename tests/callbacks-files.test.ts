// The callbacks that write files: ModelCheckpoint (path patterns, saveBestOnly, batch frequency,
// atomic publishing — also under SIGKILL) and CSVLogger (exact file text, append), with a fake model
// whose save writes two files, so a mixed or half-written checkpoint would show.

import { spawn } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Callback, CallbackModel, Logs } from "../src/train/callback.js";
import { formatCheckpointPath } from "../src/train/callbacks/checkpoint-path.js";
import { CSVLogger, ModelCheckpoint } from "../src/train/callbacks/index-node.js";

const work = mkdtempSync(join(tmpdir(), "steady-callbacks-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in model: `save(dir)` writes weights.json and config.json, both naming the epoch. */
class FakeModel implements CallbackModel {
  stopTraining = false;
  optimizer = null;
  w = 0;
  getWeights() { return { w: st.tensor([this.w]) }; }
  setWeights(ws: Record<string, st.Tensor>) { this.w = ws.w!.item(); }
  async save(dir: string) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "weights.json"), JSON.stringify({ w: this.w }));
    writeFileSync(join(dir, "config.json"), JSON.stringify({ w: this.w }));
  }
}
const readW = (dir: string) => JSON.parse(readFileSync(join(dir, "weights.json"), "utf8")).w as number;

async function fakeFit(model: FakeModel, callbacks: Callback[], epochLogs: Logs[], batches = 2): Promise<void> {
  for (const c of callbacks) c.setModel(model);
  for (const c of callbacks) await c.onTrainBegin({});
  for (let e = 0; e < epochLogs.length; e++) {
    for (const c of callbacks) await c.onEpochBegin(e, {});
    model.w = e + 1;
    for (let b = 0; b < batches; b++) for (const c of callbacks) await c.onBatchEnd(b, { batch: b, size: 4, loss: 10 * e + b });
    for (const c of callbacks) await c.onEpochEnd(e, { ...epochLogs[e]! });
  }
  for (const c of callbacks) await c.onTrainEnd({});
}

describe("checkpoint path patterns", () => {
  it("fills {epoch} (1-based), {batch}, log values and Python-style formats", () => {
    expect(formatCheckpointPath("c/e{epoch:02d}-{val_loss:.3f}", 4, { val_loss: 0.12345 })).toBe("c/e05-0.123");
    expect(formatCheckpointPath("c/{epoch}_{batch:03d}_{loss}", 0, { loss: 0.5 }, 9)).toBe("c/1_010_0.5");
    expect(formatCheckpointPath("c/{lr:.1e}", 0, { lr: 0.00001 })).toBe("c/1.0e-05");
    expect(() => formatCheckpointPath("c/{val_acc}", 0, { loss: 1 })).toThrow(/the path field \{val_acc\} is not in the logs \(available: epoch, loss\)/);
    expect(() => formatCheckpointPath("c/{loss:x}", 0, { loss: 1 })).toThrow(/unsupported format/);
  });
});

describe("ModelCheckpoint", () => {
  it("saves every epoch into its own directory named by the pattern, leaving no temporary directory", async () => {
    const dir = join(work, "every");
    const ckpt = new ModelCheckpoint(join(dir, "ckpt-{epoch:02d}-{val_loss:.2f}"));
    await fakeFit(new FakeModel(), [ckpt], [{ val_loss: 0.5 }, { val_loss: 0.25 }, { val_loss: 0.75 }]);
    expect(readdirSync(dir).sort()).toEqual(["ckpt-01-0.50", "ckpt-02-0.25", "ckpt-03-0.75"]);
    expect(readW(join(dir, "ckpt-02-0.25"))).toBe(2);
    expect(ckpt.saved.map((p) => p.slice(dir.length + 1))).toEqual(["ckpt-01-0.50", "ckpt-02-0.25", "ckpt-03-0.75"]);
  });

  it("saveBestOnly keeps the best in one path, replaced atomically through a symlink swap", async () => {
    const dir = join(work, "best");
    const path = join(dir, "best");
    const ckpt = new ModelCheckpoint(path, { saveBestOnly: true });
    await fakeFit(new FakeModel(), [ckpt], [{ val_loss: 0.5 }, { val_loss: 0.6 }, { val_loss: 0.4 }, { val_loss: NaN }]);
    expect(ckpt.saved.length).toBe(2); // epochs 0 and 2
    expect(readW(path)).toBe(3);
    expect(JSON.parse(readFileSync(join(path, "config.json"), "utf8")).w).toBe(3);
    if (process.platform !== "win32") expect(lstatSync(path).isSymbolicLink()).toBe(true);
    // one checkpoint on disk: the replaced one was removed, no partial or link leftovers
    expect(readdirSync(dir).filter((f) => f !== "best").map((f) => f.replace(/-\d.*$/, ""))).toEqual([".best.ckpt"]);
    expect(ckpt.best).toBe(0.4);
  });

  it("saveBestOnly with mode auto on an accuracy, and initialValueThreshold", async () => {
    const path = join(work, "acc", "best");
    const ckpt = new ModelCheckpoint(path, { monitor: "val_accuracy", saveBestOnly: true, initialValueThreshold: 0.55 });
    await fakeFit(new FakeModel(), [ckpt], [{ val_accuracy: 0.5 }, { val_accuracy: 0.7 }, { val_accuracy: 0.6 }]);
    expect(ckpt.saved.length).toBe(1);
    expect(readW(path)).toBe(2);
  });

  it("saveFreq N saves every N batches across epochs, with {batch} in the path", async () => {
    const dir = join(work, "freq");
    const ckpt = new ModelCheckpoint(join(dir, "e{epoch}-b{batch}"), { saveFreq: 2 });
    await fakeFit(new FakeModel(), [ckpt], [{ loss: 1 }, { loss: 1 }], 3); // 6 batches → saves after 2, 4, 6
    expect(readdirSync(dir).sort()).toEqual(["e1-b2", "e2-b1", "e2-b3"]);
    expect(() => new ModelCheckpoint(dir, { saveFreq: 0 })).toThrow(/saveFreq must be "epoch" or a positive integer/);
    expect(() => new ModelCheckpoint(dir, { saveFreq: 5, saveBestOnly: true })).toThrow(/running training logs, which have no "val_loss": monitor "loss"/);
  });

  it("a missing monitored value is a ValueError naming the keys there", async () => {
    const ckpt = new ModelCheckpoint(join(work, "missing"), { saveBestOnly: true });
    await expect(fakeFit(new FakeModel(), [ckpt], [{ loss: 1 }])).rejects.toThrow(/ModelCheckpoint: monitored value "val_loss" is not in the logs \(available: loss\)/);
  });

  it("a save loop killed with SIGKILL at random moments always leaves the last complete checkpoint", async () => {
    const dir = join(work, "kill");
    mkdirSync(dir);
    const child = join(dir, "loop.mts");
    const src = fileURLToPath(new URL("../src/train/callbacks/model-checkpoint-node.ts", import.meta.url));
    // the fake save writes weights, waits, then config: a checkpoint mixing two saves would differ
    writeFileSync(child, `
      import { mkdirSync, writeFileSync } from "node:fs";
      import { join } from "node:path";
      import { saveModelAtomic } from ${JSON.stringify(src)};
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      let i = Number(process.argv[3]);
      const model = { async save(d) {
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, "weights.json"), JSON.stringify({ w: i, pad: "x".repeat(200000) }));
        await sleep(3);
        writeFileSync(join(d, "config.json"), JSON.stringify({ w: i }));
      } };
      for (;;) { await saveModelAtomic(model, process.argv[2], true); console.log("saved " + i); i++; }
    `);
    const path = join(dir, "ckpt");
    let seed = 11;
    for (let round = 0; round < 5; round++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const first = round * 100000;
      const last = await new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ["--import", "tsx", child, path, String(first)], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        let timer: NodeJS.Timeout | undefined;
        p.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (timer === undefined && out.includes("saved ")) timer = setTimeout(() => p.kill("SIGKILL"), 20 + (seed % 200));
        });
        p.stderr.on("data", (d: Buffer) => (err += d.toString()));
        p.on("exit", (_c, signal) => (signal === "SIGKILL" ? resolve(out.trim().split("\n").pop() ?? "") : reject(new Error(err))));
      });
      const w = readW(path);
      expect(JSON.parse(readFileSync(join(path, "config.json"), "utf8")).w, `round ${round}`).toBe(w);
      expect(w, `round ${round}`).toBeGreaterThanOrEqual(first);
      const lastSaved = Number(last.split(" ")[1]);
      expect(w === lastSaved || w === lastSaved + 1, `round ${round}: loaded ${w}, last line "${last}"`).toBe(true);
    }
    expect(existsSync(path)).toBe(true);
  }, 60_000);
});

describe("CSVLogger", () => {
  it("writes a header of sorted keys and one row per epoch, exactly", async () => {
    const path = join(work, "csv", "log.csv");
    await fakeFit(new FakeModel(), [new CSVLogger(path)], [
      { loss: 1.25, accuracy: 0.5, val_loss: 1.5 },
      { loss: 0.75, accuracy: 0.625, val_loss: 0.1 + 0.2 },
    ]);
    expect(readFileSync(path, "utf8")).toBe("epoch,accuracy,loss,val_loss\n0,0.5,1.25,1.5\n1,0.625,0.75,0.30000000000000004\n");
  });

  it("overwrites by default; append continues in the existing columns, writing NA for a missing key", async () => {
    const path = join(work, "csv", "append.csv");
    await fakeFit(new FakeModel(), [new CSVLogger(path)], [{ loss: 2, val_loss: 3 }]);
    await fakeFit(new FakeModel(), [new CSVLogger(path)], [{ loss: 1, val_loss: 2 }]);
    expect(readFileSync(path, "utf8")).toBe("epoch,loss,val_loss\n0,1,2\n");
    await fakeFit(new FakeModel(), [new CSVLogger(path, { append: true })], [{ val_loss: 0.5, loss: 0.25, extra: 9 }, { loss: 0.125 }]);
    expect(readFileSync(path, "utf8")).toBe("epoch,loss,val_loss\n0,1,2\n0,0.25,0.5\n1,0.125,NA\n");
  });

  it("a custom separator, and bad arguments are ValueErrors", async () => {
    const path = join(work, "csv", "semi.csv");
    await fakeFit(new FakeModel(), [new CSVLogger(path, { separator: ";" })], [{ loss: 0.5 }]);
    expect(readFileSync(path, "utf8")).toBe("epoch;loss\n0;0.5\n");
    expect(() => new CSVLogger("")).toThrow(/CSVLogger: path must be a non-empty file path/);
    expect(() => new CSVLogger(path, { separator: "\n" })).toThrow(/separator/);
  });
});
