// The user dictionary: parsing, cutting lines around terms, and the recipe with the real
// kuromoji (loaded once) keeping jig-py, fastapi, インメモリー and 有価証券報告書 whole.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { DEFAULT_POS_FILTER } from "../../src/nlp/filter.js";
import { documentTerms } from "../../src/nlp/keywords.js";
import { needsDictionary, tokenizeDocument, tokenizeLatinLine } from "../../src/nlp/segment.js";
import { loadKuromojiTokenizer, type Tokenize } from "../../src/nlp/tokenizer.js";
import { parseUserDictionary, splitByUserTerms, type UserDictionary } from "../../src/nlp/user-dictionary.js";

const dictOf = (text: string): UserDictionary => {
  const d = parseUserDictionary("terms.txt", text);
  assert.ok(E.isRight(d), JSON.stringify(d));
  return d.right;
};

const TERMS = "# tools and words IPADIC splits\njig-py\nFastAPI\nインメモリー\n有価証券報告書\n\n";

describe("parseUserDictionary", () => {
  it("one term per line; blank and # lines skipped; normalised like document text; duplicates once", () => {
    assert.deepEqual(dictOf(`${TERMS}ＦａｓｔＡＰＩ\r\npython3\n`).terms, [
      "jig-py",
      "fastapi",
      "インメモリー",
      "有価証券報告書",
      "python0",
    ]);
  });

  it("a term with whitespace inside is an error naming file and line", () => {
    const d = parseUserDictionary("terms.txt", "ok\n\nfast api\n");
    assert.ok(E.isLeft(d));
    assert.equal(d.left._tag, "CorpusLineInvalid");
    assert.deepEqual(d.left._tag === "CorpusLineInvalid" ? [d.left.file, d.left.line] : [], ["terms.txt", 3]);
  });
});

describe("splitByUserTerms", () => {
  const dict = dictOf("api\njig-py\n証券\nインメモリー\n");
  const cases: ReadonlyArray<[string, ReadonlyArray<string>]> = [
    ["jig-py and api", ["[jig-py]", " and ", "[api]"]],
    ["rapid apis api", ["rapid apis ", "[api]"]],
    ["インメモリーデータベース", ["[インメモリー]", "データベース"]],
    ["有価証券報告書", ["有価", "[証券]", "報告書"]],
    ["nothing here", ["nothing here"]],
  ];
  for (const [line, expected] of cases) {
    it(JSON.stringify(line), () => {
      assert.deepEqual(
        splitByUserTerms(line, dict).map((p) => (p.term ? `[${p.text}]` : p.text)),
        expected,
      );
    });
  }

  it("takes the longest term at a position", () => {
    const d = dictOf("jig\njig-py\n");
    assert.deepEqual(
      splitByUserTerms("jig-py jig", d).map((p) => p.text),
      ["jig-py", " ", "jig"],
    );
  });
});

describe("user dictionary in the recipe", { timeout: 60_000 }, () => {
  let tokenize: Tokenize = () => assert.fail("kuromoji did not load");
  before(async () => {
    const tk = await loadKuromojiTokenizer()();
    if (E.isRight(tk)) tokenize = tk.right.tokenize;
  });
  const doc = {
    id: "d",
    title: "FastAPIとjig-pyで作るインメモリーデータベース",
    text: "有価証券報告書を読む。jig-py is fast",
  };

  it("off by default: IPADIC's split", () => {
    const terms = documentTerms(doc, tokenize, DEFAULT_POS_FILTER);
    for (const t of ["jig", "py", "有価", "証券", "報告", "インメモリーデータベース"])
      assert.ok(terms.includes(t), `${t} in ${terms.join(" ")}`);
    assert.ok(!terms.includes("jig-py") && !terms.includes("有価証券報告書"));
  });

  it("on: each listed term comes out as one term", () => {
    const terms = documentTerms(doc, tokenize, DEFAULT_POS_FILTER, dictOf(TERMS));
    assert.deepEqual(
      terms.filter((t) => ["jig-py", "fastapi", "インメモリー", "有価証券報告書"].includes(t)),
      ["fastapi", "jig-py", "インメモリー", "有価証券報告書", "jig-py"],
    );
    for (const t of ["jig", "py", "有価", "証券"]) assert.ok(!terms.includes(t), `${t} should be inside a user term`);
    assert.ok(terms.includes("データベース"));
  });

  it("works on the Latin fast path too (no dictionary needed)", () => {
    assert.equal(needsDictionary("jig-py is fast", DEFAULT_POS_FILTER), false);
    const ms = tokenizeDocument(
      "jig-py is fast",
      () => assert.fail("no kuromoji for ASCII"),
      DEFAULT_POS_FILTER,
      dictOf("jig-py"),
    );
    assert.deepEqual(
      ms.map((m) => m.surface),
      ["jig-py", "is", "fast"],
    );
    assert.deepEqual(
      tokenizeLatinLine("jig-py").map((m) => m.surface),
      ["jig", "-", "py"],
    );
  });
});
