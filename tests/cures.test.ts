// Verified cures on the bundled digits: each broken recipe is diagnosed by the monitor, and the
// prescribed remedy, rerun as a short trial, removes the symptom (with before/after numbers) —
// ReLU for the 10-layer sigmoid net, He init for ReLU layers with bias −5, a lower learning rate for
// SGD at lr 100. applyCure's configuration changes are checked one by one.

import { beforeAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { ValueError } from "../src/index.js";
import { applyCure, tryCures } from "../src/stability/cures.js";
import { DEFAULT_RECIPE, mlpRecipe, type RecipeData } from "../src/stability/recipe.js";

let data: RecipeData;
beforeAll(() => {
  const d = st.datasets.loadDigits();
  const x = new st.data.StandardScaler().fit(d.x).transform(d.x);
  data = { x: x.slice(0, 1024), y: d.y.slice(0, 1024), task: "classification", numClasses: 10 };
});

const STEPS = 40;

describe("tryCures", () => {
  it("10-layer sigmoid: vanishing gradients, removed by a ReLU activation (with He init)", async () => {
    const recipe = mlpRecipe(data, { layers: Array<number>(9).fill(32), activation: "sigmoid", optimizer: "sgd", lr: 0.05, momentum: 0.9 });
    const base = await recipe.run(recipe.config, { steps: STEPS });
    const vanish = base.diagnoses.find((d) => d.label === "vanishing-gradients");
    expect(vanish?.layer).toBe("0");
    const r = await tryCures(recipe, base.diagnoses, { steps: STEPS, baseline: base });
    const relu = r.trials.find((t) => t.cure === "relu-activation")!;
    expect(relu.symptomGone).toBe(true);
    expect(relu.trial.diagnoses.map((d) => d.label)).not.toContain("vanishing-gradients");
    expect(relu.lossAfter).toBeLessThan(relu.lossBefore * 0.6);
    expect(relu.message).toMatch(/^relu-activation \(activation sigmoid → relu with He init.*\): symptom gone — vanishing-gradients: .* → within its limit \(limit 0\.001\)/);
    expect(r.verified).toContain("relu-activation");
  });

  it("ReLU layers with bias −5: dying ReLU, removed by He init with zero bias", async () => {
    const recipe = mlpRecipe(data, { layers: [32, 32, 32], init: "he", biasInit: -5, optimizer: "sgd", lr: 0.05, momentum: 0.9 });
    const base = await recipe.run(recipe.config, { steps: STEPS });
    const dying = base.diagnoses.find((d) => d.label === "dying-relu")!;
    expect(dying.value).toBeGreaterThan(0.5);
    const r = await tryCures(recipe, [dying], { steps: STEPS, baseline: base });
    expect(r.trials.map((t) => t.cure)).toEqual(dying.cures.filter((c) => c !== "early-stopping"));
    const he = r.trials.find((t) => t.cure === "he-init")!;
    expect(he.change).toBe("he init, bias -5 → He (Kaiming normal) init, zero bias");
    expect(he.symptomGone).toBe(true);
    expect(he.evidence[0]).toMatchObject({ label: "dying-relu", before: dying.value, threshold: dying.threshold });
    expect(Number.isNaN(he.evidence[0]!.after)).toBe(true);
    expect(he.lossAfter).toBeLessThan(1);
    // a lower learning rate does not revive dead units: the cure is judged, not assumed
    const lower = r.trials.find((t) => t.cure === "lower-lr")!;
    expect(lower.symptomGone).toBe(false);
    expect(lower.remaining).toEqual(["dying-relu"]);
  });

  it("SGD at lr 100: divergence, removed by a lower learning rate", async () => {
    const recipe = mlpRecipe(data, { optimizer: "sgd", lr: 100 });
    const base = await recipe.run(recipe.config, { steps: STEPS });
    expect(base.diverged).toBe(true);
    expect(base.diagnoses.map((d) => d.label)).toContain("divergence");
    const r = await tryCures(recipe, base.diagnoses.filter((d) => d.label === "divergence"), { steps: STEPS, baseline: base, suggestedLr: 0.05 });
    const lower = r.trials.find((t) => t.cure === "lower-lr")!;
    expect(lower.change).toBe("lr 100 → 0.05 (lrFind's suggestion)");
    expect(lower.config.lr).toBe(0.05);
    expect(lower.symptomGone).toBe(true);
    expect(lower.trial.diverged).toBe(false);
    expect(Number.isFinite(lower.lossAfter)).toBe(true);
    expect(lower.lossBefore).toBe(Infinity);
  });

  it("rejects a recipe without run and bad steps", async () => {
    await expect(tryCures({} as never, [])).rejects.toThrow(ValueError);
    const recipe = mlpRecipe(data);
    await expect(tryCures(recipe, [], { steps: 0 })).rejects.toThrow(/steps must be a positive integer, got 0/);
  });
});

describe("applyCure", () => {
  const cfg = { ...DEFAULT_RECIPE, layers: [8], optimizer: "sgd" as const, lr: 1 };
  it("changes one part of the configuration per cure", () => {
    expect(applyCure(cfg, "lower-lr")!.config.lr).toBeCloseTo(0.1, 12);
    expect(applyCure(cfg, "lower-lr", { suggestedLr: 0.5 })!.config.lr).toBeCloseTo(0.1, 12); // not below lr/10: lr/10
    expect(applyCure(cfg, "clip-gradients")!.config.clipnorm).toBe(1);
    expect(applyCure(cfg, "insert-normalization")!.config.normalize).toBe(true);
    expect(applyCure({ ...cfg, normalize: true }, "insert-normalization")).toBeNull();
    expect(applyCure(cfg, "adaptive-optimizer")!.config).toMatchObject({ optimizer: "adam", lr: 1e-3 });
    expect(applyCure(cfg, "standardize-input")!.config.standardize).toBe(true);
    expect(applyCure(cfg, "xavier-init")!.config).toMatchObject({ init: "xavier", initScale: 1, biasInit: null });
    expect(applyCure(cfg, "bigger-model")!.config.layers).toEqual([16]);
    expect(applyCure(cfg, "early-stopping")).toBeNull();
    expect(applyCure(cfg, "relu-activation")!.config.activation).toBe("leaky-relu");
    expect(cfg.layers).toEqual([8]); // the input is not modified
  });
});
