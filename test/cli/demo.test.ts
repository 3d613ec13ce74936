import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { parseBaselineFile } from "../../src/adapters/local/index.js";
import { DEMO_BASELINE_PARAMS, computeKeywords, loadBaselineFile } from "../../src/cli/demo-baseline.js";
import { DEMO_BOT, DEMO_HEAD_SHA, DEMO_PR, runDemoPipeline } from "../../src/cli/demo-pipeline.js";
import { fromKeywordResult } from "../../src/core/keyword-ranking.js";
import type { Tokenize } from "../../src/nlp/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = fileURLToPath(import.meta.resolve("tsx"));
const BASELINE = join(ROOT, "examples", "data", "baseline.json");
const CORPUS = join(ROOT, "examples", "data", "sample-talks.jsonl");
const scratch = mkdtempSync(join(tmpdir(), "ml-chatops-demo-test-"));

/** Runs the real CLI from source in a directory that is not the package root. */
const runCliProcess = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", TSX, join(ROOT, "src", "cli", "main.ts"), ...args], {
    cwd: scratch,
    encoding: "utf8",
    env: { PATH: process.env["PATH"], HOME: process.env["HOME"] },
  });

// A whitespace tokenizer keeps the in-process tests fast; the spawned demo uses kuromoji.
const whitespace: Tokenize = (text) =>
  text
    .split(/[\s.,:;!?()「」、。]+/)
    .filter((w) => w !== "")
    .map((w) => ({ surface: w, pos: "名詞", posDetail1: "一般", basicForm: w }));

describe("ml-chatops demo", () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("prints a keyword report with a diff against the bundled baseline and writes report.md in the cwd", () => {
    const out = join(scratch, "report.md");
    const r = runCliProcess("demo");
    assert.equal(r.status, 0, r.stderr);
    const report = r.stdout;
    assert.match(report, /^<!-- ml-chatops:report demo\/talk-keywords#1:tfidf-keywords -->/);
    assert.match(report, /### tfidf-keywords: succeeded at `5ca1ab1`/);
    const summary =
      /\*\*Against the baseline:\*\* (\d+) of 30 documents changed; mean top-10 overlap (0\.\d+|1\.00)/.exec(report);
    assert.ok(summary !== null, "the report compares with the baseline");
    assert.ok(Number(summary[1]) > 0, "the bundled baseline differs from the demo's default settings");
    assert.match(report, /\| Document \| Top-10 overlap \| Keywords/);
    assert.match(report, /\| sample-001 \| 0\.\d\d \|/);
    assert.match(report, /➕/, "added terms are marked");
    assert.match(report, /~~[^~]+~~ ➖/, "removed terms are marked");
    assert.match(report, /max\\_df = 0\.5/);
    assert.equal(readFileSync(out, "utf8"), report, "the file holds the same report");
    const steps = r.stderr.split("\n").filter((l) => /^\[\d\/4\]/.test(l));
    assert.deepEqual(
      steps.map((l) => l.slice(0, 5)),
      ["[1/4]", "[2/4]", "[3/4]", "[4/4]"],
    );
    assert.match(steps[0] ?? "", /comment received from @maintainer on demo\/talk-keywords#1: \/experiment run$/);
  });

  it("the bundled baseline is what our extractor computes at max_df=0.8 top=10 (regenerated, byte for byte)", async () => {
    const regenerated = join(scratch, "baseline.json");
    const r = runCliProcess("demo", "--write-baseline", regenerated, "--quiet");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(regenerated, "utf8"), readFileSync(BASELINE, "utf8"));
    const parsed = parseBaselineFile(readFileSync(BASELINE, "utf8"), BASELINE);
    assert.ok(E.isRight(parsed));
    assert.equal(Object.keys(parsed.right["tfidf-keywords"]?.result.rankings?.["keywords"] ?? {}).length, 30);
    assert.deepEqual(DEMO_BASELINE_PARAMS, { max_df: "0.8", top: "10" });
  });

  it("passes comment parameters through the pipeline to the run (in-process, whitespace tokenizer)", async () => {
    const corpusText = readFileSync(CORPUS, "utf8");
    const own = computeKeywords(whitespace, corpusText, "sample-talks.jsonl", { max_df: "0.3", top: "5" });
    assert.ok(E.isRight(own));
    const progress: string[] = [];
    const out = await runDemoPipeline({
      tokenizer: TE.right(whitespace),
      corpusText,
      baseline: {
        "tfidf-keywords": {
          result: fromKeywordResult(own.right),
          meta: { pr: DEMO_PR, sha: DEMO_HEAD_SHA, promotedBy: DEMO_BOT, promotedAt: "2026-01-01T00:00:00Z" },
        },
      },
      params: [
        ["max_df", "0.3"],
        ["top", "5"],
      ],
      progress: (l) => progress.push(l),
    });
    assert.ok(E.isRight(out), E.isLeft(out) ? out.left : "");
    const { report, forge, markdown } = out.right;
    assert.equal(report.status.state, "succeeded");
    assert.equal(report.params["max_df"], "0.3");
    assert.equal(report.params["top"], "5");
    assert.deepEqual(report.result, fromKeywordResult(own.right), "the run used the comment's parameters");
    assert.equal(report.diff?.rankings[0]?.diff.documentsChanged, 0);
    assert.equal(report.pinnedSha, DEMO_HEAD_SHA);
    assert.match(progress[0] ?? "", /\/experiment run max_df=0\.3 top=5$/);
    assert.deepEqual(forge.labels(DEMO_PR), [], "the label is consumed when the run starts");
    assert.ok(forge.comments(DEMO_PR).some((c) => c.body === markdown && c.author.id === DEMO_BOT.id));
  });

  it("a bad parameter is refused by the bot, and the demo says why", async () => {
    const out = await runDemoPipeline({
      tokenizer: TE.right(whitespace),
      corpusText: readFileSync(CORPUS, "utf8"),
      baseline: {},
      params: [["max_df", "lots"]],
      progress: () => undefined,
    });
    assert.ok(E.isLeft(out));
    assert.match(out.left, /did not approve/);
    assert.match(out.left, /max_df/);
  });

  it("check 69: a shell-looking parameter is just text; the bot refuses it and nothing runs", () => {
    const out = join(scratch, "refused.md");
    const r = runCliProcess("demo", "--out", out, "--", "max_df=$(id)");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ml-chatops demo: the bot did not approve the command \(Refused: /);
    assert.ok(!r.stderr.includes("[3/4]"), "no run started");
    assert.ok(!r.stderr.includes("tokenizer"), "nothing was even loaded");
    assert.ok(!existsSync(out), "no report file for a refused command");
    assert.equal(r.stdout, "");
  });

  it("bad usage is one line on stderr and exit 2", () => {
    const r = runCliProcess("demo", "--bogus");
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.match(r.stderr, /^ml-chatops demo: .*bogus/);
    const spaced = runCliProcess("demo", "--", "max_df=0.4 top=3");
    assert.equal(spaced.status, 2);
    assert.match(spaced.stderr, /bad parameter/);
  });

  it("loads the bundled baseline with a clear error for a bad file", async () => {
    const bad = join(scratch, "bad-baseline.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, '{"tfidf-keywords": {"result": {}}}');
    const r = await loadBaselineFile(bad);
    assert.ok(E.isLeft(r));
    assert.match(r.left, /bad-baseline\.json: .*tfidf-keywords/);
  });
});
