// Issue 13 item 5, both cores: tokenizeCorpus with worker threads (src/nlp/tokenize-workers.ts)
// gives exactly the single-threaded tokens and keywords on the shared corpora and on generated
// distinct documents; workers are used above the threshold and not below (counted: texts per
// worker and calls of the main thread's tokenizer, never timed); the dictionary is one shared
// buffer; a worker that cannot start or fails costs one warning and the run goes on single-threaded.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { parseCorpus, type CorpusDocument } from "../../src/nlp/corpus.js";
import { loadIpadic, sharedIpadicBuffer } from "../../src/nlp/dictionary.js";
import { tokenizerUnavailable } from "../../src/nlp/errors.js";
import { DEFAULT_POS_FILTER } from "../../src/nlp/filter.js";
import { DEFAULT_KEYWORD_PARAMS, extractKeywordsFromTokens } from "../../src/nlp/keywords.js";
import type { Tokenize } from "../../src/nlp/morpheme.js";
import { preprocessDocument } from "../../src/nlp/preprocess.js";
import { tokenizeCorpus, type CorpusTokenizing } from "../../src/nlp/tokenize-corpus.js";
import {
  createWorkerTokenizing,
  tokenizeWorkerScript,
  workerCountFor,
  type WorkerTokenizingOptions,
} from "../../src/nlp/tokenize-workers.js";
import { loadKuromojiTokenizer, resolveKuromojiDicPath } from "../../src/nlp/tokenizer.js";
import { parseUserDictionary } from "../../src/nlp/user-dictionary.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHARED = ["pyconjp-2020-talks.jsonl", "pyconjp-2019-talks.jsonl"].map((f) =>
  path.resolve(repoRoot, "..", "shared", "data", f),
);
const dicPath = resolveKuromojiDicPath();

const corpus = (file: string): ReadonlyArray<CorpusDocument> => {
  const docs = parseCorpus(file, readFileSync(file, "utf8"));
  if (E.isLeft(docs)) throw new Error(`${file}: ${docs.left._tag}`);
  return docs.right;
};
const shared = SHARED.flatMap(corpus);

// Distinct documents: each one a seeded draw of lines from both corpora, numbered so none repeats.
const distinct = (n: number, seed: number): ReadonlyArray<CorpusDocument> => {
  const pool = shared.flatMap((d) => d.text.split("\n").filter((l) => l.trim() !== ""));
  let s = seed;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % pool.length;
  };
  return Array.from({ length: n }, (_, j) => ({
    id: `gen-${j}`,
    title: `talk ${j}`,
    text: Array.from({ length: 1 + (j % 7) }, () => pool[next()]!).join("\n"),
  }));
};

// The main thread's tokenizer (loaded once for the file), counting how often a run asks for it.
let mainTokenize: Tokenize | undefined;
const counting = (): { opts: CorpusTokenizing; loads: () => number } => {
  let loads = 0;
  return {
    opts: {
      posFilter: DEFAULT_POS_FILTER,
      tokenizerId: "test",
      loadTokenizer: () => {
        loads += 1;
        return mainTokenize === undefined
          ? TE.left(tokenizerUnavailable(dicPath, "not loaded"))
          : TE.right(mainTokenize);
      },
    },
    loads: () => loads,
  };
};
const distinctTexts = (docs: ReadonlyArray<CorpusDocument>): number =>
  new Set(docs.map((d) => preprocessDocument(d.title, d.text))).size;

const workersWith = (o: Partial<WorkerTokenizingOptions> = {}, warnings: string[] = []) =>
  createWorkerTokenizing({
    dicPath,
    cacheDir: false,
    cores: 2,
    documentsPerWorker: 1,
    logger: { warn: (m) => warnings.push(m) },
    ...o,
  });

const run = async (docs: ReadonlyArray<CorpusDocument>, extra: Partial<CorpusTokenizing> = {}) => {
  const c = counting();
  const tokens = await tokenizeCorpus(docs, { ...c.opts, ...extra })();
  if (E.isLeft(tokens)) throw new Error(`tokenizeCorpus: ${tokens.left._tag}`);
  return { tokens: tokens.right, loads: c.loads() };
};

const keywordsOf = (tokens: Parameters<typeof extractKeywordsFromTokens>[0]) => {
  const k = extractKeywordsFromTokens(tokens, DEFAULT_KEYWORD_PARAMS);
  if (E.isLeft(k)) throw new Error(`keywords: ${k.left._tag}`);
  return k.right;
};

describe("worker threads for large corpora (issue 13 item 5)", { timeout: 600_000 }, () => {
  before(async () => {
    const tk = await loadKuromojiTokenizer({ cacheDir: false })();
    if (E.isLeft(tk)) throw new Error(`kuromoji: ${tk.left._tag}`);
    mainTokenize = tk.right.tokenize;
  });

  it("worker count = min(cores, texts / threshold), none below two", () => {
    assert.equal(workerCountFor(1000, 150, 2), 2);
    assert.equal(workerCountFor(1000, 150, 8), 6);
    assert.equal(workerCountFor(299, 150, 2), 0);
    assert.equal(workerCountFor(300, 150, 2), 2);
    assert.equal(workerCountFor(10_000, 150, 1), 0);
  });

  it("from source, the worker script is the TypeScript beside the pool", () => {
    assert.equal(tokenizeWorkerScript(), path.join(repoRoot, "src", "nlp", "tokenize-worker.ts"));
  });

  it("the dictionary posted to the workers is the buffer the prepared file was read into, shared, not a copy", () => {
    const loaded = loadIpadic(dicPath, undefined);
    const buffer = sharedIpadicBuffer(loaded, dicPath);
    assert.ok(buffer instanceof SharedArrayBuffer);
    assert.equal(buffer, loaded.data.base.buffer);
    assert.equal(buffer, loaded.data.features.strings.buffer);
  });

  for (const [name, docs] of [
    ["the shared corpora (111 documents)", shared],
    ["400 generated distinct documents", distinct(400, 7)],
  ] as const) {
    it(`${name}: tokens and keywords identical to the single-threaded path, both workers used`, async () => {
      const single = await run(docs);
      const workers = workersWith();
      const parallel = await run(docs, { parallel: workers.run });
      assert.deepEqual(parallel.tokens, single.tokens);
      assert.deepEqual(keywordsOf(parallel.tokens), keywordsOf(single.tokens));
      const perWorker = workers.lastRun();
      assert.equal(perWorker.length, 2);
      assert.ok(
        perWorker.every((n) => n > 0),
        `texts per worker: ${perWorker.join(", ")}`,
      );
      assert.equal(
        perWorker.reduce((a, b) => a + b, 0),
        distinctTexts(docs),
      );
      assert.equal(single.loads, 1);
      assert.equal(parallel.loads, 0, "the main thread's tokenizer is not loaded when the workers did the work");
    });
  }

  it("with a user dictionary, the workers keep its terms whole as the main thread does", async () => {
    const dict = parseUserDictionary("terms.txt", "python\nデータベース\n機械学習\n");
    assert.ok(E.isRight(dict));
    const docs = distinct(60, 11);
    const single = await run(docs, { userDictionary: dict.right });
    const parallel = await run(docs, { userDictionary: dict.right, parallel: workersWith().run });
    assert.deepEqual(parallel.tokens, single.tokens);
    assert.ok(single.tokens.some((d) => d.tokens.includes("機械学習") || d.tokens.includes("データベース")));
  });

  it("workers start above the threshold and not below it (counted)", async () => {
    const docs = distinct(60, 3);
    const above = workersWith({ documentsPerWorker: 30 });
    const a = await run(docs, { parallel: above.run });
    assert.deepEqual(above.lastRun().length, 2);
    assert.equal(a.loads, 0);
    const below = workersWith({ documentsPerWorker: 31 });
    const b = await run(docs, { parallel: below.run });
    assert.deepEqual(below.lastRun(), []);
    assert.equal(b.loads, 1);
    const oneCore = workersWith({ cores: 1 });
    const c = await run(docs, { parallel: oneCore.run });
    assert.deepEqual(oneCore.lastRun(), []);
    assert.equal(c.loads, 1);
    assert.deepEqual(b.tokens, a.tokens);
    assert.deepEqual(c.tokens, a.tokens);
  });

  it("a corpus in Latin script starts no worker and loads no dictionary", async () => {
    const docs = Array.from({ length: 50 }, (_, j) => ({
      id: `en-${j}`,
      title: "Talk",
      text: `typed python ${j} café “naïve”`,
    }));
    const workers = workersWith();
    const r = await run(docs, { parallel: workers.run });
    assert.deepEqual(workers.lastRun(), []);
    assert.equal(r.loads, 0);
  });

  it("no worker script (as inside a bundle): one warning naming it, the run goes on single-threaded", async () => {
    const warnings: string[] = [];
    const docs = distinct(40, 5);
    const missing = path.join(tmpdir(), "no-such-dir", "tokenize-worker.js");
    const workers = workersWith({ script: missing }, warnings);
    const r = await run(docs, { parallel: workers.run });
    const single = await run(docs);
    assert.deepEqual(r.tokens, single.tokens);
    assert.equal(r.loads, 1);
    assert.deepEqual(workers.lastRun(), []);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /^tokenizing on one thread: 2 worker threads could not run \(no worker script .*no-such-dir.*tokenize-worker\.js\)$/,
    );
  });

  it("a worker that fails: one warning with its error, the run goes on single-threaded", async () => {
    const warnings: string[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), "broken-worker-"));
    const script = path.join(dir, "worker.mjs");
    writeFileSync(script, 'throw new Error("cannot start here");\n');
    const docs = distinct(40, 9);
    const workers = workersWith({ script }, warnings);
    const r = await run(docs, { parallel: workers.run });
    const single = await run(docs);
    assert.deepEqual(r.tokens, single.tokens);
    assert.equal(r.loads, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^tokenizing on one thread: 2 worker threads could not run \(cannot start here\)$/);
  });
});
