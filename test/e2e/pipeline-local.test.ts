/**
 * The pipeline end to end on one machine: the in-memory forge, the real pipeline and comment
 * reporter, and the local process runner against a temporary git repository.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createLocalRunner } from "../../src/adapters/local/index.js";
import { execGit } from "../../src/adapters/local/git.js";
import type { GitExec } from "../../src/adapters/local/git.js";
import { createMemoryForge } from "../../src/adapters/memory/index.js";
import {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "../../src/core/memory-stores.js";
import type { RunHandle, RunRequest, Sha } from "../../src/core/model.js";
import { toRunKey } from "../../src/core/model.js";
import { createPipeline } from "../../src/core/pipeline.js";
import type { Runner } from "../../src/core/ports.js";
import { createCommentReporter } from "../../src/core/report/reporter.js";
import { reportMarker } from "../../src/core/report/markers.js";
import {
  EXPERIMENT_SCRIPT,
  scriptExperiment,
  sleepersTagged,
  waitLogLine,
  waitSleeper,
} from "../adapters/local/fixtures.js";
import { createTempGitRepo } from "../support/git-repo.js";
import type { TempGitRepo } from "../support/git-repo.js";

const BOT = { login: "ml-chatops[bot]", id: 900 };
const ALICE = { login: "alice", id: 1 };
const PR = { owner: "o", repo: "r", number: 7 };
const KEY = toRunKey(PR, "test-exp");
const MARKER = reportMarker(KEY);
const BASELINE = { rankings: { keywords: { d1: [{ term: "v0", score: 1 }] } } };

describe("pipeline end to end with the local runner (temporary git repository)", () => {
  let repo: TempGitRepo;
  let v1: Sha;
  let v2: Sha;
  before(() => {
    repo = createTempGitRepo();
    v1 = repo.commit({ "experiment.mjs": EXPERIMENT_SCRIPT, VERSION: "v1\n" }, "v1") as Sha;
    v2 = repo.commit({ VERSION: "v2\n" }, "v2") as Sha;
    repo.moveBranch("main", v1);
  });
  after(() => repo.remove());

  const setup = () => {
    const scratch = mkdtempSync(join(tmpdir(), "ml-chatops-e2e-"));
    const forge = createMemoryForge({
      bot: BOT,
      repos: [
        {
          owner: "o",
          repo: "r",
          collaborators: { alice: "write" },
          pulls: [{ number: 7, headSha: v1, headRef: "feature" }],
        },
      ],
    });
    const gitCalls: string[][] = [];
    const git: GitExec = (args, cwd) => {
      gitCalls.push([...args]);
      return execGit(args, cwd);
    };
    const local = createLocalRunner(
      { experiments: [scriptExperiment], env: { PATH: process.env["PATH"] }, git },
      { repoPath: repo.path, command: [process.execPath], tmpDir: scratch, killGraceMs: 500 },
    );
    const starts: RunRequest[] = [];
    const runner: Runner = {
      ...local,
      start: (req) => {
        starts.push(req);
        return local.start(req);
      },
    };
    const ledger = createMemoryRunLedger();
    const pipeline = createPipeline(
      {
        forge,
        runner,
        experiments: [scriptExperiment],
        baseline: createMemoryBaselineStore({ "test-exp": { result: BASELINE } }),
        approvals: createMemoryApprovalStore(),
        ledger,
        reporter: createCommentReporter(forge),
      },
      { defaultExperiment: "test-exp", botActorId: BOT.id, pollIntervalMs: 20 },
    );
    const comment = async (body: string) => {
      const c = forge.addComment(PR, ALICE, body);
      const out = await pipeline.onComment({
        pr: PR,
        comment: { id: c.id, body, author: ALICE, createdAt: c.createdAt },
      })();
      assert.ok(E.isRight(out), JSON.stringify(out));
      return out.right;
    };
    const label = () => pipeline.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT })();
    const reportComments = () => forge.comments(PR).filter((c) => c.author.id === BOT.id && c.body.includes(MARKER));
    const cleanedUp = () => {
      assert.deepEqual(repo.worktrees(), [repo.path], "no worktree left");
      assert.deepEqual(readdirSync(scratch), [], "no run directory left");
      rmSync(scratch, { recursive: true, force: true });
    };
    return { forge, runner: local, ledger, starts, gitCalls, comment, label, reportComments, cleanedUp };
  };

  it("check 2, 11, 13: comment -> label -> run at the pinned SHA -> one report with the diff", async () => {
    const t = setup();
    const approved = await t.comment("/experiment run mode=ok");
    assert.equal(approved._tag, "Approved");
    assert.equal(approved._tag === "Approved" ? approved.approval.pinnedSha : "", v1);
    assert.equal(t.gitCalls.length, 0, "check 2: handling the comment never touches git");
    assert.equal(t.starts.length, 0, "check 2: handling the comment starts nothing");
    assert.deepEqual(t.forge.labels(PR), ["ml-chatops:run"]);
    repo.moveBranch("main", v2); // the branch moves on; the approved commit does not
    try {
      const out = await t.label();
      assert.ok(E.isRight(out) && out.right._tag === "Reported", JSON.stringify(out));
      const report = out.right.report;
      assert.equal(report.status.state, "succeeded", report.status.detail);
      assert.equal(report.pinnedSha, v1);
      assert.deepEqual(
        report.result,
        { rankings: { keywords: { d1: [{ term: "v1", score: 1 }] } } },
        "ran the pinned commit",
      );
      assert.deepEqual(report.diff?.rankings[0]?.diff.documents[0]?.added, ["v1"]);
      assert.deepEqual(report.diff?.rankings[0]?.diff.documents[0]?.removed, ["v0"]);
      assert.equal(t.starts.length, 1);
      assert.equal(t.starts[0]?.pinnedSha, v1);
      const comments = t.reportComments();
      assert.equal(comments.length, 1, "exactly one report comment");
      assert.match(comments[0]?.body ?? "", /succeeded/);
      assert.match(comments[0]?.body ?? "", new RegExp(v1.slice(0, 7)));
      assert.deepEqual(t.forge.labels(PR), [], "the label is consumed");
      t.cleanedUp();
    } finally {
      repo.moveBranch("main", v1);
    }
  });

  it("check 12: the head moves after approval -> refused with a reply, label removed, no run", async () => {
    const t = setup();
    assert.equal((await t.comment("/experiment run mode=ok"))._tag, "Approved");
    t.forge.push(PR, v2);
    const out = await t.label();
    assert.ok(E.isRight(out) && out.right._tag === "Refused", JSON.stringify(out));
    assert.equal(t.starts.length, 0, "nothing started");
    assert.equal(t.gitCalls.length, 0, "nothing checked out");
    assert.deepEqual(t.reportComments(), [], "no report");
    const last = t.forge
      .comments(PR)
      .filter((c) => c.author.id === BOT.id)
      .pop();
    assert.match(last?.body ?? "", new RegExp(`New commits since approval.*${v1.slice(0, 7)}.*${v2.slice(0, 7)}`));
    assert.deepEqual(t.forge.labels(PR), []);
    t.cleanedUp();
  });

  it("check 62: a failing experiment -> exactly one failure report with the log tail", async () => {
    const t = setup();
    assert.equal((await t.comment("/experiment run mode=fail"))._tag, "Approved");
    const out = await t.label();
    assert.ok(E.isRight(out) && out.right._tag === "Reported", JSON.stringify(out));
    assert.equal(out.right.report.status.state, "failed");
    assert.match(out.right.report.status.detail, /exited with code 3/);
    assert.ok(out.right.report.logTail.includes("boom: something broke"));
    const comments = t.reportComments();
    assert.equal(comments.length, 1);
    assert.match(comments[0]?.body ?? "", /boom: something broke/);
    assert.match(comments[0]?.body ?? "", /failed/);
    t.cleanedUp();
  });

  it("a second command supersedes a running one: the first is cancelled and says so, the second reports", async () => {
    const t = setup();
    assert.equal((await t.comment("/experiment run mode=hang"))._tag, "Approved");
    const first = t.label();
    let handle: RunHandle | undefined;
    for (let i = 0; i < 3000 && handle === undefined; i += 1) {
      const active = await t.ledger.active(KEY)();
      if (E.isRight(active) && O.isSome(active.right)) handle = active.right.value;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(handle !== undefined, "the first run became active");
    const tag = (await waitLogLine(t.runner, handle, /^GRANDCHILD [0-9.]+$/)).split(" ")[1] ?? "";
    assert.equal((await waitSleeper(tag)).length, 1, "the first run's grandchild runs");

    assert.equal((await t.comment("/experiment run mode=ok"))._tag, "Approved");
    const [firstOut, secondOut] = await Promise.all([first, t.label()]);
    assert.ok(E.isRight(firstOut) && firstOut.right._tag === "Reported", JSON.stringify(firstOut));
    assert.ok(E.isRight(secondOut) && secondOut.right._tag === "Reported", JSON.stringify(secondOut));
    assert.equal(firstOut.right.report.status.state, "cancelled");
    assert.match(firstOut.right.report.supersededBy ?? "", /run local-/);
    assert.equal(secondOut.right.report.status.state, "succeeded");
    assert.deepEqual(sleepersTagged(tag), [], "the superseded run's process group is gone");
    assert.equal(t.starts.length, 2);
    const comments = t.reportComments();
    assert.equal(comments.length, 1, "one living comment per PR x experiment");
    assert.match(comments[0]?.body ?? "", /succeeded/);
    t.cleanedUp();
  });
});
