import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { diffKeywords } from "../../../src/core/diff.js";
import {
  byMovement,
  overlapHistogram,
  renderOverlapHistogram,
  renderTermChanges,
  termChanges,
} from "../../../src/core/report/keyword-overview.js";
import { renderReport } from "../../../src/core/report/render.js";
import { keywordParts, keywords, makeReport } from "./fixtures.js";

const terms = (n: number, prefix: string): ReadonlyArray<string> =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("keyword overview: pictures that scale past 30 documents", () => {
  // 10 base terms; the new side keeps `keep` of them and adds new ones.
  const doc = (keep: number, extra: string): ReadonlyArray<string> => [...terms(keep, "t"), ...terms(10 - keep, extra)];

  it("buckets overlap@10 into 1.0, 0.9, 0.8 and 0.7 or less, empty buckets included", () => {
    const fresh = keywords({
      a: doc(10, "x"),
      b: doc(9, "x"),
      c: doc(9, "y"),
      d: doc(7, "z"),
      e: doc(2, "w"),
      f: ["only-new"],
    });
    const base = keywords({
      a: terms(10, "t"),
      b: terms(10, "t"),
      c: terms(10, "t"),
      d: terms(10, "t"),
      e: terms(10, "t"),
      g: ["only-old"],
    });
    assert.deepEqual(overlapHistogram(diffKeywords(fresh, base, 10)), [
      { label: "1.0", count: 1 },
      { label: "0.9", count: 2 },
      { label: "0.8", count: 0 },
      { label: "0.7 or less", count: 2 },
    ]);
  });

  it("an overlap of 0.8999999 (float noise) falls in 0.9, not 0.8", () => {
    const diff = {
      k: 10,
      documentsChanged: 1,
      meanOverlap: 0.9,
      documents: [{ id: "a", added: [], removed: [], moved: [], overlap: 0.8999999999, presence: "both" as const }],
    };
    assert.equal(overlapHistogram(diff).find((b) => b.count === 1)?.label, "0.9");
  });

  it("300 documents still make a chart of four bars, with the y axis scaled to the largest bucket", () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`doc-${i}`, doc(10 - (i % 4), `n${i}-`)]));
    const base = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`doc-${i}`, terms(10, "t")]));
    const chart = renderOverlapHistogram(diffKeywords(keywords(many), keywords(base), 10)) ?? "";
    assert.match(chart, /x-axis "overlap" \["1\.0", "0\.9", "0\.8", "0\.7 or less"\]/);
    assert.match(chart, /y-axis "documents" 0 --> 75\n {2}bar \[75, 75, 75, 75\]/);
  });

  it("orders documents lowest overlap first, then most movement, ties in result order; one-sided documents count as 0", () => {
    const fresh = keywords({
      same: terms(3, "t"),
      moved: ["t1", "t0", "t2"],
      changed: ["t0", "t1", "new"],
      fresh: ["x"],
    });
    const base = keywords({ same: terms(3, "t"), moved: terms(3, "t"), changed: terms(3, "t") });
    assert.deepEqual(
      byMovement(diffKeywords(fresh, base, 3)).map((d) => d.id),
      ["fresh", "changed", "moved", "same"],
    );
  });

  it("counts the documents that gained or lost each term, most frequent first, names in code-point order on ties", () => {
    const fresh = keywords({ a: ["k", "fastapi", "uv"], b: ["k", "fastapi"], c: ["k", "uv"], n: ["brand-new"] });
    const base = keywords({ a: ["k", "flask", "pip"], b: ["k", "flask"], c: ["k", "pip"] });
    const changes = termChanges(diffKeywords(fresh, base, 3), 10);
    assert.deepEqual(
      changes.gained,
      [
        { term: "fastapi", documents: 2 },
        { term: "uv", documents: 2 },
      ],
      "a new document does not count",
    );
    assert.deepEqual(changes.lost, [
      { term: "flask", documents: 2 },
      { term: "pip", documents: 2 },
    ]);
    assert.equal(
      renderTermChanges(diffKeywords(fresh, base, 3), 1),
      "- **Terms gained most often** (documents): fastapi (2)\n- **Terms lost most often** (documents): flask (2)",
    );
  });

  it("check 65: a hostile term is escaped in the term lines", () => {
    const fresh = keywords({ a: ["k", "<img src=x>|@admin"] });
    const base = keywords({ a: ["k", "old"] });
    const line = renderTermChanges(diffKeywords(fresh, base, 2)) ?? "";
    assert.doesNotMatch(line, /<img|(?<!\\)\||(?<![\\`])@admin/);
  });

  it("the table opens on the 10 documents that moved most and folds the rest", () => {
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [
        `doc-${String(i).padStart(2, "0")}`,
        i === 17 ? ["z", "y"] : terms(2, "t"),
      ]),
    );
    const base = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`doc-${String(i).padStart(2, "0")}`, terms(2, "t")]),
    );
    const body = renderReport(makeReport(keywordParts(keywords(many), keywords(base), 2)));
    const rows = body.split("\n").filter((l) => l.startsWith("| doc-"));
    assert.equal(rows[0]?.startsWith("| doc-17 | 0.00 |"), true, "the document that moved most comes first");
    assert.ok(body.includes("_The 10 documents that moved most; the other 20 below._"));
    const folded = body.slice(body.indexOf("<summary>The other 20 documents</summary>"));
    assert.equal(folded.split("\n").filter((l) => l.startsWith("| doc-")).length, 20);
    assert.equal(rows.length, 30, "every document appears once");
  });
});
