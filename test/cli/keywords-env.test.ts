// `ml-chatops keywords --params-from-env --result-file`: the keyword experiment as a declared
// experiment runs it (parameters from ML_CHATOPS_PARAM_*, result in the result contract's form).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { runKeywords } from "../../src/cli/keywords.js";
import { toRankingsJson } from "../../src/cli/keywords-env.js";
import { parseExperimentResult } from "../../src/core/result.js";

const work = mkdtempSync(path.join(tmpdir(), "keywords-env-"));
writeFileSync(
  path.join(work, "tokens.jsonl"),
  [
    { id: "d1", tokens: ["apple", "apple", "banana"] },
    { id: "2", tokens: ["banana", "cherry"] },
    { id: "d3", tokens: ["cherry"] },
  ]
    .map((l) => JSON.stringify(l))
    .join("\n"),
);

const run = async (argv: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    cwd: work,
    stderrIsTTY: false,
  };
  const code = await runKeywords(argv, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
};

const BASE = ["--pretokenized", "tokens.jsonl", "--params-from-env"];

describe("ml-chatops keywords --params-from-env --result-file", () => {
  it("takes every parameter from ML_CHATOPS_PARAM_* exactly as the flags would", async () => {
    const env = {
      ML_CHATOPS_PARAM_TOP: "1",
      ML_CHATOPS_PARAM_MAX_DF: "3",
      ML_CHATOPS_PARAM_MIN_DF: "2",
      ML_CHATOPS_PARAM_NORM: "none",
      ML_CHATOPS_PARAM_SUBLINEAR_TF: "true",
      ML_CHATOPS_PARAM_USE_IDF: "false",
      // The JSON copy exec also sets is not a parameter variable and is left alone.
      ML_CHATOPS_PARAMS_JSON: '{"top":1}',
    };
    const fromEnv = await run(BASE, env);
    const fromFlags = await run([
      "--pretokenized",
      "tokens.jsonl",
      "--top",
      "1",
      "--max-df",
      "3",
      "--min-df",
      "2",
      "--norm",
      "none",
      "--sublinear-tf",
      "--no-idf",
    ]);
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal(fromFlags.code, 0, fromFlags.stderr);
    assert.equal(fromEnv.stdout, fromFlags.stdout);
    assert.deepEqual(JSON.parse(fromEnv.stdout).documents[0], { id: "d1", keywords: [{ term: "banana", score: 1 }] });
  });

  it("unset variables keep the defaults", async () => {
    const r = await run(BASE, { ML_CHATOPS_PARAM_MAX_DF: "1.0" });
    const flags = await run(["--pretokenized", "tokens.jsonl", "--max-df", "1.0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, flags.stdout);
  });

  it("--result-file writes the rankings part of the result contract, documents in corpus order, and keeps stdout", async () => {
    const r = await run([...BASE, "--result-file", "out/result.json"], {
      ML_CHATOPS_PARAM_MAX_DF: "1.0",
      ML_CHATOPS_PARAM_TOP: "2",
    });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(work, "out", "result.json"), "utf8");
    const documents = (JSON.parse(r.stdout) as { documents: Array<{ id: string; keywords: unknown }> }).documents;
    // The file lists the documents in the corpus's order, even the number-like id "2".
    assert.match(text, /^\{"rankings":\{"keywords":\{"d1":\[.*\],"2":\[.*\],"d3":\[.*\]\}\}\}\n$/);
    const parsed = JSON.parse(text) as { rankings: { keywords: Record<string, unknown> } };
    assert.deepEqual(Object.keys(parsed), ["rankings"]);
    assert.deepEqual(parsed.rankings.keywords, Object.fromEntries(documents.map((d) => [d.id, d.keywords])));
    // …and it is a valid result by the contract's own codec.
    assert.deepEqual(parseExperimentResult(text), { _tag: "Right", right: parsed });
  });

  const bad: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
    [
      "a top of 0",
      { ML_CHATOPS_PARAM_TOP: "0" },
      /^ml-chatops keywords: expected an integer from 1 to 999, got "0" \(ML_CHATOPS_PARAM_TOP\)\n$/,
    ],
    [
      "a top over the contract's list cap",
      { ML_CHATOPS_PARAM_TOP: "1000" },
      /expected an integer from 1 to 999, got "1000" \(ML_CHATOPS_PARAM_TOP\)\n$/,
    ],
    [
      "an empty top",
      { ML_CHATOPS_PARAM_TOP: "" },
      /expected an integer from 1 to 999, got "" \(ML_CHATOPS_PARAM_TOP\)\n$/,
    ],
    [
      "a max_df above 1",
      { ML_CHATOPS_PARAM_MAX_DF: "1.5" },
      /expected a count >= 1 .*got "1\.5" \(ML_CHATOPS_PARAM_MAX_DF\)\n$/,
    ],
    ["a bad min_df", { ML_CHATOPS_PARAM_MIN_DF: "-1" }, /got "-1" \(ML_CHATOPS_PARAM_MIN_DF\)\n$/],
    [
      "an unknown norm",
      { ML_CHATOPS_PARAM_NORM: "l3" },
      /expected l1, l2 or none, got "l3" \(ML_CHATOPS_PARAM_NORM\)\n$/,
    ],
    [
      "a non-boolean sublinear_tf",
      { ML_CHATOPS_PARAM_SUBLINEAR_TF: "yes" },
      /expected true or false, got "yes" \(ML_CHATOPS_PARAM_SUBLINEAR_TF\)\n$/,
    ],
    [
      "a non-boolean use_idf",
      { ML_CHATOPS_PARAM_USE_IDF: "1" },
      /expected true or false, got "1" \(ML_CHATOPS_PARAM_USE_IDF\)\n$/,
    ],
    [
      "a parameter the experiment does not know",
      { ML_CHATOPS_PARAM_TOPP: "3" },
      /unknown parameter variable ML_CHATOPS_PARAM_TOPP \(tfidf-keywords reads ML_CHATOPS_PARAM_TOP, /,
    ],
  ];
  for (const [name, env, message] of bad) {
    it(`refuses ${name}: one line naming the variable, exit 2, no result file`, async () => {
      const out = `bad-${name.replace(/\W+/g, "-")}.json`;
      const r = await run([...BASE, "--result-file", out], env);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split("\n").length, 2, r.stderr);
      assert.equal(r.stdout, "");
      assert.throws(() => readFileSync(path.join(work, out)), { code: "ENOENT" });
    });
  }

  it("refuses a parameter flag next to --params-from-env (one source of parameters)", async () => {
    const r = await run([...BASE, "--top", "3"], { ML_CHATOPS_PARAM_TOP: "5" });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "ml-chatops keywords: --top and --params-from-env both set the parameters; give one (arguments)\n",
    );
  });

  it("without --params-from-env the variables are not read", async () => {
    const r = await run(["--pretokenized", "tokens.jsonl", "--max-df", "1.0"], { ML_CHATOPS_PARAM_TOP: "0" });
    assert.equal(r.code, 0, r.stderr);
  });

  it("toRankingsJson escapes ids and terms as JSON strings", () => {
    const text = toRankingsJson({ documents: [{ id: 'a"b', keywords: [{ term: "</x>\n", score: 0.5 }] }] });
    assert.deepEqual(JSON.parse(text), { rankings: { keywords: { 'a"b': [{ term: "</x>\n", score: 0.5 }] } } });
  });
});
