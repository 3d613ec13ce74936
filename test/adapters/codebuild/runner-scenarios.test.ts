import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { throttling } from "../../support/aws-emulator/index.js";
import type { Harness } from "./support.js";
import { harness, logWithResult, request, RESULT, SHA } from "./support.js";

describe("CodeBuild runner against the emulator, followed by the core's follower", () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());
  beforeEach(() => h.aws.clearInjected());

  it("success: keywords come back from the result markers, with timings and a console link", async () => {
    h.aws.scriptNextBuild({ logLines: logWithResult(), pollsPerPhase: 2 });
    const report = await h.run();
    assert.equal(report.status.state, "succeeded");
    assert.deepEqual(report.result, RESULT);
    assert.ok(report.logTail.includes("[Container] 2026/11/27 12:00:09 Phase complete: BUILD State: SUCCEEDED"));
    assert.ok(!report.logTail.some((l) => l.startsWith("ML_CHATOPS_RESULT")), "markers are not shown as log lines");
    assert.match(
      report.links[0]?.url ?? "",
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/codesuite\/codebuild\/123456789012\/projects\/ml-chatops\/build\//,
    );
    const polls = h.calls.filter((c) => c.command === "BatchGetBuildsCommand").map((c) => c.atMs);
    assert.ok(
      polls.slice(1).every((t, i) => t - (polls[i] ?? 0) <= 32_000),
      "polls at most ~30 s apart (cap + the follower's 2 s tick)",
    );
  });

  it("check 55: FAILED -> experiment failed, failing phase named, log tail in the report", async () => {
    h.aws.scriptNextBuild({
      final: "FAILED",
      logLines: [
        "[Container] Running command npm run experiment",
        "Error: corpus.jsonl line 3: bad JSON",
        "[Container] Phase complete: BUILD State: FAILED",
      ],
    });
    const report = await h.run();
    assert.equal(report.status.state, "failed");
    assert.equal(report.status.phase, "BUILD");
    assert.match(report.status.detail, /experiment failed in phase BUILD/);
    assert.ok(report.logTail.includes("Error: corpus.jsonl line 3: bad JSON"));
    assert.equal(report.result, undefined);
  });

  it("check 55: FAULT -> infrastructure error, worded differently from a failed experiment", async () => {
    h.aws.scriptNextBuild({ final: "FAULT" });
    const report = await h.run();
    assert.equal(report.status.state, "errored");
    assert.equal(report.status.phase, "PROVISIONING");
    assert.match(report.status.detail, /infrastructure fault in phase PROVISIONING.*not an experiment failure/);
  });

  it("check 55: TIMED_OUT in BUILD -> timeout; check 52: TIMED_OUT while QUEUED -> never started", async () => {
    h.aws.scriptNextBuild({ final: "TIMED_OUT" });
    const built = await h.run();
    assert.equal(built.status.state, "errored");
    assert.match(built.status.detail, /^timed out in phase BUILD/);
    h.aws.scriptNextBuild({ final: "TIMED_OUT", failingPhase: "QUEUED" });
    const queued = await h.run(request({ approvalId: "approval-queued" }));
    assert.match(queued.status.detail, /never started/);
  });

  it("check 55: STOPPED -> cancelled", async () => {
    h.aws.scriptNextBuild({ final: "STOPPED", failingPhase: "PRE_BUILD" });
    const report = await h.run(request({ approvalId: "approval-stopped" }));
    assert.equal(report.status.state, "cancelled");
    assert.equal(report.status.phase, "PRE_BUILD");
  });

  it("check 51: StartBuild throttled -> SDK retries, then our retry reuses the idempotency token; one build", async () => {
    const buildsBefore = h.aws.builds.size;
    const startsBefore = h.aws.requestsOf("StartBuild").length;
    // 3 SDK attempts are all throttled, then our second attempt (3 more SDK attempts) gets through.
    h.aws.inject("StartBuild", throttling, 4);
    h.aws.scriptNextBuild({ logLines: logWithResult() });
    const report = await h.run(request({ approvalId: "approval-throttled" }));
    assert.equal(report.status.state, "succeeded");
    const starts = h.aws.requestsOf("StartBuild").slice(startsBefore);
    assert.equal(starts.length, 5);
    assert.equal(new Set(starts.map((s) => s["idempotencyToken"])).size, 1, "same token on every attempt");
    assert.equal(h.aws.builds.size - buildsBefore, 1, "exactly one build exists");
  });

  it("check 51: a second start with the same approval within 5 min returns the same build", async () => {
    const req = request({ approvalId: "approval-dup" });
    h.aws.scriptNextBuild({});
    const a = await h.runner.start(req)();
    const b = await h.runner.start(req)();
    assert.ok(a._tag === "Right" && b._tag === "Right");
    assert.equal(a.right.id, b.right.id);
  });

  it("check 52: AccountLimitExceededException -> 'runner at capacity', not retried", async () => {
    const before = h.aws.requestsOf("StartBuild").length;
    h.aws.inject("StartBuild", {
      status: 400,
      type: "AccountLimitExceededException",
      message: "Cannot have more than 1 active builds for the account",
    });
    const r = await h.runner.start(request({ approvalId: "approval-capacity" }))();
    assert.ok(r._tag === "Left");
    assert.deepEqual(r.left, {
      _tag: "RunRejected",
      reason: "runner at capacity: Cannot have more than 1 active builds for the account",
    });
    assert.equal(h.aws.requestsOf("StartBuild").length - before, 1);
  });

  it("check 53: BatchGetBuilds throttled five times in a row -> the interval backs off, polling carries on, final status posted", async () => {
    h.aws.scriptNextBuild({ logLines: logWithResult(), pollsPerPhase: 2 });
    const started = await h.runner.start(request())();
    assert.ok(started._tag === "Right");
    const handle = started.right;
    await h.pollUntil(handle, (s) => s.state === "running");
    // Each BatchGetBuilds command makes 3 SDK attempts, so 15 throttles = five throttled polls in a row.
    h.aws.inject("BatchGetBuilds", throttling, 15);
    const from = h.calls.length;
    const s = await h.pollUntil(handle, (x) => x.state === "succeeded");
    assert.ok(s._tag === "Right" && s.right.state === "succeeded", "the run still reaches its final status");
    const times = h.calls
      .slice(from)
      .filter((c) => c.command === "BatchGetBuildsCommand")
      .map((c) => c.atMs);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    // Throttled gaps: 30 s + 15 s per throttle in a row, capped at 60 s, minus jitter (0.2 × 0.5).
    const expected = [40_500, 54_000, 54_000, 54_000, 54_000];
    expected.forEach((d, i) => {
      const g = gaps[i] ?? 0;
      assert.ok(g >= d && g < d + 2_000, `gap ${i + 1}: ${g} ms, expected ${d} ms (+ the 2 s tick)`);
    });
    assert.ok(h.log.entries.filter((e) => e.message === "BatchGetBuilds throttled; backing off").length === 5);
  });

  it("check 53: throttling while followed by the core's follower still ends in one final report", async () => {
    h.aws.scriptNextBuild({ logLines: logWithResult(), pollsPerPhase: 2 });
    h.aws.inject("BatchGetBuilds", throttling, 12);
    const published = h.published.length;
    const report = await h.run(request());
    assert.equal(report.status.state, "succeeded");
    assert.equal(h.published.length, published + 1);
  });

  it("check 54: buildsNotFound right after StartBuild is polled again, then followed normally", async () => {
    h.aws.scriptNextBuild({ notFoundPolls: 3, logLines: logWithResult() });
    const report = await h.run(request({ approvalId: "approval-eventual" }));
    assert.equal(report.status.state, "succeeded");
  });

  it("check 54: a build that never shows up ends as an error, not a hang", async () => {
    h.aws.scriptNextBuild({ notFoundPolls: 1000 });
    const report = await h.run(request({ approvalId: "approval-ghost" }));
    assert.equal(report.status.state, "errored");
    assert.match(report.status.detail, /lost track of the run: run .* not found/);
  });

  it("check 58: logs not created yet -> retried; the run still reports, with all lines", async () => {
    h.aws.scriptNextBuild({ logsMissingCalls: 4, logLines: logWithResult() });
    const report = await h.run(request({ approvalId: "approval-late-logs" }));
    assert.equal(report.status.state, "succeeded");
    assert.deepEqual(report.result, RESULT);
  });

  it("check 58: logs disabled -> status still reported, 'logs unavailable' with the console link", async () => {
    h.aws.scriptNextBuild({ logsDisabled: true, final: "FAILED" });
    const report = await h.run(request({ approvalId: "approval-no-logs" }));
    assert.equal(report.status.state, "failed");
    assert.ok(
      h.log.entries.some(
        (e) =>
          e.message === "CodeBuild logs unavailable for this build" &&
          String(e.fields?.["link"]).includes("group=null"),
      ),
    );
  });

  it("corrupt result marker -> a clear failed run, not a crash", async () => {
    const lines = logWithResult().map((l) =>
      l.startsWith("ML_CHATOPS_RESULT v1 2/") ? l.replace(/.$/, (c) => (c === "A" ? "B" : "A")) : l,
    );
    h.aws.scriptNextBuild({ logLines: lines });
    const report = await h.run(request({ approvalId: "approval-corrupt" }));
    assert.equal(report.status.state, "failed");
    assert.match(report.status.detail, /no usable result: invalid result: ML_CHATOPS_RESULT checksum mismatch/);
  });

  it("missing result marker and a result of the wrong shape -> failed with the reason", async () => {
    h.aws.scriptNextBuild({ logLines: ["done, but printed nothing"] });
    const missing = await h.run(request({ approvalId: "approval-missing" }));
    assert.match(missing.status.detail, /no ML_CHATOPS_RESULT lines in the build log/);
    h.aws.scriptNextBuild({ logLines: logWithResult({ metrics: { accuracy: "high" } }) });
    const wrong = await h.run(request({ approvalId: "approval-wrong-shape" }));
    assert.match(wrong.status.detail, /metrics\.accuracy: expected a finite number, got "high"$/);
  });

  it("check 61: cancel -> StopBuild; the run ends cancelled", async () => {
    h.aws.scriptNextBuild({ pollsPerPhase: 5 });
    const started = await h.runner.start(request({ approvalId: "approval-cancel" }))();
    assert.ok(started._tag === "Right");
    await h.poll(started.right);
    const stopped = await h.runner.cancel(started.right)();
    assert.ok(stopped._tag === "Right");
    assert.deepEqual(h.aws.requestsOf("StopBuild").at(-1), { id: started.right.id });
    const s = await h.pollUntil(started.right, (x) => x.state === "cancelled", 50);
    assert.ok(s._tag === "Right");
    assert.equal(s.right.state, "cancelled");
  });

  it("check 13: CodeBuild resolved another commit -> errored 'commit mismatch' and the build is stopped", async () => {
    const stopsBefore = h.aws.requestsOf("StopBuild").length;
    h.aws.scriptNextBuild({ resolvedSourceVersion: "f".repeat(40), pollsPerPhase: 1, logLines: logWithResult() });
    const report = await h.run(request({ approvalId: "approval-mismatch" }));
    assert.equal(report.status.state, "errored");
    assert.match(report.status.detail, /commit mismatch: CodeBuild checked out ffffffffffff, approved 0123456789ab/);
    assert.equal(h.aws.requestsOf("StopBuild").length - stopsBefore, 1);
    assert.equal(report.pinnedSha, SHA);
  });
});
