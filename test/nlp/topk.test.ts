import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compareCodePoints, topK } from "../../src/nlp/topk.js";

describe("step g: topK", () => {
  it("ranks by score, descending", () => {
    const r = topK(
      new Map([
        ["a", 0.1],
        ["b", 0.3],
        ["c", 0.2],
      ]),
      10,
    );
    assert.deepEqual(r, [
      { term: "b", score: 0.3 },
      { term: "c", score: 0.2 },
      { term: "a", score: 0.1 },
    ]);
  });

  it("breaks ties by term in code point order, then cuts at k", () => {
    const r = topK(
      new Map([
        ["型", 0.5],
        ["python", 0.5],
        ["Python", 0.5],
        ["api", 0.9],
      ]),
      3,
    );
    assert.deepEqual(
      r.map((k) => k.term),
      ["api", "Python", "python"],
    );
  });

  it("orders characters beyond the BMP by code point, not by UTF-16 unit", () => {
    // U+1F40D (🐍) is stored as \uD83D\uDC0D; by UTF-16 units it would sort before U+FF5E (～).
    const r = topK(
      new Map([
        ["🐍", 1],
        ["～", 1],
        ["ｱ", 1],
        ["𠮷", 1],
        ["a\u{10000}", 1],
        ["a\uFFFF", 1],
      ]),
      10,
    );
    assert.deepEqual(
      r.map((k) => k.term),
      ["a\uFFFF", "a\u{10000}", "～", "ｱ", "🐍", "𠮷"],
    );
  });

  it("k larger than the row and k of 0", () => {
    assert.equal(topK(new Map([["a", 1]]), 5).length, 1);
    assert.deepEqual(topK(new Map([["a", 1]]), 0), []);
    assert.deepEqual(topK(new Map(), 10), []);
  });

  it("keeps full precision", () => {
    assert.equal(topK(new Map([["a", 0.1234567890123456]]), 1)[0]?.score, 0.1234567890123456);
  });
});

describe("compareCodePoints", () => {
  const cases: ReadonlyArray<[string, string, number]> = [
    ["a", "b", -1],
    ["b", "a", 1],
    ["a", "a", 0],
    ["a", "ab", -1],
    ["", "a", -1],
    ["\u{1F600}", "\uFF5E", 1],
    ["\uFF5E", "\u{1F600}", -1],
    ["\u{1F600}", "\u{1F600}", 0],
  ];
  for (const [a, b, expected] of cases) {
    it(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () => assert.equal(compareCodePoints(a, b), expected));
  }
});
