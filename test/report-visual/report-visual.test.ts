/**
 * The report as a reviewer sees it: rendered as GitHub-flavoured Markdown with Mermaid in headless
 * Chromium. Charts must render without a Mermaid error, no axis label may overlap another, no
 * axis may carry more than 12 categories, the table must be there and the page's height bounded.
 * Screenshots go to a temporary folder (printed), never into the repository.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderReport } from "../../src/core/report/render.js";
import { renderMetricChart } from "../../src/core/report/metric-chart.js";
import { SHA, bodyAfterRuns, keywordParts, keywords, makeReport, metricReport } from "../core/report/fixtures.js";
import { chromiumPath, openRenderer, type RenderedReport } from "../../scripts/browser/render-report.js";

const shots = mkdtempSync(join(tmpdir(), "ml-chatops-report-shots-"));
const MAX_CATEGORIES = 12;

const assertReadable = (page: RenderedReport, maxHeightPx: number): void => {
  assert.ok(page.charts.length > 0, "at least one chart");
  for (const c of page.charts) {
    assert.equal(c.error, undefined, `Mermaid error in a ${c.kind} chart`);
    assert.ok(c.ok);
    assert.deepEqual(c.overlaps, [], "no two labels of one axis overlap");
    assert.ok(c.categories <= MAX_CATEGORIES, `${c.categories} categories on an axis`);
    assert.ok(c.labels.length > 0, "the chart has labels");
  }
  assert.ok(page.tables > 0, "the table is there");
  assert.ok(page.heightPx <= maxHeightPx, `page height ${page.heightPx} px > ${maxHeightPx} px`);
};

describe(
  "the report in a real browser (headless Chromium, GFM + Mermaid)",
  {
    skip:
      chromiumPath() === undefined && process.env["CI"] !== "true"
        ? "no Chromium here (.ci/run installs Debian chromium; under CI this test never skips)"
        : false,
  },
  () => {
    let renderer: Awaited<ReturnType<typeof openRenderer>>;
    before(async () => {
      renderer = await openRenderer();
      process.stdout.write(`# report screenshots: ${shots}\n`);
    });
    after(() => renderer.close());

    it("the demo's report", async () => {
      const out = join(shots, "demo.md");
      const demo = spawnSync(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "demo", "--quiet", "--out", out],
        { encoding: "utf8" },
      );
      assert.equal(demo.status, 0, demo.stderr);
      const page = await renderer.render(readFileSync(out, "utf8"), join(shots, "demo.png"));
      assertReadable(page, 3_000);
      assert.deepEqual(
        page.charts[0]?.labels.filter((l) => /^\d\.\d|or less$/.test(l.text)).map((l) => l.text),
        ["1.0", "0.9", "0.8", "0.7 or less"],
      );
    });

    it("a 300-document keyword result", async () => {
      const ids = Array.from({ length: 300 }, (_, i) => `conference-2026-talk-with-a-long-identifier-${i}`);
      const fresh = keywords(
        Object.fromEntries(
          ids.map((id, i) => [id, Array.from({ length: 10 }, (_, j) => (j < 10 - (i % 5) ? `t${j}` : `n${i}-${j}`))]),
        ),
      );
      const base = keywords(Object.fromEntries(ids.map((id) => [id, Array.from({ length: 10 }, (_, j) => `t${j}`)])));
      const markdown = renderReport(makeReport(keywordParts(fresh, base, 10)));
      const page = await renderer.render(markdown, join(shots, "keywords-300.png"));
      assertReadable(page, 3_000);
    });

    it("a metrics result with a 5-run history", async () => {
      const markdown = bodyAfterRuns([0.91, 0.935, 0.948, 0.944, 0.957], 0.9519);
      const page = await renderer.render(markdown, join(shots, "metrics-5-runs.png"));
      assertReadable(page, 3_000);
      assert.equal(
        page.charts.length,
        1,
        "one chart: the primary metric over the runs (earlier results fold without it)",
      );
      const chart = page.charts[0];
      assert.deepEqual(
        chart?.labels.filter((l) => /^\d+$/.test(l.text)).map((l) => l.text),
        ["1", "2", "3", "4", "5"],
      );
      assert.deepEqual(
        [chart?.categories, chart?.bars, chart?.lines],
        [5, 5, 1],
        "a bar per run and the current best as one line",
      );
      assert.ok(
        chart?.labels.some((l) => l.text === "accuracy: runs (bars), current best 0.9519 (line)"),
        "the title says which is which",
      );
      assert.deepEqual(page.tableHeaders[0], ["Metric", "This run", "Current best", "Delta", "Verdict"]);
      assert.match(page.text, /accuracy \(primary, max\)\s+0\.957\s+0\.9519\s+↑ \+0\.0051 \(\+0\.54%\)\s+✅ better/);
    });

    it("the metric chart of 20 runs keeps the last 12, a hostile metric name cannot break it", async () => {
      const runs = Array.from({ length: 20 }, (_, i) => 0.8 + i / 200);
      const hostile = bodyAfterRuns(runs, 0.85, 'acc"] bar [1] %%{init: {"theme":"dark"}}%% <b>@here');
      const page = await renderer.render(hostile, join(shots, "metrics-20-runs.png"));
      assertReadable(page, 3_000);
      assert.deepEqual([page.charts[0]?.categories, page.charts[0]?.bars, page.charts[0]?.lines], [12, 12, 1]);
      assert.deepEqual(
        page.charts[0]?.labels.filter((l) => /^\d+$/.test(l.text)).map((l) => l.text),
        Array.from({ length: 12 }, (_, i) => String(i + 9)),
      );
    });

    it("fails when a chart breaks: a per-document chart of 30 labels overlaps, a syntax error is reported", async () => {
      const labels = Array.from({ length: 30 }, (_, i) => `"sample-${String(i).padStart(3, "0")}"`).join(", ");
      const crowded = [
        "```mermaid",
        "xychart-beta",
        `  x-axis [${labels}]`,
        '  y-axis "overlap" 0 --> 1',
        `  bar [${Array(30).fill(0.9).join(", ")}]`,
        "```",
        "",
        "| a |",
        "| - |",
        "| b |",
      ].join("\n");
      const page = await renderer.render(crowded);
      assert.ok((page.charts[0]?.overlaps.length ?? 0) > 0, "overlapping labels are detected");
      assert.equal(page.charts[0]?.categories, 30);
      const broken = await renderer.render(["```mermaid", "xychart-beta", "  x-axis [unclosed", "```"].join("\n"));
      assert.equal(broken.charts[0]?.ok, false);
      assert.match(broken.charts[0]?.error ?? "", /parse|syntax|expect/i);
    });

    it("fails when the metric chart breaks: 30 long run labels overlap, a broken series or an exponent is a Mermaid error", async () => {
      const history = [1e-7, 3e-7].map((value, i) => ({ n: i + 1, sha: SHA, metric: "accuracy", value }));
      const chart = renderMetricChart(metricReport(3e-7, 2e-7), history) ?? "";
      const table = ["", "| a |", "| - |", "| b |"].join("\n");
      const good = await renderer.render(`${chart}${table}`);
      assertReadable(good, 3_000);
      const labels = Array.from({ length: 30 }, (_, i) => `"run-${i + 1}-${SHA.slice(0, 12)}"`).join(", ");
      const crowded = chart
        .replace(/x-axis "([^"]*)" \[[^\]]*\]/, `x-axis "$1" [${labels}]`)
        .replace(/bar \[[^\]]*\]/, `bar [${Array(30).fill("0.0000002").join(", ")}]`)
        .replace(/line \[[^\]]*\]/, `line [${Array(30).fill("0.0000002").join(", ")}]`);
      const wide = await renderer.render(`${crowded}${table}`);
      assert.throws(() => assertReadable(wide, 3_000), /no two labels of one axis overlap/);
      assert.equal(wide.charts[0]?.categories, 30);
      for (const [what, source] of [
        ["a series cut short", chart.replace(/line \[([^\]]*)\]/, "line [$1")],
        [
          "data in exponent notation, as String(1e-7) writes it",
          chart.replace("bar [0.0000001, 0.0000003]", "bar [1e-7, 3e-7]"),
        ],
      ] as const) {
        assert.notEqual(source, chart, what);
        const page = await renderer.render(`${source}${table}`);
        assert.throws(() => assertReadable(page, 3_000), /Mermaid error in a xychart-beta chart/, what);
        assert.match(page.charts[0]?.error ?? "", /Parse error|Expecting/, what);
      }
    });
  },
);
