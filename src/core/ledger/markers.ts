/**
 * Hidden markers of the report comment: the run state. Only the ledger (this folder) imports this
 * module; a dependency-cruiser rule (`ledger-owns-run-state`) says so.
 *
 * Line 1 names the pull request × experiment, the head lines under it (comment-head.ts) carry the
 * machine-readable state, and section markers delimit the current and the earlier results. Markers are only recognised at
 * the very start of the body (lines 1–2) or as whole lines, and every piece of untrusted text in
 * a report has its `<!--` escaped, so text from a log or a corpus cannot forge them
 * (SECURITY-CHECKLIST 65). The forge adds the other half: it only reads comments the bot wrote.
 */
import * as t from "io-ts";
import * as O from "fp-ts/Option";
import { pipe } from "fp-ts/function";
import { ExperimentId, RepoPullNumber, RunHandle, RunStatus, Sha, runKeyId, toRunKey, type RunKey } from "../model.js";
import type { Report } from "../model.js";
import { decodeBase64Url, encodeBase64Url } from "../report/base64url.js";
import { shorten } from "../report/escape.js";
import { SECTION } from "../report/layout.js";
import { MetricHistory } from "../report/metric-history.js";
import { readHead } from "./comment-head.js";

/**
 * What a report comment remembers about its run, so a detached run can be found and followed
 * again from the comment alone.
 *
 * @example
 * pipe(readReportState(body), O.map((s: ReportState) => s.handle));
 * @internal */
export const ReportState = t.intersection([
  // No run key of its own: it is the pull request × experiment below, which the marker on line 1 names.
  t.type({
    experimentId: ExperimentId,
    pr: RepoPullNumber,
    pinnedSha: Sha,
    status: RunStatus,
    params: t.readonly(t.record(t.string, t.string)),
  }),
  /** `history`: the primary metric over this pull request's runs, this run last when it has a value. */
  t.partial({ handle: RunHandle, supersededBy: t.string, history: MetricHistory }),
]);
export type ReportState = t.TypeOf<typeof ReportState>;

// Run keys are validated, but the marker must never contain `>` or whitespace whatever it gets.
const markerText = (s: string): string =>
  s.replace(/[^A-Za-z0-9._/#:~-]/gu, (ch) => `%${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}`);

/**
 * The hidden marker naming one pull request × experiment; a report body starts with it.
 *
 * @example
 * reportMarker(toRunKey({ owner: "octo", repo: "kw", number: 12 }, "tfidf-keywords"));
 * // "<!-- ml-chatops:report octo/kw#12:tfidf-keywords -->"
 * @internal */
export const reportMarker = (runKey: RunKey): string => `<!-- ml-chatops:report ${markerText(runKeyId(runKey))} -->`;

/**
 * True when `body` is a report for `runKey`: the marker must be its very first line.
 *
 * @example
 * isReportFor(renderReport(report), report.runKey); // true
 * @internal */
export const isReportFor = (body: string, runKey: RunKey): boolean => {
  const first = body.split(/\r?\n/, 1)[0];
  return first === reportMarker(runKey);
};

/**
 * The state a report carries, taken from a report and the metric history it shows.
 *
 * @example
 * toReportState(report).status.state; // "running"
 * @internal */
export const toReportState = (r: Report, history: MetricHistory = []): ReportState => ({
  experimentId: r.experimentId,
  pr: { owner: r.pr.owner, repo: r.pr.repo, number: r.pr.number },
  pinnedSha: r.pinnedSha,
  // Bounded: the state rides in every report body and counts against the size budget.
  status: { ...r.status, detail: shorten(r.status.detail, 300) },
  params: Object.fromEntries(
    Object.entries(r.params)
      .slice(0, 32)
      .map(([k, v]) => [shorten(k, 64), shorten(v, 256)]),
  ),
  ...(r.handle === undefined ? {} : { handle: r.handle }),
  ...(r.supersededBy === undefined ? {} : { supersededBy: shorten(r.supersededBy, 200) }),
  ...(history.length === 0 ? {} : { history }),
});

/**
 * The payload of the hidden state line: base64url JSON, so nothing in it can end the HTML comment.
 *
 * @example
 * writeHead(reportMarker(key), { state: statePayload(toReportState(report)) });
 * @internal */
export const statePayload = (state: ReportState): string => encodeBase64Url(JSON.stringify(ReportState.encode(state)));

/**
 * The hidden state line.
 *
 * @example
 * stateMarker(toReportState(report)); // "<!-- ml-chatops:state eyJydW5LZXki… -->"
 * @internal */
export const stateMarker = (state: ReportState): string => `<!-- ml-chatops:state ${statePayload(state)} -->`;

const parseJson = (text: string): O.Option<unknown> => {
  try {
    return O.some(JSON.parse(text) as unknown);
  } catch {
    return O.none;
  }
};

// A history someone edited into nonsense is dropped on its own: the run's handle and status must
// still be read, or a detached run could no longer be followed or cancelled.
const decodeState = (json: unknown): O.Option<ReportState> => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return O.none;
  const { history, ...rest } = json as Record<string, unknown>;
  return pipe(
    O.fromEither(ReportState.decode(rest)),
    O.map((state) => {
      const decoded = history === undefined ? undefined : MetricHistory.decode(history);
      return decoded?._tag === "Right" && decoded.right.length > 0 ? { ...state, history: decoded.right } : state;
    }),
  );
};

/**
 * Reads the state from a report body. Only a body whose first line is the report marker and
 * whose head holds the state line counts; a marker anywhere else (a forged one in a log line,
 * say) is ignored.
 *
 * @example
 * pipe(readReportState(body), O.map((s) => s.handle?.id));
 * @internal */
export const readReportState = (body: string): O.Option<ReportState> => {
  const first = body.split(/\r?\n/, 1)[0] ?? "";
  const key = /^<!-- ml-chatops:report (\S+) -->$/.exec(first)?.[1];
  const encoded = key === undefined ? undefined : readHead(body, first)?.state;
  if (key === undefined || encoded === undefined) return O.none;
  return pipe(
    decodeBase64Url(encoded),
    O.flatMap(parseJson),
    O.flatMap(decodeState),
    O.filter((state) => markerText(runKeyId(toRunKey(state.pr, state.experimentId))) === key),
  );
};

const sectionsBetween = (lines: ReadonlyArray<string>, begin: string, end: string): ReadonlyArray<string> => {
  const out: Array<string> = [];
  let from: number | undefined;
  lines.forEach((line, i) => {
    if (line === begin) from = i + 1;
    else if (line === end && from !== undefined) {
      out.push(
        lines
          .slice(from, i)
          .join("\n")
          .replace(/^\n+|\n+$/g, ""),
      );
      from = undefined;
    }
  });
  return out;
};

/**
 * The rendered current result and earlier results of a report body written by {@link renderReport},
 * newest first. Anything that is not a report (no marker on line 1) has none.
 *
 * @example
 * extractResults(body); // { current: some("### tfidf-keywords: succeeded …"), previous: ["…"] }
 * @internal */
export const extractResults = (
  body: string,
): { readonly current: O.Option<string>; readonly previous: ReadonlyArray<string> } => {
  if (!/^<!-- ml-chatops:report \S+ -->\r?$/.test(body.split("\n", 1)[0] ?? ""))
    return { current: O.none, previous: [] };
  const lines = body.split(/\r?\n/);
  return {
    current: O.fromNullable(sectionsBetween(lines, SECTION.resultBegin, SECTION.resultEnd)[0]),
    previous: sectionsBetween(lines, SECTION.previousBegin, SECTION.previousEnd),
  };
};
