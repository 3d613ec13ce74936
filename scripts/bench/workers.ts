/**
 * The worker threshold (issue 13 item 5): step d of the installed package on the first n
 * documents of a distinct corpus, on one thread and in two worker threads (forced whatever n:
 * workers-driver.mjs), alternating, medians of wall time and peak RSS. The smallest n from which
 * the workers are faster is where they pay; the library's DEFAULT_DOCUMENTS_PER_WORKER is half of
 * it (two workers). Figures depend on free cores: on a loaded machine workers pay later or never.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { measure, median } from "./measure.js";

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), "workers-driver.mjs");

/** One size: medians for each side. */
export type ThresholdRow = {
  readonly documents: number;
  readonly singleMs: number;
  readonly workersMs: number;
  readonly singleKiB: number;
  readonly workersKiB: number;
};

/**
 * Runs the sweep over `sizes` (documents taken from the head of `corpus`) with the package whose
 * `dist/nlp/index.js` is `nlpIndex`; returns the rows and the lines to print.
 *
 * @example
 * const { lines } = await benchWorkerThreshold(nlpIndex, "/tmp/distinct-x20.jsonl", work, [100, 300, 600], 3);
 */
export const benchWorkerThreshold = async (
  nlpIndex: string,
  corpus: string,
  work: string,
  sizes: ReadonlyArray<number>,
  runs: number,
): Promise<{ readonly rows: ReadonlyArray<ThresholdRow>; readonly lines: ReadonlyArray<string> }> => {
  const all = readFileSync(corpus, "utf8").trim().split("\n");
  const rows: ThresholdRow[] = [];
  for (const n of sizes.filter((k) => k <= all.length)) {
    const file = path.join(work, `head-${n}.jsonl`);
    writeFileSync(file, `${all.slice(0, n).join("\n")}\n`);
    const one = (mode: "single" | "workers") =>
      measure(process.execPath, [DRIVER, nlpIndex, file, mode], { cwd: work });
    const single = [];
    const workers = [];
    for (let i = 0; i < runs; i += 1) {
      if (i % 2 === 0) {
        single.push(await one("single"));
        workers.push(await one("workers"));
      } else {
        workers.push(await one("workers"));
        single.push(await one("single"));
      }
    }
    for (const m of workers) {
      const used = (JSON.parse(m.stdout) as { workers: number[] }).workers;
      if (used.length !== 2)
        throw new Error(`threshold sweep at ${n} documents: ${used.length} workers ran, expected 2`);
    }
    const row = {
      documents: n,
      singleMs: median(single.map((m) => m.wallMs)),
      workersMs: median(workers.map((m) => m.wallMs)),
      singleKiB: median(single.map((m) => m.peakKiB)),
      workersKiB: median(workers.map((m) => m.peakKiB)),
    };
    process.stderr.write(
      `bench: threshold, ${n} documents: one thread ${(row.singleMs / 1000).toFixed(2)} s, two workers ${(row.workersMs / 1000).toFixed(2)} s\n`,
    );
    rows.push(row);
  }
  const pays = rows.find((r) => r.workersMs < r.singleMs);
  const lines = [
    "",
    "| documents (step d only) | one thread | two workers | workers / one thread | peak one thread | peak two workers |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.documents} | ${(r.singleMs / 1000).toFixed(2)} s | ${(r.workersMs / 1000).toFixed(2)} s | ${(r.workersMs / r.singleMs).toFixed(2)}x ` +
        `| ${(r.singleKiB / 1024).toFixed(0)} MiB | ${(r.workersKiB / 1024).toFixed(0)} MiB |`,
    ),
    pays === undefined
      ? "Two workers were faster at none of these sizes (a loaded machine has no free core to give them)."
      : `Two workers first pay at ${pays.documents} documents here (the library starts them from 2 x DEFAULT_DOCUMENTS_PER_WORKER = 300).`,
  ];
  return { rows, lines };
};
