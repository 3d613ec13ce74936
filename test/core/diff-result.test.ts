/**
 * Metric verdicts by goal and threshold (ties, a metric missing in the baseline, one new to this
 * run, one the run lost), rankings at the run's own `top`, tables matched by title and shape.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { diffMetrics, diffResults, metricVerdict, rankingDepth } from "../../src/core/diff-result.js";
import type { MetricGoal } from "../../src/core/experiment-spec.js";
import type { MetricVerdict } from "../../src/core/model.js";

const max: MetricGoal = { goal: "max", threshold: 0 };
const min: MetricGoal = { goal: "min", threshold: 0 };

describe("metricVerdict", () => {
  const cases: ReadonlyArray<[string, number | null, number | null, MetricGoal | undefined, MetricVerdict]> = [
    ["max: higher is better", 0.96, 0.95, max, "better"],
    ["max: lower is worse (the issue's 0.9519 -> 0.9500)", 0.95, 0.9519, max, "worse"],
    ["min: lower is better", 0.1, 0.2, min, "better"],
    ["min: higher is worse", 0.3, 0.2, min, "worse"],
    ["a tie is unchanged (max)", 0.95, 0.95, max, "unchanged"],
    ["a tie is unchanged (min)", 0.2, 0.2, min, "unchanged"],
    ["floating-point noise is a tie, not better", 0.1 + 0.2, 0.3, max, "unchanged"],
    ["within the threshold is unchanged, both ways", 0.1205, 0.12, { goal: "min", threshold: 0.001 }, "unchanged"],
    ["exactly at the threshold is unchanged", 0.75, 0.5, { goal: "min", threshold: 0.25 }, "unchanged"],
    ["past the threshold counts", 0.122, 0.12, { goal: "min", threshold: 0.001 }, "worse"],
    ["no baseline value: new", 0.95, null, max, "new"],
    ["no value in this run: missing", null, 0.95, max, "missing"],
    ["no goal declared: changed", 2, 1, undefined, "changed"],
    ["no goal declared, same value: unchanged", 1, 1, undefined, "unchanged"],
  ];
  for (const [name, value, baseline, goal, verdict] of cases) {
    it(name, () => assert.equal(metricVerdict(value, baseline, goal), verdict));
  }
});

describe("diffMetrics", () => {
  it("shows this run's metrics, then declared ones it lacks, then the baseline's own: nothing is dropped", () => {
    const rows = diffMetrics(
      { metrics: { accuracy: 0.95, f1: 0.9 } },
      { metrics: { accuracy: 0.97, loss: 0.2, old: 1 } },
      { accuracy: max, loss: min, never: max },
    );
    assert.deepEqual(
      rows.map((r) => [r.name, r.value, r.baseline, r.verdict, r.goal]),
      [
        ["accuracy", 0.95, 0.97, "worse", "max"],
        ["f1", 0.9, null, "new", null],
        ["loss", null, 0.2, "missing", "min"],
        ["old", null, 1, "missing", null],
      ],
    );
    const acc = rows[0];
    assert.ok(acc !== undefined && acc.delta !== null && acc.relativeDelta !== null);
    assert.ok(Math.abs(acc.delta - -0.02) < 1e-12);
    assert.ok(Math.abs(acc.relativeDelta - -0.02 / 0.97) < 1e-12);
  });

  it("a zero baseline has a delta but no relative delta", () => {
    const [row] = diffMetrics({ metrics: { errors: 3 } }, { metrics: { errors: 0 } }, { errors: min });
    assert.deepEqual([row?.delta, row?.relativeDelta, row?.verdict], [3, null, "worse"]);
  });

  it("without a baseline every metric is new, with null baseline and delta", () => {
    const diff = diffResults({ metrics: { accuracy: 0.95 } }, undefined, {
      goals: { accuracy: max },
      primary: "accuracy",
      params: {},
    });
    assert.deepEqual(diff.metrics, [
      {
        name: "accuracy",
        value: 0.95,
        baseline: null,
        delta: null,
        relativeDelta: null,
        goal: "max",
        threshold: 0,
        verdict: "new",
      },
    ]);
    assert.deepEqual([diff.hasBaseline, diff.primary, diff.rankings], [false, "accuracy", []]);
  });
});

describe("rankings and tables", () => {
  const ranked = (terms: ReadonlyArray<string>) => terms.map((term, i) => ({ term, score: 1 - i / 100 }));

  it("rankings compare at the run's own top (today's fixed 10 only without one)", () => {
    assert.equal(rankingDepth({ top: "3" }), 3);
    assert.equal(rankingDepth({ top: "abc" }), 10);
    assert.equal(rankingDepth({}), 10);
    const fresh = { rankings: { keywords: { d: ranked(["a", "b", "c", "x"]) } } };
    const base = { rankings: { keywords: { d: ranked(["a", "b", "c", "y"]) } } };
    const at3 = diffResults(fresh, base, { goals: {}, params: { top: "3" } });
    assert.deepEqual([at3.rankings[0]?.diff.k, at3.rankings[0]?.diff.documentsChanged], [3, 0]);
    const at10 = diffResults(fresh, base, { goals: {}, params: {} });
    assert.deepEqual([at10.rankings[0]?.diff.k, at10.rankings[0]?.diff.documents[0]?.added], [10, ["x"]]);
  });

  it("a ranking only the baseline has is shown as removed, not dropped", () => {
    const diff = diffResults(
      { metrics: { a: 1 } },
      { rankings: { keywords: { d: ranked(["a"]) } } },
      { goals: {}, params: {} },
    );
    assert.deepEqual(
      diff.rankings.map((r) => [r.name, r.diff.documents.map((d) => d.presence)]),
      [["keywords", ["baseline-only"]]],
    );
  });

  it("tables match by title; side by side only when columns and row lengths match", () => {
    const t = (title: string, columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<number>>) => ({
      title,
      columns,
      rows,
    });
    const diff = diffResults(
      {
        metrics: { a: 1 },
        tables: [t("confusion", ["", "p"], [[1, 2]]), t("other", ["x"], [[1]]), t("new", ["x"], [])],
      },
      { metrics: { a: 1 }, tables: [t("other", ["y"], [[1]]), t("confusion", ["", "p"], [[3, 4]])] },
      { goals: {}, params: {} },
    );
    assert.deepEqual(
      diff.tables.map((x) => [x.title, x.baselineIndex, x.sameShape]),
      [
        ["confusion", 1, true],
        ["other", 0, false],
        ["new", null, false],
      ],
    );
  });
});
