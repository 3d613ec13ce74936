// Step d's line handling and the Latin fast path, with a fake tokenizer (the equivalence with
// kuromoji on the corpora's ASCII lines is in parity.test.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_POS_FILTER } from "../../src/nlp/filter.js";
import {
  isLatinLine,
  latinFastPathApplies,
  needsDictionary,
  tokenizeDocument,
  tokenizeLatinLine,
  toLines,
} from "../../src/nlp/segment.js";
import type { Tokenize } from "../../src/nlp/tokenizer.js";

const recording = (): { lines: string[]; tokenize: Tokenize } => {
  const lines: string[] = [];
  return { lines, tokenize: (t) => (lines.push(t), [{ surface: t, pos: "名詞", posDetail1: "一般", basicForm: "*" }]) };
};

describe("Latin fast path", () => {
  it("groups letters, digits and symbols into runs as kuromoji's unknown words do; spaces go", () => {
    assert.deepEqual(
      tokenizeLatinLine("fastapi 0.0 c++ -> x_y").map((m) => [m.surface, m.posDetail1]),
      [
        ["fastapi", "一般"],
        ["0", "数"],
        [".", "サ変接続"],
        ["0", "数"],
        ["c", "一般"],
        ["++", "サ変接続"],
        ["->", "サ変接続"],
        ["x", "一般"],
        ["_", "サ変接続"],
        ["y", "一般"],
      ],
    );
    assert.ok(tokenizeLatinLine("a b").every((m) => m.pos === "名詞" && m.basicForm === "*"));
  });

  it("applies to Latin-script lines only: ASCII, accented letters, curly quotes, dashes; not kana, kanji, Greek, ×", () => {
    for (const l of ["hello world", "", "a~b", "café", "“naïve” — résumé’s …", "straße €0"])
      assert.ok(isLatinLine(l), l);
    for (const l of ["tab\there", "型", "カフェ", "\u00a0", "αβ", "2×3", "한국어", "😀"]) assert.ok(!isLatinLine(l), l);
  });

  it("groups accented letters with ASCII letters, symbols apart", () => {
    assert.deepEqual(
      tokenizeLatinLine("“café” naïve—x").map((m) => [m.surface, m.posDetail1]),
      [
        ["“", "サ変接続"],
        ["café", "一般"],
        ["”", "サ変接続"],
        ["naïve", "一般"],
        ["—", "サ変接続"],
        ["x", "一般"],
      ],
    );
  });

  it("is off when the part-of-speech filter drops some nouns (kuromoji's noun details then matter)", () => {
    assert.ok(latinFastPathApplies(DEFAULT_POS_FILTER));
    assert.ok(!latinFastPathApplies([...DEFAULT_POS_FILTER, { pos: "名詞", posDetail1: "数" }]));
    const r = recording();
    tokenizeDocument("ascii only", r.tokenize, [{ pos: "名詞", posDetail1: "固有名詞" }]);
    assert.deepEqual(r.lines, ["ascii only"]);
    assert.equal(needsDictionary("ascii only", [{ pos: "名詞" }]), true);
  });
});

describe("tokenizeDocument", () => {
  it("tokenizes line by line, skips blank lines, sends only non-ASCII lines to the tokenizer", () => {
    const r = recording();
    const ms = tokenizeDocument("talk 0\n\n  \n型を書く\nend", r.tokenize, DEFAULT_POS_FILTER);
    assert.deepEqual(r.lines, ["型を書く"]);
    assert.deepEqual(
      ms.map((m) => m.surface),
      ["talk", "0", "型を書く", "end"],
    );
    assert.deepEqual(toLines("a\n\n b \n"), ["a", " b "]);
  });

  it("needsDictionary is false for an all-ASCII text and true as soon as one line is not", () => {
    assert.equal(needsDictionary("hello\nworld 0", DEFAULT_POS_FILTER), false);
    assert.equal(needsDictionary("hello\n世界", DEFAULT_POS_FILTER), true);
  });
});
