// The Latin fast path (src/nlp/segment.ts) against the dictionary it avoids loading:
// - its character ranges have the IPADIC classes it assumes; no dictionary word made of its
//   characters only (the only words that can match in its lines) starts with a letter or digit,
//   and those that start with a symbol hold no letter or digit;
// - its characters have no compatible classes (MeCab's grouping then is kuromoji's, by class);
// - on every Latin-script line of the corpora (after steps a-c) and on runs longer than MeCab's
//   25-character limit, its terms after step e are our lattice's under MeCab's rules and MeCab's
//   (scripts/reference, line by line).
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import { parseCorpus } from "../../src/nlp/corpus.js";
import { loadIpadic } from "../../src/nlp/dictionary.js";
import { DEFAULT_POS_FILTER, filterTerms } from "../../src/nlp/filter.js";
import type { IpadicData } from "../../src/nlp/ipadic-data.js";
import { createIpadicTokenizer, MECAB_RULES } from "../../src/nlp/ipadic-tokenizer.js";
import { posFilteredTerms } from "../../src/nlp/keywords.js";
import { preprocessDocument } from "../../src/nlp/preprocess.js";
import { isLatinLine, LATIN_LETTERS, LATIN_SYMBOLS, toLines, tokenizeLatinLine } from "../../src/nlp/segment.js";
import { ENGLISH_STOP_WORDS } from "../../src/nlp/stop-words.js";
import { defaultDictionaryCacheDir, resolveKuromojiDicPath, type Morpheme } from "../../src/nlp/tokenizer.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const CORPORA = [
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2020-talks.jsonl"),
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2019-talks.jsonl"),
  path.join(repoRoot, "examples", "data", "sample-talks.jsonl"),
];
const EXTRA = [
  `${"abcdefghij".repeat(3)}z ${"é".repeat(26)} ${"0".repeat(40)}`,
  "café “naïve” — résumé’s 0.5 … ¿qué? €0",
  "über straße, ﬁ œuvre ½",
  "don’t ‘quote’ – dash ‐ hyphen ― bar ‖ ‥ ′ ※",
];

/** Code points of a regex character-class body such as "A-Za-z\u00C0-\u00D6". */
const codePoints = (ranges: string): ReadonlyArray<number> => {
  const out: number[] = [];
  const chars = Array.from(ranges);
  for (let i = 0; i < chars.length; i += 1) {
    const from = chars[i]!.codePointAt(0)!;
    const to = chars[i + 1] === "-" ? chars[(i += 2)]!.codePointAt(0)! : from;
    for (let c = from; c <= to; c += 1) out.push(c);
  }
  return out;
};

/** Every dictionary word starting with `ch` (a walk of the double-array trie under its bytes). */
const wordsStartingWith = (d: IpadicData, ch: string): ReadonlyArray<string> => {
  const child = (node: number, code: number): number => {
    const c = d.base[node]! + code;
    return c >= 0 && c < d.check.length && d.check[c] === node ? c : -1;
  };
  let node = 0;
  for (const b of Buffer.from(ch, "utf8")) if ((node = child(node, b)) < 0) return [];
  const out: string[] = [];
  const walk = (at: number, bytes: number[]): void => {
    if (child(at, 0) >= 0) out.push(Buffer.from(bytes).toString("utf8"));
    for (let code = 1; code < 256; code += 1) {
      const next = child(at, code);
      if (next >= 0) walk(next, [...bytes, code]);
    }
  };
  walk(node, [...Buffer.from(ch, "utf8")]);
  return out;
};

const termsAfterE = (ms: ReadonlyArray<Morpheme>): ReadonlyArray<string> =>
  filterTerms(posFilteredTerms(ms, DEFAULT_POS_FILTER), ENGLISH_STOP_WORDS);

describe("the Latin fast path", { timeout: 120_000 }, () => {
  let data: IpadicData | undefined;
  before(() => {
    data = loadIpadic(resolveKuromojiDicPath(), defaultDictionaryCacheDir()).data;
  });
  const className = (c: number): string => data!.unknown.classes[data!.charClass[c]!]!.name;

  // A word holding a character outside the fast path's ranges can never match in a line it takes.
  const matchable = (w: string): boolean => isLatinLine(w);

  it("its letters are IPADIC ALPHA, its digits NUMERIC, and no word it could meet starts with one; its symbols are SYMBOL and start only words without letters or digits", () => {
    assert.ok(data !== undefined);
    const letters = codePoints(LATIN_LETTERS);
    assert.ok(letters.length > 600);
    for (const c of letters) {
      assert.equal(className(c), "ALPHA", `U+${c.toString(16)}`);
      assert.deepEqual(wordsStartingWith(data, String.fromCodePoint(c)).filter(matchable), [], `U+${c.toString(16)}`);
    }
    for (let c = 0x30; c <= 0x39; c += 1) {
      assert.equal(className(c), "NUMERIC");
      assert.deepEqual(wordsStartingWith(data, String.fromCodePoint(c)).filter(matchable), []);
    }
    const asciiSymbols = codePoints("!-/:-@[-`{-~");
    for (const c of [...asciiSymbols, ...codePoints(LATIN_SYMBOLS)]) {
      assert.equal(className(c), "SYMBOL", `U+${c.toString(16)}`);
      for (const w of wordsStartingWith(data, String.fromCodePoint(c)).filter(matchable))
        assert.doesNotMatch(w, /[\p{L}\p{N}]/u, `U+${c.toString(16)} starts ${w}`);
    }
    for (const c of [...letters, ...asciiSymbols, ...codePoints(LATIN_SYMBOLS), ...codePoints("0-9 ")]) {
      assert.equal(data.charCompat[c], 0, `U+${c.toString(16)} has compatible classes`);
    }
    assert.equal(className(0x20), "SPACE");
    for (const w of wordsStartingWith(data, " ").filter(matchable))
      assert.doesNotMatch(w, /[\p{L}\p{N}]/u, `space starts ${w}`);
  });

  it("gives the lattice's and MeCab's terms on every Latin-script line of the corpora", () => {
    assert.ok(data !== undefined);
    const lines = [
      ...EXTRA,
      ...CORPORA.flatMap((file) => {
        const docs = parseCorpus(file, readFileSync(file, "utf8"));
        if (E.isLeft(docs)) throw new Error(JSON.stringify(docs.left));
        return docs.right.flatMap((d) => toLines(preprocessDocument(d.title, d.text)));
      }),
    ].filter(isLatinLine);
    const nonAscii = lines.filter((l) => /[^\x20-\x7e]/.test(l)).length;
    const tokenize = createIpadicTokenizer(data, undefined, MECAB_RULES);
    const mecab = spawnSync(
      "/usr/bin/python3",
      [path.join(repoRoot, "scripts", "reference", "mecab_reference.py"), "--line-terms"],
      {
        input: lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    assert.equal(mecab.status, 0, mecab.stderr);
    const mecabTerms = mecab.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as string[]);
    assert.equal(mecabTerms.length, lines.length);
    lines.forEach((line, i) => {
      const fast = termsAfterE(tokenizeLatinLine(line));
      assert.deepEqual(fast, termsAfterE(tokenize(line)), `lattice, line ${JSON.stringify(line.slice(0, 80))}`);
      assert.deepEqual(
        fast,
        filterTerms(mecabTerms[i]!, ENGLISH_STOP_WORDS),
        `MeCab, line ${JSON.stringify(line.slice(0, 80))}`,
      );
    });
    console.log(
      `[latin] ${lines.length} Latin-script lines, ${nonAscii} of them with non-ASCII characters: same terms as the lattice and MeCab`,
    );
    assert.ok(nonAscii >= EXTRA.length);
  });
});
