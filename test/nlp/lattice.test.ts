// The lattice stays linear: work is counted (trie steps, nodes, edges examined per character),
// never timed. kuromoji's own builder re-encodes the rest of the sentence at every position and
// groups unknown words to the end of their run from every position, O(L²) on a long sentence;
// this test fails if either comes back (bytes encoded per character would grow with the length). Also: sentences are cut after 、 and 。 as kuromoji does.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadIpadic } from "../../src/nlp/dictionary.js";
import type { IpadicData } from "../../src/nlp/ipadic-data.js";
import {
  createIpadicTokenizer,
  KUROMOJI_RULES,
  MECAB_RULES,
  type TokenizerRules,
} from "../../src/nlp/ipadic-tokenizer.js";
import { sentencesOf, type LatticeStats } from "../../src/nlp/lattice.js";
import { defaultDictionaryCacheDir, resolveKuromojiDicPath } from "../../src/nlp/tokenizer.js";

const PARAGRAPH =
  "Pythonで型ヒントを書くと静的解析ツールがバグを見つけてくれますこのトークでは実務で使える型の書き方と" +
  "mypyの設定を紹介します機械学習のパイプラインをテストする方法についても話します東京都で開催されました";

const work = (data: IpadicData, line: string, rules: TokenizerRules): LatticeStats => {
  const stats: LatticeStats = { chars: 0, encodedBytes: 0, trieSteps: 0, nodes: 0, edges: 0 };
  createIpadicTokenizer(data, stats, rules)(line);
  return stats;
};

const perChar = (s: LatticeStats): ReadonlyArray<number> => [
  s.encodedBytes / s.chars,
  s.trieSteps / s.chars,
  s.nodes / s.chars,
  s.edges / s.chars,
];

describe("the lattice is linear in the sentence length", { timeout: 120_000 }, () => {
  let data: IpadicData | undefined;
  before(() => {
    data = loadIpadic(resolveKuromojiDicPath(), defaultDictionaryCacheDir()).data;
  });

  const assertLinear = (make: (n: number) => string): void => {
    for (const rules of [KUROMOJI_RULES, MECAB_RULES]) assertLinearUnder(make, rules);
  };
  const assertLinearUnder = (make: (n: number) => string, rules: TokenizerRules): void => {
    assert.ok(data !== undefined);
    const small = work(data, make(1_000), rules);
    const large = work(data, make(128_000), rules);
    assert.ok(small.chars >= 1_000 && large.chars >= 128_000, "whole lines were read");
    perChar(large).forEach((w, i) => {
      const base = perChar(small)[i]!;
      // 128 times the text may cost at most 1.1 times the work per character (quadratic: 128 times).
      assert.ok(
        w <= base * 1.1 + 0.01,
        `${JSON.stringify(rules)} measure ${i}: ${w.toFixed(2)} per char at 128k vs ${base.toFixed(2)} at 1k`,
      );
    });
  };

  it("Japanese text without 、。 repeated to one long sentence; with spaces and 、。 under MeCab's rules (one sentence)", () => {
    assertLinear((n) => PARAGRAPH.repeat(Math.ceil(n / PARAGRAPH.length)).slice(0, n));
    assertLinear((n) => `${PARAGRAPH}、 ${PARAGRAPH}。 `.repeat(Math.ceil(n / (2 * PARAGRAPH.length + 4))).slice(0, n));
  });

  it("one run of a grouping class (katakana, Latin letters, emoji) as one long sentence", () => {
    assertLinear((n) => "カタカナ".repeat(n / 4));
    assertLinear((n) => "abcd".repeat(n / 4));
    assertLinear((n) => "😀".repeat(n));
  });

  it("per character, a long line costs a small constant: at most 64 trie steps, 16 nodes, 256 edges", () => {
    assert.ok(data !== undefined);
    const [, steps, nodes, edges] = perChar(work(data, PARAGRAPH.repeat(400), MECAB_RULES));
    assert.ok(
      steps! <= 64 && nodes! <= 16 && edges! <= 256,
      `per char: ${steps} steps, ${nodes} nodes, ${edges} edges`,
    );
  });
});

describe("sentencesOf", () => {
  it("cuts after 、 and 。 and keeps them, as kuromoji's splitByPunctuation does", () => {
    assert.deepEqual(sentencesOf("東京、大阪。京都"), ["東京、", "大阪。", "京都"]);
    assert.deepEqual(sentencesOf("。。"), ["。", "。"]);
    assert.deepEqual(sentencesOf(""), []);
  });
});
