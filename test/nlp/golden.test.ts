// Golden test: `ml-chatops keywords --pretokenized` against scikit-learn's TfidfVectorizer, run by
// scripts/reference/tfidf_reference.py under Debian's /usr/bin/python3 (python3-sklearn).
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import { runKeywords } from "../../src/cli/keywords.js";
import type { CliIo } from "../../src/cli/io.js";
import { parseCorpus } from "../../src/nlp/corpus.js";
import { DEFAULT_POS_FILTER } from "../../src/nlp/filter.js";
import { documentTerms } from "../../src/nlp/keywords.js";
import { loadKuromojiTokenizer } from "../../src/nlp/tokenizer.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PYTHON = "/usr/bin/python3";
const REFERENCE = path.join(repoRoot, "scripts", "reference", "tfidf_reference.py");
const TOKENS = "test/fixtures/nlp/tokens.jsonl";
const TOLERANCE = 1e-9;

type Result = { documents: ReadonlyArray<{ id: string; keywords: ReadonlyArray<{ term: string; score: number }> }> };

const stopWordsFile = path.join(mkdtempSync(path.join(tmpdir(), "golden-")), "stop.txt");
writeFileSync(stopWordsFile, "コンテナ\nmypy\n\n");

// Parameter sets, written as `ml-chatops keywords` flags; the reference takes the same flags.
const CASES: ReadonlyArray<{ name: string; flags: ReadonlyArray<string> }> = [
  { name: "defaults (max_df 0.5 share, min_df 1, l2, smooth idf)", flags: [] },
  { name: "max_df as a count (3 documents)", flags: ["--max-df", "3"] },
  { name: 'max_df "1" is a count of one document', flags: ["--max-df", "1"] },
  { name: 'max_df "1.0" is every document', flags: ["--max-df", "1.0"] },
  { name: "min_df 2 (count)", flags: ["--max-df", "1.0", "--min-df", "2"] },
  { name: "min_df 0.25 (share)", flags: ["--max-df", "0.75", "--min-df", "0.25"] },
  { name: "sublinear tf", flags: ["--sublinear-tf", "--max-df", "0.8"] },
  { name: "norm l1", flags: ["--norm", "l1"] },
  { name: "norm none", flags: ["--norm", "none", "--max-df", "1.0"] },
  { name: "use_idf off", flags: ["--no-idf", "--max-df", "1.0"] },
  { name: "smooth_idf off", flags: ["--no-smooth-idf", "--max-df", "0.9"] },
  { name: "top 5", flags: ["--top", "5"] },
  {
    name: "top 20, sublinear, l1, all documents",
    flags: ["--top", "20", "--sublinear-tf", "--norm", "l1", "--max-df", "1.0"],
  },
  { name: "extra stop words", flags: ["--stop-words", stopWordsFile, "--max-df", "1.0", "--top", "20"] },
];

const fakeIo = (out: string[], err: string[]): CliIo => ({
  stdout: (t) => void out.push(t),
  stderr: (t) => void err.push(t),
  env: {},
  cwd: repoRoot,
  stderrIsTTY: false,
});

const ours = async (
  flags: ReadonlyArray<string>,
  tokens = TOKENS,
): Promise<{ code: number; result: Result | undefined; stderr: string }> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeywords(["--pretokenized", tokens, ...flags], fakeIo(out, err));
  return { code, result: code === 0 ? (JSON.parse(out.join("")) as Result) : undefined, stderr: err.join("") };
};

// Probed up front so that a machine without scikit-learn gets failing tests, not cancelled or
// skipped ones.
const probe = spawnSync(PYTHON, ["-c", "import sklearn, numpy; print(sklearn.__version__)"], { encoding: "utf8" });

const assertSameKeywords = (actual: Result, expected: Result): void => {
  assert.deepEqual(
    actual.documents.map((d) => d.id),
    expected.documents.map((d) => d.id),
  );
  expected.documents.forEach((doc, j) => {
    const mine = actual.documents[j]!;
    assert.deepEqual(
      mine.keywords.map((k) => k.term),
      doc.keywords.map((k) => k.term),
      `top-k of ${doc.id}`,
    );
    doc.keywords.forEach((k, n) => {
      const diff = Math.abs(mine.keywords[n]!.score - k.score);
      assert.ok(diff <= TOLERANCE, `${doc.id} ${k.term}: ${mine.keywords[n]!.score} vs ${k.score} (|diff| ${diff})`);
    });
  });
};

const runReference = (runs: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<Result | { error: string }> => {
  const r = spawnSync(PYTHON, [REFERENCE, "--batch"], {
    cwd: repoRoot,
    input: runs.map((a) => JSON.stringify(a)).join("\n") + "\n",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `reference failed: ${r.stderr || String(r.error)}`);
  const lines = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Result | { error: string });
  assert.equal(lines.length, runs.length);
  return lines;
};

describe("golden: ml-chatops keywords --pretokenized equals scikit-learn TfidfVectorizer", { timeout: 120_000 }, () => {
  let reference: ReadonlyArray<Result | { error: string }> = [];
  const missing =
    probe.status === 0
      ? undefined
      : `${PYTHON} cannot import scikit-learn (${(probe.stderr || String(probe.error)).trim().split("\n").pop()}). ` +
        "Install Debian's package: apt-get install -y python3-sklearn";
  const requireReference = (): void => {
    if (missing !== undefined) assert.fail(missing);
  };

  before(() => {
    if (missing !== undefined) return;
    const runs = [
      ...CASES.map((c) => ["--pretokenized", TOKENS, ...c.flags]),
      ["--pretokenized", TOKENS, "--max-df", "1", "--min-df", "2"],
      ["--pretokenized", TOKENS, "--max-df", "1.0", "--min-df", "1.0"],
    ];
    reference = runReference(runs);
  });

  it(`the reference interpreter ${PYTHON} has scikit-learn`, () => {
    requireReference();
    assert.match(probe.stdout, /^\d+\.\d+/);
  });

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      requireReference();
      const expected = reference[i];
      assert.ok(expected !== undefined && "documents" in expected, `reference refused: ${JSON.stringify(expected)}`);
      const got = await ours(c.flags);
      assert.equal(got.code, 0, got.stderr);
      assertSameKeywords(got.result!, expected);
      // the fixture must exercise the case: some document has keywords
      assert.ok(expected.documents.some((d) => d.keywords.length > 0));
    });
  });

  it("max_df count below min_df count: both refuse", async () => {
    requireReference();
    const expected = reference[CASES.length];
    assert.deepEqual(expected, { error: "max_df corresponds to < documents than min_df" });
    const got = await ours(["--max-df", "1", "--min-df", "2"]);
    assert.equal(got.code, 2);
    assert.match(got.stderr, /^ml-chatops keywords: max_df corresponds to fewer documents \(1\) than min_df \(2\)/);
  });

  it("pruning leaves no term: both refuse", async () => {
    requireReference();
    const expected = reference[CASES.length + 1];
    assert.deepEqual(expected, { error: "After pruning, no terms remain. Try a lower min_df or a higher max_df." });
    const got = await ours(["--max-df", "1.0", "--min-df", "1.0"]);
    assert.equal(got.code, 1);
    assert.match(got.stderr, /no terms remain/);
  });
});

// The same comparison on a realistic vocabulary: the 2020 talks (../shared/data, not copied into
// the repository) through steps a-d with the real kuromoji dictionary, then e-g on both sides.
describe("golden: the PyCon JP 2020 corpus, tokenized by kuromoji", { timeout: 180_000 }, () => {
  const corpus = path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2020-talks.jsonl");
  const tokensFile = path.join(mkdtempSync(path.join(tmpdir(), "golden-real-")), "tokens.jsonl");
  const SETS: ReadonlyArray<ReadonlyArray<string>> = [
    [],
    ["--top", "20", "--sublinear-tf", "--min-df", "2", "--max-df", "0.8"],
    ["--norm", "l1", "--no-smooth-idf", "--max-df", "5"],
  ];
  let reference: ReadonlyArray<Result | { error: string }> = [];

  before(async () => {
    if (probe.status !== 0) return;
    const docs = parseCorpus(corpus, readFileSync(corpus, "utf8"));
    if (E.isLeft(docs)) throw new Error(JSON.stringify(docs.left));
    const tokenizer = await loadKuromojiTokenizer()();
    if (E.isLeft(tokenizer)) throw new Error(JSON.stringify(tokenizer.left));
    const lines = docs.right.map((d) =>
      JSON.stringify({ id: d.id, tokens: documentTerms(d, tokenizer.right.tokenize, DEFAULT_POS_FILTER) }),
    );
    writeFileSync(tokensFile, lines.join("\n") + "\n");
    reference = runReference(SETS.map((flags) => ["--pretokenized", tokensFile, ...flags]));
  });

  SETS.forEach((flags, i) => {
    it(`flags: ${flags.join(" ") || "(defaults)"}`, async () => {
      if (probe.status !== 0)
        assert.fail(
          `${PYTHON} cannot import scikit-learn. Install Debian's package: apt-get install -y python3-sklearn`,
        );
      const expected = reference[i];
      assert.ok(expected !== undefined && "documents" in expected, `reference refused: ${JSON.stringify(expected)}`);
      assert.equal(expected.documents.length, 54);
      const got = await ours(flags, tokensFile);
      assert.equal(got.code, 0, got.stderr);
      assertSameKeywords(got.result!, expected);
    });
  });
});
