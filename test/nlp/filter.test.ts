import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_POS_FILTER,
  filterTerms,
  isDroppedByPos,
  isKeptTerm,
  toStopWords,
  toTerm,
  toTerms,
} from "../../src/nlp/filter.js";
import { ENGLISH_STOP_WORDS } from "../../src/nlp/stop-words.js";
import type { Morpheme } from "../../src/nlp/tokenizer.js";

const m = (surface: string, pos: string, posDetail1: string, basicForm: string): Morpheme => ({
  surface,
  pos,
  posDetail1,
  basicForm,
});

describe("step d: part-of-speech filter and term choice", () => {
  const cases: ReadonlyArray<[string, Morpheme, boolean]> = [
    ["particle", m("は", "助詞", "係助詞", "は"), true],
    ["auxiliary verb", m("ます", "助動詞", "*", "ます"), true],
    ["symbol", m("。", "記号", "句点", "。"), true],
    ["whitespace symbol", m(" ", "記号", "空白", "*"), true],
    ["dependent verb", m("い", "動詞", "非自立", "いる"), true],
    ["independent verb", m("書い", "動詞", "自立", "書く"), false],
    ["noun", m("型", "名詞", "一般", "型"), false],
    ["dependent noun stays (only verbs are filtered by detail)", m("こと", "名詞", "非自立", "こと"), false],
    ["adjective", m("速い", "形容詞", "自立", "速い"), false],
  ];
  for (const [name, morpheme, dropped] of cases) {
    it(`${name}: ${dropped ? "dropped" : "kept"}`, () =>
      assert.equal(isDroppedByPos(morpheme, DEFAULT_POS_FILTER), dropped));
  }

  it("the filter is a parameter", () => {
    assert.equal(isDroppedByPos(m("型", "名詞", "一般", "型"), [{ pos: "名詞" }]), true);
    assert.equal(isDroppedByPos(m("は", "助詞", "係助詞", "は"), []), false);
  });

  it("term is the base form, or the surface where the base form is *", () => {
    assert.equal(toTerm(m("書い", "動詞", "自立", "書く")), "書く");
    assert.equal(toTerm(m("asyncio", "名詞", "固有名詞", "*")), "asyncio");
  });

  it("toTerms applies d then e", () => {
    const morphemes = [
      m("python", "名詞", "固有名詞", "*"),
      m("で", "助詞", "格助詞", "で"),
      m("書い", "動詞", "自立", "書く"),
      m("て", "助詞", "接続助詞", "て"),
      m("い", "動詞", "非自立", "いる"),
      m("the", "名詞", "固有名詞", "*"),
      m("x", "名詞", "固有名詞", "*"),
      m("0", "名詞", "数", "*"),
      m("!", "名詞", "サ変接続", "*"),
    ];
    assert.deepEqual(toTerms(morphemes, DEFAULT_POS_FILTER, ENGLISH_STOP_WORDS), ["python", "書く"]);
  });
});

describe("step e: term filter", () => {
  const cases: ReadonlyArray<[string, boolean]> = [
    ["python", true],
    ["型", true],
    ["ヒント", true],
    ["β", true],
    ["0.0", true],
    ["c++", true],
    ["٣", true],
    ["x", false],
    ["0", false],
    ["-", false],
    ["!!", false],
    ["…", false],
    ["😀", false],
    ["～", false],
    ["the", false],
    ["system", false],
    ["The", true],
  ];
  for (const [term, kept] of cases) {
    it(`${JSON.stringify(term)} ${kept ? "kept" : "dropped"}`, () =>
      assert.equal(isKeptTerm(term, ENGLISH_STOP_WORDS), kept));
  }

  it("holds scikit-learn's 318 English stop words", () => {
    assert.equal(ENGLISH_STOP_WORDS.size, 318);
    for (const w of ["a", "amoungst", "bill", "cry", "fire", "yourselves", "whereafter"])
      assert.ok(ENGLISH_STOP_WORDS.has(w), w);
    for (const w of ["python", "data", "the.", "s"]) assert.ok(!ENGLISH_STOP_WORDS.has(w), w);
  });

  it("extra stop words add to the built-in ones", () => {
    const stop = toStopWords(["talk", "トーク"]);
    assert.deepEqual(filterTerms(["talk", "トーク", "the", "python"], stop), ["python"]);
    assert.equal(toStopWords([]), ENGLISH_STOP_WORDS);
  });
});
