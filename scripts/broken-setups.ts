// `npm run stability:table`: runs the broken-setup suite (tests/helpers/broken-setups.ts) on 5 seeds
// and prints scenario × seed → the expected label's layer and check index, plus everything else the
// monitor reported. docs/stability.md keeps a copy of its output.
import { ALL_SCENARIOS } from "../tests/helpers/broken-setups.js";

const SEEDS = [0, 1, 2, 3, 4];

async function main(): Promise<void> {
  console.log("| scenario | expected | seed | found (label @ layer, check) | also reported |");
  console.log("| --- | --- | --- | --- | --- |");
  let failures = 0;
  for (const s of ALL_SCENARIOS) {
    for (const seed of SEEDS) {
      const mon = await s.run(seed);
      const exp = s.expect;
      const hit = exp === null ? undefined : mon.diagnoses.find((d) => d.label === exp.label && d.layer === exp.layer);
      const others = mon.diagnoses.filter((d) => d !== hit).map((d) => `${d.label} @ ${d.layer ?? "model"}, ${d.check}`);
      const ok = exp === null ? mon.diagnoses.length === 0 : hit !== undefined && (s.epochBased === true || hit.check <= 2);
      if (!ok) failures++;
      const found = exp === null ? (mon.diagnoses.length === 0 ? "none ✓" : "✗") : hit === undefined ? "✗ missing" : `${hit.label} @ ${hit.layer ?? "model"}, ${hit.check}${ok ? " ✓" : " ✗"}`;
      const expected = exp === null ? "healthy" : `${exp.label} @ ${exp.layer ?? "model"}`;
      console.log(`| ${s.name} | ${expected} | ${seed} | ${found} | ${others.join("; ") || "—"} |`);
    }
  }
  console.log(`\n${failures === 0 ? "all scenarios as expected" : `${failures} scenario × seed cells not as expected`}`);
  process.exitCode = failures === 0 ? 0 : 1;
}

void main();
