// The lean dictionary loader (src/nlp/dictionary.ts) against kuromoji's own builder: identical
// morphemes (every field but reading and pronunciation, which the loader drops) on every line of
// the corpora, inflating from .gz, writing the cache and reading it;
// a damaged cache is ignored and rebuilt.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import type * as Kuromoji from "kuromoji";
import { parseCorpus } from "../../src/nlp/corpus.js";
import { buildKuromoji, type KuromojiToken } from "../../src/nlp/dictionary.js";
import { preprocessDocument } from "../../src/nlp/preprocess.js";
import { toLines } from "../../src/nlp/segment.js";
import { resolveKuromojiDicPath } from "../../src/nlp/tokenizer.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const CORPORA = [
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2020-talks.jsonl"),
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2019-talks.jsonl"),
  path.join(repoRoot, "examples", "data", "sample-talks.jsonl"),
];
const EXTRA = ["すもももももももものうち。", "ｶﾞｷﾞ㍻①ΣΑΣ", "東京都に住んでいます", "\u{20BB7}野家で食べた", "a\tb  c++ -> d", ""];

type Tokenizer = { tokenize(text: string): ReadonlyArray<KuromojiToken> };
const show = (t: KuromojiToken & Partial<Kuromoji.IpadicFeatures>): string =>
  [t.surface_form, t.pos, t.pos_detail_1, t.pos_detail_2, t.pos_detail_3, t.conjugated_type, t.conjugated_form, t.basic_form, t.word_position].join("|");

const lines = (): ReadonlyArray<string> => [
  ...EXTRA,
  ...CORPORA.flatMap((file) => {
    const docs = parseCorpus(file, readFileSync(file, "utf8"));
    if (E.isLeft(docs)) throw new Error(JSON.stringify(docs.left));
    return docs.right.flatMap((d) => toLines(preprocessDocument(d.title, d.text)));
  }),
];

describe("lean kuromoji dictionary loader", { timeout: 120_000 }, () => {
  const dicPath = resolveKuromojiDicPath();
  let original: Kuromoji.Tokenizer<Kuromoji.IpadicFeatures> | undefined;
  const all = lines();
  const expected = new Map<string, string>();

  before(async () => {
    const kuromoji = require("kuromoji") as typeof Kuromoji;
    original = await new Promise((resolve, reject) =>
      kuromoji.builder({ dicPath }).build((err, tk) => (err ? reject(err) : resolve(tk))),
    );
    for (const l of all) expected.set(l, original!.tokenize(l).map(show).join("\n"));
    original = undefined;
  });

  const assertSame = (tk: Tokenizer): void => {
    for (const l of all) assert.equal(tk.tokenize(l).map(show).join("\n"), expected.get(l), `line ${JSON.stringify(l.slice(0, 60))}`);
  };

  it(`same morphemes as kuromoji.builder().build() on ${all.length} lines: inflated from .gz, then from the cache; a damaged cache is rebuilt`, () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), "dict-cache-"));
    assertSame(buildKuromoji(dicPath, cacheDir));
    const [dir] = readdirSync(cacheDir);
    assert.ok(dir !== undefined && dir.startsWith("kuromoji-dict-"));
    const tid = path.join(cacheDir, dir, "feat_str.bin");
    assertSame(buildKuromoji(dicPath, cacheDir));
    truncateSync(tid, 1000);
    assertSame(buildKuromoji(dicPath, cacheDir));
    assert.ok(readFileSync(tid).byteLength > 1000, "the damaged file was rebuilt");
    assert.ok(existsSync(path.join(cacheDir, dir, "manifest.json")));
  });
});
