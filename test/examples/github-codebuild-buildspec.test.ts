import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

const ROOT = new URL("../../", import.meta.url).pathname;
const SHA = "0123456789abcdef0123456789abcdef01234567";

type Buildspec = {
  readonly version: number;
  readonly env: { readonly shell: string; readonly variables: Readonly<Record<string, string>> };
  readonly phases: Readonly<Record<string, { readonly commands: ReadonlyArray<string>; readonly "runtime-versions"?: Readonly<Record<string, unknown>> }>>;
};

const spec = parse(readFileSync(join(ROOT, "buildspec.yml"), "utf8")) as Buildspec;

// Stands in for bin/ml-chatops.js: records its argv, and plays keywords / emit-result.
const STUB = `
const fs = require("node:fs");
fs.appendFileSync("argv.jsonl", JSON.stringify(process.argv.slice(2)) + "\\n");
const out = process.argv.find((a) => a.startsWith("--output="));
if (process.argv[2] === "keywords" && out) fs.writeFileSync(out.slice(9), '{"documents":[]}');
if (process.argv[2] === "emit-result") process.stdout.write("ML_CHATOPS_RESULT stub " + process.argv[3] + "\\n");
`;

// The parent's environment minus anything the runner would set (a bare env makes bash start slowly here).
const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ML_CHATOPS_") && !k.startsWith("CODEBUILD_")));

/** Runs one phase's commands as CodeBuild does: each in `env.shell`, stopping at the first failure. */
const runPhase = (dir: string, phase: string, env: Readonly<Record<string, string>>) => {
  let output = "";
  for (const command of spec.phases[phase]?.commands ?? []) {
    const r = spawnSync(spec.env.shell, ["-c", command], { cwd: dir, env: { ...inherited, ...spec.env.variables, ...env }, encoding: "utf8" });
    output += r.stdout + r.stderr;
    if (r.status !== 0) return { status: r.status, output };
  }
  return { status: 0, output };
};

describe("buildspec.yml", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "buildspec-"));
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin/ml-chatops.js"), STUB);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the default experiment on Node with npm ci, the corpus from an env var, and emits the result markers", () => {
    assert.equal(spec.version, 0.2);
    assert.equal(spec.env.shell, "bash");
    assert.deepEqual(spec.phases["install"]?.["runtime-versions"], { nodejs: 20 });
    assert.deepEqual(spec.phases["install"]?.commands, ["npm ci --no-audit --no-fund"]);
    assert.equal(spec.env.variables["ML_CHATOPS_CORPUS"], "examples/data/sample-talks.jsonl");
    assert.ok(existsSync(join(ROOT, spec.env.variables["ML_CHATOPS_CORPUS"] ?? "")), "the default corpus exists");
    assert.match(spec.phases["build"]?.commands.at(-1) ?? "", /^node bin\/ml-chatops\.js emit-result /);
  });

  it("check 13: refuses to run when CodeBuild checked out another commit than the approved one", () => {
    const bad = runPhase(dir, "pre_build", { CODEBUILD_RESOLVED_SOURCE_VERSION: "f".repeat(40), ML_CHATOPS_PINNED_SHA: SHA });
    assert.equal(bad.status, 1);
    assert.match(bad.output, /commit mismatch: CodeBuild checked out f{40}, approved 0123456789abcdef/);
    assert.equal(runPhase(dir, "pre_build", { CODEBUILD_RESOLVED_SOURCE_VERSION: SHA }).status, 1, "no approved SHA: refused");
    assert.equal(runPhase(dir, "pre_build", { CODEBUILD_RESOLVED_SOURCE_VERSION: SHA, ML_CHATOPS_PINNED_SHA: SHA }).status, 0);
  });

  it("check 69: parameters become single argv items; shell syntax in a value is never executed", () => {
    rmSync(join(dir, "argv.jsonl"), { force: true });
    const hostile = '0.4"; touch pwned; echo "$(touch pwned2)`touch pwned3`';
    const r = runPhase(dir, "build", {
      ML_CHATOPS_PARAM_TOP: "5",
      ML_CHATOPS_PARAM_MAX_DF: hostile,
      ML_CHATOPS_PARAM_MIN_DF: "2",
      ML_CHATOPS_PARAM_NORM: "l1",
      ML_CHATOPS_PARAM_SUBLINEAR_TF: "true",
      ML_CHATOPS_PARAM_USE_IDF: "false",
    });
    assert.equal(r.status, 0, r.output);
    const calls = readFileSync(join(dir, "argv.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
    assert.deepEqual(calls, [
      ["keywords", "--input=examples/data/sample-talks.jsonl", "--output=ml-chatops-result.json", "--top=5", `--max-df=${hostile}`, "--min-df=2", "--norm=l1", "--sublinear-tf", "--no-idf"],
      ["emit-result", "ml-chatops-result.json"],
    ]);
    for (const f of ["pwned", "pwned2", "pwned3"]) assert.ok(!existsSync(join(dir, f)), `${f} must not exist`);
    assert.match(r.output, /^ML_CHATOPS_RESULT stub ml-chatops-result\.json$/m);
  });

  it("without parameters the experiment's own defaults apply (no flags)", () => {
    rmSync(join(dir, "argv.jsonl"), { force: true });
    assert.equal(runPhase(dir, "build", {}).status, 0);
    const first = JSON.parse(readFileSync(join(dir, "argv.jsonl"), "utf8").split("\n")[0] ?? "[]") as string[];
    assert.deepEqual(first, ["keywords", "--input=examples/data/sample-talks.jsonl", "--output=ml-chatops-result.json"]);
  });
});
