/**
 * `ml-chatops run --format json`: exactly
 * `{"experiment","sha","status","metrics":[{"name","value","baseline","delta","goal","verdict"}],"rankings":{…}}`,
 * where `baseline` and `delta` are null without a baseline and `verdict` is then `new`.
 */
import type { Report, ResultDiff } from "../index.js";

/** One metric row of the JSON output. */
export type RunJsonMetric = {
  readonly name: string;
  readonly value: number | null;
  readonly baseline: number | null;
  readonly delta: number | null;
  readonly goal: "max" | "min" | null;
  readonly verdict: string;
};

/** One ranking of the JSON output: its lists, and against the baseline the compared depth, lists changed and mean overlap (null without one). */
export type RunJsonRanking = {
  readonly lists: number;
  readonly k: number | null;
  readonly changed: number | null;
  readonly meanOverlap: number | null;
};

/** The whole JSON output. */
export type RunJson = {
  readonly experiment: string;
  readonly sha: string;
  readonly status: string;
  readonly metrics: ReadonlyArray<RunJsonMetric>;
  readonly rankings: Readonly<Record<string, RunJsonRanking>>;
};

/**
 * The JSON form of a local run's report.
 *
 * @example
 * toRunJson(report, diff); // { experiment: "train", sha: "0123…", status: "succeeded", metrics: [{ name: "accuracy", value: 0.95, baseline: 0.97, delta: -0.02, goal: "max", verdict: "worse" }], rankings: {} }
 */
export const toRunJson = (report: Report, diff: ResultDiff | undefined): RunJson => {
  const byName = new Map((diff?.rankings ?? []).map((r) => [r.name, r.diff] as const));
  const rankings = Object.entries(report.result?.rankings ?? {}).map(
    ([name, ranking]): readonly [string, RunJsonRanking] => {
      const d = byName.get(name);
      return [
        name,
        {
          lists: Object.keys(ranking).length,
          k: d?.k ?? null,
          changed: d?.documentsChanged ?? null,
          meanOverlap: d?.meanOverlap ?? null,
        },
      ];
    },
  );
  return {
    experiment: report.experimentId,
    sha: report.pinnedSha,
    status: report.status.state,
    metrics: (diff?.metrics ?? []).map((m) => ({
      name: m.name,
      value: m.value,
      baseline: m.baseline,
      delta: m.delta,
      goal: m.goal,
      verdict: m.verdict,
    })),
    rankings: Object.fromEntries(rankings),
  };
};
