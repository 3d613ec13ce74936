// The runner templates ship in the package (`ml-chatops init` copies them from there) and call
// the installed CLI, never a path that exists only in this repository.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
const TEMPLATES = [
  "examples/github-codebuild/buildspec.yml",
  "examples/github-codebuild/.github/workflows/comment-to-label.yml",
  "examples/github-codebuild/.github/workflows/label-to-codebuild.yml",
  "examples/github-codebuild/iam/build-policy.json",
  "examples/github-codebuild/.github/ml-chatops.yml",
  "examples/github-local/.github/ml-chatops.yml",
  "examples/github-local/.github/workflows/comment-to-label.yml",
  "examples/github-local/.github/workflows/label-to-local.yml",
  "examples/argo/.github/ml-chatops.yml",
  "examples/argo/.github/workflows/label-to-argo.yml",
  "examples/argo/argo/argo-server-access.yaml",
  "examples/github-actions-runner/.github/ml-chatops.yml",
  "examples/github-actions-runner/.github/workflows/label-to-github-actions.yml",
  "examples/argo/argo/Dockerfile",
  "examples/argo/argo/rbac.yaml",
  "examples/argo/argo/workflow.yaml",
  "examples/github-actions-runner/.github/workflows/ml-chatops-experiment.yml",
  "examples/python-experiment/classifier/.github/ml-chatops.yml",
  "examples/python-experiment/classifier/train.py",
  "examples/python-experiment/keywords/.github/ml-chatops.yml",
];

describe("runner templates", () => {
  it("are in the packed package", () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const files = new Set(
      (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path),
    );
    for (const t of TEMPLATES) assert.ok(files.has(t), `${t} is not packed`);
  });

  it("call `ml-chatops exec` of the installed package, never this repository's bin/, src/ or example data", () => {
    for (const t of TEMPLATES) {
      const text = readFileSync(join(ROOT, t), "utf8");
      assert.doesNotMatch(
        text,
        /bin\/ml-chatops\.js|src\/cli\/|examples\/data|run-experiment\.mjs|\.trusted\/examples/,
        t,
      );
    }
    for (const t of [
      "examples/github-codebuild/buildspec.yml",
      "examples/github-actions-runner/.github/workflows/ml-chatops-experiment.yml",
    ]) {
      assert.match(readFileSync(join(ROOT, t), "utf8"), /npx --no-install ml-chatops exec /, t);
    }
  });

  it("the repository's own buildspec.yml (where CodeBuild looks by default) is the shipped template", () => {
    assert.equal(
      readFileSync(join(ROOT, "buildspec.yml"), "utf8"),
      readFileSync(join(ROOT, "examples/github-codebuild/buildspec.yml"), "utf8"),
    );
  });

  it("the Argo image installs the version of this package", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    assert.match(
      readFileSync(join(ROOT, "examples/argo/argo/Dockerfile"), "utf8"),
      new RegExp(`npm install --global --no-audit --no-fund ml-chatops@${version.replace(/\./g, "\\.")}\\n`),
    );
  });
});
