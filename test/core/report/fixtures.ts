import * as O from "fp-ts/Option";
import { diffKeywords } from "../../../src/core/diff.js";
import { diffMetric } from "../../../src/core/diff-result.js";
import { extractResults, readReportState } from "../../../src/core/ledger/markers.js";
import { renderReportComment } from "../../../src/core/ledger/report-comment.js";
import { fromKeywordResult } from "../../../src/core/keyword-ranking.js";
import { toRunKey, type KeywordResult, type Report, type RunHandle, type Sha } from "../../../src/core/model.js";

export const SHA = "0123456789abcdef0123456789abcdef01234567" as Sha;
export const RUN_KEY = toRunKey({ owner: "octo", repo: "kw", number: 12 }, "tfidf-keywords");

export const handle = (id: string): RunHandle => ({
  runner: "local",
  id,
  runKey: RUN_KEY,
  pinnedSha: SHA,
  startedAt: "2026-11-27T16:00:00.000Z",
  url: `https://ci.example/runs/${id}`,
});

export const keywords = (docs: Readonly<Record<string, ReadonlyArray<string>>>): KeywordResult => ({
  documents: Object.entries(docs).map(([id, terms]) => ({
    id,
    keywords: terms.map((term, i) => ({ term, score: 1 / (i + 1) })),
  })),
});

export const RESULT = keywords({ "talk-1": ["python", "型", "tfidf"], "talk-2": ["rust", "wasm"], "talk-3": ["new"] });
export const BASELINE = keywords({ "talk-1": ["型", "python", "old"], "talk-2": ["rust", "wasm"], "talk-4": ["gone"] });

/** A keyword result and its diff as a report's `result` and `diff` (the ranking `keywords`). */
export const keywordParts = (
  result: KeywordResult,
  baseline: KeywordResult,
  k = 10,
): Pick<Report, "result" | "diff"> => ({
  result: fromKeywordResult(result),
  diff: {
    metrics: [],
    rankings: [{ name: "keywords", diff: diffKeywords(result, baseline, k) }],
    tables: [],
    hasBaseline: true,
  },
});

/** A succeeded report with a result, a diff and a short log; override anything. */
/** The run key is the report's pull request × experiment, as in every report the pipeline makes. */
export const makeReport = (over: Partial<Report> = {}): Report => ({
  runKey: toRunKey(over.pr ?? RUN_KEY.pr, over.experimentId ?? RUN_KEY.experiment),
  experimentId: RUN_KEY.experiment,
  pr: RUN_KEY.pr,
  pinnedSha: SHA,
  runner: "local",
  status: { state: "succeeded", detail: "exit code 0" },
  params: { max_df: "0.4" },
  logTail: ["loading corpus", "done"],
  links: [{ label: "logs", url: "https://ci.example/runs/r1/logs" }],
  durationMs: 83_000,
  ...keywordParts(RESULT, BASELINE, 3),
  handle: handle("r1"),
  ...over,
});

/** Code points, as a forge that counts characters would. */
export const codePoints = (s: string): number => Array.from(s).length;

export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A copy of `r` without the given optional fields. */
export const omit = <K extends "diff" | "result" | "handle" | "durationMs">(
  r: Report,
  ...keys: ReadonlyArray<K>
): Report => {
  const copy: Record<string, unknown> = { ...r };
  for (const k of keys) delete copy[k];
  return copy as Report;
};

/** A 40-hex commit made of one repeated hex digit pattern, e.g. `commit(3)` = "3333…". */
export const commit = (i: number): Sha => (i % 16).toString(16).repeat(40) as Sha;

/** A succeeded report of experiment `train` whose primary metric `name` (default accuracy, goal max) is compared with `best` (null: no current best). */
export const metricReport = (
  value: number,
  best: number | null,
  over: Partial<Report> = {},
  opts: { readonly goal?: "max" | "min"; readonly name?: string } = {},
): Report => {
  const name = opts.name ?? "accuracy";
  return makeReport({
    experimentId: "train",
    result: { metrics: { [name]: value, loss: 1 - value } },
    diff: {
      metrics: [
        diffMetric(name, value, best, { goal: opts.goal ?? "max", threshold: 0 }),
        diffMetric("loss", 1 - value, best === null ? null : 1 - best, { goal: "min", threshold: 0 }),
      ],
      rankings: [],
      tables: [],
      hasBaseline: best !== null,
      primary: name,
    },
    ...over,
  });
};

/**
 * The body after one report per value, each published over the previous body as the comment
 * reporter does (earlier results and the metric history read back from the previous body).
 */
export const bodyAfterRuns = (values: ReadonlyArray<number>, best: number | null, name = "accuracy"): string =>
  values.reduce((body, value, i) => {
    const history = O.toNullable(readReportState(body))?.history ?? [];
    const { current, previous: older } = extractResults(body);
    const previous = [...(O.isSome(current) ? [current.value] : []), ...older].slice(0, 3);
    return renderReportComment(
      metricReport(value, best, { pinnedSha: commit(i + 1), handle: handle(`r${i + 1}`) }, { name }),
      { history, previous },
    );
  }, "");
