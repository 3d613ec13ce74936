import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import {
  computeTfidf,
  formatDocFrequency,
  parseDocFrequency,
  type DocFrequency,
  type TfidfOptions,
} from "../../src/nlp/tfidf.js";

// A corpus small enough to do by hand: n = 3; df(apple) = 1, df(banana) = 2, df(cherry) = 2.
const CORPUS = [["apple", "apple", "banana"], ["banana", "cherry"], ["cherry"]];

const df = (text: string): DocFrequency => {
  const d = parseDocFrequency(text);
  if (E.isLeft(d)) throw new Error(d.left);
  return d.right;
};
const base: TfidfOptions = {
  maxDf: df("1.0"),
  minDf: df("1"),
  sublinearTf: false,
  norm: "l2",
  useIdf: true,
  smoothIdf: true,
};

const rowsOf = (docs: ReadonlyArray<ReadonlyArray<string>>, opts: TfidfOptions) => {
  const m = computeTfidf(docs, opts);
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left));
  return m.right.rows.map((r) => Object.fromEntries(r));
};

const assertRowsClose = (
  actual: ReadonlyArray<Record<string, number>>,
  expected: ReadonlyArray<Record<string, number>>,
) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((row, i) => {
    assert.deepEqual(Object.keys(actual[i]!).sort(), Object.keys(row).sort(), `terms of row ${i}`);
    for (const [term, v] of Object.entries(row)) {
      assert.ok(Math.abs(actual[i]![term]! - v) < 1e-12, `row ${i} ${term}: ${actual[i]![term]} vs ${v}`);
    }
  });
};

describe("computeTfidf against numbers worked out by hand", () => {
  const cases: ReadonlyArray<{ name: string; opts: TfidfOptions; rows: ReadonlyArray<Record<string, number>> }> = [
    {
      // idf(apple) = ln(4/2) + 1 = 1.6931471805599454; idf(banana) = idf(cherry) = ln(4/3) + 1 = 1.2876820724517808
      // row 1 = (2 * 1.69315, 1.28768) / |…|; rows 2 and 3 have equal weights, so 1/√2 and 1.
      name: "smooth idf, raw tf, l2",
      opts: base,
      rows: [
        { apple: 0.9347019636214327, banana: 0.35543246785041743 },
        { banana: 0.7071067811865475, cherry: 0.7071067811865475 },
        { cherry: 1 },
      ],
    },
    {
      name: "no idf, l1: counts over the row total",
      opts: { ...base, useIdf: false, norm: "l1" },
      rows: [{ apple: 2 / 3, banana: 1 / 3 }, { banana: 0.5, cherry: 0.5 }, { cherry: 1 }],
    },
    {
      // idf without smoothing: ln(3/1) + 1 = 2.09861228866811, ln(3/2) + 1 = 1.4054651081081644;
      // sublinear tf of 2 = 1 + ln 2.
      name: "sublinear tf, plain idf, no norm",
      opts: { ...base, sublinearTf: true, smoothIdf: false, norm: "none" },
      rows: [
        { apple: 3.5532594796468646, banana: 1.4054651081081644 },
        { banana: 1.4054651081081644, cherry: 1.4054651081081644 },
        { cherry: 1.4054651081081644 },
      ],
    },
    {
      name: "max_df 0.5 (a share: at most 1.5 documents) keeps only apple",
      opts: { ...base, maxDf: df("0.5") },
      rows: [{ apple: 1 }, {}, {}],
    },
    {
      name: 'max_df "1" is a count of one document, not a share',
      opts: { ...base, maxDf: df("1") },
      rows: [{ apple: 1 }, {}, {}],
    },
    {
      name: "min_df 2 (a count) drops apple",
      opts: { ...base, minDf: df("2") },
      rows: [{ banana: 1 }, { banana: 0.7071067811865475, cherry: 0.7071067811865475 }, { cherry: 1 }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assertRowsClose(rowsOf(CORPUS, c.opts), c.rows));
  }

  it("sorts the vocabulary by code point and reports idf", () => {
    const m = computeTfidf(CORPUS, base);
    assert.ok(E.isRight(m));
    assert.deepEqual(m.right.vocabulary, ["apple", "banana", "cherry"]);
    assert.ok(Math.abs((m.right.idf?.get("apple") ?? 0) - 1.6931471805599454) < 1e-15);
    const noIdf = computeTfidf(CORPUS, { ...base, useIdf: false });
    assert.ok(E.isRight(noIdf));
    assert.equal(noIdf.right.idf, undefined);
  });

  it("counts empty documents in n (idf of apple with a 4th, empty document: ln(5/2) + 1)", () => {
    const m = computeTfidf([...CORPUS, []], { ...base, norm: "none" });
    assert.ok(E.isRight(m));
    assert.ok(Math.abs((m.right.idf?.get("apple") ?? 0) - 1.916290731874155) < 1e-15);
    assert.deepEqual(m.right.rows[3], new Map());
  });
});

describe("computeTfidf refuses what scikit-learn refuses", () => {
  const cases: ReadonlyArray<{
    name: string;
    docs: ReadonlyArray<ReadonlyArray<string>>;
    opts: TfidfOptions;
    tag: string;
    detail: RegExp;
  }> = [
    { name: "no terms at all", docs: [[], []], opts: base, tag: "EmptyVocabulary", detail: /no terms/ },
    {
      name: "max_df count below min_df count",
      docs: CORPUS,
      opts: { ...base, maxDf: df("1"), minDf: df("2") },
      tag: "InvalidKeywordParams",
      detail: /max_df corresponds to fewer documents \(1\) than min_df \(2\)/,
    },
    {
      name: "max_df share below min_df count",
      docs: CORPUS,
      opts: { ...base, maxDf: df("0.3"), minDf: df("1") },
      tag: "InvalidKeywordParams",
      detail: /max_df/,
    },
    {
      name: "pruning removes every term",
      docs: CORPUS,
      opts: { ...base, minDf: df("1.0") },
      tag: "EmptyVocabulary",
      detail: /no terms remain/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = computeTfidf(c.docs, c.opts);
      assert.ok(E.isLeft(m));
      assert.equal(m.left._tag, c.tag);
      assert.match("detail" in m.left ? m.left.detail : "", c.detail);
    });
  }
});

describe("parseDocFrequency reads int vs float like scikit-learn", () => {
  const ok: ReadonlyArray<[string, DocFrequency]> = [
    ["1", { kind: "count", value: 1 } as DocFrequency],
    ["12", { kind: "count", value: 12 } as DocFrequency],
    ["1.0", { kind: "share", value: 1 } as DocFrequency],
    ["1.", { kind: "share", value: 1 } as DocFrequency],
    ["0.5", { kind: "share", value: 0.5 } as DocFrequency],
    [".25", { kind: "share", value: 0.25 } as DocFrequency],
    ["5e-1", { kind: "share", value: 0.5 } as DocFrequency],
    ["0.0", { kind: "share", value: 0 } as DocFrequency],
  ];
  for (const [text, expected] of ok) {
    it(`${JSON.stringify(text)} -> ${expected.kind} ${expected.value}`, () => {
      assert.deepEqual(parseDocFrequency(text), E.right(expected));
    });
  }
  // "0" is the integer 0, which scikit-learn rejects (counts start at 1).
  for (const bad of ["0", "1.5", "-1", "-0.5", "abc", "", "1/2", "0x10", " 1", "2e0", "NaN", "Infinity"]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      const r = parseDocFrequency(bad);
      assert.ok(E.isLeft(r));
      assert.match(r.left, /count >= 1 .* share in \[0, 1\]/);
    });
  }
  it("formats so that parsing gives the same value back", () => {
    for (const text of ["1", "7", "1.0", "0.5", "0.125", "0.0"]) {
      const d = df(text);
      assert.deepEqual(parseDocFrequency(formatDocFrequency(d)), E.right(d));
    }
  });
});
