import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { diffKeywords, diffDocument, DEFAULT_DIFF_K } from "../../src/core/diff.js";
import type { DocumentDiff, KeywordResult } from "../../src/core/model.js";

/** A result from `id: term term …` specs; scores descend with rank. */
const result = (docs: Readonly<Record<string, string>>): KeywordResult => ({
  documents: Object.entries(docs).map(([id, terms]) => ({
    id,
    keywords: terms
      .split(" ")
      .filter((t) => t !== "")
      .map((term, i) => ({ term, score: 1 / (i + 1) })),
  })),
});

type DocCase = {
  readonly name: string;
  readonly fresh: string;
  readonly base: string;
  readonly k: number;
  readonly expect: Omit<DocumentDiff, "id" | "presence">;
};

describe("diffKeywords: per document", () => {
  const cases: ReadonlyArray<DocCase> = [
    {
      name: "identical",
      fresh: "a b c",
      base: "a b c",
      k: 3,
      expect: { added: [], removed: [], moved: [], overlap: 1 },
    },
    {
      name: "one swap, one replacement",
      fresh: "a b c",
      base: "b a d",
      k: 3,
      expect: {
        added: ["c"],
        removed: ["d"],
        moved: [
          { term: "a", from: 2, to: 1 },
          { term: "b", from: 1, to: 2 },
        ],
        overlap: 2 / 3,
      },
    },
    {
      name: "disjoint",
      fresh: "a b",
      base: "c d",
      k: 2,
      expect: { added: ["a", "b"], removed: ["c", "d"], moved: [], overlap: 0 },
    },
    {
      name: "only the top k count",
      fresh: "a b c d e",
      base: "a x c d e",
      k: 2,
      expect: { added: ["b"], removed: ["x"], moved: [], overlap: 0.5 },
    },
    {
      name: "a term beyond k on the other side counts as added",
      fresh: "a c",
      base: "a b c",
      k: 2,
      expect: { added: ["c"], removed: ["b"], moved: [], overlap: 0.5 },
    },
    {
      name: "fewer than k terms: divide by the longer side",
      fresh: "a",
      base: "a b",
      k: 10,
      expect: { added: [], removed: ["b"], moved: [], overlap: 0.5 },
    },
    {
      name: "both sides empty: overlap 1",
      fresh: "",
      base: "",
      k: 10,
      expect: { added: [], removed: [], moved: [], overlap: 1 },
    },
    {
      name: "new side empty: overlap 0",
      fresh: "",
      base: "a",
      k: 10,
      expect: { added: [], removed: ["a"], moved: [], overlap: 0 },
    },
    {
      name: "rank moves are 1-based, in the new order",
      fresh: "c a b d",
      base: "a b c d",
      k: 4,
      expect: {
        added: [],
        removed: [],
        moved: [
          { term: "c", from: 3, to: 1 },
          { term: "a", from: 1, to: 2 },
          { term: "b", from: 2, to: 3 },
        ],
        overlap: 1,
      },
    },
    {
      name: "a repeated term counts at its first rank",
      fresh: "a a b",
      base: "a b",
      k: 2,
      expect: { added: [], removed: [], moved: [], overlap: 1 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const diff = diffKeywords(result({ d: c.fresh }), result({ d: c.base }), c.k);
      assert.deepEqual(diff.documents, [{ id: "d", presence: "both", ...c.expect }]);
    });
  }

  it("diffDocument is the per-document step", () => {
    assert.deepEqual(diffDocument("x", ["a"], ["a"]), {
      id: "x",
      added: [],
      removed: [],
      moved: [],
      overlap: 1,
      presence: "both",
    });
  });
});

describe("diffKeywords: corpus", () => {
  it("presence, document order, documents changed and mean overlap", () => {
    const diff = diffKeywords(
      result({ same: "a b", half: "a c", moved: "b a", fresh: "x y" }),
      result({ gone: "q", same: "a b", half: "a b", moved: "a b" }),
      2,
    );
    assert.deepEqual(
      diff.documents.map((d) => [d.id, d.presence, d.overlap]),
      [
        ["same", "both", 1],
        ["half", "both", 0.5],
        ["moved", "both", 1],
        ["fresh", "new-only", 0],
        ["gone", "baseline-only", 0],
      ],
    );
    assert.deepEqual(diff.documents[3], {
      id: "fresh",
      added: ["x", "y"],
      removed: [],
      moved: [],
      overlap: 0,
      presence: "new-only",
    });
    assert.deepEqual(diff.documents[4], {
      id: "gone",
      added: [],
      removed: ["q"],
      moved: [],
      overlap: 0,
      presence: "baseline-only",
    });
    assert.equal(diff.k, 2);
    // half (terms), moved (ranks), fresh and gone (presence) changed; same did not.
    assert.equal(diff.documentsChanged, 4);
    // Mean over the three documents on both sides only: (1 + 0.5 + 1) / 3.
    assert.equal(diff.meanOverlap, 2.5 / 3);
  });

  it("exact mean over fractional overlaps", () => {
    const diff = diffKeywords(
      result({ a: "t1 t2 t3 t4", b: "t1 t2 t3 t4" }),
      result({ a: "t1 t2 t3 x", b: "t1 y z w" }),
      4,
    );
    assert.deepEqual(
      diff.documents.map((d) => d.overlap),
      [0.75, 0.25],
    );
    assert.equal(diff.meanOverlap, 0.5);
    assert.equal(diff.documentsChanged, 2);
  });

  it("two empty results: nothing changed, mean overlap 1", () => {
    assert.deepEqual(diffKeywords({ documents: [] }, { documents: [] }), {
      k: DEFAULT_DIFF_K,
      documents: [],
      documentsChanged: 0,
      meanOverlap: 1,
    });
  });

  it("no document in common: mean overlap 0", () => {
    const diff = diffKeywords(result({ a: "x" }), result({ b: "x" }));
    assert.equal(diff.meanOverlap, 0);
    assert.equal(diff.documentsChanged, 2);
  });

  it("a repeated document id: the first occurrence counts", () => {
    const fresh: KeywordResult = { documents: [...result({ a: "x" }).documents, ...result({ a: "y" }).documents] };
    const diff = diffKeywords(fresh, result({ a: "x" }));
    assert.equal(diff.documents.length, 1);
    assert.equal(diff.documents[0]!.overlap, 1);
  });

  it("k defaults to 10", () => {
    const twelve = "t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 t12";
    const diff = diffKeywords(result({ a: twelve }), result({ a: "t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 u11 u12" }));
    assert.equal(diff.k, 10);
    assert.equal(diff.documents[0]!.overlap, 1);
  });

  const badK: ReadonlyArray<[number, number]> = [
    [0, 10],
    [-3, 10],
    [Number.NaN, 10],
    [Number.POSITIVE_INFINITY, 10],
    [2.7, 2],
  ];
  for (const [k, used] of badK) {
    it(`k = ${k} is read as ${used}`, () =>
      assert.equal(diffKeywords(result({ a: "x" }), result({ a: "x" }), k).k, used));
  }
});
