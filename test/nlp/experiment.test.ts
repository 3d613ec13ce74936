import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createTfidfKeywordsExperiment, tfidfKeywordsSpec, toKeywordParamsFromArgs } from "../../src/nlp/experiment.js";
import { decodeExperimentSpec } from "../../src/core/experiment-spec.js";
import { checkParams } from "../../src/core/experiment-params.js";
import { describeKeywordParams } from "../../src/nlp/keywords.js";

const exp = createTfidfKeywordsExperiment({ corpusPath: "examples/data/talks.jsonl" });
const DEFAULTS = { top: "10", max_df: "0.5", min_df: "1", sublinear_tf: "false", norm: "l2", use_idf: "true" };

describe("tfidf-keywords experiment: parseParams", () => {
  it("has its id and documents every parameter with its default", () => {
    assert.equal(exp.id, "tfidf-keywords");
    assert.deepEqual(Object.fromEntries(exp.params.map((p) => [p.key, p.default])), DEFAULTS);
  });

  const ok: ReadonlyArray<[Record<string, string>, Record<string, string>]> = [
    [{}, DEFAULTS],
    [{ max_df: "0.4" }, { ...DEFAULTS, max_df: "0.4" }],
    [{ max_df: "1" }, { ...DEFAULTS, max_df: "1" }],
    [{ max_df: "1.0" }, { ...DEFAULTS, max_df: "1.0" }],
    [{ max_df: ".50" }, { ...DEFAULTS, max_df: "0.5" }],
    [
      { min_df: "2", max_df: "10" },
      { ...DEFAULTS, min_df: "2", max_df: "10" },
    ],
    [
      { top: "5", sublinear_tf: "true", norm: "none", use_idf: "false" },
      { ...DEFAULTS, top: "5", sublinear_tf: "true", norm: "none", use_idf: "false" },
    ],
  ];
  for (const [args, expected] of ok) {
    it(`accepts ${JSON.stringify(args)}`, () => assert.deepEqual(exp.parseParams(args), E.right(expected)));
  }

  // SECURITY-CHECKLIST 68: allow-listed keys, per-key value forms, nothing else.
  const bad: ReadonlyArray<[string, Record<string, string>, RegExp]> = [
    [
      "unknown key",
      { maxdf: "0.4" },
      /unknown parameter "maxdf" \(allowed: top, max_df, min_df, sublinear_tf, norm, use_idf\)/,
    ],
    ["shell metacharacters", { max_df: "0.4; rm -rf /" }, /^max_df: expected a count >= 1/],
    ["command substitution", { top: "$(id)" }, /^top: expected an integer from 1 to 999, got "\$\(id\)"/],
    ["backticks", { norm: "`id`" }, /^norm: expected l1, l2 or none/],
    ["a flag as value", { norm: "--output=/etc/passwd" }, /^norm:/],
    ["newline", { top: "5\n6" }, /^top:/],
    ["share above 1", { max_df: "1.5" }, /^max_df:/],
    ["count 0", { min_df: "0" }, /^min_df:/],
    ["top 0", { top: "0" }, /^top:/],
    ["top 1000", { top: "1000" }, /^top:/],
    ["boolean yes", { sublinear_tf: "yes" }, /^sublinear_tf: expected true or false, got "yes"/],
    ["use_idf 0", { use_idf: "0" }, /^use_idf: expected true or false/],
    [
      "max_df share below min_df share",
      { max_df: "0.1", min_df: "0.2" },
      /max_df \(0.1\) must not be below min_df \(0.2\)/,
    ],
    ["max_df count below min_df count", { max_df: "1", min_df: "2" }, /max_df \(1\) must not be below min_df \(2\)/],
    [
      "a very long value is cut in the message",
      { top: "9".repeat(300) },
      /^top: expected an integer from 1 to 999, got "9{64}"$/,
    ],
  ];
  for (const [name, args, detail] of bad) {
    it(`check 68: rejects ${name} with InvalidParams naming the key`, () => {
      const r = exp.parseParams(args);
      assert.ok(E.isLeft(r));
      assert.equal(r.left._tag, "InvalidParams");
      assert.match(r.left.detail, detail);
    });
  }
});

describe("tfidf-keywords experiment: a declared experiment like any other", () => {
  it("check 69: runs the installed CLI with fixed argv items; no parameter is ever in argv", () => {
    assert.deepEqual(exp.command, [
      "ml-chatops",
      "keywords",
      "--input=examples/data/talks.jsonl",
      "--params-from-env",
      "--result-file=.ml-chatops/result.json",
    ]);
    assert.equal(exp.resultPath, ".ml-chatops/result.json");
    assert.deepEqual(exp.metrics, {});
    assert.equal(exp.primary, undefined);
  });

  it("check 69: parameters travel as ML_CHATOPS_PARAM_<KEY> and ML_CHATOPS_PARAMS_JSON, literally", () => {
    const env = exp.paramEnv({ ...DEFAULTS, norm: "l2 --output=/etc/passwd", top: "5" });
    assert.equal(env["ML_CHATOPS_PARAM_NORM"], "l2 --output=/etc/passwd");
    assert.equal(env["ML_CHATOPS_PARAM_TOP"], "5");
    assert.equal(env["ML_CHATOPS_PARAM_MAX_DF"], "0.5");
    assert.deepEqual(JSON.parse(env["ML_CHATOPS_PARAMS_JSON"] ?? ""), {
      ...DEFAULTS,
      norm: "l2 --output=/etc/passwd",
      top: 5,
    });
  });

  it("its spec is one a user could write in .github/ml-chatops.yml: it decodes to itself", () => {
    const spec = tfidfKeywordsSpec({ corpusPath: "examples/data/talks.jsonl" });
    assert.deepEqual(
      decodeExperimentSpec(JSON.parse(JSON.stringify(spec)), ["experiments", "tfidf-keywords"]),
      E.right(spec),
    );
  });

  it("everything parseParams accepts, the declared spec accepts too (the CLI only checks more)", () => {
    const spec = tfidfKeywordsSpec({ corpusPath: "c.jsonl" });
    for (const args of [
      {},
      { max_df: ".50" },
      { max_df: "1.0", min_df: "2" },
      { top: "999", norm: "none", use_idf: "false" },
      { max_df: "5e-1" },
    ]) {
      const parsed = exp.parseParams(args);
      assert.ok(E.isRight(parsed), JSON.stringify(args));
      assert.ok(E.isRight(checkParams(spec.params, args)), `spec refuses ${JSON.stringify(args)}`);
    }
  });
});

describe("toKeywordParamsFromArgs", () => {
  it("turns parameters into KeywordParams", () => {
    const p = toKeywordParamsFromArgs({ max_df: "2", sublinear_tf: "true" });
    assert.ok(E.isRight(p));
    assert.equal(
      describeKeywordParams(p.right),
      "top=10 max_df=2 min_df=1 sublinear_tf=true norm=l2 use_idf=true smooth_idf=true",
    );
  });
});
