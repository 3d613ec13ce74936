/**
 * examples/github-local (what `ml-chatops init --runner local` writes): how the pinned commit
 * reaches the local runner. The label job fetches the head SHA into the workspace as data
 * (depth 1, detached, no credentials), runs every step from a default-branch checkout of the
 * lock file, and the runner copies the one commit from that workspace into a fresh repository
 * (checks 1, 11, 13, 74).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { parse } from "yaml";
import { createCheckout, createExecGit } from "../../src/adapters/local/git.js";
import { readDefaultBranchCheckout } from "../../src/cli/default-branch-checkout.js";
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
      "sparse-checkout": "package.json\npackage-lock.json\n.github/ml-chatops.yml\n.ml-chatops/\n",
      "sparse-checkout-cone-mode": false,
      "persist-credentials": false,
    });
    const runs = steps.filter((s) => s.run !== undefined);
    assert.equal(runs.length, 3);
    for (const s of runs) assert.equal(s["working-directory"], ".ml-chatops-tool", s.run);
    assert.equal(runs.at(-1)?.run, "npx --no-install ml-chatops on-label --runner local --default-branch-checkout .");
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

  it("checks 1, 80: the sparse, blob-less tool checkout holds the config and the current best that --default-branch-checkout . reads, and nothing is fetched for what it lacks", async () => {
    const tool = steps.find((x) => x.with?.["path"] === ".ml-chatops-tool");
    const patterns = String(tool?.with?.["sparse-checkout"] ?? "")
      .trim()
      .split("\n");
    // The "server" is a directory: `file://<root>/octo/kw` is the repository, reachable to git if
    // it were allowed to fetch, so a lazy fetch of a missing blob would show.
    const root = mkdtempSync(join(tmpdir(), "ml-chatops-server-"));
    const server = `file://${root}`;
    /** What actions/checkout does for a sparse checkout of a branch: a blob-less fetch of it, the patterns in non-cone mode, a local branch at the fetched commit. */
    const toolCheckout = (name: string, files: Readonly<Record<string, string>>) => {
      const upstream = join(root, "octo", name);
      mkdirSync(upstream, { recursive: true });
      git(upstream, "init", "-q", "-b", "main");
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(upstream, path, ".."), { recursive: true });
        writeFileSync(join(upstream, path), text);
      }
      git(upstream, "add", "-A");
      git(upstream, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "default branch");
      git(upstream, "config", "uploadpack.allowFilter", "true");
      const dir = join(mkdtempSync(join(tmpdir(), "ml-chatops-tool-")), ".ml-chatops-tool");
      mkdirSync(dir);
      git(dir, "init", "-q");
      git(dir, "remote", "add", "origin", `${server}/octo/${name}`);
      git(dir, "config", "remote.origin.promisor", "true");
      git(dir, "config", "remote.origin.partialclonefilter", "blob:none");
      git(dir, "fetch", "-q", "--filter=blob:none", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main");
      git(dir, "sparse-checkout", "set", "--no-cone", ...patterns);
      git(dir, "checkout", "-q", "--force", "-B", "main", "refs/remotes/origin/main");
      const missing = () =>
        git(dir, "rev-list", "--objects", "--missing=print", "HEAD")
          .split("\n")
          .filter((l) => l.startsWith("?")).length;
      return { dir, missing };
    };
    const read = async (dir: string, repo: string) => {
      const files = await readDefaultBranchCheckout(dir, {
        owner: "octo",
        repo,
        defaultBranch: "main",
        serverUrl: server,
      });
      if (E.isLeft(files)) assert.fail(files.left);
      return [...files.right.files].map(([path, f]) => [path, f?.text]);
    };
    const common = { "package.json": "{}\n", "package-lock.json": "{}\n", "train.py": "print(1)\n" };

    const shipped = toolCheckout("kw", {
      ...common,
      ".github/ml-chatops.yml": "label: ml-chatops:run\n",
      ".ml-chatops/baseline.json": "{}\n",
    });
    assert.equal(shipped.missing(), 1, "train.py's blob was not fetched: a blob-less clone");
    assert.deepEqual(await read(shipped.dir, "kw"), [
      [".github/ml-chatops.yml", "label: ml-chatops:run\n"],
      [".ml-chatops/baseline.json", "{}\n"],
    ]);

    // A baseline moved outside the sparse list is left to the API, and its blob is not fetched.
    const moved = toolCheckout("kw2", {
      ...common,
      ".github/ml-chatops.yml": "baseline:\n  path: results/best.json\n",
      "results/best.json": '{"elsewhere":true}\n',
    });
    assert.equal(moved.missing(), 2);
    assert.deepEqual(await read(moved.dir, "kw2"), [
      [".github/ml-chatops.yml", "baseline:\n  path: results/best.json\n"],
    ]);
    assert.equal(moved.missing(), 2, "no lazy fetch");
  });
});
