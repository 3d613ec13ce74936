/**
 * The renderer got faster on the largest result the codec allows (issue 12: diff + render under
 * 1 s, measured by `npm run bench -- largest-result`); these tests pin that it still writes the
 * same bytes. The digests below were taken from the renderer before that change (main at
 * 75a7050), over every budget from 4,000 to 65,536 characters in steps that cross the point
 * where the whole table stops fitting. A change of the report's output on purpose prints its
 * new digests with `npx tsx test/core/report/large-reports.ts`; look at a rendering before
 * pasting them. Re-pinned once since (issue 14): the state line carries the structured run key and
 * drops its duplicate, so at tight budgets the room left for the tables moved by those few characters.
 * SECURITY-CHECKLIST 64 (size limit), 65 and 66 (escaping).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { termChanges } from "../../../src/core/report/keyword-overview.js";
import { escapeMarkdown, shorten } from "../../../src/core/report/escape.js";
import { LARGE_SHAPES, digestOf, largeReport, renderings } from "./large-reports.js";

const BEFORE: Readonly<Record<string, string>> = {
  "bench-like: 5000 lists, all changed": "a55546ff879d65befb627008ce7a6e87f95665dd22c4b9dfcdcbf559843d0064",
  "hostile: 1500 lists, three rankings, long log, failed":
    "840353b1b323a7c61da83dd6a37b72247dc4567524d8d82bcea40b719c2716ed",
  "medium: 160 lists, top 5, similar": "0e920538594545605446595584901dc921e937b3768136d29775a4bd39c6c88d",
  "failed with a long log: 400 lists, 2000 log lines":
    "bcfde5202ecf4a6bb26e203ede94e402d4caaa6026d47e70e8a6ee4b1f631c67",
  "cramped: 100 lists, 3000 log lines, 8 long parameters, failed":
    "0ced8b999d7bcd8e2aca104572d578aa70701b697259a19878c8a70b3cc99e98",
  "small: 9 lists": "912bf0c2dc2003122793b9ff82f924e839b0fd7fa314aed5dc2b005c0d16af72",
};

const rendered = new Map<string, ReadonlyArray<string>>();
const renderingsOf = (name: string): ReadonlyArray<string> => {
  const shape = LARGE_SHAPES[name];
  assert.ok(shape !== undefined, name);
  const out = rendered.get(name) ?? renderings(largeReport(shape));
  rendered.set(name, out);
  return out;
};

describe("renderReport on large results: the same bytes as before it was made fast", () => {
  for (const name of Object.keys(LARGE_SHAPES)) {
    it(name, () => {
      assert.equal(digestOf(renderingsOf(name)), BEFORE[name]);
    });
  }

  it("the shapes reach what they are meant to: escaped hostile terms, cut tables, a cut log, an omitted table", () => {
    const hostile = renderingsOf("hostile: 1500 lists, three rankings, long log, failed").join("\n");
    for (const s of [
      "a\\|b",
      "\\*em\\*",
      "@\u200balice",
      "\\u{202E}",
      "&lt;\\!--",
      "**Ranking legacy**",
      "baseline only",
      "new document",
      "not shown to stay within the size limit",
      "Log tail (last",
    ]) {
      assert.ok(hostile.includes(s), s);
    }
    const cramped = renderingsOf("cramped: 100 lists, 3000 log lines, 8 long parameters, failed").join("\n");
    assert.ok(cramped.includes("_Keyword table omitted to stay within the size limit._"));
  });
});

describe("escapeMarkdown's shortcut for plain words", () => {
  // Appending `|` (escaped on its own, touching no other rule) forces the full path, so both
  // paths are compared on every string, plain or not.
  const pieces = [
    "a",
    "Z",
    "9",
    "型",
    "é",
    "e\u0301",
    "٣",
    " ",
    "'",
    ".",
    "-",
    "GH",
    "gh",
    "www",
    "WWW",
    "1",
    "@",
    "#",
    "_",
    "\u202E",
    "\uD800",
    "😀",
    "\n",
    ":",
    "/",
    "|",
  ];
  const strings: Array<string> = [];
  for (const a of pieces) for (const b of pieces) for (const c of pieces) strings.push(`${a}${b}${c}`);
  strings.push("GH-1", "gh-12", "xgh-3", "www.example", "wWw.x", "データ-分析.v2", "don't stop", "a.b-c d");

  it("gives what the full escaping gives, for every string", () => {
    for (const s of strings) assert.equal(`${escapeMarkdown(s)}\\|`, escapeMarkdown(`${s}|`), JSON.stringify(s));
  });

  it("still breaks references and autolinks made of plain characters", () => {
    assert.equal(escapeMarkdown("GH-1"), "GH\u200b-1");
    assert.equal(escapeMarkdown("www.example"), "www\u200b.example");
  });

  it("shorten's shortcut counts code points as before", () => {
    for (const s of [...strings, "😀".repeat(5), "a😀".repeat(4)]) {
      for (const max of [0, 1, 2, 3, 4, 6, 9]) {
        const points = Array.from(s);
        const expected = points.length <= max ? s : `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
        assert.equal(shorten(s, max), expected, `${JSON.stringify(s)} at ${max}`);
      }
    }
  });
});

describe("termChanges selects the most frequent terms without sorting them all", () => {
  it("gives the first `top` of the full sort (most documents first, ties by term) for every top", () => {
    const diff = largeReport(LARGE_SHAPES["medium: 160 lists, top 5, similar"]!).diff?.rankings[0]?.diff;
    assert.ok(diff !== undefined);
    const both = diff.documents.filter((d) => d.presence === "both");
    const sorted = (
      lists: ReadonlyArray<ReadonlyArray<string>>,
    ): ReadonlyArray<{ term: string; documents: number }> => {
      const counts = new Map<string, number>();
      for (const l of lists) for (const t of new Set(l)) counts.set(t, (counts.get(t) ?? 0) + 1);
      return [...counts]
        .map(([term, documents]) => ({ term, documents }))
        .sort((a, b) => b.documents - a.documents || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    };
    const gained = sorted(both.map((d) => d.added));
    const lost = sorted(both.map((d) => d.removed));
    assert.ok(gained.length > 30 && lost.length > 30, "enough terms to select from");
    for (const top of [0, 1, 2, 5, 10, 25, gained.length + 5]) {
      assert.deepEqual(
        termChanges(diff, top),
        { gained: gained.slice(0, top), lost: lost.slice(0, top) },
        `top ${top}`,
      );
    }
  });
});
