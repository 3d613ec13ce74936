// Check 85 against the fake GitHub: two jobs, each with its own Octokit client, forge, approval
// store and forge-backed ledger, sharing nothing but GitHub. Job 1 approves at A and follows the
// run attached; job 2 handles the push to B and cannot reach that run. When the old run then
// succeeds, the PR still says superseded and no result is kept for `promote`.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { createGitHubApprovalStore } from "../../../src/adapters/github/approval-store.js";
import { createGitHubForge } from "../../../src/adapters/github/forge.js";
import { createRepoPipelineFactory } from "../../../src/adapters/github/repo-pipeline.js";
import { runNotFound } from "../../../src/core/errors.js";
import { createForgeRunLedger } from "../../../src/core/ledger/forge-ledger.js";
import { createMemoryBaselineStore } from "../../../src/adapters/memory/index.js";
import type { RunHandle, Sha } from "../../../src/core/model.js";
import type { Runner } from "../../../src/core/ports.js";
import { fakeExperiment, result } from "../../support/core-fakes.js";
import { BOT, SECRET } from "./harness.js";
import { createWorld, memoryLogger, right, type World } from "./setup.js";

/** A run that goes on until `succeed()`, then succeeds with a result the test must never see kept. */
const fakeRun = (id: string) => {
  let started = false;
  let succeeded = false;
  const runner: Runner = {
    kind: "fake",
    start: (req) =>
      TE.fromIO((): RunHandle => {
        started = true;
        return {
          runner: "fake",
          id,
          runKey: req.runKey,
          pinnedSha: req.pinnedSha,
          startedAt: new Date().toISOString(),
        };
      }),
    status: () =>
      TE.right(succeeded ? { state: "succeeded", detail: "done" } : { state: "running", detail: "training" }),
    logs: () => TE.right({ lines: [], next: undefined }),
    result: () =>
      TE.right({
        output: result(["stale", "words"]),
        logTail: [],
        timings: { startedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:05Z", durationMs: 5000 },
      }),
    cancel: () => TE.right(undefined),
  };
  return { runner, started: () => started, succeed: () => void (succeeded = true) };
};

describe("check 85: a push handled by another job, over the fake GitHub", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  /** One job: its own client and stores over the shared fake GitHub. */
  const job = (runner: Runner, runningReportAfterMs?: number) => {
    const octokit = w.appClient();
    const logger = memoryLogger();
    const forge = createGitHubForge({ octokit, logger }, { identity: { login: BOT.login, id: BOT.id } });
    const pipelineFor = createRepoPipelineFactory({
      octokit,
      forge,
      approvals: createGitHubApprovalStore({ forge }, { secret: SECRET }),
      runnerFor: () => runner,
      experiments: [fakeExperiment],
      ledger: createForgeRunLedger(forge),
      baselineFor: () => createMemoryBaselineStore(),
      logger,
      runningReportAfterMs,
      // Real time, short real waits: the run outlives the test's GitHub calls without a deadline.
      clock: { now: () => new Date(), sleep: () => () => new Promise<void>((r) => setTimeout(r, 5)) },
    });
    return { logger, pipeline: async () => right(await pipelineFor({ owner: "octo", repo: "kw" })()).pipeline };
  };

  it("the report ends superseded, nothing is published over it and promote finds no result", async () => {
    const pr = w.gh.addPull(w.repo, { number: 85, user: w.users.bob });
    const shaA = pr.pull!.headSha as Sha;
    const run = fakeRun("local-85");
    const local = run.runner;
    const unreachable: Runner = { ...local, cancel: (h) => TE.left(runNotFound(h.id)) };
    const one = job(local, 0);
    const two = job(unreachable, 0);
    const report = () =>
      w.gh.commentsOn(w.repo, 85).find((c) => c.user.id === BOT.id && c.body.startsWith("<!-- ml-chatops:report"));

    const c = w.gh.addComment(w.repo, 85, w.users.writer, "/experiment run");
    const p1 = await one.pipeline();
    const approved = await p1.onComment({
      pr: { owner: "octo", repo: "kw", number: 85 },
      comment: { id: c.id, body: c.body, author: w.users.writer, createdAt: c.createdAt },
    })();
    assert.ok(E.isRight(approved) && approved.right._tag === "Approved", JSON.stringify(approved));
    const following = p1.onLabel({
      pr: { owner: "octo", repo: "kw", number: 85 },
      label: "ml-chatops:run",
      sender: BOT,
    })();
    while (!(report()?.body ?? "").includes("running")) await new Promise((r) => setTimeout(r, 5));

    const shaB = w.gh.push(w.repo, 85) as Sha;
    right(await (await two.pipeline()).onPush({ pr: { owner: "octo", repo: "kw", number: 85 }, headSha: shaB })());
    assert.ok(
      two.logger.lines.some((l) => l.message === "superseded run not reachable from here; not cancelled"),
      JSON.stringify(two.logger.lines),
    );
    const marked = report()!.body;
    assert.match(marked, new RegExp(`superseded by new commits \\(head ${shaB.slice(0, 7)}\\)`));

    run.succeed();
    const out = await following;
    assert.ok(E.isRight(out) && out.right._tag === "Reported", JSON.stringify(out));
    assert.equal(out.right.report.status.state, "cancelled");
    const final = report()!;
    assert.match(final.body, /superseded by new commits/);
    const visible = final.body.replace(/<!-- ml-chatops:state \S+ -->/, "");
    assert.doesNotMatch(visible, /\bstale\b|succeeded/, "the old head's result never shows");
    assert.ok(final.body.includes(shaA.slice(0, 7)));
    // No result line in the living comment, so `promote` (in any job) has nothing to pick.
    assert.doesNotMatch(final.body, /^<!-- ml-chatops:result /m);
    const later = w.gh.addComment(w.repo, 85, w.users.writer, "/experiment promote");
    right(
      await (
        await two.pipeline()
      ).onComment({
        pr: { owner: "octo", repo: "kw", number: 85 },
        comment: { id: later.id, body: later.body, author: w.users.writer, createdAt: later.createdAt },
      })(),
    );
    assert.match(
      w.gh.commentsOn(w.repo, 85).at(-1)!.body,
      /There is no finished result on this pull request to promote yet/,
    );
  });

  it("a run that has not reported yet (short runs report once, at their end) is superseded through its approval's mark", async () => {
    const pr = w.gh.addPull(w.repo, { number: 86, user: w.users.bob });
    const shaA = pr.pull!.headSha as Sha;
    const run = fakeRun("local-86");
    const local = run.runner;
    const one = job(local);
    const two = job({ ...local, cancel: (h) => TE.left(runNotFound(h.id)) });
    const ours = () => w.gh.commentsOn(w.repo, 86).filter((c) => c.user.id === BOT.id);
    const c = w.gh.addComment(w.repo, 86, w.users.writer, "/experiment run");
    const ref = { owner: "octo", repo: "kw", number: 86 };
    right(
      await (
        await one.pipeline()
      ).onComment({ pr: ref, comment: { id: c.id, body: c.body, author: w.users.writer, createdAt: c.createdAt } })(),
    );
    const following = (await one.pipeline()).onLabel({ pr: ref, label: "ml-chatops:run", sender: BOT })();
    while (!run.started()) await new Promise((r) => setTimeout(r, 5));
    // Started, and not reported yet: the living comment still says what was approved.
    assert.match(ours()[0]!.body, /^Approved `tfidf-keywords`/m);
    assert.doesNotMatch(ours()[0]!.body, /running/);

    const shaB = w.gh.push(w.repo, 86) as Sha;
    right(await (await two.pipeline()).onPush({ pr: ref, headSha: shaB })());
    assert.match(ours()[0]!.body, /^<!-- ml-chatops:stale \S+ -->$/m, "the push marks the approval's commit");

    run.succeed();
    const out = await following;
    assert.ok(E.isRight(out) && out.right._tag === "Reported", JSON.stringify(out));
    assert.equal(out.right.report.status.state, "cancelled");
    assert.equal(out.right.report.supersededBy, `new commits (head ${shaB.slice(0, 7)})`);
    const final = ours();
    assert.equal(final.length, 1, "one bot comment");
    assert.ok(final[0]!.body.includes(shaA.slice(0, 7)));
    assert.doesNotMatch(final[0]!.body, /^<!-- ml-chatops:result /m, "no result kept for promote");
    assert.ok(
      one.logger.lines.some((l) => l.message === "superseded run: its result is not kept for promote"),
      JSON.stringify(one.logger.lines),
    );
  });
});
