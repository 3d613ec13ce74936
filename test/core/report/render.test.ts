import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as O from "fp-ts/Option";
import { readReportState, reportMarker } from "../../../src/core/ledger/markers.js";
import { GITHUB_COMMENT_LIMIT, renderReport as renderBodyOnly } from "../../../src/core/report/render.js";
import { renderReportComment as renderReport } from "../../../src/core/ledger/report-comment.js";
import { formatDuration } from "../../../src/core/report/sections.js";
import { LONE_SURROGATE, RUN_KEY, codePoints, keywordParts, keywords, makeReport, omit } from "./fixtures.js";

const lines = (body: string): ReadonlyArray<string> => body.split("\n");
/** The body without its fenced blocks (log and chart), where text is literal anyway. */
const outsideCode = (body: string): string => body.replace(/\n(`{3,})(?:text|mermaid)\n[\s\S]*?\n\1(?=\n|$)/g, "\n");
const unescapedPipes = (line: string): number => line.split(/(?<!\\)\|/).length - 1;

describe("renderReport: content", () => {
  const body = renderReport(makeReport());

  it("the comment starts with the ledger's report marker and state marker", () => {
    assert.equal(lines(body)[0], reportMarker(RUN_KEY));
    assert.match(lines(body)[1] ?? "", /^<!-- ml-chatops:state [A-Za-z0-9_-]+ -->$/);
  });

  it("the renderer alone writes no run state: the same report body without the ledger's two lines", () => {
    const alone = renderBodyOnly(makeReport());
    assert.ok(!alone.includes("ml-chatops:state"), "no state line");
    assert.ok(!alone.includes("ml-chatops:report"), "no report marker");
    assert.equal(alone, lines(body).slice(2).join("\n"));
  });

  it("shows status as a plain word with detail, the pinned SHA short and full, runner, duration, parameters, links", () => {
    assert.ok(body.includes("### tfidf-keywords: succeeded at `0123456`"));
    assert.ok(body.includes("- **Status:** succeeded: exit code 0"));
    assert.ok(body.includes("- **Commit:** `0123456` (full SHA `0123456789abcdef0123456789abcdef01234567`)"));
    assert.ok(body.includes("- **Runner:** local, **duration:** 1 min 23 s"));
    assert.ok(body.includes("- **Parameters:** max\\_df = 0.4"));
    assert.ok(body.includes("- **Links:** [logs](<https://ci.example/runs/r1/logs>)"));
  });

  it("summarises the corpus against the baseline", () => {
    assert.ok(
      body.includes(
        "**Against the baseline:** 3 of 4 documents changed; mean top-3 overlap 0.83 over the 2 documents present in both.",
      ),
    );
  });

  it("marks added, removed and moved terms per document", () => {
    assert.ok(body.includes("| talk-1 | 0.67 | python ↑1, 型 ↓1, **tfidf** ➕ | ~~old~~ ➖ |"));
    assert.ok(body.includes("| talk-2 | 1.00 | rust, wasm |  |"));
    assert.ok(body.includes("| talk-3 | new document | **new** ➕ |  |"));
    assert.ok(body.includes("| talk-4 | baseline only |  | ~~gone~~ ➖ |"));
  });

  it("draws the overlap histogram as a Mermaid bar chart: four buckets, whatever the number of documents", () => {
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(body)?.[1];
    assert.equal(
      chart,
      [
        "xychart-beta",
        '  title "Top-3 overlap: documents per bucket (2 documents)"',
        '  x-axis "overlap" ["1.0", "0.9", "0.8", "0.7 or less"]',
        '  y-axis "documents" 0 --> 1',
        "  bar [1, 0, 0, 1]",
      ].join("\n"),
    );
  });

  it("puts the log tail in a fenced block under <details>", () => {
    assert.ok(
      body.includes(
        "<details>\n<summary>Log tail (2 lines)</summary>\n\n```text\nloading corpus\ndone\n```\n\n</details>",
      ),
    );
  });

  it("does not repeat a detail that only restates the status", () => {
    assert.ok(
      renderReport(makeReport({ status: { state: "succeeded", detail: "succeeded" } })).includes(
        "- **Status:** succeeded\n",
      ),
    );
  });

  it("says the state once when the detail leads with it", () => {
    const b = renderReport(
      makeReport({ status: { state: "cancelled", detail: "cancelled: superseded by new commits (head abc1234)" } }),
    );
    assert.ok(b.includes("- **Status:** cancelled: superseded by new commits (head abc1234)\n"));
    assert.ok(!b.includes("cancelled: cancelled"));
  });

  it("says when a newer command superseded the run", () => {
    const b = renderReport(makeReport({ status: { state: "cancelled", detail: "superseded" }, supersededBy: "run-2" }));
    assert.ok(b.includes("- **Superseded by** run-2: a newer command replaced this run."));
  });

  it("shows the baseline note when there is no diff", () => {
    const noDiff = omit(makeReport({ baselineNote: "no baseline yet" }), "diff");
    const b = renderReport(noDiff);
    assert.ok(b.includes("**Baseline:** no baseline yet"));
    assert.ok(!b.includes("```mermaid"));
    assert.ok(b.includes("| talk-1 | python, 型, tfidf |"));
  });

  it("a failed run without result: no table or chart, the log open", () => {
    const failed = omit(
      makeReport({ status: { state: "failed", detail: "exit code 2" }, logTail: ["Traceback", "boom"] }),
      "diff",
      "result",
    );
    const b = renderReport(failed);
    assert.ok(b.includes("### tfidf-keywords: failed at `0123456`"));
    assert.ok(b.includes("<details open>\n<summary>Log tail (2 lines)</summary>"));
    assert.ok(!b.includes("| Document |") && !b.includes("mermaid"));
  });

  it("omits links that are not http(s)", () => {
    const b = renderReport(makeReport({ links: [{ label: "x", url: "javascript:alert(1)" }] }));
    assert.ok(b.includes("x (link omitted: not an http(s) URL)"));
    assert.ok(!b.includes("javascript:"));
  });

  const durations: ReadonlyArray<[number, string]> = [
    [850, "850 ms"],
    [12_340, "12.3 s"],
    [245_000, "4 min 05 s"],
    [3_723_000, "1 h 02 min"],
    [-1, "unknown"],
  ];
  for (const [ms, text] of durations)
    it(`formatDuration(${ms}) = ${text}`, () => assert.equal(formatDuration(ms), text));
});

describe("renderReport: checks 65 and 66, untrusted text stays text", () => {
  const evil = {
    id: "doc|x\n| injected | row |\n@alice #12",
    term: "</details><img src=x onerror=alert(1)> @org/team ``` |",
    log: [
      "```",
      "</details>",
      "<!-- ml-chatops:report octo/kw#12:tfidf-keywords -->",
      "ping @bob about #7",
      "`".repeat(40),
    ],
  };
  const result = keywords({ [evil.id]: [evil.term, "ok"], 'a"]\nb': ["t"] });
  const base = keywords({ [evil.id]: ["ok"], 'a"]\nb': ["t"] });
  const report = makeReport({
    ...keywordParts(result, base, 3),
    logTail: evil.log,
    params: { note: "@team #99 <b>" },
    status: { state: "succeeded", detail: "<script>alert(1)</script> @carol" },
    supersededBy: "<!-- x --> @dave",
  });
  const body = renderReport(report);

  it("check 65: no HTML from untrusted text; every </details> outside code closes one of ours", () => {
    const text = outsideCode(body);
    assert.ok(!text.includes("<img") && !text.includes("<script") && !text.includes("<b>"));
    assert.equal(text.split("</details>").length, text.split(/<details(?: open)?>/).length);
  });

  it("check 65: only our own markers are HTML comments", () => {
    const comments = body.match(/<!--[^\n]*/g) ?? [];
    assert.equal(comments.length, 4);
    for (const c of comments) assert.match(c, /^<!-- ml-chatops:(report|state|result:begin|result:end)[ -]/);
  });

  it("check 65: the log fence is longer than any backtick run in the log", () => {
    const open = /\n(`{3,})text\n/.exec(body)?.[1] ?? "";
    assert.equal(open.length, 41);
    assert.ok(body.includes(`\n${open}\n\n</details>`));
  });

  it("check 66: no live mentions or issue references", () => {
    // Our own hidden marker lines name the pull request (`owner/repo#12`) but are never rendered.
    const text = outsideCode(body).replace(/^<!-- ml-chatops:[^\n]*$/gmu, "");
    assert.doesNotMatch(text, /@(?!\u200b)/u);
    assert.doesNotMatch(text, /#\d/u);
  });

  it("check 65: table rows keep their four columns", () => {
    const rows = lines(body).filter((l) => l.startsWith("| ") && !l.startsWith("| Document") && !l.startsWith("| ---"));
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(unescapedPipes(row), 5, row);
  });

  it("no document id reaches Mermaid: the chart's labels are the fixed bucket names", () => {
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(body)?.[1] ?? "";
    assert.match(chart, /\n {2}x-axis "overlap" \["1\.0", "0\.9", "0\.8", "0\.7 or less"\]\n/u);
    assert.equal(chart.split("\n").length, 5, "title, axes and bars only");
  });

  it("the forged marker does not confuse the state reader", () => {
    const state = readReportState(body);
    assert.ok(O.isSome(state));
    assert.equal(state.value.handle?.id, "r1");
  });
});

describe("renderReport: check 64, size budget", () => {
  const assertWithin = (body: string, max: number): void => {
    assert.ok(body.length <= max, `UTF-16 length ${body.length} > ${max}`);
    assert.ok(codePoints(body) <= max, `code points ${codePoints(body)} > ${max}`);
    assert.doesNotMatch(body, LONE_SURROGATE);
    assert.ok(O.isSome(readReportState(body)), "state still readable");
  };

  it("check 64: a 70,000-character log tail gives at most 65,536 with a truncation note and link", () => {
    const log = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, "0")} ${"x".repeat(60)}`);
    assert.ok(log.join("\n").length >= 70_000);
    const body = renderReport(makeReport({ logTail: log, status: { state: "failed", detail: "exit 1" } }), {
      maxChars: GITHUB_COMMENT_LIMIT,
    });
    assertWithin(body, GITHUB_COMMENT_LIMIT);
    assert.ok(body.length > 60_000, "the budget is used, not wasted");
    assert.ok(body.includes("_Log tail truncated; full logs: [logs](<https://ci.example/runs/r1/logs>)_"));
    assert.ok(body.includes(`line 0999 ${"x".repeat(60)}\n\`\`\``), "the newest lines are kept");
    assert.match(body, /<summary>Log tail \(last \d+ of 1000 lines\)<\/summary>/);
  });

  it("check 64: the default budget is 60,000", () => {
    const body = renderReport(makeReport({ logTail: ["y".repeat(70_000)] }));
    assertWithin(body, 60_000);
    assert.ok(body.includes("Log tail truncated; full logs:"));
  });

  it("check 64: one 70,000-character line is cut from its start", () => {
    const body = renderReport(makeReport({ logTail: [`${"a".repeat(69_990)}END`] }), {
      maxChars: GITHUB_COMMENT_LIMIT,
    });
    assertWithin(body, GITHUB_COMMENT_LIMIT);
    assert.ok(body.includes("aaaEND\n```"));
  });

  it("check 64: multi-byte emoji near the limit are counted and never split", () => {
    const body = renderReport(makeReport({ logTail: Array.from({ length: 700 }, () => "😀".repeat(100)) }), {
      maxChars: GITHUB_COMMENT_LIMIT,
    });
    assertWithin(body, GITHUB_COMMENT_LIMIT);
  });

  it("check 64: a log of backticks needs a long fence and still fits", () => {
    const body = renderReport(makeReport({ logTail: ["`".repeat(30_000), "`".repeat(30_000), "end"] }), {
      maxChars: 50_000,
    });
    assertWithin(body, 50_000);
    const fence = /\n(`{3,})text\n/.exec(body)?.[1] ?? "";
    const inside = body.slice(body.indexOf(`${fence}text\n`) + fence.length + 5, body.lastIndexOf(`\n${fence}`));
    const longest = Math.max(0, ...(inside.match(/`+/g) ?? []).map((r) => r.length));
    assert.ok(fence.length > longest);
  });

  it("check 64: thousands of documents: the table folds and is cut with a note", () => {
    const many = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [`talk-${i}`, ["alpha", "beta", "gamma", `t${i}`]]),
    );
    const res = keywords(many);
    const body = renderReport(makeReport(keywordParts(res, keywords({}), 10)), { maxChars: GITHUB_COMMENT_LIMIT });
    assertWithin(body, GITHUB_COMMENT_LIMIT);
    assert.ok(body.includes("<summary>The other 2990 documents</summary>"));
    assert.match(body, /_\d+ more documents not shown to stay within the size limit\._/);
  });

  it("check 64: a larger maxChars is clamped to GitHub's limit", () => {
    const body = renderReport(makeReport({ logTail: ["z".repeat(200_000)] }), { maxChars: 1_000_000 });
    assertWithin(body, GITHUB_COMMENT_LIMIT);
  });

  it("check 64: a small budget still yields a complete, readable report", () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`talk-${i}`, ["a", "b"]]));
    const res = keywords(many);
    const body = renderReport(makeReport({ ...keywordParts(res, keywords(many), 10), logTail: ["q".repeat(50_000)] }), {
      maxChars: 5_000,
    });
    assertWithin(body, 5_000);
    assert.ok(body.includes("### tfidf-keywords: succeeded"));
    assert.ok(body.endsWith("<!-- ml-chatops:result:end -->"));
  });

  it("check 64: large earlier results are compacted to fit", () => {
    const big = (n: number) => `### tfidf-keywords: succeeded at \`00000${n}0\`\n\n${"p".repeat(40_000)}`;
    const body = renderReport(makeReport(), { previous: [big(1), big(2), big(3)] });
    assertWithin(body, 60_000);
    assert.ok(body.includes("### tfidf-keywords: succeeded at `0000010`"));
    assert.ok(body.includes("_Report shortened to stay within the size limit._"));
    assert.match(body, /<summary>Earlier results \(3\)<\/summary>/);
  });

  it("check 65: marker lines inside an earlier result are dropped", () => {
    const prev = `### old\n<!-- ml-chatops:previous:end -->\n<!-- ml-chatops:report octo/kw#12:tfidf-keywords -->\ntext`;
    const body = renderReport(makeReport(), { previous: [prev] });
    assert.equal(body.split("<!-- ml-chatops:report").length, 2);
    assert.equal(body.split("<!-- ml-chatops:previous:end -->").length, 2);
    assert.ok(body.includes("### old\ntext"));
  });

  it("earlier results that cannot fit even compacted are counted as omitted", () => {
    const previous = Array.from({ length: 200 }, (_, i) => `### run ${i} ${"h".repeat(300)}`);
    const body = renderReport(makeReport(), { previous, maxChars: 8_000 });
    assertWithin(body, 8_000);
    assert.match(body, /_\d+ earlier results omitted to stay within the size limit\._/);
  });
});
