/**
 * The primary metric over this pull request's runs: a Mermaid chart (one bar per run, the current
 * best as a line) and a table that names each run's commit in full. The chart's x labels are run
 * numbers (short, and unique where commits repeat), at most {@link MAX_CHART_RUNS} of them.
 * Metric names reach the chart only through `mermaidLabel` and the table only through `escape.ts`.
 *
 * @internal
 */
import { diffMetric } from "../diff-result.js";
import type { MetricDiff, Report } from "../model.js";
import { formatMetric } from "../promote-guard.js";
import { escapeHtml, escapeMarkdown, mermaidLabel, shorten } from "./escape.js";
import { deltaCell, primaryOf, verdictLabel } from "./metric-sections.js";
import { currentPoint, type MetricPoint } from "./metric-history.js";

/** @internal At most this many runs on the chart's x axis: the last ones. */
export const MAX_CHART_RUNS = 12;
// Mermaid reads plain decimals only; beyond this a fixed-point value stops being exact.
const MAX_PLOTTABLE = 1e15;

const sameMetric =
  (m: MetricDiff) =>
  (p: MetricPoint): boolean =>
    p.metric === shorten(m.name, 64);

/** The runs of the primary metric, oldest first. */
const runsOf = (
  r: Report,
  history: ReadonlyArray<MetricPoint>,
): { readonly m: MetricDiff; readonly runs: ReadonlyArray<MetricPoint> } | undefined => {
  const m = primaryOf(r);
  return m === undefined ? undefined : { m, runs: history.filter(sameMetric(m)) };
};

const plain = (v: number, decimals: number): string => {
  const s = v.toFixed(Math.min(20, Math.max(0, decimals)));
  const trimmed = s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  return trimmed === "-0" ? "0" : trimmed;
};

/**
 * The y range: the values and the best with room around them (from 0 when that costs little),
 * rounded out to the span's order of magnitude so the axis ends read as plain short numbers.
 */
const yRange = (
  values: ReadonlyArray<number>,
): { readonly lo: string; readonly hi: string; readonly decimals: number } => {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min > 0 ? max - min : Math.max(Math.abs(max) * 0.1, 1e-9);
  const pad = span * 0.25;
  const lo = min >= 0 && min - pad < 0 ? 0 : min - pad;
  const hi = max + pad;
  const magnitude = Math.floor(Math.log10(hi - lo));
  const step = 10 ** magnitude;
  const decimals = Math.max(0, -magnitude);
  return {
    lo: plain(Math.floor(lo / step) * step, decimals),
    hi: plain(Math.ceil(hi / step) * step, decimals),
    decimals,
  };
};

/**
 * The chart of the primary metric over this pull request's runs, when there are at least two:
 * bars for the runs (the last {@link MAX_CHART_RUNS}), a line for the current best when there is
 * one. Undefined without a primary metric, with fewer than two runs, or for values too large to plot.
 *
 * @internal
 * @example
 * renderMetricChart(report, history); // "```mermaid\nxychart-beta\n  title \"accuracy per run (bars), current best 0.9519 (line)\"…"
 */
export const renderMetricChart = (r: Report, history: ReadonlyArray<MetricPoint>): string | undefined => {
  const found = runsOf(r, history);
  if (found === undefined) return undefined;
  const runs = found.runs.slice(-MAX_CHART_RUNS);
  if (runs.length < 2) return undefined;
  const best = found.m.baseline !== null && Number.isFinite(found.m.baseline) ? found.m.baseline : undefined;
  const values = [...runs.map((p) => p.value), ...(best === undefined ? [] : [best])];
  if (values.some((v) => Math.abs(v) >= MAX_PLOTTABLE)) return undefined;
  const { lo, hi, decimals } = yRange(values);
  const name = mermaidLabel(found.m.name, 24);
  // Only our own words around the cleaned name: parentheses and commas are safe inside the quotes.
  const title =
    best === undefined
      ? `${name}: runs (bars), no current best yet`
      : `${name}: runs (bars), current best ${formatMetric(best)} (line)`;
  const shown = found.runs.length > runs.length ? `, last ${runs.length} of ${found.runs.length}` : "";
  return [
    "```mermaid",
    "xychart-beta",
    `  title "${title}"`,
    `  x-axis "run of this pull request${shown}" [${runs.map((p) => `"${p.n}"`).join(", ")}]`,
    `  y-axis "${name}" ${lo} --> ${hi}`,
    `  bar [${runs.map((p) => plain(p.value, decimals + 4)).join(", ")}]`,
    ...(best === undefined ? [] : [`  line [${runs.map(() => plain(best, decimals + 4)).join(", ")}]`]),
    "```",
  ].join("\n");
};

/**
 * The runs behind the chart, each with its full commit and its value against the current best,
 * folded under `<details>`. Undefined when there are fewer than two runs (the metrics table says it all).
 *
 * @internal
 * @example
 * renderMetricHistoryTable(report, history); // "<details>\n<summary>accuracy over this pull request's runs (5)</summary>…"
 */
export const renderMetricHistoryTable = (r: Report, history: ReadonlyArray<MetricPoint>): string | undefined => {
  const found = runsOf(r, history);
  if (found === undefined || found.runs.length < 2) return undefined;
  const { m, runs } = found;
  const goal = m.goal === null ? undefined : { goal: m.goal, threshold: m.threshold };
  // nextHistory puts this run's point last, when it has one.
  const thisRun = currentPoint(r) === undefined ? undefined : runs[runs.length - 1]?.n;
  const rows = runs.map((p) => {
    const d = diffMetric(m.name, p.value, m.baseline, goal);
    const against = m.baseline === null ? "— (no current best)" : `${deltaCell(d)} · ${verdictLabel(d.verdict)}`;
    return `| ${p.n}${p.n === thisRun ? " (this run)" : ""} | \`${p.sha}\` | ${formatMetric(p.value)} | ${against} |`;
  });
  const name = escapeMarkdown(shorten(m.name, 64));
  return [
    "<details>",
    `<summary>${escapeHtml(shorten(m.name, 64))} over this pull request's runs (${runs.length})</summary>`,
    "",
    `| Run | Commit | ${name} | Against the current best${m.baseline === null ? "" : ` (${formatMetric(m.baseline)})`} |`,
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "</details>",
  ].join("\n");
};
