// Typechecks every ```ts block of docs/*.md (strict TypeScript, "steadytensor" → src/node.ts).
// Run: npm run docs:typecheck. tests/docs-guides.test.ts runs the same check and runs the blocks.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { typecheckDocBlocks } from "../tests/helpers/docs-typecheck.js";

const r = await typecheckDocBlocks(resolve(dirname(fileURLToPath(import.meta.url)), ".."));
console.log(r.ok ? `${r.blocks} blocks typecheck` : r.output);
process.exit(r.ok ? 0 : 1);
