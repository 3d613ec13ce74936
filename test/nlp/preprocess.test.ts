import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { foldDigitsAndCase, preprocessDocument, stripMarkup, toDocumentText } from "../../src/nlp/preprocess.js";

describe("step a: toDocumentText", () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ["Title", "Body", "Title\nBody"],
    ["", "", "\n"],
    ["Ｐｙｔｈｏｎ　入門", "ﾃﾞｰﾀ分析 ①", "Python 入門\nデータ分析 1"],
    ["ｶﾞ", "㍻", "ガ\n平成"],
  ];
  for (const [title, text, expected] of cases) {
    it(`${JSON.stringify(title)} + ${JSON.stringify(text)}`, () => assert.equal(toDocumentText(title, text), expected));
  }
});

describe("step b: stripMarkup", () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ["link becomes its label", "see [the docs](https://docs.python.org/3/) now", "see the docs now"],
    ["image becomes its alt text", "![a diagram](img/x.png) here", "a diagram here"],
    ["relative link", "[guide](./guide.md)", "guide"],
    ["bare URL removed up to whitespace", "slides: https://example.com/a?b=1#c and more", "slides:  and more"],
    ["http URL removed", "x http://a.b/c", "x "],
    ["URL inside Japanese text runs to the next whitespace", "詳細はhttps://x.jp/aです。次", "詳細は"],
    ["link whose label is a URL loses both", "[https://a.b](https://a.b)", ""],
    ["ftp is not removed", "ftp://a.b/c", "ftp://a.b/c"],
    ["bullet -", "- item\n- item2", "item\nitem2"],
    ["bullet * and +", "* a\n+ b", "a\nb"],
    ["headings # to ######", "# h1\n## h2\n###### h6", "h1\nh2\nh6"],
    ["seven # is not a heading", "####### h7", "####### h7"],
    ["ordered list", "1. one\n23. two", "one\ntwo"],
    ["marker needs a following space", "-item\n#tag\n1.5 times", "-item\n#tag\n1.5 times"],
    ["indented bullet keeps its indentation", "  - nested", "  nested"],
    ["marker only at line start", "a - b # c 1. d", "a - b # c 1. d"],
    ["emphasis is not a bullet", "**bold** text", "**bold** text"],
    ["only one marker per line", "- # both", "# both"],
    ["lines end at \\n only (not \\r or U+2028)", "a\r- b\u2028- c\n- d", "a\r- b\u2028- c\nd"],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(stripMarkup(input), expected));
  }
});

describe("step c: foldDigitsAndCase", () => {
  const cases: ReadonlyArray<[string, string]> = [
    ["Python 3.12", "python 0.0"],
    ["2020年10月", "0年0月"],
    ["abc123def4", "abc0def0"],
    ["٣ Arabic-Indic digits stay", "٣ arabic-indic digits stay"],
    ["ÄÖÜ ΣΑΣ (final sigma, as Python lower() does too)", "äöü σας (final sigma, as python lower() does too)"],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => assert.equal(foldDigitsAndCase(input), expected));
  }
});

describe("steps a-c in order: preprocessDocument", () => {
  const cases: ReadonlyArray<[string, string, string, string]> = [
    ["fullwidth digits become ASCII (a) before folding (c)", "ＰｙＣｏｎ ２０２０", "", "pycon 0\n"],
    ["fullwidth markers become ASCII (a) before markup removal (b)", "＃ 見出し", "－ 項目", "見出し\n項目"],
    ["a fullwidth link is a link after NFKC", "", "［資料］（https://x.y）", "\n資料"],
    ["digits in URLs do not survive as 0", "", "v2 at https://a.b/2020 ok", "\nv0 at  ok"],
    ["list number removed (b) before digits fold (c)", "", "10. Item 20", "\nitem 0"],
    ["title line gets heading removal too", "# Talk 1", "Read [this](http://a.b)!", "talk 0\nread this!"],
  ];
  for (const [name, title, text, expected] of cases) {
    it(name, () => assert.equal(preprocessDocument(title, text), expected));
  }
});
