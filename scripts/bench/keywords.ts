/**
 * `npm run bench` (suite `keywords`, the default): `ml-chatops keywords` against the MeCab +
 * scikit-learn reference (scripts/reference/mecab_reference.py), side by side in one run,
 * alternating which goes first. Prints wall time, peak memory, the ratios ours / reference
 * (medians) and every target of issue 13 as met or missed. Not a test: figures depend on the
 * machine and its load; the ratios, measured in the same run, much less so.
 *
 *   npm run bench [-- keywords] [--runs 3] [--sizes 1,5,20,100] [--large-runs 1] [--long-line-mib 1]
 *
 * Ours is a fresh install of the working tree (install.ts: npm pack, unpacked into an empty
 * project); "fully cold" runs get a fresh cache directory each, so nothing of an earlier run
 * helps. Corpora (corpora.ts) are built from ../shared/data: every document distinct.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeDistinct, writeLongLine } from "./corpora.js";
import { installTarball, packTree } from "./install.js";
import { measure, median, memoryMethod, type Measurement } from "./measure.js";
import { benchParity } from "./parity.js";
import { benchWorkerThreshold } from "./workers.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PYTHON = "/usr/bin/python3";
const REFERENCE = path.join(repoRoot, "scripts", "reference", "mecab_reference.py");
const SHARED = path.resolve(repoRoot, "..", "shared", "data");
const PYCON_2020 = path.join(SHARED, "pyconjp-2020-talks.jsonl");
const SOURCES = [PYCON_2020, path.join(SHARED, "pyconjp-2019-talks.jsonl")];
const SAMPLE = path.join(repoRoot, "examples", "data", "sample-talks.jsonl");

type Side = { readonly wallMs: number; readonly peakKiB: number; readonly runs: number };
type Target = { readonly label: string; readonly limit: number; readonly measure: "wall" | "memory" };
type Row = {
  readonly name: string;
  readonly ours: Side;
  readonly reference: Side;
  readonly targets: ReadonlyArray<Target>;
};

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    sizes: { type: "string", default: "1,5,20,100" },
    "large-runs": { type: "string", default: "1" },
    // MeCab (python3-mecab's Tagger.parse) gives no parse for one line of this text from about
    // 1.6 MB on, so the ratio is taken at 1 MiB; ours alone is also timed at 2 MiB.
    "long-line-mib": { type: "string", default: "1" },
    // Documents of step d alone, one thread against two workers (workers.ts).
    "threshold-sizes": { type: "string", default: "100,200,300,450,600" },
  },
  strict: false,
});
const RUNS = Math.max(1, Number(values.runs) || 3);
const LARGE_RUNS = Math.max(1, Number(values["large-runs"]) || 1);
const SIZES = String(values.sizes)
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const LONG_LINE_BYTES = Math.round((Number(values["long-line-mib"]) || 1) * 2 ** 20);
const THRESHOLD_SIZES = String(values["threshold-sizes"])
  .split(",")
  .map((x) => Number(x.trim()))
  .filter((n) => Number.isInteger(n) && n > 1);

const summarize = (ms: ReadonlyArray<Measurement>): Side => ({
  wallMs: median(ms.map((m) => m.wallMs)),
  peakKiB: median(ms.map((m) => m.peakKiB)),
  runs: ms.length,
});
const documentCount = (stdout: string): number => (JSON.parse(stdout) as { documents: unknown[] }).documents.length;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (k: number): string => `${(k / 1024).toFixed(0)} MiB`;

export const main = async (): Promise<void> => {
  const loadAtStart = loadavg()[0] ?? 0;
  const work = mkdtempSync(path.join(tmpdir(), "ml-chatops-bench-"));
  process.stderr.write(`bench: packing and installing the working tree into ${work}/install …\n`);
  const tarball = packTree(repoRoot, work);
  const install = installTarball(tarball, path.join(work, "install"), repoRoot);
  const unshipped = installTarball(tarball, path.join(work, "install-without-dictionary"), repoRoot, true);
  const tarballBytes = statSync(tarball).size;
  const freshDir = (): string => mkdtempSync(path.join(work, "cache-"));
  const ours = (args: ReadonlyArray<string>, cacheDir: string): Promise<Measurement> =>
    measure(process.execPath, [install.bin, "keywords", ...args, `--cache-dir=${cacheDir}`, "--quiet"], { cwd: work });
  const reference = (args: ReadonlyArray<string>): Promise<Measurement> =>
    measure(PYTHON, [REFERENCE, ...args], { cwd: work });
  process.stderr.write(
    `bench: ${RUNS} run(s) per case (${LARGE_RUNS} for x100), medians; peak memory by ${memoryMethod()}; ` +
      `tarball ${(tarballBytes / 2 ** 20).toFixed(1)} MiB, shipped dictionary ${(install.dictionaryBytes / 2 ** 20).toFixed(1)} MiB\n`,
  );

  const rows: Row[] = [];
  const pair = async (
    name: string,
    runOurs: () => Promise<Measurement>,
    runReference: () => Promise<Measurement>,
    expectDocs: number,
    targets: ReadonlyArray<Target>,
    runs = RUNS,
  ): Promise<void> => {
    const o: Measurement[] = [];
    const r: Measurement[] = [];
    for (let i = 0; i < runs; i += 1) {
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
      if (documentCount(m.stdout) !== expectDocs)
        throw new Error(`${name}: expected ${expectDocs} documents in the output`);
    }
    const row = { name, ours: summarize(o), reference: summarize(r), targets };
    process.stderr.write(
      `bench: ${name}: ours ${s(row.ours.wallMs)} ${mib(row.ours.peakKiB)}, reference ${s(row.reference.wallMs)} ${mib(row.reference.peakKiB)}\n`,
    );
    rows.push(row);
  };

  await pair(
    "fully cold, pyconjp-2020 (54 docs): fresh install, fresh cache dir",
    () => ours(["--input", PYCON_2020], freshDir()),
    () => reference(["--input", PYCON_2020]),
    54,
    [
      { label: "cold pyconjp-2020 wall", limit: 1.0, measure: "wall" },
      { label: "cold pyconjp-2020 peak memory", limit: 1.0, measure: "memory" },
    ],
  );
  // The dictionary from a cache directory instead of the shipped file (a kuromoji other than the
  // one the package was built with): prepared once, copied into each run's fresh cache directory.
  const primed = freshDir();
  await measure(
    process.execPath,
    [unshipped.bin, "keywords", "--input", PYCON_2020, `--cache-dir=${primed}`, "--quiet"],
    { cwd: work },
  );
  await pair(
    "dictionary from the cache dir (not shipped), pyconjp-2020, empty token cache",
    () => {
      const dir = freshDir();
      copyFileSync(path.join(primed, "ipadic.bin"), path.join(dir, "ipadic.bin"));
      return measure(
        process.execPath,
        [unshipped.bin, "keywords", "--input", PYCON_2020, `--cache-dir=${dir}`, "--quiet"],
        { cwd: work },
      );
    },
    () => reference(["--input", PYCON_2020]),
    54,
    [],
  );
  const firstEver = freshDir();
  await pair(
    "no shipped dictionary, first run ever (inflates the .gz files)",
    () =>
      measure(
        process.execPath,
        [
          unshipped.bin,
          "keywords",
          "--input",
          PYCON_2020,
          `--cache-dir=${mkdtempSync(path.join(firstEver, "c-"))}`,
          "--quiet",
        ],
        { cwd: work },
      ),
    () => reference(["--input", PYCON_2020]),
    54,
    [],
    1,
  );
  for (const k of SIZES) {
    const file = path.join(work, `distinct-x${k}.jsonl`);
    const docs = writeDistinct(SOURCES, k, file);
    await pair(
      `distinct x${k} (${docs} docs, all unique), fully cold`,
      () => ours(["--input", file], freshDir()),
      () => reference(["--input", file]),
      docs,
      k >= 20
        ? [
            { label: `distinct x${k} wall`, limit: 0.8, measure: "wall" },
            // Item 5: worker threads run from 300 documents on; memory must not grow past the reference's.
            { label: `distinct x${k} peak memory (worker threads)`, limit: 1.0, measure: "memory" },
          ]
        : [],
      k >= 100 ? LARGE_RUNS : RUNS,
    );
  }
  const warm = freshDir();
  await ours(["--input", PYCON_2020], warm);
  const changed = ["--input", PYCON_2020, "--max-df", "0.4", "--top", "5", "--sublinear-tf"];
  await pair(
    "warm re-run, pyconjp-2020, only TF-IDF params changed",
    () => ours(changed, warm),
    () => reference(changed),
    54,
    [{ label: "warm re-run wall", limit: 0.15, measure: "wall" }],
  );
  const long = path.join(work, "long-line.jsonl");
  const longBytes = writeLongLine(SOURCES, LONG_LINE_BYTES, long);
  await pair(
    `one ${(longBytes / 2 ** 20).toFixed(1)} MiB line without 、。, fully cold`,
    // One document: max_df must cover it (the default 0.5 of one document refuses, on both sides).
    () => ours(["--input", long, "--max-df", "1.0"], freshDir()),
    () => reference(["--input", long, "--max-df", "1.0"]),
    1,
    [
      {
        label: `${(longBytes / 2 ** 20).toFixed(1)} MiB single line wall (vs MeCab; the issue's 2 MB)`,
        limit: 3.0,
        measure: "wall",
      },
    ],
    1,
  );
  const long2 = path.join(work, "long-line-2mib.jsonl");
  const long2Bytes = writeLongLine(SOURCES, 2 * 2 ** 20, long2);
  const alone = await ours(["--input", long2, "--max-df", "1.0"], freshDir());
  const aloneLine = `Ours alone on one ${(long2Bytes / 2 ** 20).toFixed(1)} MiB line (MeCab gives no parse at this size): ${s(alone.wallMs)}, ${mib(alone.peakKiB)}.`;

  const parity = await benchParity(
    [PYCON_2020, SOURCES[1]!, SAMPLE],
    work,
    (args) =>
      measure(process.execPath, [install.bin, "keywords", ...args, `--cache-dir=${freshDir()}`, "--quiet"], {
        cwd: work,
      }),
    (script, args) => measure(PYTHON, [path.join(repoRoot, "scripts", "reference", script), ...args], { cwd: work }),
  );
  const distinct20 = path.join(work, "distinct-x20.jsonl");
  if (!SIZES.includes(20)) writeDistinct(SOURCES, 20, distinct20);
  const threshold = await benchWorkerThreshold(
    path.join(install.root, "dist", "nlp", "index.js"),
    distinct20,
    work,
    THRESHOLD_SIZES,
    RUNS,
  );

  const ratio = (r: Row, m: "wall" | "memory"): number =>
    m === "wall" ? r.ours.wallMs / r.reference.wallMs : r.ours.peakKiB / r.reference.peakKiB;
  const verdict = (x: number, limit: number): string =>
    x <= limit ? "met" : `MISSED by ${((x / limit - 1) * 100).toFixed(0)}%`;
  const out = [
    "",
    `Machine: ${availableParallelism()} cores, 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end ` +
      "(other processes share these cores: wall times, and what worker threads gain, depend on it).",
    "",
    "| case | runs | ours wall | reference wall | wall ratio | ours peak | reference peak | memory ratio |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.ours.runs} | ${s(r.ours.wallMs)} | ${s(r.reference.wallMs)} | ${ratio(r, "wall").toFixed(2)}x ` +
        `| ${mib(r.ours.peakKiB)} | ${mib(r.reference.peakKiB)} | ${ratio(r, "memory").toFixed(2)}x |`,
    ),
    "",
    "| target (issue 13) | ratio | limit | verdict |",
    "|---|---|---|---|",
    ...rows.flatMap((r) =>
      r.targets.map(
        (t) =>
          `| ${t.label} | ${ratio(r, t.measure).toFixed(2)}x | <= ${t.limit.toFixed(2)}x | ${verdict(ratio(r, t.measure), t.limit)} |`,
      ),
    ),
    ...(SIZES.includes(20) && SIZES.includes(100)
      ? []
      : ["| distinct x20 and x100 | not run (--sizes) | <= 0.80x | not measured |"]),
    ...parity.targets,
    "",
    ...parity.lines,
    ...threshold.lines,
    "",
    aloneLine,
    `Shipped dictionary dist/ipadic.bin: ${(install.dictionaryBytes / 2 ** 20).toFixed(1)} MiB; package tarball ${(tarballBytes / 2 ** 20).toFixed(1)} MiB.`,
    "",
  ];
  process.stdout.write(out.join("\n"));
  rmSync(work, { recursive: true, force: true });
};
