// The token cache and tokenizeCorpus with a fake tokenizer: keys cover every token-affecting
// setting, entries are never served stale, corrupt entries are ignored and rebuilt, the
// dictionary is loaded only when needed, and equal texts are tokenized once.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import type { CorpusDocument } from "../../src/nlp/corpus.js";
import { tokenizerUnavailable, type NlpError } from "../../src/nlp/errors.js";
import { DEFAULT_POS_FILTER } from "../../src/nlp/filter.js";
import { createFileTokenCache, tokenCacheKey } from "../../src/nlp/token-cache.js";
import { corpusTokenKey, tokenizeCorpus, type CorpusTokenizing } from "../../src/nlp/tokenize-corpus.js";
import type { Morpheme, Tokenize } from "../../src/nlp/tokenizer.js";
import { parseUserDictionary } from "../../src/nlp/user-dictionary.js";
import { assertLeft } from "../support/assert-error.js";

const noun = (surface: string): Morpheme => ({ surface, pos: "名詞", posDetail1: "一般", basicForm: surface });
// A stand-in for kuromoji: one noun per character, counting its calls.
const fakeTokenizer = (): { calls: string[]; tokenize: Tokenize } => {
  const calls: string[] = [];
  return { calls, tokenize: (text) => (calls.push(text), Array.from(text.replace(/\s/g, ""), noun)) };
};

const docs: ReadonlyArray<CorpusDocument> = [
  { id: "a", title: "型", text: "Python 3.12" },
  { id: "b", title: "English", text: "only ascii here" },
  { id: "a2", title: "型", text: "Python 3.12" },
];

const options = (
  tokenize: Tokenize,
  extra: Partial<CorpusTokenizing> = {},
): CorpusTokenizing & { loads: () => number } => {
  let loads = 0;
  return {
    posFilter: DEFAULT_POS_FILTER,
    tokenizerId: "fake@1",
    loadTokenizer: () => {
      loads += 1;
      return TE.right(tokenize);
    },
    loads: () => loads,
    ...extra,
  };
};

const tmp = (): string => mkdtempSync(path.join(tmpdir(), "token-cache-"));

describe("token cache keys", () => {
  const base = {
    posFilter: DEFAULT_POS_FILTER,
    tokenizerId: "fake@1",
    loadTokenizer: () => TE.right<NlpError, Tokenize>(() => []),
  };
  const key = corpusTokenKey("型 python", base);

  it("are stable for the same text and settings, whatever the order of settings", () => {
    assert.equal(corpusTokenKey("型 python", { ...base }), key);
    assert.equal(tokenCacheKey("t", { a: 1, b: 2 }), tokenCacheKey("t", { b: 2, a: 1 }));
  });

  it("are the keys caches on disk already hold: renaming the revision constant kept its value and field", () => {
    // Computed with the code before TOKENIZING_REVISION was renamed from its recipe-letter name; a
    // different key here would make every user's existing token cache a miss.
    assert.equal(key, "26cc9feff77cd0cdefacf95cff7742552e1f70e8fb6ed3d2a5efc506428e5ac3");
  });

  it("change with the text, the tokenizer version, the part-of-speech filter and the user dictionary", () => {
    const dict = parseUserDictionary("u.txt", "fastapi\n");
    assert.ok(E.isRight(dict));
    const others = [
      corpusTokenKey("型 python!", base),
      corpusTokenKey("型 python", { ...base, tokenizerId: "fake@2" }),
      corpusTokenKey("型 python", { ...base, posFilter: [...DEFAULT_POS_FILTER, { pos: "名詞", posDetail1: "数" }] }),
      corpusTokenKey("型 python", { ...base, userDictionary: dict.right }),
    ];
    assert.equal(new Set([key, ...others]).size, others.length + 1);
  });
});

describe("file token cache", () => {
  it("stores and returns terms; a missing key is undefined", () => {
    const cache = createFileTokenCache({ dir: tmp() });
    assert.equal(cache.get("ab".repeat(32)), undefined);
    cache.set("ab".repeat(32), ["型", "python"]);
    assert.deepEqual(cache.get("ab".repeat(32)), ["型", "python"]);
  });

  it("a corrupt entry is ignored (a miss), then rebuilt by the next run", async () => {
    const dir = tmp();
    const fake = fakeTokenizer();
    const first = await tokenizeCorpus(docs, options(fake.tokenize, { cache: createFileTokenCache({ dir }) }))();
    assert.ok(E.isRight(first));
    const shard = readdirSync(path.join(dir, "tokens"));
    const files = shard.flatMap((s) =>
      readdirSync(path.join(dir, "tokens", s)).map((f) => path.join(dir, "tokens", s, f)),
    );
    assert.equal(files.length, 2, "two distinct texts, two entries");
    writeFileSync(files[0]!, '{"key": "trunc');
    writeFileSync(files[1]!, JSON.stringify({ key: "someone else's key", terms: ["stale"] }));
    const again = fakeTokenizer();
    const second = await tokenizeCorpus(docs, options(again.tokenize, { cache: createFileTokenCache({ dir }) }))();
    assert.ok(E.isRight(second));
    assert.deepEqual(second.right, first.right);
    assert.ok(again.calls.length > 0, "the corrupt entries were tokenized again");
    for (const f of files) assert.doesNotThrow(() => JSON.parse(readFileSync(f, "utf8")), "rebuilt entries parse");
  });

  it("an unwritable cache directory costs nothing but speed", async () => {
    const file = path.join(tmp(), "not-a-dir");
    writeFileSync(file, "");
    const fake = fakeTokenizer();
    const r = await tokenizeCorpus(docs, options(fake.tokenize, { cache: createFileTokenCache({ dir: file }) }))();
    assert.ok(E.isRight(r));
  });
});

describe("tokenizeCorpus", () => {
  it("keeps input order and ids, tokenizes equal texts once, and yields the terms the part-of-speech filter keeps", async () => {
    const fake = fakeTokenizer();
    const r = await tokenizeCorpus(docs, options(fake.tokenize))();
    assert.ok(E.isRight(r));
    assert.deepEqual(
      r.right.map((d) => d.id),
      ["a", "b", "a2"],
    );
    assert.deepEqual(r.right[0]!.tokens, ["型", "python", "0", ".", "0"]);
    assert.deepEqual(r.right[1]!.tokens, ["english", "only", "ascii", "here"]);
    assert.deepEqual(r.right[2]!.tokens, r.right[0]!.tokens);
    assert.deepEqual(fake.calls, ["型"], "only the Japanese line reaches the tokenizer, once");
  });

  it("a corpus of printable ASCII never loads the dictionary", async () => {
    const fake = fakeTokenizer();
    const opts = options(fake.tokenize, {
      loadTokenizer: () => TE.left(tokenizerUnavailable("/none", "must not load")),
    });
    const r = await tokenizeCorpus([docs[1]!], opts)();
    assert.ok(E.isRight(r));
    assert.deepEqual(r.right[0]!.tokens, ["english", "only", "ascii", "here"]);
  });

  it("a warm run (every text cached) never loads the dictionary and gives the same tokens", async () => {
    const dir = tmp();
    const cold = options(fakeTokenizer().tokenize, { cache: createFileTokenCache({ dir }) });
    const first = await tokenizeCorpus(docs, cold)();
    assert.equal(cold.loads(), 1);
    const warm = options(fakeTokenizer().tokenize, {
      cache: createFileTokenCache({ dir }),
      loadTokenizer: () => TE.left(tokenizerUnavailable("/none", "must not load")),
    });
    const second = await tokenizeCorpus(docs, warm)();
    assert.deepEqual(second, first);
  });

  it("never serves tokens cached under other settings: a new tokenizer version tokenizes again", async () => {
    const dir = tmp();
    await tokenizeCorpus(docs, options(fakeTokenizer().tokenize, { cache: createFileTokenCache({ dir }) }))();
    const upgraded = fakeTokenizer();
    // A "new version" that splits nothing: its tokens must show, not the cached ones.
    const whole: Tokenize = (t) => (upgraded.calls.push(t), [noun(t)]);
    const r = await tokenizeCorpus(
      docs,
      options(whole, { cache: createFileTokenCache({ dir }), tokenizerId: "fake@2" }),
    )();
    assert.ok(E.isRight(r));
    assert.deepEqual(r.right[0]!.tokens.slice(0, 1), ["型"]);
    assert.deepEqual(upgraded.calls, ["型"]);
  });

  it("reports progress per distinct text", async () => {
    const seen: Array<[number, number]> = [];
    await tokenizeCorpus(docs, options(fakeTokenizer().tokenize, { onProgress: (d, t) => void seen.push([d, t]) }))();
    assert.deepEqual(seen, [
      [1, 2],
      [2, 2],
    ]);
  });

  it("a dictionary that cannot load is an error value", async () => {
    const r = await tokenizeCorpus(
      docs,
      options(fakeTokenizer().tokenize, { loadTokenizer: () => TE.left(tokenizerUnavailable("/x", "gone")) }),
    )();
    assertLeft(r, "TokenizerUnavailable", /^dicPath=\/x cause=gone$/);
  });
});
