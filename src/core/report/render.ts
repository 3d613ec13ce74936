/**
 * Renders a report to one Markdown comment within the code host's size limit
 * (SECURITY-CHECKLIST 64): the current result first, detail folded under `<details>`, the log
 * tail and the keyword table cut with a visible note, earlier results folded last.
 */
import type { Report } from "../model.js";
import { cutUnits } from "./escape.js";
import { SECTION } from "./layout.js";
import {
  renderChart,
  renderFacts,
  renderHeading,
  keywordTableWithin,
  renderKeywordTable,
  renderLogTail,
  renderSummary,
} from "./sections.js";
import { renderMetricsTable } from "./metric-sections.js";
import { renderMetricChart, renderMetricHistoryTable } from "./metric-chart.js";
import { nextHistory, type MetricPoint } from "./metric-history.js";
import { renderImages, renderNotes, renderResultTables } from "./extra-sections.js";

/**
 * GitHub rejects comment bodies longer than this (422 "body is too long").
 *
 * @example
 * renderReport(report, { maxChars: GITHUB_COMMENT_LIMIT }).length <= GITHUB_COMMENT_LIMIT; // true
 * @internal */
export const GITHUB_COMMENT_LIMIT = 65_536;
/**
 * Default budget: below the limit, leaving room for a forge that adds a footer.
 *
 * @example
 * renderReport(report).length <= DEFAULT_MAX_CHARS; // true
 * @internal */
export const DEFAULT_MAX_CHARS = 60_000;
const MIN_MAX_CHARS = 4_000;

/**
 * Options of {@link renderReport}.
 *
 * @example
 * const opts: RenderOptions = { maxChars: 65_536, previous: ["### tfidf-keywords: failed at `0123456`\n…"] };
 */
export type RenderOptions = {
  /** Size budget in UTF-16 code units (never fewer than code points); clamped to 4,000–65,536. */
  readonly maxChars?: number | undefined;
  /** Earlier rendered results, newest first (the ledger reads them from the previous body); folded under `<details>`. */
  readonly previous?: ReadonlyArray<string> | undefined;
  /** The primary metric of this pull request's earlier runs, oldest first (from the previous report's state). */
  readonly history?: ReadonlyArray<MetricPoint> | undefined;
  /**
   * Lines that open the body, inside the budget: the ledger's report marker and state line
   * (`renderReportComment` in `src/core/ledger/`). Absent, the body is the report alone.
   */
  readonly head?: string | undefined;
};

const present = (s: string | undefined): s is string => s !== undefined && s !== "";

const clampBudget = (n: number | undefined): number =>
  n === undefined || !Number.isFinite(n)
    ? DEFAULT_MAX_CHARS
    : Math.min(GITHUB_COMMENT_LIMIT, Math.max(MIN_MAX_CHARS, Math.floor(n)));

const SHORTENED = "_Report shortened to stay within the size limit._";

/** The smallest report that still says what happened. */
const minimalSection = (r: Report, budget: number): string => {
  const full = [renderHeading(r), renderFacts(r, 100), SHORTENED].join("\n\n");
  if (full.length <= budget) return full;
  return cutUnits([renderHeading(r), `- **Status:** ${r.status.state}`, SHORTENED].join("\n\n"), budget);
};

/** Tables and notes take at most these shares of the room; keyword table and log share the rest. */
const TABLES_SHARE = 0.3;
const NOTES_SHARE = 0.1;

/** The result's own tables and notes, each within its share of `room`, with a note when left out. */
const extraParts = (r: Report, room: number): ReadonlyArray<string> => {
  const tables = renderResultTables(r, Math.floor(room * TABLES_SHARE));
  const notes = renderNotes(r);
  const notesFit = notes === undefined || notes.length <= Math.floor(room * NOTES_SHARE);
  return [tables, notesFit ? notes : "_Notes omitted to stay within the size limit._", renderImages(r)].filter(present);
};

/**
 * Keyword tables cut at `budget` are, in full, longer than `budget` less the room kept for one
 * cut note and one header row (under 300 characters), so probing at the room plus this tells
 * "the whole table fits" from "it does not" exactly, without rendering every row.
 */
const TABLE_PROBE_SLACK = 2_000;

/** Log and keyword table share what the fixed parts leave; a failed run gives the log more. */
const detailParts = (r: Report, roomAll: number): ReadonlyArray<string> => {
  const extras = extraParts(r, roomAll);
  const room = roomAll - extras.reduce((n, p) => n + p.length + 2, 0);
  // Only whether the whole table fits matters, and its length when it does: a table cut at more
  // than the room is longer than the room, so it is never rendered in full (5,000 documents).
  const probe = keywordTableWithin(r, room + TABLE_PROBE_SLACK);
  const fullTable = probe.complete ? (probe.text?.length ?? 0) : Number.POSITIVE_INFINITY;
  const hasTable = probe.text !== undefined || !probe.complete;
  const fullLog = renderLogTail(r, Number.POSITIVE_INFINITY);
  const need = fullTable + (fullLog?.length ?? 0) + 4;
  if (need <= room) return [...extras, probe.text, fullLog].filter(present);
  const failed = r.status.state !== "succeeded";
  const share = Math.floor(room * (failed ? 0.75 : 0.25));
  const logBudget = Math.min(room, Math.max(share, room - fullTable - 4));
  const log = renderLogTail(r, logBudget);
  const table = renderKeywordTable(r, room - (log?.length ?? 0) - 4);
  const notes: Array<string> = [];
  if (table === undefined && hasTable) notes.push("_Keyword table omitted to stay within the size limit._");
  if (log === undefined && fullLog !== undefined) notes.push("_Log tail omitted to stay within the size limit._");
  return [...extras, table, log, ...notes].filter(present);
};

/**
 * The primary metric over the pull request's runs, between whole-line markers: it describes the
 * pull request rather than this run, so it is left out when this result is folded among earlier ones.
 */
const metricRuns = (r: Report, history: ReadonlyArray<MetricPoint>): string | undefined => {
  const parts = [renderMetricChart(r, history), renderMetricHistoryTable(r, history)].filter(present);
  return parts.length === 0
    ? undefined
    : [SECTION.runsBegin, "", ...parts.flatMap((p) => [p, ""]), SECTION.runsEnd].join("\n");
};

const withoutRuns = (section: string): string => {
  const out: Array<string> = [];
  let skipping = false;
  for (const line of section.split(/\r?\n/)) {
    if (line === SECTION.runsBegin) skipping = true;
    else if (line === SECTION.runsEnd && skipping) skipping = false;
    else if (!skipping) out.push(line);
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
};

/**
 * The current result alone, within `budget` characters.
 *
 * @example
 * renderResultSection(report, 20_000).startsWith("### tfidf-keywords: succeeded"); // true
 * @internal */
export const renderResultSection = (r: Report, budget: number, history: ReadonlyArray<MetricPoint> = []): string => {
  const firstRanking = r.diff?.rankings[0];
  const chart = firstRanking === undefined ? undefined : renderChart(firstRanking.diff);
  const runs = metricRuns(r, history);
  const withChart = [renderHeading(r), renderFacts(r), renderMetricsTable(r), runs, renderSummary(r), chart].filter(
    present,
  );
  const noChart = withChart.filter((p) => p !== chart && p !== runs);
  for (const fixed of [withChart, noChart]) {
    const head = fixed.join("\n\n");
    const room = budget - head.length - 4;
    if (room < 300) continue;
    const out = [head, ...detailParts(r, room)].join("\n\n");
    if (out.length <= budget) return out;
  }
  return minimalSection(r, budget);
};

const firstLine = (s: string): string => s.split("\n", 1)[0] ?? "";

/** Earlier results under one `<details>`, newest first, as many as fit `budget`. */
const renderHistory = (previous: ReadonlyArray<string>, budget: number): string | undefined => {
  // Earlier results come from our own comment, but a hand-edited one must not smuggle in markers.
  const sections = previous
    .map((p) =>
      withoutRuns(p)
        .split(/\r?\n/)
        .filter((l) => !/^\s*<!--\s*ml-chatops:/i.test(l))
        .join("\n")
        .trim(),
    )
    .filter((p) => p !== "");
  if (sections.length === 0) return undefined;
  const open = (n: number): string => `<details>\n<summary>Earlier results (${n})</summary>\n\n`;
  const close = "\n\n</details>";
  const omittedNote = (n: number): string => `\n\n_${n} earlier results omitted to stay within the size limit._`;
  let used = open(sections.length).length + close.length + omittedNote(sections.length).length;
  const kept: Array<string> = [];
  for (const s of sections) {
    const full = `${SECTION.previousBegin}\n\n${s}\n\n${SECTION.previousEnd}`;
    const compact = `${SECTION.previousBegin}\n\n${firstLine(s)}\n\n${SHORTENED}\n\n${SECTION.previousEnd}`;
    const pick = [full, compact].find((x) => used + x.length + 2 <= budget);
    if (pick === undefined) break;
    kept.push(pick);
    used += pick.length + 2;
  }
  if (kept.length === 0) return undefined;
  const omitted = sections.length - kept.length;
  return `${open(kept.length)}${kept.join("\n\n")}${omitted > 0 ? omittedNote(omitted) : ""}${close}`;
};

/**
 * Renders a report as one Markdown comment of at most `maxChars` characters (default 60,000,
 * never above GitHub's 65,536), opened by `head` when given (the ledger's markers); untrusted text is escaped so it cannot break the table, close a fence, inject HTML, mention
 * anyone, cross-reference or forge a marker.
 *
 * @example
 * const body = renderReport(report, { previous: ["### tfidf-keywords: failed at `0123456`\n…"] });
 * body.includes("### tfidf-keywords"); // true
 */
export const renderReport = (report: Report, opts?: RenderOptions): string => {
  const max = clampBudget(opts?.maxChars);
  const history = nextHistory(opts?.history ?? [], report);
  const head = opts?.head === undefined || opts.head === "" ? "" : `${opts.head}\n`;
  const previous = opts?.previous ?? [];
  const frame = (section: string): string => `${head}${SECTION.resultBegin}\n\n${section}\n\n${SECTION.resultEnd}`;
  const reserve = previous.length > 0 ? 600 : 0;
  const base = frame(renderResultSection(report, max - frame("").length - reserve, history));
  const earlier = renderHistory(previous, max - base.length - 2);
  const body = earlier === undefined ? base : `${base}\n\n${earlier}`;
  // Unreachable with the budgets above; a last guard so the forge never sees a 422.
  return cutUnits(body, max);
};
