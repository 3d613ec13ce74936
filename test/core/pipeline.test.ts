import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createPipeline, type CommentEvent, type LabelEvent } from "../../src/core/pipeline.js";
import {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "../../src/adapters/memory/index.js";
import { runRejected } from "../../src/core/errors.js";
import { toRunKey, type RunStatus } from "../../src/core/model.js";
import {
  BOT,
  MAINTAINER,
  PR,
  READER,
  SHA_A,
  SHA_B,
  createFakeClock,
  createFakeForge,
  createRecordingReporter,
  createScriptedRunner,
  fakeExperiment,
  result,
} from "../support/core-fakes.js";
import { expectRight } from "../support/pipeline-harness.js";

const running: RunStatus = { state: "running", detail: "working" };
const succeeded: RunStatus = { state: "succeeded", detail: "done" };

const setup = (
  o: {
    statuses?: ReadonlyArray<RunStatus>;
    forge?: Parameters<typeof createFakeForge>[0];
    runner?: Partial<Parameters<typeof createScriptedRunner>[0]>;
    baseline?: ReadonlyArray<string>;
    deadlineMs?: number;
    commentsOnly?: boolean;
  } = {},
) => {
  const forge = createFakeForge({ roles: { mai: "maintain", reed: "read" }, ...o.forge });
  const runner = createScriptedRunner({
    statuses: o.statuses ?? [running, succeeded],
    output: result(["python", "asyncio"]),
    ...o.runner,
  });
  const { reporter, published, finals } = createRecordingReporter();
  const { clock } = createFakeClock();
  const baseline = createMemoryBaselineStore(
    o.baseline === undefined ? {} : { "tfidf-keywords": { result: result(o.baseline) } },
  );
  const approvals = createMemoryApprovalStore();
  const ledger = createMemoryRunLedger();
  const pipeline = createPipeline(
    {
      forge: forge.forge,
      runner: runner.runner,
      experiments: [fakeExperiment],
      baseline,
      approvals,
      ledger,
      reporter,
      clock,
    },
    {
      ...(o.commentsOnly === true ? { commentsOnly: true as const } : { botActorId: BOT.id }),
      pollIntervalMs: 1000,
      deadlineMs: o.deadlineMs ?? 60_000,
    },
  );
  return { forge, runner, published, finals, pipeline, baseline, approvals, ledger };
};

let commentId = 1;
const comment = (body: string, author = MAINTAINER): CommentEvent => ({
  pr: PR,
  comment: { id: commentId++, body, author, createdAt: "2026-01-01T00:00:00Z" },
});
const botLabel: LabelEvent = { pr: PR, label: "ml-chatops:run", sender: BOT };

const run = expectRight;

describe("pipeline: comment", () => {
  it("check 10: a maintainer's run is approved for the full head SHA, labelled, and acknowledged by the 👀 alone (no reply)", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("please\r\n/experiment run max_df=0.4  \r\n")));
    assert.equal(out._tag, "Approved");
    if (out._tag !== "Approved") return;
    assert.equal(out.approval.pinnedSha, SHA_A);
    assert.deepEqual(out.approval.params, { max_df: "0.4" });
    assert.equal(out.approval.approver.id, MAINTAINER.id);
    assert.deepEqual(s.forge.ops(), ["react", "getPermission", "getPullRequest", "headPushedAt", "addLabel"]);
    assert.deepEqual(s.forge.replies(), []);
    assert.deepEqual(s.forge.reactions(), ["eyes"]);
  });

  it("checks 19 and 2: the approval is stored before the label is added; nothing runs at comment time", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    assert.equal(s.runner.started.length, 0);
    const label = s.forge.calls.findIndex((c) => c.op === "addLabel");
    assert.ok(label > 0);
    const pending = await run(s.approvals.take(PR));
    assert.equal(pending._tag, "Some");
  });

  it("check 20: a reader is denied with a reason, gets no label and a confused reaction", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("/experiment run", READER)));
    assert.equal(out._tag, "Refused");
    assert.ok(!s.forge.ops().includes("addLabel"));
    assert.match(s.forge.replies()[0] ?? "", /needs the `write` role/);
    assert.deepEqual(s.forge.reactions(), ["eyes", "confused"]);
  });

  it("check 21: a permission API error denies", async () => {
    const s = setup({ forge: { permissionError: true } });
    const out = await run(s.pipeline.onComment(comment("/experiment run")));
    assert.equal(out._tag, "Refused");
    assert.ok(!s.forge.ops().includes("addLabel"));
  });

  it("a comment without a command is ignored without any API call", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("LGTM, thanks!")));
    assert.equal(out._tag, "Ignored");
    assert.deepEqual(s.forge.ops(), []);
  });

  it("the bot's own comments are ignored", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("/experiment run", BOT)));
    assert.equal(out._tag, "Ignored");
  });

  it("check 68: a bad argument gets the help reply and starts nothing", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("/experiment run max_df=7")));
    assert.equal(out._tag, "Refused");
    assert.match(s.forge.replies()[0] ?? "", /max_df must be in/);
    assert.ok(!s.forge.ops().includes("addLabel"));
  });

  it("an unknown sub-command gets the help reply", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("/experiment launch")));
    assert.equal(out._tag, "Refused");
    assert.match(s.forge.replies()[0] ?? "", /\/experiment run/);
  });

  it("two commands in one comment start nothing and say why", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("/experiment run\n/experiment cancel")));
    assert.equal(out._tag, "Refused");
    assert.match(s.forge.replies()[0] ?? "", /lines 1, 2/);
  });

  it("check 14: sha= must equal the head exactly (no prefix, no upper case)", async () => {
    for (const sha of ["aaaaaaa", "A".repeat(40), `f${"a".repeat(39)}`]) {
      const s = setup();
      const out = await run(s.pipeline.onComment(comment(`/experiment run sha=${sha}`)));
      assert.equal(out._tag, "Refused", sha);
    }
    const ok = setup();
    const out = await run(ok.pipeline.onComment(comment(`/experiment run sha=${SHA_A}`)));
    assert.equal(out._tag, "Approved");
  });

  it("check 17: a closed pull request is refused at comment time", async () => {
    const s = setup({ forge: { pr: { state: "closed", merged: true } } });
    const out = await run(s.pipeline.onComment(comment("/experiment run")));
    assert.equal(out._tag, "Refused");
    assert.match(s.forge.replies()[0] ?? "", /merged/);
  });

  it("check 18: a fork whose head repository was deleted is refused cleanly", async () => {
    const s = setup({ forge: { pr: { headRepoAvailable: false } } });
    const out = await run(s.pipeline.onComment(comment("/experiment run")));
    assert.equal(out._tag, "Refused");
  });

  it("help replies with the grammar", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("/experiment help", READER)));
    assert.deepEqual(out, { _tag: "Handled", command: "help" });
    assert.match(s.forge.replies()[0] ?? "", /max_df/);
  });

  it("check 67: an invalid config fails fast at construction", () => {
    assert.throws(
      () => createPipeline({} as never, { label: "x".repeat(51), botActorId: 1 }),
      /invalid pipeline config: .*label/,
    );
  });
});

describe("pipeline: label and run", () => {
  it("runs at the pinned SHA, removes the label, reacts, and publishes one report with a diff", async () => {
    const s = setup({ baseline: ["python", "django"] });
    await run(s.pipeline.onComment(comment("/experiment run max_df=0.4")));
    const out = await run(s.pipeline.onLabel(botLabel));
    assert.equal(out._tag, "Reported");
    assert.equal(s.runner.started.length, 1);
    assert.equal(s.runner.started[0]?.pinnedSha, SHA_A);
    assert.deepEqual(s.runner.started[0]?.params, { max_df: "0.4" });
    assert.deepEqual(
      s.published.map((r) => [r.status.state, r.handle?.id]),
      [["succeeded", "run-1"]],
      "a run done within runningReportAfterMs (20 s) is reported once, at its end",
    );
    assert.equal(s.finals.length, 1);
    const report = s.finals[0];
    assert.equal(report?.status.state, "succeeded");
    assert.deepEqual(report?.diff?.rankings[0]?.diff.documents[0]?.added, ["asyncio"]);
    assert.deepEqual(report?.diff?.rankings[0]?.diff.documents[0]?.removed, ["django"]);
    assert.ok(s.forge.ops().includes("removeLabel"));
    assert.ok(s.forge.reactions().includes("rocket"));
  });

  it("a run still going after runningReportAfterMs gets one running report with its handle, then the final one", async () => {
    // One poll a second on the fake clock: still running at 0 … 24 s, succeeded at 25 s.
    const s = setup({ statuses: [...Array.from({ length: 25 }, () => running), succeeded] });
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    assert.deepEqual(
      s.published.map((r) => [r.status.state, r.handle?.id]),
      [
        ["running", "run-1"],
        ["succeeded", "run-1"],
      ],
      "the running report (other processes find the active run through it), once, then the final one",
    );
  });

  it("with no baseline the report says so", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    assert.match(s.finals[0]?.baselineNote ?? "", /no baseline yet/);
  });

  it("check 27: a label added by someone other than the bot starts nothing", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    const out = await run(s.pipeline.onLabel({ ...botLabel, sender: MAINTAINER }));
    assert.equal(out._tag, "Ignored");
    assert.equal(s.runner.started.length, 0);
  });

  it("check 27: a commentsOnly pipeline (no bot user id) approves a command but starts no run from any label", async () => {
    const s = setup({ commentsOnly: true });
    assert.equal((await run(s.pipeline.onComment(comment("/experiment run"))))._tag, "Approved");
    for (const sender of [BOT, MAINTAINER]) {
      const out = await run(s.pipeline.onLabel({ ...botLabel, sender }));
      assert.deepEqual(out, { _tag: "Ignored", reason: "this pipeline handles comments only (commentsOnly)" });
    }
    assert.equal(s.runner.started.length, 0);
  });

  it("check 72: a label with different case is not ours", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    const out = await run(s.pipeline.onLabel({ ...botLabel, label: "ML-ChatOps:run" }));
    assert.equal(out._tag, "Ignored");
  });

  it("check 19: a label event without an approval starts nothing", async () => {
    const s = setup();
    const out = await run(s.pipeline.onLabel(botLabel));
    assert.deepEqual(out, { _tag: "Ignored", reason: "no pending approval" });
  });

  it("check 16: an approval is used once; a redelivered label event starts nothing", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    const again = await run(s.pipeline.onLabel(botLabel));
    assert.equal(again._tag, "Ignored");
    assert.equal(s.runner.started.length, 1);
  });

  it("check 12: the head moved after approval: refused with a reply naming both SHAs, label removed, no run", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    s.forge.state.pr = { ...s.forge.state.pr, headSha: SHA_B };
    const out = await run(s.pipeline.onLabel(botLabel));
    assert.equal(out._tag, "Refused");
    assert.equal(s.runner.started.length, 0);
    assert.ok(s.forge.ops().includes("removeLabel"));
    assert.match(s.forge.replies().at(-1) ?? "", /aaaaaaa` → `bbbbbbb/);
  });

  it("check 15: a push revokes the approval; a later label starts nothing", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onPush({ pr: PR, headSha: SHA_B }));
    const out = await run(s.pipeline.onLabel(botLabel));
    assert.equal(out._tag, "Ignored");
  });

  it("a failing experiment ends in exactly one failure report carrying the log tail", async () => {
    const s = setup({
      statuses: [running, { state: "failed", detail: "exit code 3", phase: "BUILD" }],
      runner: { logs: ["loading corpus", "Traceback: boom"] },
    });
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    assert.equal(s.finals.length, 1);
    assert.equal(s.finals[0]?.status.state, "failed");
    assert.deepEqual(s.finals[0]?.logTail, ["loading corpus", "Traceback: boom"]);
  });

  it("a runner that cannot start still ends in one errored report", async () => {
    const s = setup({ runner: { startError: runRejected("quota") } });
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    assert.equal(s.finals.length, 1);
    assert.equal(s.finals[0]?.status.state, "errored");
    assert.match(s.finals[0]?.status.detail ?? "", /quota/);
  });

  it("a succeeded run without a usable result is reported as failed", async () => {
    const s = setup({ runner: { resultError: { _tag: "ResultInvalid", detail: "checksum mismatch" } } });
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    assert.equal(s.finals[0]?.status.state, "failed");
    assert.match(s.finals[0]?.status.detail ?? "", /checksum mismatch/);
  });

  it("a run past the deadline is cancelled and reported as errored", async () => {
    const s = setup({ statuses: [running], deadlineMs: 5000 });
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    assert.deepEqual(s.runner.cancelled, ["run-1"]);
    assert.equal(s.finals.length, 1);
    assert.match(s.finals[0]?.status.detail ?? "", /deadline exceeded/);
  });

  it("a second command supersedes the running one: the first is cancelled, knows why, and leaves the living report to the newer run", async () => {
    const s = setup({ statuses: [running, running, running, succeeded] });
    await run(s.pipeline.onComment(comment("/experiment run")));
    const first = s.pipeline.onLabel(botLabel)();
    await run(s.pipeline.onComment(comment("/experiment run max_df=0.3")));
    const second = await run(s.pipeline.onLabel(botLabel));
    const firstOut = await first;
    assert.ok(E.isRight(firstOut) && firstOut.right._tag === "Reported");
    assert.equal(firstOut.right.report.status.state, "cancelled");
    assert.match(firstOut.right.report.supersededBy ?? "", /run-2/);
    assert.deepEqual(s.runner.cancelled, ["run-1"]);
    assert.equal(second._tag, "Reported");
    // The first run's final report would overwrite the newer run's living comment: not published.
    assert.deepEqual(
      s.finals.map((r) => [r.handle?.id, r.status.state]),
      [["run-2", "succeeded"]],
    );
  });

  it("a run cancelled after a newer run already finished does not overwrite the newer run's report", async () => {
    const s = setup({ statuses: [running] });
    const key = toRunKey(PR, "tfidf-keywords");
    const handle = (id: string, startedAt: string) => ({
      runner: "fake",
      id,
      runKey: key,
      pinnedSha: SHA_A,
      startedAt,
    });
    const older = handle("run-1", "2026-01-01T00:00:00Z");
    await run(s.runner.runner.cancel(older));
    const ctx = { pr: PR, experimentId: "tfidf-keywords", params: {} };

    await run(
      s.ledger.saveLatest(key, { result: result(["a"]), sha: SHA_A, handle: handle("run-0", "2025-12-31T23:00:00Z") }),
    );
    assert.equal((await run(s.pipeline.follow(older, ctx))).status.state, "cancelled");
    assert.equal(s.finals.length, 1, "a result of an earlier run does not hold the report back");

    await run(
      s.ledger.saveLatest(key, { result: result(["b"]), sha: SHA_A, handle: handle("run-2", "2026-01-01T00:00:05Z") }),
    );
    assert.equal((await run(s.pipeline.follow(older, ctx))).status.state, "cancelled");
    assert.equal(
      s.finals.length,
      1,
      "run-2 started later and its result is kept: run-1's report is not published over it",
    );
  });

  it("a push cancels the active run and marks its report superseded", async () => {
    const s = setup({ statuses: [running, running, running, succeeded] });
    await run(s.pipeline.onComment(comment("/experiment run")));
    const first = s.pipeline.onLabel(botLabel)();
    await new Promise((r) => setImmediate(r));
    await run(s.pipeline.onPush({ pr: PR, headSha: SHA_B }));
    await first;
    assert.equal(s.finals[0]?.status.state, "cancelled");
    assert.match(s.finals[0]?.supersededBy ?? "", /new commits/);
  });

  it("detach publishes a running report with the handle and returns", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    const out = await run(s.pipeline.onLabel(botLabel, { detach: true }));
    assert.equal(out._tag, "Detached");
    assert.equal(s.published[0]?.status.state, "running");
    assert.equal(s.published[0]?.handle?.id, "run-1");
    if (out._tag !== "Detached") return;
    const final = await run(s.pipeline.follow(out.handle, { pr: PR, experimentId: "tfidf-keywords", params: {} }));
    assert.equal(final.status.state, "succeeded");
  });
});

describe("pipeline: promote and cancel", () => {
  it("promote makes the PR's latest result the baseline", async () => {
    const s = setup({ baseline: ["old"] });
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onLabel(botLabel));
    const out = await run(s.pipeline.onComment(comment("/experiment promote")));
    assert.deepEqual(out, { _tag: "Handled", command: "promote" });
    const stored = s.baseline.snapshot().get("tfidf-keywords");
    assert.deepEqual(stored?.result, result(["python", "asyncio"]));
    assert.equal(stored?.meta?.sha, SHA_A);
    assert.equal(stored?.meta?.promotedBy.id, MAINTAINER.id);
  });

  it("promote with no result says so and changes nothing", async () => {
    const s = setup({ baseline: ["old"] });
    await run(s.pipeline.onComment(comment("/experiment promote")));
    assert.match(s.forge.replies()[0] ?? "", /no finished result/);
    assert.deepEqual(s.baseline.snapshot().get("tfidf-keywords")?.result, result(["old"]));
  });

  it("a reader cannot promote", async () => {
    const s = setup();
    const out = await run(s.pipeline.onComment(comment("/experiment promote", READER)));
    assert.equal(out._tag, "Refused");
  });

  it("cancel revokes a pending approval", async () => {
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    await run(s.pipeline.onComment(comment("/experiment cancel")));
    const out = await run(s.pipeline.onLabel(botLabel));
    assert.equal(out._tag, "Ignored");
  });
});
