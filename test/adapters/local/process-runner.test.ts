import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { createLocalRunner } from "../../../src/adapters/local/index.js";
import type { LocalRunnerConfig } from "../../../src/adapters/local/index.js";
import { execGit } from "../../../src/adapters/local/git.js";
import type { GitExec } from "../../../src/adapters/local/git.js";
import type { Runner } from "../../../src/core/ports.js";
import { createTempGitRepo, git } from "../../support/git-repo.js";
import type { TempGitRepo } from "../../support/git-repo.js";
import {
  EXPERIMENT_SCRIPT,
  allLogs,
  requestFor,
  scriptExperiment,
  sleepersTagged,
  waitLogLine,
  waitSleeper,
  waitTerminal,
} from "./fixtures.js";
import { assertLeft, assertError } from "../../support/assert-error.js";

describe("local process runner", () => {
  let repo: TempGitRepo;
  let scratch: string;
  let v1: string;
  let v2: string;

  before(() => {
    repo = createTempGitRepo();
    v1 = repo.commit({ "experiment.mjs": EXPERIMENT_SCRIPT, VERSION: "v1\n" }, "v1");
    v2 = repo.commit({ VERSION: "v2\n" }, "v2");
  });
  after(() => repo.remove());

  const makeRunner = (
    extra: Partial<LocalRunnerConfig> = {},
    env: Record<string, string | undefined> = { PATH: process.env["PATH"] },
    gitExec?: GitExec,
  ): Runner => {
    scratch = mkdtempSync(join(tmpdir(), "ml-chatops-runner-test-"));
    return createLocalRunner(
      { experiments: [scriptExperiment], env, git: gitExec },
      { repoPath: repo.path, command: [process.execPath], tmpDir: scratch, ...extra },
    );
  };
  const assertCleanedUp = (): void => {
    assert.deepEqual(repo.worktrees(), [repo.path], "the temporary worktree is removed");
    assert.deepEqual(readdirSync(scratch), [], "the run directory is removed");
    rmSync(scratch, { recursive: true, force: true });
  };

  it("check 11: runs the pinned commit, not the branch tip, and reads its result", async () => {
    const runner = makeRunner();
    const h = await runner.start(requestFor(v1, { mode: "ok" }))();
    assert.ok(E.isRight(h));
    assert.equal(h.right.pinnedSha, v1);
    assert.equal(h.right.runner, "local");
    const status = await waitTerminal(runner, h.right);
    assert.equal(status.state, "succeeded", status.detail);
    assert.equal(status.detail, "exited 0 with a valid result (1 document)");
    const logs = await allLogs(runner, h.right);
    assert.ok(logs.includes(`HEAD ${v1}`), "the child's git rev-parse HEAD is the pinned SHA");
    assert.ok(logs.includes("VERSION v1"));
    const result = await runner.result(h.right)();
    assert.ok(E.isRight(result));
    assert.deepEqual(result.right.output, { rankings: { keywords: { d1: [{ term: "v1", score: 1 }] } } });
    assert.ok(result.right.timings.durationMs >= 0);
    assert.ok(result.right.logTail.includes("VERSION v1"));
    assertCleanedUp();
  });

  it("check 13: a branch moved after pinning still runs the pinned commit", async () => {
    const runner = makeRunner();
    const pinned = v2;
    const v3 = repo.commit({ VERSION: "v3\n" }, "v3"); // main moves on after approval
    assert.notEqual(repo.head(), pinned);
    const h = await runner.start(requestFor(pinned, { mode: "ok" }))();
    assert.ok(E.isRight(h));
    assert.equal((await waitTerminal(runner, h.right)).state, "succeeded");
    const logs = await allLogs(runner, h.right);
    assert.ok(logs.includes(`HEAD ${pinned}`));
    assert.ok(!logs.includes(`HEAD ${v3}`));
    assertCleanedUp();
  });

  it("check 13: a checkout that is not the pinned commit is an infrastructure error and runs nothing", async () => {
    // Simulates a ref race: after the checkout, something moves the checkout to another commit.
    const racing: GitExec = (args, cwd) =>
      args[0] === "checkout"
        ? TE.flatMap(() =>
            TE.flatMap(() => execGit(["checkout", "-q", "--detach", v2], cwd))(
              execGit(["fetch", "-q", "--depth=1", repo.path, v2], cwd),
            ),
          )(execGit(args, cwd))
        : execGit(args, cwd);
    const runner = makeRunner({}, { PATH: process.env["PATH"] }, racing);
    const h = await runner.start(requestFor(v1, { mode: "ok" }))();
    assert.ok(E.isRight(h));
    const status = await waitTerminal(runner, h.right);
    assert.equal(status.state, "errored");
    assert.match(status.detail, new RegExp(`infrastructure: checked-out commit ${v2} is not the pinned ${v1}`));
    assert.deepEqual(await allLogs(runner, h.right), [], "the experiment never started");
    assertCleanedUp();
  });

  it("check 11: fetches refs/pull/N/head from the remote, then checks out the SHA", async () => {
    const remote = createTempGitRepo();
    try {
      git(remote.path, "fetch", "-q", repo.path, "main");
      remote.moveBranch("main", git(remote.path, "rev-parse", "FETCH_HEAD"));
      const prSha = remote.commit({ VERSION: "from-fork\n" }, "pr commit");
      git(remote.path, "update-ref", "refs/pull/12/head", prSha);
      git(repo.path, "remote", "add", "origin", remote.path);

      const without = makeRunner();
      const h0 = await without.start(requestFor(prSha, { mode: "ok" }, 12))();
      assert.ok(E.isRight(h0));
      const s0 = await waitTerminal(without, h0.right);
      assert.equal(s0.state, "errored");
      assert.match(s0.detail, /cannot check out/);
      assertCleanedUp();

      const runner = makeRunner({ fetchPullRefs: { remote: "origin" } });
      const h = await runner.start(requestFor(prSha, { mode: "ok" }, 12))();
      assert.ok(E.isRight(h));
      const s = await waitTerminal(runner, h.right);
      assert.equal(s.state, "succeeded", s.detail);
      assert.ok((await allLogs(runner, h.right)).includes(`HEAD ${prSha}`));
      assertCleanedUp();
    } finally {
      git(repo.path, "remote", "remove", "origin");
      remote.remove();
    }
  });

  it("a failing experiment (exit 3) is failed with its log tail", async () => {
    const runner = makeRunner();
    const h = await runner.start(requestFor(v1, { mode: "fail" }))();
    assert.ok(E.isRight(h));
    const status = await waitTerminal(runner, h.right);
    assert.equal(status.state, "failed");
    assert.equal(status.detail, "experiment exited with code 3");
    assert.ok((await allLogs(runner, h.right)).includes("boom: something broke"));
    const result = await runner.result(h.right)();
    assertLeft(result, "ResultInvalid", /has no result: it is failed \(experiment exited with code 3\)$/);
    assertCleanedUp();
  });

  const badResults: ReadonlyArray<[string, RegExp]> = [
    ["corrupt", /^the result file is not a valid result: the result is not JSON: /],
    [
      "wrong-shape",
      /^the result file is not a valid result: documents: unknown field \(known: metrics, rankings, tables, images, notes\)$/,
    ],
    ["none", /exited 0 but wrote no result file/],
  ];
  for (const [mode, expected] of badResults) {
    it(`a ${mode} result file is a clear failure, not a crash`, async () => {
      const runner = makeRunner();
      const h = await runner.start(requestFor(v1, { mode }))();
      assert.ok(E.isRight(h));
      const status = await waitTerminal(runner, h.right);
      assert.equal(status.state, "failed");
      assert.match(status.detail, expected);
      const result = await runner.result(h.right)();
      assert.ok(E.isLeft(result));
      assertError(
        result.left,
        "ResultInvalid",
        new RegExp(`has no result: it is failed \\(.*${expected.source.replace(/^\^/, "").replace(/\$$/, "")}`),
      );
      assertCleanedUp();
    });
  }

  for (const mode of ["hang", "stubborn"]) {
    it(`cancel kills the whole process group (${mode})`, async () => {
      const runner = makeRunner({ killGraceMs: 300 });
      const h = await runner.start(requestFor(v1, { mode }))();
      assert.ok(E.isRight(h));
      const line = await waitLogLine(runner, h.right, /^GRANDCHILD [0-9.]+$/);
      const tag = line.split(" ")[1] ?? "";
      const grandchildren = await waitSleeper(tag);
      assert.equal(grandchildren.length, 1, "the experiment's own child runs on the host");
      const running = await runner.status(h.right)();
      assert.ok(E.isRight(running) && running.right.state === "running");
      const cancelled = await runner.cancel(h.right)();
      assert.ok(E.isRight(cancelled));
      const status = await waitTerminal(runner, h.right);
      assert.equal(status.state, "cancelled");
      assert.deepEqual(sleepersTagged(tag), [], "the experiment's own child is gone too");
      assert.ok(E.isRight(await runner.cancel(h.right)()), "cancelling a finished run succeeds");
      assertCleanedUp();
    });
  }

  it("cancel right after start (during the checkout) ends the run as cancelled and runs nothing long", async () => {
    const runner = makeRunner({ killGraceMs: 300 });
    const h = await runner.start(requestFor(v1, { mode: "hang" }))();
    assert.ok(E.isRight(h));
    assert.ok(E.isRight(await runner.cancel(h.right)()));
    const status = await waitTerminal(runner, h.right);
    assert.equal(status.state, "cancelled");
    const line = (await allLogs(runner, h.right)).find((l) => l.startsWith("GRANDCHILD "));
    if (line !== undefined)
      assert.deepEqual(sleepersTagged(line.split(" ")[1] ?? ""), [], "a child that did start is gone");
    assertCleanedUp();
  });

  it("a run past its deadline is errored and its process group killed", async () => {
    const runner = makeRunner({ timeoutMs: 1500, killGraceMs: 300 });
    const h = await runner.start(requestFor(v1, { mode: "hang" }))();
    assert.ok(E.isRight(h));
    const status = await waitTerminal(runner, h.right);
    assert.equal(status.state, "errored");
    assert.equal(status.detail, "deadline exceeded after 1500 ms");
    const line = (await allLogs(runner, h.right)).find((l) => l.startsWith("GRANDCHILD "));
    if (line !== undefined) assert.deepEqual(sleepersTagged(line.split(" ")[1] ?? ""), []);
    assertCleanedUp();
  });

  it("checks 6, 7: the child sees only allow-listed variables, never the bot's credentials", async () => {
    const secrets: Record<string, string> = {
      GITHUB_TOKEN: "ghs_secret_token_value",
      GH_TOKEN: "gho_secret_token_value",
      AWS_SECRET_ACCESS_KEY: "aws-secret-value",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLEKEY",
      ACTIONS_RUNTIME_TOKEN: "actions-runtime-secret",
      APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----fake",
      WEBHOOK_SECRET: "webhook-secret-value",
    };
    const saved = { ...process.env };
    Object.assign(process.env, secrets); // also present in the real parent process
    try {
      const runner = makeRunner(
        { extraEnv: ["OMP_NUM_THREADS"] },
        { ...process.env, OMP_NUM_THREADS: "2", LANG: "C.UTF-8" },
      );
      const h = await runner.start(requestFor(v1, { mode: "ok" }))();
      assert.ok(E.isRight(h));
      assert.equal((await waitTerminal(runner, h.right)).state, "succeeded");
      const envLine = (await allLogs(runner, h.right)).find((l) => l.startsWith("ENV "));
      assert.ok(envLine !== undefined);
      const childEnv = JSON.parse(envLine.slice(4)) as Record<string, string>;
      // PWD is set by the sandbox to the checkout it starts in. The parameters arrive as
      // ML_CHATOPS_PARAM_* and ML_CHATOPS_PARAMS_JSON, and only there (check 69).
      const allowed = new Set([
        "PATH",
        "HOME",
        "LANG",
        "LC_ALL",
        "TZ",
        "TMPDIR",
        "NODE_ENV",
        "OMP_NUM_THREADS",
        "PWD",
        "ML_CHATOPS_PARAM_MODE",
        "ML_CHATOPS_PARAMS_JSON",
      ]);
      for (const name of Object.keys(childEnv))
        assert.ok(allowed.has(name), `unexpected variable ${name} in the child`);
      for (const value of Object.values(secrets))
        assert.ok(!envLine.includes(value), "no secret value reaches the child");
      assert.equal(childEnv["OMP_NUM_THREADS"], "2");
      assert.equal(childEnv["ML_CHATOPS_PARAM_MODE"], "ok");
      assert.equal(childEnv["ML_CHATOPS_PARAMS_JSON"], JSON.stringify({ mode: "ok" }));
      assert.equal(childEnv["LANG"], "C.UTF-8");
      assert.notEqual(childEnv["HOME"], process.env["HOME"], "the child gets an empty HOME of its own");
      assertCleanedUp();
    } finally {
      for (const name of Object.keys(secrets)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it("checks 6, 7: credential-like names are refused in the allowlist config", () => {
    for (const name of [
      "GITHUB_TOKEN",
      "GH_ENTERPRISE_TOKEN",
      "AWS_PROFILE",
      "ACTIONS_ID_TOKEN_REQUEST_URL",
      "MY_API_TOKEN",
      "APP_PRIVATE_KEY",
      "WEBHOOK_SECRET",
      "NODE_OPTIONS",
    ]) {
      assert.throws(
        () => createLocalRunner({ experiments: [] }, { repoPath: repo.path, command: ["node"], extraEnv: [name] }),
        new RegExp(`invalid local runner config: extraEnv: ${name}`),
      );
    }
  });

  it("check 69: parameters reach the child literally, as environment variables only: never in argv, never through a shell", async () => {
    const runner = makeRunner();
    const nasty = "; rm -rf / $(id) `id` 'q' \"dq\" | cat > /tmp/x";
    const h = await runner.start(requestFor(v1, { mode: "ok", param: nasty }))();
    assert.ok(E.isRight(h));
    assert.equal((await waitTerminal(runner, h.right)).state, "succeeded");
    const logs = await allLogs(runner, h.right);
    assert.ok(logs.includes(`PARAM ${nasty}`));
    assert.ok(logs.includes("ARGV []"), "the declared argv has no parameter in it");
    assertCleanedUp();
  });

  it("rejects an unknown experiment and a bad config", async () => {
    const runner = makeRunner();
    const r = await runner.start({ ...requestFor(v1, {}), experimentId: "nope" })();
    assertLeft(r, "RunRejected", /^reason=unknown experiment nope$/);
    const shortSha = await runner.start(requestFor("abc1234", {}))();
    assertLeft(shortSha, "RunRejected", /^reason=pinned SHA "abc1234" is not a full 40-hex commit id$/); // check 11: only a full SHA reaches git
    const option = await runner.start(requestFor("--upload-pack=touch /tmp/pwned", {}))();
    assertLeft(
      option,
      "RunRejected",
      /^reason=pinned SHA "--upload-pack=touch \/tmp\/pwned" is not a full 40-hex commit id$/,
    );
    rmSync(scratch, { recursive: true, force: true });
    assert.throws(
      () => createLocalRunner({ experiments: [] }, { repoPath: "relative", command: ["node"] }),
      /repoPath must be absolute/,
    );
    assert.throws(() => createLocalRunner({ experiments: [] }, { repoPath: "/x", command: [] }), /command must name/);
    const unknown = await runner.status({ ...requestFor(v1, {}), runner: "local", id: "local-nope", startedAt: "" })();
    assertLeft(unknown, "RunNotFound", /^id=local-nope$/);
  });
});
