import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, realpathSync } from "node:fs";
import * as path from "node:path";
import * as E from "fp-ts/Either";
import { DEFAULT_POS_FILTER, toTerms } from "../../src/nlp/filter.js";
import { DEFAULT_KEYWORD_PARAMS, extractKeywords } from "../../src/nlp/keywords.js";
import { preprocessDocument } from "../../src/nlp/preprocess.js";
import { ENGLISH_STOP_WORDS } from "../../src/nlp/stop-words.js";
import { loadKuromojiTokenizer, resolveKuromojiDicPath, type KuromojiTokenizer } from "../../src/nlp/tokenizer.js";

// The real IPADIC dictionary, loaded once for this file.
describe("kuromoji tokenizer (real dictionary)", { timeout: 120_000 }, () => {
  let tokenizer: KuromojiTokenizer;
  before(async () => {
    const loaded = await loadKuromojiTokenizer()();
    if (E.isLeft(loaded)) throw new Error(`kuromoji did not load: ${JSON.stringify(loaded.left)}`);
    tokenizer = loaded.right;
  });

  const terms = (title: string, text: string) =>
    toTerms(tokenizer.tokenize(preprocessDocument(title, text)), DEFAULT_POS_FILTER, ENGLISH_STOP_WORDS);

  it("resolves the dictionary inside the installed package, not from the working directory", () => {
    const dicPath = resolveKuromojiDicPath();
    assert.ok(path.isAbsolute(dicPath));
    assert.equal(dicPath, realpathSync(path.resolve("node_modules", "kuromoji", "dict")));
    assert.ok(existsSync(path.join(dicPath, "base.dat.gz")));
    assert.equal(tokenizer.dicPath, dicPath);
  });

  it("gives IPADIC morphemes with part of speech and base form", () => {
    const ms = tokenizer.tokenize("東京都に住んでいます");
    assert.deepEqual(
      ms.map((m) => [m.surface, m.pos, m.posDetail1, m.basicForm]),
      [
        ["東京", "名詞", "固有名詞", "東京"],
        ["都", "名詞", "接尾", "都"],
        ["に", "助詞", "格助詞", "に"],
        ["住ん", "動詞", "自立", "住む"],
        ["で", "助詞", "接続助詞", "で"],
        ["い", "動詞", "非自立", "いる"],
        ["ます", "助動詞", "*", "ます"],
      ],
    );
  });

  it("a Japanese + English text goes through steps a-e to the expected terms", () => {
    assert.deepEqual(
      terms(
        "# PyCon JP 2020：型ヒントの話",
        "東京都に住んでいる人が、Pythonを書いています。We are writing 3 libraries for the data analysis!",
      ),
      [
        "pycon",
        "jp",
        "型",
        "ヒント",
        "話",
        "東京",
        "都",
        "住む",
        "人",
        "python",
        "書く",
        "writing",
        "libraries",
        "data",
        "analysis",
      ],
    );
  });

  it("the classic すもも sentence", () => {
    assert.deepEqual(terms("", "すもももももももものうち。"), ["すもも", "もも", "もも", "うち"]);
  });

  it("links, URLs and numbers never become terms; ください is a dependent verb", () => {
    assert.deepEqual(terms("", "[資料](https://example.com/slides/2020) は https://x.jp/a?b=1 を見てください 10.5%"), [
      "資料",
      "見る",
    ]);
  });

  it("extractKeywords runs the whole recipe with the real tokenizer", () => {
    const r = extractKeywords(
      [
        { id: "a", title: "型ヒント", text: "型ヒントで型をチェックする" },
        { id: "b", title: "非同期", text: "asyncio で非同期処理" },
        { id: "c", title: "テスト", text: "pytest でテストを書く" },
      ],
      tokenizer.tokenize,
      DEFAULT_KEYWORD_PARAMS,
    );
    assert.ok(E.isRight(r));
    assert.equal(r.right.documents[0]?.keywords[0]?.term, "型");
    assert.deepEqual(
      r.right.documents.map((d) => d.id),
      ["a", "b", "c"],
    );
  });
});

describe("loadKuromojiTokenizer errors", () => {
  it("a missing dictionary is a TokenizerUnavailable value, not a throw", async () => {
    const r = await loadKuromojiTokenizer({ dicPath: "/nonexistent/kuromoji-dict" })();
    assert.ok(E.isLeft(r));
    assert.equal(r.left._tag, "TokenizerUnavailable");
    assert.equal(r.left._tag === "TokenizerUnavailable" ? r.left.dicPath : "", "/nonexistent/kuromoji-dict");
  });
});
