// The experiment workflow's own steps, run as the Actions runner runs them (bash, the step's env
// with the inputs filled in, its working directory), with `npx ml-chatops` being this checkout's
// CLI: the trusted side runs ml-chatops exec on the pull request's checkout, and the summary job
// reads the artifact as data.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { encodeJobSpec } from "../../src/core/job-spec.js";
import { parseExperimentResult } from "../../src/core/result.js";
import { createTempGitRepo, type TempGitRepo } from "../support/git-repo.js";

const ROOT = new URL("../../", import.meta.url).pathname;
type Step = { name?: string; run?: string; env?: Record<string, string>; "working-directory"?: string };
const wf = parse(
  readFileSync(join(ROOT, "examples/github-actions-runner/.github/workflows/ml-chatops-experiment.yml"), "utf8"),
) as { jobs: Record<string, { steps: Step[] }> };
const step = (job: string, name: string): Step => {
  const s = wf.jobs[job]?.steps.find((x) => x.name === name);
  assert.ok(s !== undefined, `${job}: step ${name}`);
  return s;
};

const TRAIN = `
const fs = require("node:fs");
fs.mkdirSync("out", { recursive: true });
console.log("training at c=" + process.env.ML_CHATOPS_PARAM_C);
fs.writeFileSync("out/result.json", JSON.stringify({ metrics: { accuracy: 0.9 }, rankings: { keywords: { d1: [{ term: "x", score: 1 }] } }, notes: String(process.env.ML_CHATOPS_PARAM_C) }));
`;

describe("examples/github-actions-runner: the steps as the runner runs them", () => {
  let repo: TempGitRepo;
  let workspace: string;
  let runnerTemp: string;
  let sha: string;
  before(() => {
    repo = createTempGitRepo();
    sha = repo.commit({ "train.cjs": TRAIN });
    workspace = mkdtempSync(join(tmpdir(), "actions-ws-"));
    runnerTemp = mkdtempSync(join(tmpdir(), "actions-temp-"));
    mkdirSync(join(workspace, ".trusted"));
    // actions/checkout of the approved commit into pr/.
    spawnSync("git", ["clone", "-q", repo.path, join(workspace, "pr")]);
    spawnSync("git", ["-C", join(workspace, "pr"), "checkout", "-q", "--detach", sha]);
    mkdirSync(join(workspace, "bin"));
    writeFileSync(
      join(workspace, "bin", "npx"),
      `#!/bin/sh\n[ "$1" = "--no-install" ] && [ "$2" = "ml-chatops" ] || { echo "unexpected: npx $*" >&2; exit 99; }\n[ "$(basename "$PWD")" = ".trusted" ] || { echo "npx must run on the trusted side, ran in $PWD" >&2; exit 98; }\nshift 2\nexec "${process.execPath}" --import "${import.meta.resolve("tsx")}" "${join(ROOT, "src/cli/main.ts")}" "$@"\n`,
    );
    chmodSync(join(workspace, "bin", "npx"), 0o755);
  });
  after(() => {
    repo.remove();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(runnerTemp, { recursive: true, force: true });
  });

  const inputs = (c: string): Record<string, string> => ({
    job: encodeJobSpec({
      v: 1,
      experiment: "train",
      sha,
      command: ["node", "train.cjs"],
      result: "out/result.json",
      env: { ML_CHATOPS_PARAM_C: c, ML_CHATOPS_PARAMS_JSON: JSON.stringify({ c }) },
    }),
  });
  /** `${{ inputs.x }}` and `${{ runner.temp }}` as Actions fills them into a step's env. */
  const fill = (v: string, given: Record<string, string>): string =>
    v
      .replace(/\$\{\{\s*inputs\.([a-z_]+)\s*\}\}/g, (_, k: string) => given[k] ?? "")
      .replace(/\$\{\{\s*runner\.temp\s*\}\}/g, runnerTemp);
  const runStep = (s: Step, given: Record<string, string>, extra: Record<string, string> = {}) =>
    spawnSync("bash", ["-e", "-c", s.run ?? ""], {
      cwd: join(workspace, s["working-directory"] ?? "."),
      env: {
        PATH: `${join(workspace, "bin")}:${process.env["PATH"] ?? ""}`,
        HOME: workspace,
        GITHUB_WORKSPACE: workspace,
        ...Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, fill(v, given)])),
        ...extra,
      },
      encoding: "utf8",
    });

  it("'Run the experiment' runs ml-chatops exec from the trusted side on pr/, leaving the artifact's two files", () => {
    const hostile = "0.2; touch pwned";
    const r = runStep(step("experiment", "Run the experiment"), inputs(hostile));
    assert.equal(r.status, 0, r.stderr);
    const result = parseExperimentResult(readFileSync(join(runnerTemp, "ml-chatops", "result.json"), "utf8"));
    assert.equal(result._tag, "Right", result._tag === "Left" ? result.left : "");
    assert.equal(result._tag === "Right" ? result.right.notes : "", hostile);
    assert.equal(readFileSync(join(runnerTemp, "ml-chatops", "log-tail.txt"), "utf8"), `training at c=${hostile}\n`);
    assert.ok(!existsSync(join(workspace, "pr", "pwned")) && !existsSync(join(workspace, ".trusted", "pwned")));
  });

  it("'Check and summarise it as data' reads the result with jq into the job summary", () => {
    const dir = join(runnerTemp, "result");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "result.json"), readFileSync(join(runnerTemp, "ml-chatops", "result.json")));
    const summary = join(runnerTemp, "summary.md");
    const r = runStep(step("summarize", "Check and summarise it as data"), {}, { GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(summary, "utf8"), "### ml-chatops result\n\nMetrics: 1; ranked lists: 1\n");
  });
});
