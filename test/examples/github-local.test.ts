/**
 * examples/github-local (what `ml-chatops init --runner local` writes): how the pinned commit
 * reaches the local runner. The label job fetches the head SHA into the workspace as data
 * (depth 1, detached, no credentials), runs every step from a default-branch checkout of the
 * lock file, and the runner copies the one commit from that workspace into a fresh repository
 * (checks 1, 11, 13, 74).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { parse } from "yaml";
import { createCheckout, createExecGit } from "../../src/adapters/local/git.js";
import type { Sha } from "../../src/core/model.js";
import { createTempGitRepo, git } from "../support/git-repo.js";

const ROOT = new URL("../../", import.meta.url).pathname;
type Step = { uses?: string; run?: string; "working-directory"?: string; with?: Record<string, unknown> };
const wf = parse(readFileSync(join(ROOT, "examples/github-local/.github/workflows/label-to-local.yml"), "utf8")) as {
  jobs: Record<string, { steps: Step[] }>;
};
const steps = wf.jobs["on-label"]!.steps;

describe("examples/github-local: the pinned commit reaches the local runner", () => {
  it("check 1: the head SHA is fetched first, at the workspace root, depth 1, without credentials; every run: step works in the default branch's lock-file checkout", () => {
    const [pr, tool] = steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    assert.deepEqual(pr?.with, {
      ref: "${{ github.event.pull_request.head.sha }}",
      "fetch-depth": 1,
      "persist-credentials": false,
    });
    assert.deepEqual(tool?.with, {
      ref: "${{ github.event.repository.default_branch }}",
      path: ".ml-chatops-tool",
      "sparse-checkout": "package.json\npackage-lock.json\n",
      "sparse-checkout-cone-mode": false,
      "persist-credentials": false,
    });
    const runs = steps.filter((s) => s.run !== undefined);
    assert.equal(runs.length, 3);
    for (const s of runs) assert.equal(s["working-directory"], ".ml-chatops-tool", s.run);
    assert.equal(runs.at(-1)?.run, "npx --no-install ml-chatops on-label --runner local");
  });

  it("checks 11, 13: the local runner takes the approved commit from such a workspace (shallow, detached) into a fresh repository", async () => {
    const upstream = createTempGitRepo();
    upstream.commit({ "train.py": "print(1)\n" });
    const sha = upstream.commit({ "train.py": "print(2)\n" }, "the pull request's head");
    // What actions/checkout does for `ref: <sha>`, `fetch-depth: 1`: fetch that one commit, check it out detached.
    const workspace = mkdtempSync(join(tmpdir(), "ml-chatops-workspace-"));
    git(workspace, "init", "-q");
    git(
      workspace,
      "fetch",
      "-q",
      "--no-tags",
      "--depth=1",
      `file://${upstream.path}`,
      `+${sha}:refs/remotes/origin/pr`,
    );
    git(workspace, "checkout", "-q", "--detach", sha);
    assert.equal(git(workspace, "rev-parse", "--is-shallow-repository"), "true");

    const checkout = createCheckout(createExecGit({ PATH: process.env["PATH"] }), workspace);
    const dir = join(mkdtempSync(join(tmpdir(), "ml-chatops-run-")), "checkout");
    mkdirSync(dir);
    const got = await checkout.checkoutAt(dir, sha as Sha)();
    assert.deepEqual(got, E.right(sha));
    assert.equal(readFileSync(join(dir, "train.py"), "utf8"), "print(2)\n");

    // A commit the workspace does not hold (the head moved after the approval) is refused, with git's reason.
    const other = upstream.commit({ "train.py": "print(3)\n" }, "pushed later");
    const second = join(dir, "..", "second");
    mkdirSync(second);
    const missing = await checkout.checkoutAt(second, other as Sha)();
    assert.ok(E.isLeft(missing));
    // git words it "git upload-pack: …" or "remote error: upload-pack: …", depending on which side reports first.
    assert.match(
      missing.left,
      new RegExp(`^git fetch failed: fatal: (git |remote error: )upload-pack: not our ref ${other}$`),
    );
  });
});
