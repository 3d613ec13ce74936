import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderMetricChart, renderMetricHistoryTable } from "../../../src/core/report/metric-chart.js";
import { renderMetricsTable } from "../../../src/core/report/metric-sections.js";
import type { MetricPoint } from "../../../src/core/report/metric-history.js";
import { renderReport } from "../../../src/core/report/render.js";
import { SHA, bodyAfterRuns, commit, metricReport } from "./fixtures.js";

const runs = (values: ReadonlyArray<number>, metric = "accuracy"): ReadonlyArray<MetricPoint> =>
  values.map((value, i) => ({ n: i + 1, sha: i === values.length - 1 ? SHA : commit(i + 1), metric, value }));

/** The chart's lines by their keyword (`title`, `x-axis`, `bar`, …). */
const chartLines = (chart: string | undefined): Readonly<Record<string, string>> => {
  assert.ok(chart !== undefined, "a chart");
  const inner = chart.split("\n").slice(2, -1);
  return Object.fromEntries(inner.map((l) => [l.trim().split(" ")[0] ?? "", l.trim()]));
};

const rowOf = (table: string | undefined, name: string): string =>
  table?.split("\n").find((l) => l.startsWith(`| ${name} `)) ?? "";

describe("renderMetricChart: the primary metric over the pull request's runs", () => {
  it("bars for the runs, the current best as a line, run numbers as x labels, the y axis around the values", () => {
    const c = chartLines(renderMetricChart(metricReport(0.957, 0.9519), runs([0.91, 0.935, 0.948, 0.944, 0.957])));
    assert.equal(c["title"], 'title "accuracy: runs (bars), current best 0.9519 (line)"');
    assert.equal(c["x-axis"], 'x-axis "run of this pull request" ["1", "2", "3", "4", "5"]');
    assert.equal(c["y-axis"], 'y-axis "accuracy" 0.89 --> 0.97');
    assert.equal(c["bar"], "bar [0.91, 0.935, 0.948, 0.944, 0.957]");
    assert.equal(c["line"], "line [0.9519, 0.9519, 0.9519, 0.9519, 0.9519]");
  });

  it("no chart with fewer than two runs", () => {
    assert.equal(renderMetricChart(metricReport(0.95, 0.9), runs([0.95])), undefined);
    assert.equal(renderMetricChart(metricReport(0.95, 0.9), []), undefined);
    assert.equal(renderMetricHistoryTable(metricReport(0.95, 0.9), runs([0.95])), undefined);
  });

  it("at most 12 categories: the last 12 runs, and the axis says so", () => {
    const c = chartLines(
      renderMetricChart(metricReport(0.9, 0.8), runs(Array.from({ length: 20 }, (_, i) => 0.8 + i / 100))),
    );
    assert.equal(
      c["x-axis"],
      `x-axis "run of this pull request, last 12 of 20" [${Array.from({ length: 12 }, (_, i) => `"${i + 9}"`).join(", ")}]`,
    );
    assert.equal(c["bar"]?.split(",").length, 12);
  });

  it("missing baseline: no line, and the title says there is no current best yet", () => {
    const c = chartLines(renderMetricChart(metricReport(0.95, null), runs([0.9, 0.95])));
    assert.equal(c["title"], 'title "accuracy: runs (bars), no current best yet"');
    assert.equal(c["line"], undefined);
  });

  it("a new primary metric: runs that measured another metric are not drawn against it", () => {
    const history = [...runs([0.1, 0.2], "f1"), { n: 3, sha: SHA, metric: "accuracy", value: 0.95 }];
    assert.equal(renderMetricChart(metricReport(0.95, 0.9), history), undefined, "only one accuracy run so far");
    const more = [...history, { n: 4, sha: SHA, metric: "accuracy", value: 0.96 }];
    assert.match(
      renderMetricChart(metricReport(0.96, 0.9), more) ?? "",
      /x-axis "run of this pull request" \["3", "4"\]/,
    );
  });

  it("plain decimals only, for negative, tiny and equal values (Mermaid reads no exponent), nothing for values too large", () => {
    const negative = chartLines(renderMetricChart(metricReport(-3.5, -4), runs([-5, -3.5])));
    assert.match(negative["y-axis"] ?? "", /^y-axis "accuracy" -6 --> -3$/);
    const tiny = renderMetricChart(metricReport(3e-7, 2e-7), runs([1e-7, 3e-7])) ?? "";
    assert.doesNotMatch(
      tiny
        .split("\n")
        .filter((l) => !l.includes("title"))
        .join("\n"),
      /\de-?\d/i,
      "a title may say 2.000e-7, the data may not",
    );
    assert.match(tiny, /bar \[0\.0000001, 0\.0000003\]/);
    const flat = chartLines(renderMetricChart(metricReport(0.9, 0.9), runs([0.9, 0.9])));
    assert.equal(flat["y-axis"], 'y-axis "accuracy" 0.87 --> 0.93', "a flat series still gets a range around it");
    assert.equal(renderMetricChart(metricReport(1e16, 1), runs([1, 1e16])), undefined);
  });

  it("check 65: a hostile metric name cannot end a quoted label or add chart syntax", () => {
    const name = 'acc"] bar [1]\n```\n%%{init: {"theme":"dark"}}%%';
    const chart = renderMetricChart(metricReport(0.95, 0.9, {}, { name }), runs([0.9, 0.95], name.slice(0, 64))) ?? "";
    const inner = chart.split("\n").slice(1, -1);
    assert.deepEqual(
      inner.map((l) => l.trim().split(" ")[0]),
      ["xychart-beta", "title", "x-axis", "y-axis", "bar", "line"],
    );
    for (const l of inner) assert.equal((l.match(/"/g) ?? []).length % 2, 0, `balanced quotes: ${l}`);
    assert.doesNotMatch(chart.slice(3, -3), /`|%%|\[1\]/);
  });
});

describe("renderMetricHistoryTable: each run's full commit and its value against the current best", () => {
  it("one row per run, oldest first, this run marked, delta with its direction and the verdict in words", () => {
    const table = renderMetricHistoryTable(metricReport(0.957, 0.9519), runs([0.91, 0.9519, 0.957])) ?? "";
    assert.match(table, /^<details>\n<summary>accuracy over this pull request's runs \(3\)<\/summary>/);
    assert.ok(table.includes("| Run | Commit | accuracy | Against the current best (0.9519) |"));
    assert.ok(table.includes(`| 1 | \`${commit(1)}\` | 0.91 | ↓ −0.0419 (−4.40%) · ❌ worse |`));
    assert.ok(table.includes(`| 2 | \`${commit(2)}\` | 0.9519 | → ±0 (±0.00%) · ⚪ unchanged |`), "a tie");
    assert.ok(table.includes(`| 3 (this run) | \`${SHA}\` | 0.957 | ↑ +0.0051 (+0.54%) · ✅ better |`));
  });

  it("without a current best every run says so", () => {
    const table = renderMetricHistoryTable(metricReport(0.95, null), runs([0.9, 0.95])) ?? "";
    assert.ok(table.includes("| Run | Commit | accuracy | Against the current best |"));
    assert.ok(table.includes(`| 2 (this run) | \`${SHA}\` | 0.95 | — (no current best) |`));
  });

  it("check 65, 66: a hostile metric name is escaped in the summary and the header", () => {
    const name = "</summary></details>@org/team|x";
    const table = renderMetricHistoryTable(metricReport(0.95, 0.9, {}, { name }), runs([0.9, 0.95], name)) ?? "";
    assert.doesNotMatch(
      table,
      /<\/summary>.*<\/summary>|<\/details>[^]*<\/details>|@org/,
      "nothing closes early, nobody is mentioned",
    );
    const header = table.split("\n").find((l) => l.startsWith("| Run ")) ?? "";
    assert.ok(header.includes("| &lt;/summary&gt;&lt;/details&gt;@\u200borg/team\\|x |"));
    assert.equal(header.split(/(?<!\\)\|/).length - 2, 4, "four columns");
  });
});

describe("renderMetricsTable: metric, this run, current best, delta, verdict", () => {
  it("goal max: up is better, down is worse; the arrow gives the direction, the verdict the judgement in words", () => {
    assert.match(
      rowOf(renderMetricsTable(metricReport(0.96, 0.95)), "accuracy"),
      /\| ↑ \+0\.01 \(\+1\.05%\) \| ✅ better \|$/,
    );
    assert.match(
      rowOf(renderMetricsTable(metricReport(0.94, 0.95)), "accuracy"),
      /\| ↓ −0\.01 \(−1\.05%\) \| ❌ worse \|$/,
    );
  });

  it("goal min: down is better, up is worse", () => {
    assert.match(
      rowOf(renderMetricsTable(metricReport(0.2, 0.25, {}, { goal: "min", name: "loss_a" })), "loss\\_a"),
      /\| ↓ −0\.05 \(−20\.00%\) \| ✅ better \|$/,
    );
    assert.match(
      rowOf(renderMetricsTable(metricReport(0.3, 0.25, {}, { goal: "min", name: "loss_a" })), "loss\\_a"),
      /\| ↑ \+0\.05 \(\+20\.00%\) \| ❌ worse \|$/,
    );
  });

  it("a tie, a new metric (no current best)", () => {
    assert.match(
      rowOf(renderMetricsTable(metricReport(0.95, 0.95)), "accuracy"),
      /\| 0\.95 \| 0\.95 \| → ±0 \(±0\.00%\) \| ⚪ unchanged \|$/,
    );
    assert.match(rowOf(renderMetricsTable(metricReport(0.95, null)), "accuracy"), /\| 0\.95 \| — \| — \| 🆕 new \|$/);
  });
});

describe("renderReport with a metric history", () => {
  const body = bodyAfterRuns([0.91, 0.935, 0.948, 0.944, 0.957], 0.9519);

  it("the current result shows the chart and the runs table once; earlier results fold without them", () => {
    assert.equal(body.split("```mermaid").length, 2, "one chart");
    assert.equal(body.split("over this pull request's runs (5)").length, 2);
    const [current = "", earlier = ""] = body.split("<summary>Earlier results (3)</summary>");
    assert.ok(
      current.indexOf("| Metric | This run |") < current.indexOf("```mermaid"),
      "the chart follows the metrics table",
    );
    assert.doesNotMatch(earlier, /mermaid|over this pull request's runs|ml-chatops:runs/);
  });

  it("the chart is dropped before the body outgrows its budget", () => {
    const small = renderReport(metricReport(0.95, 0.9, { logTail: ["x".repeat(3_000)] }), {
      maxChars: 4_000,
      history: runs([0.9, 0.91]),
    });
    assert.ok(small.length <= 4_000);
  });
});

describe("renderMetricHistoryTable: which row is this run", () => {
  it("a failed run adds no point, so no earlier row is marked as this run even on the same commit", () => {
    const table =
      renderMetricHistoryTable(
        metricReport(0.95, 0.9, { status: { state: "failed", detail: "exit 1" } }),
        runs([0.9, 0.95]),
      ) ?? "";
    assert.doesNotMatch(table, /this run/);
    assert.ok(table.includes(`| 2 | \`${SHA}\` | 0.95 |`));
  });
});
