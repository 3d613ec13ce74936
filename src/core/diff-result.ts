/**
 * A result compared with the current best, part by part.
 *
 * Decisions:
 * - Metrics: this run's metrics in its order, then declared metrics it lacks, then metrics only
 *   the baseline has (verdict `missing`): nothing the baseline had is dropped.
 * - A verdict needs a goal: `max` or `min` from the experiment's declaration. |delta| at most the
 *   metric's threshold is `unchanged` (so a tie always is); otherwise `better` or `worse` by the
 *   goal. A metric without a declared goal is `unchanged` or `changed`. With no baseline value
 *   the verdict is `new`.
 * - Floating-point noise: a |delta| within 1e-12 of the larger magnitude counts as a tie, so
 *   0.1 + 0.2 against 0.3 is unchanged, not "better by 5.6e-17".
 * - Rankings: each ranking of either side is diffed as keywords at `k` (the run's own `top`
 *   parameter when it has one); a ranking on one side only shows every list as new or removed.
 * - Tables: matched by title (first match); side by side when columns and row lengths match.
 */
import * as O from "fp-ts/Option";
import { DEFAULT_DIFF_K, diffKeywords } from "./diff.js";
import type { MetricGoal } from "./experiment-spec.js";
import { toKeywordResult } from "./keyword-ranking.js";
import type { KeywordResult, MetricDiff, MetricVerdict, RankingDiff, ResultDiff, TableComparison } from "./model.js";
import type { ExperimentResult, ResultTable } from "./result.js";

const NOISE = 1e-12;

const own = <A>(o: Readonly<Record<string, A>> | undefined, k: string): A | undefined =>
  o !== undefined && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;

/**
 * The verdict of one metric against its baseline value.
 *
 * @example
 * metricVerdict(0.95, 0.9519, { goal: "max", threshold: 0 }); // "worse"
 * metricVerdict(0.12, 0.1205, { goal: "min", threshold: 0.001 }); // "unchanged"
 * metricVerdict(0.95, null, { goal: "max", threshold: 0 }); // "new"
 * @internal */
export const metricVerdict = (
  value: number | null,
  baseline: number | null,
  goal: MetricGoal | undefined,
): MetricVerdict => {
  if (value === null) return "missing";
  if (baseline === null) return "new";
  const delta = value - baseline;
  const tie = Math.abs(delta) <= Math.max(goal?.threshold ?? 0, NOISE * Math.max(Math.abs(value), Math.abs(baseline)));
  if (tie) return "unchanged";
  if (goal === undefined) return "changed";
  return (goal.goal === "max") === delta > 0 ? "better" : "worse";
};

/**
 * One metric's row: value, baseline, delta, relative delta, goal, verdict.
 *
 * @example
 * diffMetric("accuracy", 0.95, 0.97, { goal: "max", threshold: 0 });
 * // { name: "accuracy", value: 0.95, baseline: 0.97, delta: -0.02…, relativeDelta: -0.0206…, goal: "max", threshold: 0, verdict: "worse" }
 * @internal */
export const diffMetric = (
  name: string,
  value: number | null,
  baseline: number | null,
  goal: MetricGoal | undefined,
): MetricDiff => {
  const delta = value === null || baseline === null ? null : value - baseline;
  return {
    name,
    value,
    baseline,
    delta,
    relativeDelta: delta === null || baseline === null || baseline === 0 ? null : delta / Math.abs(baseline),
    goal: goal?.goal ?? null,
    threshold: goal?.threshold ?? 0,
    verdict: metricVerdict(value, baseline, goal),
  };
};

/**
 * Every metric of either side (and every declared one) against the baseline.
 *
 * @example
 * diffMetrics({ metrics: { a: 1 } }, { metrics: { a: 0.5, b: 2 } }, { a: { goal: "max", threshold: 0 } }).map((m) => m.verdict);
 * // ["better", "missing"]
 * @internal */
export const diffMetrics = (
  result: ExperimentResult,
  baseline: ExperimentResult | undefined,
  goals: Readonly<Record<string, MetricGoal>>,
): ReadonlyArray<MetricDiff> => {
  const names = [...Object.keys(result.metrics ?? {}), ...Object.keys(goals), ...Object.keys(baseline?.metrics ?? {})];
  const rows: Array<MetricDiff> = [];
  for (const name of new Set(names)) {
    const value = own(result.metrics, name) ?? null;
    const base = own(baseline?.metrics, name) ?? null;
    // A declared metric neither side has says nothing.
    if (value === null && base === null) continue;
    rows.push(diffMetric(name, value, base, own(goals, name)));
  }
  return rows;
};

/**
 * How many top items of each list a ranking diff compares: the run's own `top` parameter when
 * it is a positive integer, else {@link DEFAULT_DIFF_K}.
 *
 * @example
 * rankingDepth({ top: "5" }); // 5
 * rankingDepth({}); // 10
 * @internal */
export const rankingDepth = (params: Readonly<Record<string, string>>): number => {
  const top = own(params, "top");
  return top !== undefined && /^[1-9][0-9]{0,5}$/.test(top) ? Number(top) : DEFAULT_DIFF_K;
};

const diffRankings = (result: ExperimentResult, baseline: ExperimentResult, k: number): ReadonlyArray<RankingDiff> => {
  const names = new Set([...Object.keys(result.rankings ?? {}), ...Object.keys(baseline.rankings ?? {})]);
  const empty: KeywordResult = { documents: [] };
  return [...names].map((name) => ({
    name,
    diff: diffKeywords(
      O.getOrElse(() => empty)(toKeywordResult(result, name)),
      O.getOrElse(() => empty)(toKeywordResult(baseline, name)),
      k,
    ),
  }));
};

const sameShape = (a: ResultTable, b: ResultTable): boolean =>
  a.columns.length === b.columns.length &&
  a.columns.every((c, i) => c === b.columns[i]) &&
  a.rows.length === b.rows.length &&
  a.rows.every((r, i) => r.length === (b.rows[i]?.length ?? -1));

const compareTables = (
  result: ExperimentResult,
  baseline: ExperimentResult | undefined,
): ReadonlyArray<TableComparison> =>
  (result.tables ?? []).map((table, index) => {
    const found = (baseline?.tables ?? []).findIndex((b) => b.title === table.title);
    const other = found < 0 ? undefined : baseline?.tables?.[found];
    return {
      index,
      title: table.title,
      baselineIndex: found < 0 ? null : found,
      sameShape: other !== undefined && sameShape(table, other),
    };
  });

/**
 * Compares a result with the current best (or with nothing yet), part by part.
 *
 * @example
 * const diff = diffResults({ metrics: { accuracy: 0.95 } }, { metrics: { accuracy: 0.9519 } }, {
 *   goals: { accuracy: { goal: "max", threshold: 0 } }, primary: "accuracy", params: {},
 * });
 * diff.metrics[0].verdict; // "worse"
 */
export const diffResults = (
  result: ExperimentResult,
  baseline: ExperimentResult | undefined,
  opts: {
    readonly goals: Readonly<Record<string, MetricGoal>>;
    readonly primary?: string | undefined;
    readonly params: Readonly<Record<string, string>>;
  },
): ResultDiff => ({
  metrics: diffMetrics(result, baseline, opts.goals),
  rankings: baseline === undefined ? [] : diffRankings(result, baseline, rankingDepth(opts.params)),
  tables: compareTables(result, baseline),
  hasBaseline: baseline !== undefined,
  ...(opts.primary === undefined ? {} : { primary: opts.primary }),
});
