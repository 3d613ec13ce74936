/**
 * Benchmark (issue 12, check 81): the largest result the result codec lets through, decoded,
 * diffed against an equally large baseline in which every list changed, and rendered as the
 * report. Target (absolute, from the issue): diff + render under 1 s. Decoding is reported beside
 * it, with the total. The reference in the same run is `JSON.parse` plus `JSON.stringify` of the
 * same text, so the ratio says how many plain JSON round trips the whole costs, and a reference
 * far above its usual ~40 ms says the machine was busy.
 *
 *   npx tsx scripts/bench/largest-result.ts     (also part of `npm run bench`)
 */
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { diffResults } from "../../src/core/diff-result.js";
import { toKeywordResult } from "../../src/core/keyword-ranking.js";
import type { Report, RunKey, Sha } from "../../src/core/model.js";
import { renderReport } from "../../src/core/report/render.js";
import { RESULT_LIMITS, parseExperimentResult } from "../../src/core/result.js";

/** Diff and render of the largest result, absolute (issue 12): a report never waits a second on them. */
const TARGET_MS = 1000;

type Shape = { readonly name: string; readonly lists: number; readonly termChars: number };

/** The result text of `shape`: as many items per list as fit under the codec's byte cap. */
const resultText = (shape: Shape, salt: string): string => {
  const item = (l: number, i: number): string =>
    JSON.stringify({ term: `${salt}${l}-${i}-`.padEnd(shape.termChars, "x"), score: 1 / (i + 1) + l * 1e-9 });
  const build = (items: number): string => {
    const lists: string[] = [];
    for (let l = 0; l < shape.lists; l += 1) {
      lists.push(`${JSON.stringify(`doc-${l}`)}:[${Array.from({ length: items }, (_, i) => item(l, i)).join(",")}]`);
    }
    return `{"rankings":{"keywords":{${lists.join(",")}}}}`;
  };
  let items = Math.min(
    RESULT_LIMITS.maxItemsPerList,
    Math.floor(RESULT_LIMITS.maxBytes / shape.lists / item(0, 0).length),
  );
  let text = build(items);
  while (Buffer.byteLength(text) > RESULT_LIMITS.maxBytes && items > 1) {
    items -= Math.max(1, Math.floor(items / 50));
    text = build(items);
  }
  return text;
};

/** Wall time, and the CPU time this process spent: on a shared machine the second shows what the load added. */
const time = <A>(f: () => A): { readonly value: A; readonly ms: number; readonly cpuMs: number } => {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
};

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** One row per shape: sizes, the time of each step, the total against 1 s, the ratio to plain JSON. */
export const benchLargestResult = (runs = 3): ReadonlyArray<string> => {
  const shapes: ReadonlyArray<Shape> = [
    { name: "most lists", lists: RESULT_LIMITS.maxRankedLists, termChars: 12 },
    { name: "longest lists", lists: 0, termChars: 12 },
    { name: "longest terms", lists: 200, termChars: RESULT_LIMITS.maxTextLength },
  ];
  const out: string[] = [
    `largest result (codec cap ${RESULT_LIMITS.maxBytes} bytes), median of ${runs}: target diff + render < ${TARGET_MS} ms; decode shown apart; ref = JSON.parse + JSON.stringify of the same text`,
  ];
  for (const s of shapes) {
    const shape =
      s.lists === 0 ? { ...s, lists: Math.ceil(RESULT_LIMITS.maxBytes / (RESULT_LIMITS.maxItemsPerList * 40)) } : s;
    const text = resultText(shape, "a");
    const baseText = resultText(shape, "b");
    if (text.length > RESULT_LIMITS.maxBytes) throw new Error(`${shape.name}: ${text.length} bytes is over the cap`);
    const baseline = O.toUndefined(O.fromEither(parseExperimentResult(baseText)));
    if (baseline === undefined) throw new Error(`${shape.name}: the baseline does not decode`);
    const rows: Array<{ decode: number; diff: number; render: number; cpu: number; ref: number; chars: number }> = [];
    for (let r = 0; r < runs; r += 1) {
      const decoded = time(() => parseExperimentResult(text));
      if (E.isLeft(decoded.value)) throw new Error(`${shape.name}: the codec refuses it: ${decoded.value.left}`);
      const result = decoded.value.right;
      if (O.isNone(toKeywordResult(result))) throw new Error(`${shape.name}: no keyword ranking`);
      const diff = time(() => diffResults(result, baseline, { goals: {}, params: {} }));
      const report: Report = {
        runKey: "o/r#1:tfidf-keywords" as RunKey,
        experimentId: "tfidf-keywords",
        pr: { owner: "o", repo: "r", number: 1 },
        pinnedSha: "0".repeat(40) as Sha,
        runner: "local",
        status: { state: "succeeded", detail: "bench" },
        params: {},
        logTail: [],
        links: [],
        result,
        diff: diff.value,
        baselineResult: baseline,
      };
      const rendered = time(() => renderReport(report));
      const ref = time(() => JSON.stringify(JSON.parse(text)));
      rows.push({
        decode: decoded.ms,
        diff: diff.ms,
        render: rendered.ms,
        cpu: diff.cpuMs + rendered.cpuMs,
        ref: ref.ms,
        chars: rendered.value.length,
      });
    }
    const d = median(rows.map((x) => x.decode));
    const f = median(rows.map((x) => x.diff));
    const g = median(rows.map((x) => x.render));
    const ref = median(rows.map((x) => x.ref));
    const cpu = median(rows.map((x) => x.cpu));
    const targeted = f + g;
    const total = d + targeted;
    const met = targeted < TARGET_MS;
    out.push(
      `  ${shape.name.padEnd(13)} ${shape.lists} lists, ${(text.length / 1024 / 1024).toFixed(2)} MiB (${rows[0]?.chars ?? 0} chars rendered): ` +
        `diff ${f.toFixed(0)} ms + render ${g.toFixed(0)} ms = ${targeted.toFixed(0)} ms (cpu ${cpu.toFixed(0)} ms) ${met ? "<" : ">="} ${TARGET_MS} ms target: ${met ? "met" : "MISSED"}; ` +
        `decode ${d.toFixed(0)} ms; all three ${total.toFixed(0)} ms; ref ${ref.toFixed(0)} ms, ratio ${(total / Math.max(ref, 0.001)).toFixed(1)}`,
    );
  }
  return out;
};

if (process.argv[1]?.endsWith("largest-result.ts") === true) {
  for (const line of benchLargestResult()) process.stdout.write(`${line}\n`);
}
