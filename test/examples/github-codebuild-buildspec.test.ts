// examples/github-codebuild/buildspec.yml, run phase by phase as CodeBuild runs it (bash, one
// command at a time) in a user's repository, with `npx ml-chatops` being this checkout's CLI.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { decodeResultMarkers } from "../../src/adapters/codebuild/result-marker.js";
import { encodeJobSpec } from "../../src/core/job-spec.js";
import { createTempGitRepo, type TempGitRepo } from "../support/git-repo.js";

const ROOT = new URL("../../", import.meta.url).pathname;

type Buildspec = {
  readonly version: number;
  readonly env: { readonly shell: string; readonly variables?: Readonly<Record<string, string>> };
  readonly phases: Readonly<
    Record<
      string,
      { readonly commands: ReadonlyArray<string>; readonly "runtime-versions"?: Readonly<Record<string, unknown>> }
    >
  >;
};

const spec = parse(readFileSync(join(ROOT, "examples/github-codebuild/buildspec.yml"), "utf8")) as Buildspec;

// The user's experiment: reports the parameter it got and the argv it was started with.
const TRAIN = `
const fs = require("node:fs");
fs.mkdirSync("out", { recursive: true });
console.log("training");
fs.writeFileSync("out/result.json", JSON.stringify({ metrics: { accuracy: 0.9 }, notes: JSON.stringify({ c: process.env.ML_CHATOPS_PARAM_C, argv: process.argv.slice(2) }) }));
`;

// The parent's environment minus anything the runner would set (a bare env makes bash start slowly here).
const inherited = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("ML_CHATOPS_") && !k.startsWith("CODEBUILD_")),
);

describe("examples/github-codebuild/buildspec.yml", () => {
  let repo: TempGitRepo;
  let bin: string;
  let sha: string;
  before(() => {
    repo = createTempGitRepo();
    sha = repo.commit({ "train.cjs": TRAIN });
    // `npx --no-install ml-chatops …` runs this checkout's CLI; anything else is a failure.
    bin = mkdtempSync(join(tmpdir(), "buildspec-bin-"));
    writeFileSync(
      join(bin, "npx"),
      `#!/bin/sh\n[ "$1" = "--no-install" ] && [ "$2" = "ml-chatops" ] || { echo "unexpected: npx $*" >&2; exit 99; }\nshift 2\nexec "${process.execPath}" --import "${import.meta.resolve("tsx")}" "${join(ROOT, "src/cli/main.ts")}" "$@"\n`,
    );
    chmodSync(join(bin, "npx"), 0o755);
  });
  after(() => {
    repo.remove();
    rmSync(bin, { recursive: true, force: true });
  });

  /** Runs one phase's commands as CodeBuild does: each in `env.shell`, stopping at the first failure. */
  const runPhase = (phase: string, env: Readonly<Record<string, string>>) => {
    let output = "";
    for (const command of spec.phases[phase]?.commands ?? []) {
      const r = spawnSync(spec.env.shell, ["-c", command], {
        cwd: repo.path,
        env: { ...inherited, PATH: `${bin}:${process.env["PATH"] ?? ""}`, ...spec.env.variables, ...env },
        encoding: "utf8",
      });
      output += r.stdout + r.stderr;
      if (r.status !== 0) return { status: r.status, output, stdout: r.stdout };
    }
    return { status: 0, output, stdout: output };
  };

  const job = (c: string) =>
    encodeJobSpec({
      v: 1,
      experiment: "train",
      sha,
      command: ["node", "train.cjs"],
      result: "out/result.json",
      env: { ML_CHATOPS_PARAM_C: c, ML_CHATOPS_PARAMS_JSON: JSON.stringify({ c }) },
    });

  it("installs from the lock file on Node 20 and runs nothing of this repository's own paths", () => {
    assert.equal(spec.version, 0.2);
    assert.equal(spec.env.shell, "bash");
    assert.deepEqual(spec.phases["install"]?.["runtime-versions"], { nodejs: 20 });
    assert.deepEqual(spec.phases["install"]?.commands, ["npm ci --no-audit --no-fund"]);
    assert.deepEqual(spec.phases["build"]?.commands, [
      "npx --no-install ml-chatops exec --markers --output ml-chatops-result.json",
    ]);
    const text = readFileSync(join(ROOT, "examples/github-codebuild/buildspec.yml"), "utf8");
    assert.doesNotMatch(text, /bin\/ml-chatops|src\/cli|examples\/data/);
  });

  it("check 13: refuses to run when CodeBuild checked out another commit than the approved one", () => {
    const bad = runPhase("pre_build", {
      CODEBUILD_RESOLVED_SOURCE_VERSION: "f".repeat(40),
      ML_CHATOPS_PINNED_SHA: sha,
    });
    assert.equal(bad.status, 1);
    assert.match(bad.output, new RegExp(`commit mismatch: CodeBuild checked out f{40}, approved ${sha}`));
    assert.equal(
      runPhase("pre_build", { CODEBUILD_RESOLVED_SOURCE_VERSION: sha }).status,
      1,
      "no approved SHA: refused",
    );
    assert.equal(
      runPhase("pre_build", { CODEBUILD_RESOLVED_SOURCE_VERSION: sha, ML_CHATOPS_PINNED_SHA: sha }).status,
      0,
    );
  });

  it("check 69: the build runs the declared experiment through exec; a hostile parameter reaches it verbatim as a variable and is never executed", () => {
    const hostile = '0.4"; touch pwned; echo "$(touch pwned2)`touch pwned3`';
    const r = runPhase("build", {
      ML_CHATOPS_JOB: job(hostile),
      ML_CHATOPS_PINNED_SHA: sha,
      CODEBUILD_RESOLVED_SOURCE_VERSION: sha,
    });
    assert.equal(r.status, 0, r.output);
    const fromLog = decodeResultMarkers(r.stdout.split("\n"));
    assert.equal(fromLog._tag, "Right", r.output);
    const result = JSON.parse(fromLog._tag === "Right" ? fromLog.right : "{}") as { metrics: unknown; notes: string };
    assert.deepEqual(result.metrics, { accuracy: 0.9 });
    assert.deepEqual(JSON.parse(result.notes), { c: hostile, argv: [] });
    assert.equal(
      readFileSync(join(repo.path, "ml-chatops-result.json"), "utf8"),
      `${fromLog._tag === "Right" ? fromLog.right : ""}\n`,
    );
    for (const f of ["pwned", "pwned2", "pwned3"]) assert.ok(!existsSync(join(repo.path, f)), `${f} must not exist`);
    assert.match(r.output, /^training$/m);
  });

  it("without ML_CHATOPS_JOB the build fails with exec's one line (exit 3)", () => {
    const r = runPhase("build", {});
    assert.equal(r.status, 3);
    assert.match(r.output, /^ml-chatops exec: ML_CHATOPS_JOB is not set: /m);
  });
});
