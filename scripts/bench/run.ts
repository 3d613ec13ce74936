/**
 * `npm run bench`: `ml-chatops keywords` against the MeCab + scikit-learn reference, side by side
 * in one run, printing wall time, peak memory and the ratios (ours / reference) against the
 * targets of issue 3. Not a test: numbers depend on the machine and its load.
 *
 *   npm run bench [-- --runs 5] [-- --entry main|keywords]
 *
 * Ours runs as a fresh bundle of src/cli/main.ts (so it measures the working tree, not a stale
 * dist/), with a cache directory private to the run. `--entry keywords` bundles only the
 * keywords command, to see what the other commands' imports cost its start-up. Last, the largest
 * result the result codec accepts is decoded, diffed and rendered (scripts/bench/largest-result.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { benchLargestResult } from "./largest-result.js";
import { measure, median, memoryMethod, type Measurement } from "./measure.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PYTHON = "/usr/bin/python3";
const REFERENCE = path.join(repoRoot, "scripts", "reference", "mecab_reference.py");
const SHARED = path.resolve(repoRoot, "..", "shared", "data");
const PYCON_2020 = path.join(SHARED, "pyconjp-2020-talks.jsonl");
const PYCON_2019 = path.join(SHARED, "pyconjp-2019-talks.jsonl");

type Side = { readonly wallMs: number; readonly peakKiB: number };
type Row = {
  readonly name: string;
  readonly ours: Side;
  readonly reference: Side;
  readonly wallTarget: number;
  readonly memoryTarget?: number;
};

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, entry: { type: "string", default: "main" } } });
const RUNS = Math.max(1, Number(values.runs) || 3);
if (values.entry !== "main" && values.entry !== "keywords") throw new Error(`--entry: expected main or keywords, got ${values.entry}`);
const KEYWORDS_ONLY = values.entry === "keywords";

const KEYWORDS_ENTRY = `import { processIo } from "./src/cli/io.js";
import { runKeywords } from "./src/cli/keywords.js";
// argv: node, bundle, "keywords", options…
void runKeywords(process.argv.slice(3), processIo()).then((c) => { process.exitCode = c; });
`;

const bundleCli = async (dir: string): Promise<string> => {
  const outfile = path.join(dir, "main.mjs");
  await build({
    ...(KEYWORDS_ONLY
      ? { stdin: { contents: KEYWORDS_ENTRY, resolveDir: repoRoot, loader: "ts" as const, sourcefile: "keywords-entry.ts" } }
      : { entryPoints: [path.join(repoRoot, "src", "cli", "main.ts")] }),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    external: ["kuromoji", "@aws-sdk/*", "@smithy/*", "@octokit/*"],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "error",
  });
  return outfile;
};

/** Both corpora repeated 20 times, every id made distinct. */
const writeTimes20 = (file: string): number => {
  const lines = [PYCON_2020, PYCON_2019].flatMap((f) => readFileSync(f, "utf8").split("\n").filter((l) => l.trim() !== ""));
  const out: string[] = [];
  for (let r = 1; r <= 20; r += 1) {
    for (const l of lines) {
      const doc = JSON.parse(l) as { id: string };
      out.push(JSON.stringify({ ...doc, id: `${doc.id}#${r}` }));
    }
  }
  writeFileSync(file, `${out.join("\n")}\n`);
  return out.length;
};

const summarize = (ms: ReadonlyArray<Measurement>): Side => ({
  wallMs: median(ms.map((m) => m.wallMs)),
  peakKiB: median(ms.map((m) => m.peakKiB)),
});

const documentCount = (stdout: string): number => (JSON.parse(stdout) as { documents: unknown[] }).documents.length;

const main = async (): Promise<void> => {
  const work = mkdtempSync(path.join(tmpdir(), "ml-chatops-bench-"));
  // Inside the repository's node_modules, so the bundle resolves kuromoji as the real CLI does.
  const cli = await bundleCli(path.join(repoRoot, "node_modules", ".cache", "ml-chatops", "bench"));
  const times20 = path.join(work, "times20.jsonl");
  const times20Docs = writeTimes20(times20);
  const ours = (args: ReadonlyArray<string>, cacheDir: string): Promise<Measurement> =>
    measure(process.execPath, [cli, "keywords", ...args, `--cache-dir=${cacheDir}`, "--quiet"], { cwd: repoRoot });
  const reference = (args: ReadonlyArray<string>): Promise<Measurement> => measure(PYTHON, [REFERENCE, ...args], { cwd: repoRoot });

  process.stderr.write(`bench: ${RUNS} run(s) per case, medians; peak memory by ${memoryMethod()}; ours = ${KEYWORDS_ONLY ? "the keywords command alone" : "the ml-chatops CLI"}\n`);
  // The inflated dictionary is built once, like the reference's installed binary dictionary, and
  // linked into every cache directory; token caches start empty in every cold run.
  const primed = path.join(work, "primed");
  mkdirSync(primed);
  const first = await ours(["--input", PYCON_2020], primed);
  const dictDirs = readdirSync(primed).filter((d) => d.startsWith("kuromoji-dict-"));
  if (dictDirs.length !== 1) throw new Error(`expected one dictionary cache in ${primed}, found ${dictDirs.join(", ")}`);
  const freshTokenCache = (): string => {
    const dir = mkdtempSync(path.join(work, "cache-"));
    for (const d of dictDirs) symlinkSync(path.join(primed, d), path.join(dir, d));
    return dir;
  };
  process.stderr.write(`bench: first run ever (builds the dictionary cache): ${(first.wallMs / 1000).toFixed(2)} s, ${(first.peakKiB / 1024).toFixed(0)} MiB\n`);

  const rows: Row[] = [];
  const pair = async (
    name: string,
    runOurs: () => Promise<Measurement>,
    runReference: () => Promise<Measurement>,
    expectDocs: number,
    targets: { wall: number; memory?: number },
  ): Promise<void> => {
    const o: Measurement[] = [];
    const r: Measurement[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      // Alternate the order so neither side always runs on a warmer page cache.
      if (i % 2 === 0) {
        o.push(await runOurs());
        r.push(await runReference());
      } else {
        r.push(await runReference());
        o.push(await runOurs());
      }
    }
    for (const m of [...o, ...r]) {
      if (documentCount(m.stdout) !== expectDocs) throw new Error(`${name}: expected ${expectDocs} documents in the output`);
    }
    process.stderr.write(`bench: ${name} done\n`);
    rows.push({ name, ours: summarize(o), reference: summarize(r), wallTarget: targets.wall, ...(targets.memory ? { memoryTarget: targets.memory } : {}) });
  };

  await pair(
    "cold, pyconjp-2020 (54 docs)",
    () => ours(["--input", PYCON_2020], freshTokenCache()),
    () => reference(["--input", PYCON_2020]),
    54,
    { wall: 1.0, memory: 1.0 },
  );
  await pair(
    `both corpora x20 (${times20Docs} docs), cold`,
    () => ours(["--input", times20], freshTokenCache()),
    () => reference(["--input", times20]),
    times20Docs,
    { wall: 1.0 },
  );
  const warmCache = freshTokenCache();
  await ours(["--input", PYCON_2020], warmCache);
  await pair(
    "warm re-run, pyconjp-2020, only TF-IDF params changed",
    () => ours(["--input", PYCON_2020, "--max-df", "0.4", "--top", "5", "--sublinear-tf"], warmCache),
    () => reference(["--input", PYCON_2020, "--max-df", "0.4", "--top", "5", "--sublinear-tf"]),
    54,
    { wall: 0.15 },
  );

  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const mib = (k: number): string => `${(k / 1024).toFixed(0)} MiB`;
  const verdict = (ratio: number, target: number): string => (ratio <= target ? "met" : `MISSED by ${((ratio / target - 1) * 100).toFixed(0)}%`);
  const lines = [
    "",
    "| case | ours wall | MeCab+sklearn wall | wall ratio | target | ours peak | reference peak | memory ratio | target |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const wall = r.ours.wallMs / r.reference.wallMs;
      const mem = r.ours.peakKiB / r.reference.peakKiB;
      const memTarget = r.memoryTarget === undefined ? "-" : `<= ${r.memoryTarget.toFixed(2)}x (${verdict(mem, r.memoryTarget)})`;
      return (
        `| ${r.name} | ${s(r.ours.wallMs)} | ${s(r.reference.wallMs)} | ${wall.toFixed(2)}x | <= ${r.wallTarget.toFixed(2)}x (${verdict(wall, r.wallTarget)}) ` +
        `| ${mib(r.ours.peakKiB)} | ${mib(r.reference.peakKiB)} | ${mem.toFixed(2)}x | ${memTarget} |`
      );
    }),
    "",
  ];
  process.stdout.write(lines.join("\n"));
  rmSync(work, { recursive: true, force: true });
  process.stdout.write(`\n${benchLargestResult(RUNS).join("\n")}\n`);
};

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
