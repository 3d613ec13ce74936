// The container of the Workflow the Argo runner submits, run as Argo runs it: the parameters
// substituted into env, `/bin/sh -c <checkout script> ml-chatops-checkout <command>`, with the
// image's `ml-chatops` on PATH (this checkout's CLI here). The result is the file the output
// parameter reads.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveArgoConfig } from "../../src/adapters/argo/config.js";
import { buildWorkflow, CHECKOUT_EXIT_CODE } from "../../src/adapters/argo/workflow.js";
import { encodeJobSpec } from "../../src/core/job-spec.js";
import type { RunRequest } from "../../src/core/model.js";
import { parseExperimentResult } from "../../src/core/result.js";
import { createTempGitRepo, git, type TempGitRepo } from "../support/git-repo.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TRAIN = `
const fs = require("node:fs");
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/result.json", JSON.stringify({ metrics: { accuracy: 0.9 }, notes: JSON.stringify({ c: process.env.ML_CHATOPS_PARAM_C, job: process.env.ML_CHATOPS_JOB ?? null }) }));
`;

type Container = {
  readonly args: ReadonlyArray<string>;
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
};

describe("examples/argo: the Workflow's container runs the declared experiment with ml-chatops exec", () => {
  let repo: TempGitRepo;
  let dir: string;
  let sha: string;
  before(() => {
    repo = createTempGitRepo();
    sha = repo.commit({ "train.cjs": TRAIN });
    git(repo.path, "update-ref", "refs/pull/7/head", sha);
    dir = mkdtempSync(join(tmpdir(), "argo-entry-"));
    writeFileSync(
      join(dir, "ml-chatops"),
      `#!/bin/sh\nexec "${process.execPath}" --import "${import.meta.resolve("tsx")}" "${join(ROOT, "src/cli/main.ts")}" "$@"\n`,
    );
    chmodSync(join(dir, "ml-chatops"), 0o755);
  });
  after(() => {
    repo.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const runContainer = (pinned: string, c: string) => {
    const resultPath = join(dir, `result-${c}.json`);
    const config = resolveArgoConfig({
      baseUrl: "http://127.0.0.1:2746",
      namespace: "ml",
      image: "runner:1",
      resultPath,
    });
    const req = {
      runKey: { pr: { owner: "octo", repo: "digits", number: 7 }, experiment: "train" },
      experimentId: "train",
      params: { c },
      pinnedSha: pinned,
      pr: { owner: "octo", repo: "digits", number: 7, headRef: "x", headSha: pinned },
      approvalId: `approval-${c}`,
    } as unknown as RunRequest;
    const job = encodeJobSpec({
      v: 1,
      experiment: "train",
      sha: pinned,
      command: ["node", "train.cjs"],
      result: "out/result.json",
      env: { ML_CHATOPS_PARAM_C: c, ML_CHATOPS_PARAMS_JSON: JSON.stringify({ c }) },
    });
    const wf = buildWorkflow(req, config, job);
    const template = (wf.spec["templates"] as ReadonlyArray<{ container: Container }>)[0]!;
    const params = new Map(wf.spec.arguments.parameters.map((p) => [p.name, p.value]));
    // Argo substitutes {{inputs.parameters.X}} into env values; the workdir is moved into the test's folder.
    const env = Object.fromEntries(
      template.container.env.map((e) => [
        e.name,
        e.value.replace(/\{\{inputs\.parameters\.([a-z0-9-]+)\}\}/g, (_, n: string) => params.get(n) ?? ""),
      ]),
    );
    env["REPO_URL"] = repo.path; // the test's repository stands in for https://github.com/octo/digits.git
    env["ML_CHATOPS_WORKDIR"] = join(dir, `src-${c}`);
    const [script = "", ...rest] = template.container.args;
    const r = spawnSync("/bin/sh", ["-c", script, ...rest], {
      env: { ...env, PATH: `${dir}:${process.env["PATH"] ?? ""}`, HOME: dir },
      encoding: "utf8",
    });
    return { ...r, resultPath, args: rest };
  };

  it("check 69: the container's command is the image's ml-chatops exec; the parameter reaches the experiment as a variable", () => {
    const hostile = "0.2$(touch pwned)";
    const r = runContainer(sha, hostile);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.args, ["ml-chatops-checkout", "ml-chatops", "exec", "--output", r.resultPath]);
    const result = parseExperimentResult(readFileSync(r.resultPath, "utf8"));
    assert.equal(result._tag, "Right", result._tag === "Left" ? result.left : "");
    const notes = JSON.parse(result._tag === "Right" ? (result.right.notes ?? "{}") : "{}") as {
      c: string;
      job: unknown;
    };
    // The experiment sees its parameter verbatim, and never the job itself.
    assert.deepEqual(notes, { c: hostile, job: null });
    assert.ok(!existsSync(join(dir, `src-${hostile}`, "pwned")));
  });

  it("check 13: a pinned commit the repository does not have ends in the checkout's exit 97, nothing run", () => {
    const r = runContainer("f".repeat(40), "0.3");
    assert.equal(r.status, CHECKOUT_EXIT_CODE, r.stderr);
    assert.ok(!existsSync(r.resultPath));
  });
});
