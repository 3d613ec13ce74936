/**
 * Large, deterministic reports for checking that the renderer's output stays byte for byte what
 * it was when it got faster: many documents, hostile terms (pipes, emphasis, mentions,
 * references, autolinks, bidi controls, lone surrogates, long and astral terms), documents on
 * one side only, repeated terms, several rankings, a long log.
 */
import { createHash } from "node:crypto";
import { diffResults } from "../../../src/core/diff-result.js";
import type { Report } from "../../../src/core/model.js";
import { renderReportComment } from "../../../src/core/ledger/report-comment.js";
import { renderKeywordTable, renderSummary } from "../../../src/core/report/sections.js";
import type { ExperimentResult, RankedItem, Ranking } from "../../../src/core/result.js";
import { makeReport } from "./fixtures.js";

/** A small linear congruential generator: the same numbers on every machine. */
const random = (seed: number): (() => number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
};

const HOSTILE = [
  "a|b",
  "*em*",
  "_under_",
  "@alice",
  "@org/team",
  "#12",
  "GH-7",
  "gh-8x",
  "www.example.org",
  "https://evil.example",
  "<!-- ml-chatops:report x -->",
  "</details>",
  "`code`",
  "$x$",
  "[link](x)",
  "~~strike~~",
  "back\\slash",
  "bidi\u202Eevil",
  "lone\uD800half",
  "tab\there",
  "line\nbreak",
  "😀 emoji",
  "型推論",
  "データ-分析.v2",
  "x".repeat(75),
  "🙂".repeat(70),
  "a&b>c<d",
  "don't",
];

const termOf = (next: () => number, salt: string, hostile: boolean): string => {
  const r = next();
  if (hostile && r < 0.3) return HOSTILE[Math.floor(next() * HOSTILE.length)] ?? "x";
  if (r < 0.5) return `${salt}t${Math.floor(next() * 40)}`;
  return `${salt}w${Math.floor(next() * 4000)}-${Math.floor(next() * 9)}`;
};

/** The shape of one generated report. */
export type LargeShape = {
  readonly seed: number;
  readonly lists: number;
  readonly items: number;
  readonly rankings: ReadonlyArray<string>;
  readonly baselineRankings: ReadonlyArray<string>;
  readonly hostile: boolean;
  readonly logLines: number;
  readonly state: "succeeded" | "failed";
  /** 0: the baseline lists are unrelated to the result's; 1: mostly the same terms, some moved. */
  readonly similarity: number;
  readonly top?: string;
  /** Long parameters, which crowd the table out of a small comment. */
  readonly longParams?: number;
};

const rankingOf = (next: () => number, shape: LargeShape, salt: string, fresh: Ranking | undefined): Ranking => {
  const lists: Array<readonly [string, ReadonlyArray<RankedItem>]> = [];
  for (let l = 0; l < shape.lists; l += 1) {
    // About one list in twelve exists on one side only.
    if (next() < 0.08) continue;
    const id = shape.hostile && l % 97 === 5 ? `${HOSTILE[l % HOSTILE.length] ?? "d"}-${l}` : `doc-${l}`;
    const mine = fresh?.[id];
    const items: Array<RankedItem> = [];
    const count = 1 + Math.floor(next() * shape.items);
    for (let i = 0; i < count; i += 1) {
      const keep =
        mine !== undefined && next() < shape.similarity
          ? mine[Math.min(mine.length - 1, Math.max(0, i + Math.floor(next() * 5) - 2))]?.term
          : undefined;
      items.push({ term: keep ?? termOf(next, salt, shape.hostile), score: 1 / (i + 1) });
    }
    lists.push([id, items]);
  }
  return Object.fromEntries(lists);
};

/** A report of `shape`: its result, a baseline drawn from it, their diff, and a log tail. */
export const largeReport = (shape: LargeShape): Report => {
  const next = random(shape.seed);
  const rankings: Record<string, Ranking> = {};
  for (const name of shape.rankings) rankings[name] = rankingOf(next, shape, "", undefined);
  const baseRankings: Record<string, Ranking> = {};
  for (const name of shape.baselineRankings) baseRankings[name] = rankingOf(next, shape, "b", rankings[name]);
  const result: ExperimentResult = { rankings, metrics: { coverage: next() } };
  const baselineResult: ExperimentResult = { rankings: baseRankings, metrics: { coverage: next() } };
  const params: Record<string, string> = shape.top === undefined ? {} : { top: shape.top };
  for (let i = 0; i < (shape.longParams ?? 0); i += 1) params[`param_${i}`] = "v".repeat(60);
  const diff = diffResults(result, baselineResult, {
    goals: { coverage: { goal: "max", threshold: 0 } },
    primary: "coverage",
    params,
  });
  const logTail = Array.from({ length: shape.logLines }, (_, i) =>
    shape.hostile && i % 13 === 0
      ? `step ${i} \u001b[31m\`\`\`\`\` <!-- x --> @bob`
      : `step ${i}: loss ${next().toFixed(6)}`,
  );
  return makeReport({
    result,
    baselineResult,
    diff,
    params,
    logTail,
    status: { state: shape.state, detail: shape.state === "failed" ? "exit code 1" : "exit code 0" },
  });
};

/** The shapes the equivalence test renders. */
export const LARGE_SHAPES: Readonly<Record<string, LargeShape>> = {
  "bench-like: 5000 lists, all changed": {
    seed: 1,
    lists: 5000,
    items: 16,
    rankings: ["keywords"],
    baselineRankings: ["keywords"],
    hostile: false,
    logLines: 0,
    state: "succeeded",
    similarity: 0,
  },
  "hostile: 1500 lists, three rankings, long log, failed": {
    seed: 2,
    lists: 1500,
    items: 14,
    rankings: ["keywords", "topics"],
    baselineRankings: ["keywords", "legacy"],
    hostile: true,
    logLines: 400,
    state: "failed",
    similarity: 0.7,
  },
  "medium: 160 lists, top 5, similar": {
    seed: 3,
    lists: 160,
    items: 9,
    rankings: ["keywords"],
    baselineRankings: ["keywords"],
    hostile: true,
    logLines: 30,
    state: "succeeded",
    similarity: 0.85,
    top: "5",
  },
  "failed with a long log: 400 lists, 2000 log lines": {
    seed: 5,
    lists: 400,
    items: 12,
    rankings: ["keywords"],
    baselineRankings: ["keywords"],
    hostile: false,
    logLines: 2000,
    state: "failed",
    similarity: 0.5,
  },
  "cramped: 100 lists, 3000 log lines, 8 long parameters, failed": {
    seed: 9,
    lists: 100,
    items: 10,
    rankings: ["keywords"],
    baselineRankings: ["keywords"],
    hostile: false,
    logLines: 3000,
    state: "failed",
    similarity: 0.5,
    longParams: 8,
  },
  "small: 9 lists": {
    seed: 4,
    lists: 9,
    items: 6,
    rankings: ["keywords"],
    baselineRankings: ["keywords"],
    hostile: true,
    logLines: 3,
    state: "succeeded",
    similarity: 0.6,
  },
};

/** Budgets from the smallest the renderer allows to GitHub's limit, with steps that land near the table's full size. */
export const BUDGETS: ReadonlyArray<number | undefined> = [
  undefined,
  ...Array.from({ length: 42 }, (_, i) => 4_000 + i * 1_499),
  65_536,
];

/** What the equivalence test compares: the report at every budget, the keyword tables alone at a few, and the summary. */
export const renderings = (r: Report): ReadonlyArray<string> => [
  ...BUDGETS.map((b) => renderReportComment(r, { maxChars: b })),
  ...[500, 3_000, 20_000, 59_000, Number.POSITIVE_INFINITY].map((b) => renderKeywordTable(r, b) ?? "(none)"),
  renderSummary(r) ?? "(none)",
];

/** The digest the equivalence test pins: SHA-256 over {@link renderings}, each followed by a NUL. */
export const digestOf = (parts: ReadonlyArray<string>): string => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex");
};

// `npx tsx test/core/report/large-reports.ts` prints the digests, for when the report's output changes on purpose.
if (process.argv[1]?.endsWith("large-reports.ts") === true) {
  for (const [name, shape] of Object.entries(LARGE_SHAPES))
    process.stdout.write(`  ${JSON.stringify(name)}: "${digestOf(renderings(largeReport(shape)))}",\n`);
}
