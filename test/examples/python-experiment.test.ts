// The Python examples run as their users run them by hand (python3 in the example's folder),
// reading their parameters from ML_CHATOPS_PARAM_* and writing the result contract.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseExperimentResult } from "../../src/core/result.js";

const examples = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "examples",
  "python-experiment",
);
// Debian's interpreter has scikit-learn and MeCab (.ci/run installs them); a python3 earlier on
// PATH (pyenv) may not.
const PYTHON = "/usr/bin/python3";

const runExample = (name: string, script: string, params: Record<string, string> = {}) => {
  const dir = mkdtempSync(path.join(tmpdir(), `py-${name}-`));
  cpSync(path.join(examples, name), dir, { recursive: true });
  const r = spawnSync(PYTHON, [script], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: "/usr/bin:/bin", HOME: dir, ...params },
  });
  if (r.status !== 0) return { ...r, result: undefined };
  // Every result the examples write passes the result contract's codec.
  const decoded = parseExperimentResult(readFileSync(path.join(dir, "out", "result.json"), "utf8"));
  assert.equal(decoded._tag, "Right", decoded._tag === "Left" ? decoded.left : "");
  return { ...r, result: decoded._tag === "Right" ? (decoded.right as Record<string, unknown>) : undefined };
};

describe("examples/python-experiment", () => {
  it("classifier/train.py: accuracy, macro F1 and log-loss on load_digits, and a confusion table", () => {
    const r = runExample("classifier", "train.py");
    assert.equal(r.status, 0, r.stderr);
    const metrics = r.result?.["metrics"] as Record<string, number>;
    assert.deepEqual(Object.keys(metrics), ["accuracy", "f1_macro", "log_loss"]);
    // C=1, 200 iterations, the fixed split: 437 of 450 test digits right.
    assert.equal(metrics["accuracy"], 437 / 450);
    assert.ok(metrics["f1_macro"]! > 0.96 && metrics["f1_macro"]! < 0.98, String(metrics["f1_macro"]));
    assert.ok(metrics["log_loss"]! > 0.05 && metrics["log_loss"]! < 0.2, String(metrics["log_loss"]));
    const [table] = r.result?.["tables"] as Array<{
      title: string;
      columns: string[];
      rows: Array<Array<string | number>>;
    }>;
    assert.deepEqual(table?.columns, ["", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert.equal(table?.rows.length, 10);
    const total = table!.rows.reduce((sum, row) => sum + row.slice(1).reduce<number>((s, n) => s + Number(n), 0), 0);
    const diagonal = table!.rows.reduce<number>((sum, row, i) => sum + Number(row[i + 1]), 0);
    assert.equal(total, 450);
    assert.equal(diagonal, 437);
  });

  it("classifier/train.py reads C from ML_CHATOPS_PARAM_C: a tiny C is worse", () => {
    const r = runExample("classifier", "train.py", { ML_CHATOPS_PARAM_C: "0.001" });
    assert.equal(r.status, 0, r.stderr);
    const metrics = r.result?.["metrics"] as Record<string, number>;
    assert.ok(metrics["accuracy"]! < 0.93, String(metrics["accuracy"]));
    assert.match(String(r.result?.["notes"]), /C=0\.001/);
  });

  it("classifier/train.py: a parameter that is not a number is one line naming the variable", () => {
    const r = runExample("classifier", "train.py", { ML_CHATOPS_PARAM_C: "abc" });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "train.py: ML_CHATOPS_PARAM_C must be a float, got 'abc'\n");
  });

  it("keywords/keywords.py: MeCab + TfidfVectorizer rankings for every document of its own corpus", () => {
    const r = runExample("keywords", "keywords.py", { ML_CHATOPS_PARAM_TOP: "3" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(Object.keys(r.result ?? {}), ["rankings"]);
    const keywords = (r.result?.["rankings"] as Record<string, Record<string, Array<{ term: string; score: number }>>>)[
      "keywords"
    ]!;
    assert.deepEqual(Object.keys(keywords), [
      "talk-01",
      "talk-02",
      "talk-03",
      "talk-04",
      "talk-05",
      "talk-06",
      "talk-07",
      "talk-08",
    ]);
    for (const ranked of Object.values(keywords)) {
      assert.equal(ranked.length, 3);
      assert.ok(ranked.every((k, i) => i === 0 || ranked[i - 1]!.score >= k.score));
    }
    // MeCab keeps the Japanese nouns apart: the morphology talk is about 形態素 analysis.
    assert.ok(
      keywords["talk-02"]!.some((k) => k.term === "形態素"),
      JSON.stringify(keywords["talk-02"]),
    );
  });
});
