// Our lattice over the prepared dictionary (src/nlp/dictionary.ts, lattice.ts) against stock
// kuromoji (`kuromoji.builder().build()`): identical morphemes (surface, part of speech, first
// detail, base form) on every line of the corpora after the recipe's preprocessing, on odd
// characters (surrogate pairs, half-width kana, tabs) and on generated long lines; from every
// source of the dictionary: inflated from .gz, the cache it writes, the shipped file. A damaged
// cache or shipped file is ignored.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, truncateSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import type * as Kuromoji from "kuromoji";
import { parseCorpus } from "../../src/nlp/corpus.js";
import { loadIpadic, PREPARED_DICTIONARY_FILE } from "../../src/nlp/dictionary.js";
import { createIpadicTokenizer } from "../../src/nlp/ipadic-tokenizer.js";
import { preprocessDocument } from "../../src/nlp/preprocess.js";
import { toLines } from "../../src/nlp/segment.js";
import { resolveKuromojiDicPath, type Morpheme, type Tokenize } from "../../src/nlp/tokenizer.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const CORPORA = [
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2020-talks.jsonl"),
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2019-talks.jsonl"),
  path.join(repoRoot, "examples", "data", "sample-talks.jsonl"),
];
const EXTRA = [
  "すもももももももものうち。",
  "ｶﾞｷﾞ㍻①ΣΑΣ",
  "東京都に住んでいます",
  "\u{20BB7}野家で食べた",
  "😀😀絵文字😀、🎉です。\u{1F468}\u200D\u{1F469}",
  "a\tb  c++ -> d",
  "、、。。",
  "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン".repeat(20),
  "x".repeat(3000),
];

const corpusLines = (): ReadonlyArray<string> =>
  CORPORA.flatMap((file) => {
    const docs = parseCorpus(file, readFileSync(file, "utf8"));
    if (E.isLeft(docs)) throw new Error(JSON.stringify(docs.left));
    return docs.right.flatMap((d) => toLines(preprocessDocument(d.title, d.text)));
  });

/** Deterministic long lines without 、。 (kuromoji cuts sentences there): corpus lines recombined. */
const longLines = (lines: ReadonlyArray<string>): ReadonlyArray<string> =>
  [1, 7, 13].map((step) => {
    let out = "";
    for (let i = 0; out.length < 3000; i += step) out += lines[(i * 31) % lines.length]!.replace(/[、。]/g, "");
    return out;
  });

const show = (m: Morpheme): string => [m.surface, m.pos, m.posDetail1, m.basicForm].join("|");

describe("our lattice over the prepared dictionary gives stock kuromoji's morphemes", { timeout: 300_000 }, () => {
  const dicPath = resolveKuromojiDicPath();
  const corpus = corpusLines();
  const all = [...EXTRA, ...corpus, ...longLines(corpus)];
  const expected = new Map<string, string>();

  before(async () => {
    const kuromoji = require("kuromoji") as typeof Kuromoji;
    const stock = await new Promise<Kuromoji.Tokenizer<Kuromoji.IpadicFeatures>>((resolve, reject) =>
      kuromoji.builder({ dicPath }).build((err, tk) => (err ? reject(err) : resolve(tk))),
    );
    for (const l of all) {
      const ms = stock
        .tokenize(l)
        .map((t) => ({ surface: t.surface_form, pos: t.pos, posDetail1: t.pos_detail_1, basicForm: t.basic_form }));
      expected.set(l, ms.map(show).join("\n"));
    }
  });

  const assertSame = (tokenize: Tokenize): void => {
    for (const l of all)
      assert.equal(tokenize(l).map(show).join("\n"), expected.get(l), `line ${JSON.stringify(l.slice(0, 60))}`);
  };

  it(`on ${all.length} lines (${corpus.length} from the corpora): inflated, then from the cache it wrote; a damaged cache is rebuilt`, () => {
    assert.ok(corpus.length > 1000, "the corpora are there");
    const cacheDir = mkdtempSync(path.join(tmpdir(), "dict-cache-"));
    const noShipped = path.join(cacheDir, "absent.bin");
    const first = loadIpadic(dicPath, cacheDir, noShipped);
    assert.equal(first.source, "inflated");
    assertSame(createIpadicTokenizer(first.data));
    const cached = path.join(cacheDir, PREPARED_DICTIONARY_FILE);
    assert.ok(existsSync(cached));
    const second = loadIpadic(dicPath, cacheDir, noShipped);
    assert.equal(second.source, "cache");
    assertSame(createIpadicTokenizer(second.data));
    truncateSync(cached, 100_000);
    const third = loadIpadic(dicPath, cacheDir, noShipped);
    assert.equal(third.source, "inflated", "a truncated cache file is not used");
    assert.ok(readFileSync(cached).byteLength > 1_000_000, "the damaged file was rewritten");
  });

  it("from a shipped file; a damaged shipped file falls back to the cache directory", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dict-shipped-"));
    const cacheDir = path.join(dir, "cache");
    loadIpadic(dicPath, cacheDir, path.join(dir, "absent.bin"));
    const shipped = path.join(dir, "ipadic.bin");
    copyFileSync(path.join(cacheDir, PREPARED_DICTIONARY_FILE), shipped);
    const fromShipped = loadIpadic(dicPath, undefined, shipped);
    assert.equal(fromShipped.source, "shipped");
    assertSame(createIpadicTokenizer(fromShipped.data));
    truncateSync(shipped, 4096);
    assert.equal(loadIpadic(dicPath, cacheDir, shipped).source, "cache");
  });
});
