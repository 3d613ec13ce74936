/**
 * Check 80: git config cannot run code as the bot. Program-running config is planted in the
 * bot's own repository (`.git/config`, hooks, alternates) and in the checked-out tree
 * (`.gitattributes`); two runs of the local runner, each fetching the PR ref and checking out,
 * run none of it. A control with plain git shows that the same planting does run.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { createLocalRunner } from "../../../src/adapters/local/index.js";
import { createTempGitRepo, git } from "../../support/git-repo.js";
import type { TempGitRepo } from "../../support/git-repo.js";
import { EXPERIMENT_SCRIPT, requestFor, scriptExperiment, waitTerminal } from "./fixtures.js";

const HOOKS = [
  "post-checkout",
  "reference-transaction",
  "pre-auto-gc",
  "post-merge",
  "post-rewrite",
  "fsmonitor-watchman",
  "pre-push",
];

describe("check 80: planted git config, hooks and attributes never run", () => {
  let repo: TempGitRepo;
  let remote: TempGitRepo;
  let scratch: string;
  let markers: string;
  let prSha: string;

  const evil = (name: string): string => {
    const p = join(scratch, `evil-${name}.sh`);
    writeFileSync(p, `#!/bin/sh\ntouch '${join(markers, name)}'\nexit 1\n`);
    chmodSync(p, 0o755);
    return p;
  };

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "ml-chatops-git-hardening-"));
    markers = join(scratch, "markers");
    mkdirSync(markers);
    repo = createTempGitRepo();
    repo.commit(
      { "experiment.mjs": EXPERIMENT_SCRIPT, VERSION: "v1\n", ".gitattributes": "* filter=x diff=x\n" },
      "v1",
    );
    remote = createTempGitRepo();
    git(remote.path, "fetch", "-q", repo.path, "main");
    remote.moveBranch("main", git(remote.path, "rev-parse", "FETCH_HEAD"));
    prSha = remote.commit({ VERSION: "from-pr\n" }, "pr");
    git(remote.path, "update-ref", "refs/pull/7/head", prSha);
    git(repo.path, "remote", "add", "origin", remote.path);
    // The planting: everything in git's config that names a program, in the bot's repository.
    const hooks = join(repo.path, ".git", "evil-hooks");
    mkdirSync(hooks);
    for (const h of HOOKS) {
      const script = evil(`hook-${h}`);
      writeFileSync(join(hooks, h), `#!/bin/sh\nexec '${script}'\n`);
      writeFileSync(join(repo.path, ".git", "hooks", h), `#!/bin/sh\nexec '${script}'\n`);
      chmodSync(join(hooks, h), 0o755);
      chmodSync(join(repo.path, ".git", "hooks", h), 0o755);
    }
    const planted: ReadonlyArray<[string, string]> = [
      ["core.hooksPath", hooks],
      ["core.fsmonitor", evil("fsmonitor")],
      ["core.sshCommand", evil("ssh")],
      ["core.askPass", evil("askpass")],
      ["core.alternateRefsCommand", evil("alternate-refs")],
      ["core.pager", evil("pager")],
      ["diff.external", evil("diff-external")],
      ["diff.x.command", evil("diff-driver")],
      ["diff.x.textconv", evil("textconv")],
      ["filter.x.smudge", evil("smudge")],
      ["filter.x.clean", evil("clean")],
      ["filter.x.process", evil("filter-process")],
      ["remote.origin.uploadpack", evil("uploadpack")],
      ["credential.helper", `!${evil("credential")}`],
      ["gc.auto", "1"],
      ["gc.autoDetach", "false"],
    ];
    for (const [key, value] of planted) git(repo.path, "config", key, value);
    writeFileSync(
      join(repo.path, ".git", "objects", "info", "alternates"),
      `${join(remote.path, ".git", "objects")}\n`,
    );
  });
  after(() => {
    repo.remove();
    remote.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const run = async () => {
    const runner = createLocalRunner(
      { experiments: [scriptExperiment], env: { PATH: process.env["PATH"] } },
      { repoPath: repo.path, command: [process.execPath], tmpDir: join(scratch), fetchPullRefs: { remote: "origin" } },
    );
    const h = await runner.start(requestFor(prSha, { mode: "ok" }))();
    assert.ok(E.isRight(h), JSON.stringify(h));
    return waitTerminal(runner, h.right);
  };

  it("two runs fetch the PR ref through the planted remote and check it out: no marker is ever created", async () => {
    for (const round of [1, 2]) {
      const status = await run();
      assert.equal(status.state, "succeeded", `round ${round}: ${status.detail}`);
      assert.deepEqual(readdirSync(markers), [], `round ${round}: nothing planted ran`);
    }
  });

  it("a planted url.insteadOf that turns the remote into ssh meets plain ssh, not the planted sshCommand", async () => {
    git(repo.path, "config", `url.ssh://127.0.0.1:9/nothing.insteadOf`, remote.path);
    try {
      const status = await run();
      assert.equal(status.state, "errored");
      assert.match(status.detail, /^infrastructure: git fetch failed: /);
      assert.deepEqual(readdirSync(markers), [], "the planted ssh command did not run");
      // Control: plain git with the same config does run the planted ssh command.
      assert.throws(
        () => git(repo.path, "fetch", "-q", "origin", "refs/pull/7/head"),
        /Command failed: git fetch -q origin refs\/pull\/7\/head/,
      );
      assert.ok(readdirSync(markers).includes("ssh"), "control: the planting is live");
    } finally {
      git(repo.path, "config", "--unset", `url.ssh://127.0.0.1:9/nothing.insteadOf`);
      rmSync(join(markers, "ssh"), { force: true });
    }
  });

  it("control: plain git in the same repository runs the planted programs (the test's planting is live)", () => {
    // Each planted program exits 1, so each of these fails after running it.
    assert.throws(() => git(repo.path, "fetch", "-q", "origin", "refs/pull/7/head"), /Command failed/);
    assert.throws(() => git(repo.path, "checkout", "-q", "--detach", prSha), /Command failed/);
    assert.throws(() => git(repo.path, "update-ref", "refs/heads/x", "HEAD"), /Command failed/);
    const ran = readdirSync(markers);
    for (const m of ["uploadpack", "fsmonitor", "filter-process", "hook-reference-transaction"]) {
      assert.ok(ran.includes(m), `plain git ran ${m} (ran: ${ran.join(", ")})`);
    }
  });
});
