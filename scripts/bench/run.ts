/**
 * `npm run bench [-- SUITE] [options]`: the benchmarks, each printing its figures against its
 * targets. Without SUITE, all of them in turn:
 * - `keywords`: ml-chatops keywords against MeCab + scikit-learn (keywords.ts; its options:
 *   --runs, --sizes, --large-runs, --long-line-mib);
 * - `largest-result`: the largest result the result codec accepts, decoded, diffed against a fully
 *   changed baseline and rendered (largest-result.ts; --runs);
 * - `github-requests`: GitHub requests per event (comment → approval, label → report, promote,
 *   push) by operation, against the fake GitHub (github-requests.ts).
 * Not tests: numbers depend on the machine and its load.
 */
import { parseArgs } from "node:util";

const SUITES: Readonly<Record<string, () => Promise<void>>> = {
  keywords: async () => (await import("./keywords.js")).main(),
  "largest-result": async () => {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } }, strict: false });
    const { benchLargestResult } = await import("./largest-result.js");
    process.stdout.write(`\n${benchLargestResult(Math.max(1, Number(values.runs) || 3)).join("\n")}\n`);
  },
  "github-requests": async () => (await import("./github-requests.js")).main(),
};

const first = process.argv[2];
const chosen = first !== undefined && !first.startsWith("-") ? first : undefined;
if (chosen !== undefined) process.argv.splice(2, 1);
const run = async (): Promise<void> => {
  if (chosen !== undefined && SUITES[chosen] === undefined) {
    throw new Error(`no suite ${JSON.stringify(chosen)} (suites: ${Object.keys(SUITES).join(", ")})`);
  }
  for (const [name, suite] of Object.entries(SUITES)) if (chosen === undefined || chosen === name) await suite();
};
run().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
