import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { throttling } from "../../support/aws-emulator/index.js";
import type { Harness } from "./support.js";
import { harness, logWithResult, request } from "./support.js";

const numbered = (n: number): ReadonlyArray<string> =>
  Array.from({ length: n }, (_, i) => `line ${String(i + 1).padStart(3, "0")}`);

describe("check 57: CloudWatch log tailing", () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());
  beforeEach(() => h.aws.clearInjected());

  it("small pages, empty pages mid-stream, lines arriving after the build ended: none lost, none duplicated", async () => {
    const lines = numbered(37);
    h.aws.scriptNextBuild({ logLines: lines, pageSize: 3, emptyPageEvery: 4, lateLines: 5, final: "FAILED" });
    const from = h.log.entries.length;
    const report = await h.run(request());
    const streamed = h.log.entries
      .slice(from)
      .filter((e) => e.level === "info" && e.fields?.["run"] !== undefined)
      .map((e) => e.message);
    assert.deepEqual(streamed, lines);
    assert.deepEqual(report.logTail, lines.slice(-20));
  });

  it("always reads from the head (startFromHead: true) and follows nextForwardToken", async () => {
    h.aws.scriptNextBuild({ logLines: numbered(10), pageSize: 2 });
    const first = h.aws.requestsOf("GetLogEvents").length;
    await h.run(request());
    const reqs = h.aws.requestsOf("GetLogEvents").slice(first);
    assert.ok(reqs.length > 5);
    assert.ok(reqs.every((r) => r["startFromHead"] === true));
    assert.equal(reqs[0]?.["nextToken"], undefined);
    assert.ok(reqs.slice(1).some((r) => typeof r["nextToken"] === "string"));
  });

  it("a repeated token mid-build does not end tailing; a finished build with a repeated token does", async () => {
    h.aws.scriptNextBuild({ logLines: ["a", "b"], pollsPerPhase: 3 });
    const started = await h.runner.start(request())();
    assert.ok(started._tag === "Right");
    const handle = started.right;
    await h.poll(handle);
    let page = await h.runner.logs(handle, undefined)();
    assert.ok(page._tag === "Right");
    const cursors: string[] = [];
    for (let i = 0; i < 4; i++) {
      await h.poll(handle, 6_000);
      page = await h.runner.logs(handle, page.right.next)();
      assert.ok(page._tag === "Right");
      assert.notEqual(page.right.next, undefined, "still running: not the end");
      cursors.push(page.right.next ?? "");
    }
    await h.pollUntil(handle, (s) => s.state === "succeeded");
    const last = await h.runner.logs(handle, page.right.next)();
    assert.ok(last._tag === "Right");
    assert.equal(last.right.next, undefined);
  });

  it("throttled GetLogEvents resumes from the same token", async () => {
    h.aws.scriptNextBuild({ logLines: numbered(6), pageSize: 2, pollsPerPhase: 1 });
    const started = await h.runner.start(request())();
    assert.ok(started._tag === "Right");
    const build = h.aws.builds.get(started.right.id)!;
    while (build.polls < 6) await h.poll(started.right);
    const p1 = await h.runner.logs(started.right, undefined)();
    assert.ok(p1._tag === "Right");
    h.aws.inject("GetLogEvents", throttling, 3);
    await h.clock.clock.sleep(6_000)();
    const p2 = await h.runner.logs(started.right, p1.right.next)();
    assert.ok(p2._tag === "Right");
    assert.deepEqual(p2.right.lines, []);
    assert.equal(h.aws.exchanges.filter((e) => e.operation === "GetLogEvents" && e.status === 400).length >= 3, true);
    assert.equal(p2.right.next, p1.right.next, "same cursor after throttling");
    await h.clock.clock.sleep(6_000)();
    const p3 = await h.runner.logs(started.right, p2.right.next)();
    assert.ok(p3._tag === "Right");
    const got = [...p1.right.lines, ...p3.right.lines];
    assert.ok(p3.right.lines.length > 0);
    assert.deepEqual(got, numbered(6).slice(0, got.length), "no line lost or repeated across the throttled call");
  });
});

describe("check 56: overall deadline", () => {
  it("past queue timeout + build timeout + margin, a still-running build is reported as 'still running, see <link>'", async () => {
    const h = await harness({ timeoutInMinutes: 5, queuedTimeoutInMinutes: 5, deadlineMarginMs: 0 });
    try {
      assert.equal(h.runner.deadlineMs, 10 * 60_000);
      h.aws.scriptNextBuild({ pollsPerPhase: 10_000, logLines: logWithResult() });
      const started = await h.runner.start(request())();
      assert.ok(started._tag === "Right");
      const s = await h.pollUntil(started.right, (x) => x.state !== "running" && x.state !== "queued");
      assert.ok(s._tag === "Right");
      assert.equal(s.right.state, "errored");
      assert.match(
        s.right.detail,
        /deadline passed: the build is still running after 10 min; see https:\/\/us-east-1\.console/,
      );
      assert.ok(h.clock.elapsed() >= 10 * 60_000);
      assert.ok(
        h.aws.requestsOf("BatchGetBuilds").length <= 30,
        "polls stay spaced out (up to 30 s apart after the ramp)",
      );
    } finally {
      await h.close();
    }
  });
});
