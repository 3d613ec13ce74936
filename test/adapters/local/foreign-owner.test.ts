/**
 * A container job's workspace belongs to another user, and git refuses such a repository
 * ("dubious ownership") unless it is a `safe.directory`. The bot's git ignores global config
 * (check 80), so the local runner names its own repository as safe, for git and for the
 * upload-pack git starts on it.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { createLocalRunner } from "../../../src/adapters/local/index.js";
import { createExecGit, gitEnv } from "../../../src/adapters/local/git.js";
import { createTempGitRepo, type TempGitRepo } from "../../support/git-repo.js";
import { EXPERIMENT_SCRIPT, requestFor, scriptExperiment, waitTerminal } from "./fixtures.js";

// Giving a repository another owner takes root (CI and these machines run as root).
const asRoot = process.getuid?.() === 0;

describe(
  "a repository another user owns (a container job's workspace)",
  { skip: asRoot ? false : "needs root to give the repository another owner" },
  () => {
    let repo: TempGitRepo;
    let scratch: string;
    let sha: string;
    before(() => {
      scratch = mkdtempSync(join(tmpdir(), "ml-chatops-foreign-"));
      repo = createTempGitRepo();
      sha = repo.commit({ "experiment.mjs": EXPERIMENT_SCRIPT, VERSION: "v1\n" }, "v1");
      execFileSync("chown", ["-R", "nobody", repo.path]);
    });
    after(() => {
      execFileSync("chown", ["-R", "root", repo.path]);
      repo.remove();
      rmSync(scratch, { recursive: true, force: true });
    });

    it("control: the bot's hardened git environment alone refuses it as dubious", () => {
      const r = spawnSync("git", ["rev-parse", "HEAD"], {
        cwd: repo.path,
        env: gitEnv({ PATH: process.env["PATH"] }),
        encoding: "utf8",
      });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /dubious ownership/);
    });

    it("the local runner checks the pinned commit out of it and runs", async () => {
      const runner = createLocalRunner(
        { experiments: [scriptExperiment], env: { PATH: process.env["PATH"] } },
        { repoPath: repo.path, command: [process.execPath], tmpDir: scratch },
      );
      const h = await runner.start(requestFor(sha, { mode: "ok" }))();
      assert.ok(E.isRight(h), JSON.stringify(h));
      const status = await waitTerminal(runner, h.right);
      assert.equal(status.state, "succeeded", status.detail);
    });
  },
);

describe("createExecGit safeDirectories", () => {
  it("twenty runners trusting one repository share one config file and add at most one exit listener", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ml-chatops-safe-"));
    const before = process.listenerCount("exit");
    for (let i = 0; i < 20; i += 1) {
      const r = await createExecGit({ PATH: process.env["PATH"] }, { safeDirectories: [dir] })(
        ["config", "--global", "--get-all", "safe.directory"],
        dir,
      )();
      assert.ok(E.isRight(r), JSON.stringify(r));
      assert.deepEqual(r.right.trim().split("\n"), [dir, join(dir, ".git")]);
    }
    assert.ok(
      process.listenerCount("exit") - before <= 1,
      `exit listeners grew by ${process.listenerCount("exit") - before}`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("a path with a line break is refused with one line, and git never runs", async () => {
    const git = createExecGit({ PATH: process.env["PATH"] }, { safeDirectories: ["/srv/a\n[core]\n\tfsmonitor = /x"] });
    const r = await git(["--version"], tmpdir())();
    assert.ok(E.isLeft(r));
    assert.match(
      r.left,
      /^git: safe directory "\/srv\/a\\n\[core\]\\n\\tfsmonitor = \/x" must be an absolute path on one line$/,
    );
  });
});
