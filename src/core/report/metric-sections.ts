/**
 * The report's answer to "better than the current best?": the verdict on the primary metric,
 * the metrics table, where the current best came from and with which parameters. Every piece of
 * untrusted text (metric names, parameters, logins) goes through `escape.ts`.
 *
 * @internal
 */
import { formatMetric } from "../promote-guard.js";
import type { BaselineMeta, MetricDiff, MetricVerdict, Report } from "../model.js";
import { escapeMarkdown, shorten } from "./escape.js";

const text = (s: string, max: number): string => escapeMarkdown(shorten(s, max));
const MAX_METRICS_SHOWN = 50;
const MAX_PARAMS_SHOWN = 10;

/**
 * @internal A verdict in words with a symbol, so it reads without colour.
 *
 * @example
 * verdictLabel("worse"); // "❌ worse"
 */
export const verdictLabel = (v: MetricVerdict): string =>
  ({
    better: "✅ better",
    worse: "❌ worse",
    unchanged: "⚪ unchanged",
    new: "🆕 new",
    missing: "⚠️ missing in this run",
    changed: "🔄 changed (no goal declared)",
  })[v];

const signed = (n: number): string => `${n > 0 ? "+" : n < 0 ? "−" : "±"}${formatMetric(Math.abs(n))}`;

/**
 * @internal The delta with the direction it moved in (↑ up, ↓ down, → no change); whether that
 * is good is the verdict's job, in words, since for a `min` goal down is better.
 *
 * @example
 * deltaCell(diffMetric("loss", 0.2, 0.25, { goal: "min", threshold: 0 })); // "↓ −0.05 (−20.00%)"
 */
export const deltaCell = (m: Pick<MetricDiff, "delta" | "relativeDelta">): string => {
  if (m.delta === null) return "—";
  const pct =
    m.relativeDelta === null
      ? ""
      : ` (${m.relativeDelta > 0 ? "+" : m.relativeDelta < 0 ? "−" : "±"}${Math.abs(m.relativeDelta * 100).toFixed(2)}%)`;
  const arrow = m.delta > 0 ? "↑" : m.delta < 0 ? "↓" : "→";
  return `${arrow} ${signed(m.delta)}${pct}`;
};

/** @internal The primary metric's row of the diff, if the experiment declares one and the diff has it. */
export const primaryOf = (r: Report): MetricDiff | undefined =>
  r.diff?.primary === undefined ? undefined : r.diff.metrics.find((m) => m.name === r.diff?.primary);

/**
 * @internal The heading's answer on the primary metric, or undefined when there is none to give.
 *
 * @example
 * primaryVerdict(report); // "❌ worse than the current best: accuracy 0.95 vs 0.9519 (−0.0019)"
 */
export const primaryVerdict = (r: Report): string | undefined => {
  if (r.status.state !== "succeeded") return undefined;
  const m = primaryOf(r);
  if (m === undefined) return undefined;
  const name = text(m.name, 64);
  switch (m.verdict) {
    case "new":
      return `🆕 no current best yet: ${name} ${formatMetric(m.value ?? 0)}`;
    case "missing":
      return `⚠️ this result has no ${name} (the current best has ${formatMetric(m.baseline ?? 0)})`;
    case "better":
    case "worse":
      return `${verdictLabel(m.verdict)} than the current best: ${name} ${formatMetric(m.value ?? 0)} vs ${formatMetric(m.baseline ?? 0)} (${signed(m.delta ?? 0)})`;
    case "unchanged":
    case "changed":
      return `⚪ as good as the current best: ${name} ${formatMetric(m.value ?? 0)} vs ${formatMetric(m.baseline ?? 0)} (${signed(m.delta ?? 0)})`;
  }
};

/** @internal The metrics table: metric, this run, current best, delta, verdict. */
export const renderMetricsTable = (r: Report): string | undefined => {
  const metrics = r.diff?.metrics ?? [];
  if (metrics.length === 0) return undefined;
  const rows = metrics.slice(0, MAX_METRICS_SHOWN).map((m) => {
    const tags = [
      m.name === r.diff?.primary ? "primary" : undefined,
      m.goal === null ? undefined : `${m.goal}${m.threshold > 0 ? `, ±${formatMetric(m.threshold)}` : ""}`,
    ].filter((x): x is string => x !== undefined);
    const label = `${text(m.name, 64)}${tags.length > 0 ? ` (${tags.join(", ")})` : ""}`;
    const value = m.value === null ? "—" : formatMetric(m.value);
    const best = m.baseline === null ? "—" : formatMetric(m.baseline);
    return `| ${label} | ${value} | ${best} | ${deltaCell(m)} | ${verdictLabel(m.verdict)} |`;
  });
  const more =
    metrics.length > MAX_METRICS_SHOWN ? ["", `_${metrics.length - MAX_METRICS_SHOWN} more metrics not shown._`] : [];
  return [
    "| Metric | This run | Current best | Delta | Verdict |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    ...more,
  ].join("\n");
};

/** @internal Parameters as `key = value` pairs, bounded. */
export const renderParamList = (params: Readonly<Record<string, string>>): string => {
  const entries = Object.entries(params);
  if (entries.length === 0) return "defaults";
  const shown = entries.slice(0, MAX_PARAMS_SHOWN).map(([k, v]) => `${text(k, 32)} = ${text(v, 80)}`);
  const more = entries.length > MAX_PARAMS_SHOWN ? `, and ${entries.length - MAX_PARAMS_SHOWN} more` : "";
  return `${shown.join(", ")}${more}`;
};

const provenance = (m: BaselineMeta): string => {
  const from = m.pr.number > 0 ? `#${m.pr.number}` : "no pull request";
  const forced = m.forced === true ? ", **forced** past the guard (`promote force=true`)" : "";
  return `${from} at \`${m.sha.slice(0, 7)}\`, promoted by ${text(m.promotedBy.login, 64)} on ${text(m.promotedAt, 40)}${forced}`;
};

/** @internal Where the current best came from, and its parameters, as fact lines. */
export const renderBaselineFacts = (r: Report): ReadonlyArray<string> => {
  const m = r.baselineMeta;
  if (m === undefined)
    return r.baselineResult === undefined ? [] : ["- **Current best:** a baseline file without provenance"];
  return [
    `- **Current best:** ${provenance(m)}`,
    `- **Current best's parameters:** ${m.params === undefined ? "not recorded" : renderParamList(m.params)}`,
  ];
};
