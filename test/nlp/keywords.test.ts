import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { KeywordResult } from "../../src/core/model.js";
import {
  DEFAULT_KEYWORD_PARAMS,
  describeKeywordParams,
  extractKeywords,
  extractKeywordsFromTokens,
  toKeywordParams,
  type KeywordParams,
} from "../../src/nlp/keywords.js";
import type { Tokenize } from "../../src/nlp/tokenizer.js";
import { assertLeft } from "../support/assert-error.js";

// Every whitespace-separated word is a noun, so the recipe around the tokenizer can be checked
// without loading a dictionary.
const whitespace: Tokenize = (text) =>
  text
    .split(/\s+/)
    .filter((w) => w !== "")
    .map((w) => ({ surface: w, pos: "名詞", posDetail1: "一般", basicForm: w }));

const params = (given: unknown): KeywordParams => {
  const p = toKeywordParams(given);
  if (E.isLeft(p)) throw new Error(JSON.stringify(p.left));
  return p.right;
};

describe("KeywordParams", () => {
  it("defaults are the documented recipe", () => {
    assert.equal(
      describeKeywordParams(DEFAULT_KEYWORD_PARAMS),
      "top=10 max_df=0.5 min_df=1 sublinear_tf=false norm=l2 use_idf=true smooth_idf=true",
    );
    assert.deepEqual(DEFAULT_KEYWORD_PARAMS.extraStopWords, []);
    assert.equal(DEFAULT_KEYWORD_PARAMS.posFilter.length, 4);
  });

  it("merges a partial object over the defaults", () => {
    const p = params({ top: 5, maxDf: { kind: "count", value: 3 }, norm: "l1" });
    assert.equal(
      describeKeywordParams(p),
      "top=5 max_df=3 min_df=1 sublinear_tf=false norm=l1 use_idf=true smooth_idf=true",
    );
  });

  const bad: ReadonlyArray<[string, unknown, RegExp]> = [
    ["top 0", { top: 0 }, /^top: expected PositiveInt, got 0$/],
    ["top 1.5", { top: 1.5 }, /^top:/],
    ["share above 1", { maxDf: { kind: "share", value: 1.5 } }, /^maxDf/],
    ["count 0", { minDf: { kind: "count", value: 0 } }, /^minDf/],
    ["norm l3", { norm: "l3" }, /^norm: .*got "l3"/],
    ["stop words not strings", { extraStopWords: ["a", 1] }, /^extraStopWords\.1/],
    ["not an object", "top=5", /^params/],
    [
      "a snake_case key",
      { max_df: { kind: "share", value: 0.4 } },
      /^unknown key "max_df" \(allowed: top, maxDf, minDf, /,
    ],
  ];
  for (const [name, input, detail] of bad) {
    it(`rejects ${name}, naming the field`, () => {
      const r = toKeywordParams(input);
      assert.ok(E.isLeft(r));
      assert.equal(r.left._tag, "InvalidKeywordParams");
      assert.match(r.left._tag === "InvalidKeywordParams" ? r.left.detail : "", detail);
    });
  }
});

describe("extractKeywords (steps a-g with a whitespace tokenizer)", () => {
  // After steps a-e these are the hand-worked corpus of tfidf.test.ts:
  // [apple apple banana] [banana cherry] [cherry].
  const docs = [
    { id: "d1", title: "Apple", text: "apple banana https://x.y/z" },
    { id: "d2", title: "", text: "- Banana [cherry](http://c.d)" },
    { id: "d3", title: "CHERRY", text: "the 2020 x ." },
  ];

  it("gives the hand-computed scores, documents in input order", () => {
    const r = extractKeywords(docs, whitespace, params({ maxDf: { kind: "share", value: 1 } }));
    assert.ok(E.isRight(r));
    assert.ok(KeywordResult.is(r.right));
    assert.deepEqual(
      r.right.documents.map((d) => d.id),
      ["d1", "d2", "d3"],
    );
    const [d1, d2, d3] = r.right.documents;
    assert.deepEqual(
      d1?.keywords.map((k) => k.term),
      ["apple", "banana"],
    );
    assert.ok(Math.abs((d1?.keywords[0]?.score ?? 0) - 0.9347019636214327) < 1e-12);
    assert.ok(Math.abs((d1?.keywords[1]?.score ?? 0) - 0.35543246785041743) < 1e-12);
    // a tie: banana and cherry weigh the same, so code point order decides
    assert.deepEqual(
      d2?.keywords.map((k) => k.term),
      ["banana", "cherry"],
    );
    assert.deepEqual(d3?.keywords, [{ term: "cherry", score: 1 }]);
  });

  it("default max_df 0.5 prunes terms in more than half of the documents", () => {
    const r = extractKeywords(docs, whitespace, DEFAULT_KEYWORD_PARAMS);
    assert.deepEqual(
      r,
      E.right({
        documents: [
          { id: "d1", keywords: [{ term: "apple", score: 1 }] },
          { id: "d2", keywords: [] },
          { id: "d3", keywords: [] },
        ],
      }),
    );
  });

  it("extra stop words and the part-of-speech filter are parameters", () => {
    const r = extractKeywords(
      docs,
      whitespace,
      params({ maxDf: { kind: "share", value: 1 }, extraStopWords: ["apple"] }),
    );
    assert.ok(E.isRight(r));
    assert.deepEqual(
      r.right.documents[0]?.keywords.map((k) => k.term),
      ["banana"],
    );
    const none = extractKeywords(docs, whitespace, params({ posFilter: [{ pos: "名詞" }] }));
    assertLeft(none, "EmptyVocabulary", /^detail=the documents contain no terms \(perhaps only stop words\)$/);
  });

  it("top-k cuts each document's list", () => {
    const r = extractKeywords(docs, whitespace, params({ top: 1, maxDf: { kind: "share", value: 1 } }));
    assert.ok(E.isRight(r));
    assert.deepEqual(
      r.right.documents.map((d) => d.keywords.map((k) => k.term)),
      [["apple"], ["banana"], ["cherry"]],
    );
  });
});

describe("extractKeywordsFromTokens (steps e-g)", () => {
  it("applies the term filter but neither lower-casing nor the part-of-speech filter", () => {
    const r = extractKeywordsFromTokens(
      [
        { id: "a", tokens: ["Python", "の", "the", "x", "。", "python"] },
        { id: "b", tokens: ["rust"] },
      ],
      params({ maxDf: { kind: "share", value: 1 }, norm: "none", useIdf: false }),
    );
    assert.deepEqual(
      r,
      E.right({
        documents: [
          {
            id: "a",
            keywords: [
              { term: "Python", score: 1 },
              { term: "python", score: 1 },
              { term: "の", score: 1 },
            ],
          },
          { id: "b", keywords: [{ term: "rust", score: 1 }] },
        ],
      }),
    );
  });
});
