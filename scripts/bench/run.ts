/**
 * `npm run bench [-- SUITE] [options]`: runs one benchmark suite, a file beside this one
 * (default `keywords`: ml-chatops keywords against MeCab + scikit-learn, keywords.ts). Each
 * suite exports `main()` and parses its own options; add a suite by adding its file.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const first = process.argv[2];
const suite = first !== undefined && !first.startsWith("-") ? first : "keywords";
if (suite === first) process.argv.splice(2, 1);
const file = path.join(here, `${suite}.ts`);
if (!/^[a-z0-9-]+$/.test(suite) || suite === "run" || !existsSync(file)) {
  process.stderr.write(`bench: no suite ${JSON.stringify(suite)} (a file scripts/bench/<suite>.ts exporting main)\n`);
  process.exit(2);
}
const mod = (await import(pathToFileURL(file).href)) as { main?: () => Promise<void> };
if (typeof mod.main !== "function") {
  process.stderr.write(`bench: ${suite}.ts exports no main()\n`);
  process.exit(2);
}
await mod.main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
