/**
 * The result contract's codec: bounds, non-finite numbers, missing parts, unknown fields, and the
 * JSON path in the one-line error (SECURITY-CHECKLIST 81: the codecs bound counts, lengths and
 * numbers, finite only).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import {
  ExperimentResult,
  RESULT_LIMITS,
  decodeExperimentResult,
  parseExperimentResult,
} from "../../src/core/result.js";
import { fromKeywordResult, toKeywordResult } from "../../src/core/keyword-ranking.js";
import { BAD_RESULTS, GOOD_RESULTS } from "./result-fixtures.js";

const leftOf = (r: E.Either<string, unknown>): string => {
  assert.ok(E.isLeft(r), `expected a Left, got ${JSON.stringify(r)}`);
  return r.left;
};

describe("decodeExperimentResult: good results", () => {
  for (const c of GOOD_RESULTS) {
    it(c.name, () => {
      const r = decodeExperimentResult(c.value);
      assert.ok(E.isRight(r), E.isLeft(r) ? r.left : "");
      assert.deepEqual(r.right, c.value, "decoding keeps the value as it is");
      assert.ok(ExperimentResult.is(c.value));
    });
  }
});

describe("decodeExperimentResult: bad results name the JSON path in one line", () => {
  for (const c of BAD_RESULTS) {
    it(c.name, () => {
      const message = leftOf(decodeExperimentResult(c.value));
      assert.equal(message, c.error);
      assert.ok(!message.includes("\n"), "one line");
      assert.equal(ExperimentResult.is(c.value), false);
    });
  }
});

describe("the io-ts codec", () => {
  it("carries the same one-line message in its error", () => {
    const r = ExperimentResult.decode({ metrics: { accuracy: "x" } });
    assert.ok(E.isLeft(r));
    assert.equal(r.left[0]?.message, 'metrics.accuracy: expected a finite number, got "x"');
  });

  it("refuses NaN, which only an in-process runner can hand over", () => {
    assert.equal(
      leftOf(decodeExperimentResult({ metrics: { a: Number.NaN } })),
      "metrics.a: expected a finite number, got NaN",
    );
  });

  it("rebuilds objects: a __proto__ list id is an own key, not a prototype", () => {
    const json = JSON.parse('{"rankings":{"keywords":{"__proto__":[{"term":"x","score":1}],"b":[]}}}') as unknown;
    const r = decodeExperimentResult(json);
    assert.ok(E.isRight(r));
    const ranking = r.right.rankings?.["keywords"] ?? {};
    assert.deepEqual(Object.keys(ranking), ["__proto__", "b"]);
    assert.equal(Object.getPrototypeOf(ranking), Object.prototype);
  });

  it("keeps list order as the keys come, with array-index ids first (JavaScript's own key order)", () => {
    const json = JSON.parse('{"rankings":{"k":{"doc-b":[],"doc-a":[],"10":[],"2":[]}}}') as unknown;
    const r = decodeExperimentResult(json);
    assert.ok(E.isRight(r));
    assert.deepEqual(Object.keys(r.right.rankings?.["k"] ?? {}), ["2", "10", "doc-b", "doc-a"]);
  });
});

describe("parseExperimentResult", () => {
  it("reads 1e999 as Infinity and refuses it, naming the path", () => {
    assert.equal(
      leftOf(parseExperimentResult('{"metrics":{"loss":1e999}}')),
      "metrics.loss: expected a finite number, got Infinity",
    );
    assert.equal(
      leftOf(parseExperimentResult('{"metrics":{"loss":-1e999}}')),
      "metrics.loss: expected a finite number, got -Infinity",
    );
  });

  it("refuses text that is not JSON in one line", () => {
    assert.match(leftOf(parseExperimentResult("{metrics")), /^the result is not JSON: [^\n]+$/);
  });

  it("refuses more than maxBytes before parsing (UTF-8 bytes, not characters)", () => {
    const pad = "あ".repeat(Math.ceil(RESULT_LIMITS.maxBytes / 3) + 1); // 3 bytes each
    const text = `{"metrics":{"a":1},"notes":"${pad}"}`;
    assert.ok(text.length < RESULT_LIMITS.maxBytes, "fewer characters than the cap");
    assert.match(
      leftOf(parseExperimentResult(text)),
      new RegExp(`^the result is \\d+ bytes; at most ${RESULT_LIMITS.maxBytes} are read$`),
    );
  });

  it("decodes a good file", () => {
    assert.deepEqual(parseExperimentResult('{"metrics":{"accuracy":0.95}}'), E.right({ metrics: { accuracy: 0.95 } }));
  });

  it("a deeply nested hostile value fails without a stack overflow", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    assert.equal(
      leftOf(parseExperimentResult(`{"metrics":${deep}}`)),
      "metrics: expected an object of at most 200 metrics, got an array of 1",
    );
  });
});

describe("the keyword result as the rankings part", () => {
  const kr = {
    documents: [
      {
        id: "doc-2",
        keywords: [
          { term: "b", score: 0.5 },
          { term: "a", score: 0.25 },
        ],
      },
      { id: "doc-1", keywords: [{ term: "c", score: 0.75 }] },
    ],
  };

  it("becomes rankings.keywords in corpus order and back", () => {
    const r = fromKeywordResult(kr);
    assert.deepEqual(r, {
      rankings: { keywords: { "doc-2": kr.documents[0]?.keywords, "doc-1": kr.documents[1]?.keywords } },
    });
    assert.deepEqual(Object.keys(r.rankings?.["keywords"] ?? {}), ["doc-2", "doc-1"]);
    assert.deepEqual(toKeywordResult(r), O.some(kr));
    assert.ok(E.isRight(decodeExperimentResult(JSON.parse(JSON.stringify(r)))));
  });

  it("has no keyword result without a keywords ranking", () => {
    assert.deepEqual(toKeywordResult({ metrics: { a: 1 } }), O.none);
  });
});

describe("rankings decode without the checked path when valid, and with it otherwise (check 81)", () => {
  const lists = (n: number, items: number): Record<string, Array<{ term: string; score: number }>> =>
    Object.fromEntries(
      Array.from({ length: n }, (_, l) => [
        `doc-${l}`,
        Array.from({ length: items }, (_, i) => ({ term: `t${l}-${i}`, score: 1 / (i + 1) })),
      ]),
    );

  it("a valid ranking comes back equal and rebuilt: new objects, term before score whatever the input's order", () => {
    const astral = "😀".repeat(150); // 300 UTF-16 units, 150 code points: within the cap
    const json = JSON.parse(
      `{"rankings":{"k":{"d":[{"score":0.5,"term":"a"}],"e":[{"term":"${astral}","score":-1}]}}}`,
    ) as unknown;
    const r = decodeExperimentResult(json);
    assert.ok(E.isRight(r), E.isLeft(r) ? r.left : "");
    assert.equal(
      JSON.stringify(r.right),
      `{"rankings":{"k":{"d":[{"term":"a","score":0.5}],"e":[{"term":"${astral}","score":-1}]}}}`,
    );
    const input = (json as { rankings: { k: { d: Array<unknown> } } }).rankings.k.d;
    assert.notEqual(r.right.rankings?.["k"]?.["d"], input);
    assert.notEqual(r.right.rankings?.["k"]?.["d"]?.[0], input[0]);
  });

  it("one bad item at the very end of 5000 lists is named by its path, as the checked path names it", () => {
    const big = lists(RESULT_LIMITS.maxRankedLists, 3);
    const last = big[`doc-${RESULT_LIMITS.maxRankedLists - 1}`] ?? [];
    const faults: ReadonlyArray<readonly [unknown, string]> = [
      [{ term: "a", score: Number.POSITIVE_INFINITY }, "score: expected a finite number, got Infinity"],
      [{ term: "a", score: 1, extra: true }, "extra: unknown field (known: term, score)"],
      [
        { term: "x".repeat(RESULT_LIMITS.maxTextLength + 1), score: 1 },
        `term: expected a string of 1-${RESULT_LIMITS.maxTextLength} characters, got ${RESULT_LIMITS.maxTextLength + 1}`,
      ],
      [
        { term: "😀".repeat(RESULT_LIMITS.maxTextLength + 1), score: 1 },
        `term: expected a string of 1-${RESULT_LIMITS.maxTextLength} characters, got ${2 * RESULT_LIMITS.maxTextLength + 2} UTF-16 units`,
      ],
      [{ term: "", score: 1 }, `term: expected a string of 1-${RESULT_LIMITS.maxTextLength} characters, got 0`],
      [{ term: 7, score: 1 }, `term: expected a string of 1-${RESULT_LIMITS.maxTextLength} characters, got 7`],
    ];
    for (const [item, tail] of faults) {
      const value = {
        rankings: { keywords: { ...big, [`doc-${RESULT_LIMITS.maxRankedLists - 1}`]: [...last, item] } },
      };
      assert.equal(
        leftOf(decodeExperimentResult(value)),
        `rankings.keywords.doc-${RESULT_LIMITS.maxRankedLists - 1}[3].${tail}`,
      );
    }
  });
});
