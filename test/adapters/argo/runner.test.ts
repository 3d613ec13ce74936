import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createArgoRunner } from "../../../src/adapters/argo/index.js";
import type { RunHandle, RunStatus } from "../../../src/core/model.js";
import { isTerminal } from "../../../src/core/model.js";
import type { Runner } from "../../../src/core/ports.js";
import { startArgoEmulator } from "../../support/argo-emulator/server.js";
import type { ArgoEmulator } from "../../support/argo-emulator/server.js";
import { RESULT, SHA, fakeClock, request } from "./fixtures.js";
import { expectLeft, expectRight } from "../../support/pipeline-harness.js";
import { assertError } from "../../support/assert-error.js";

let emu: ArgoEmulator;
const FORBIDDEN = "read-only-token";
before(async () => {
  emu = await startArgoEmulator({ token: "bot-token-abc", forbiddenToken: FORBIDDEN });
});
after(async () => {
  await emu.close();
});

const makeRunner = (over: Record<string, unknown> = {}) => {
  const clock = fakeClock();
  const logged: Array<string> = [];
  const logger = {
    debug: () => undefined,
    info: (m: string) => void logged.push(m),
    warn: () => undefined,
    error: () => undefined,
  };
  const runner = createArgoRunner(
    { fetch: globalThis.fetch, clock, logger },
    { baseUrl: emu.url, namespace: "ml", image: "ghcr.io/octo/kw:1", token: emu.token, ...over },
  );
  return { runner, clock, logged };
};

const right = expectRight;
const left = expectLeft;
const follow = async (runner: Runner, h: RunHandle): Promise<ReadonlyArray<RunStatus>> => {
  const seen: Array<RunStatus> = [];
  for (let i = 0; i < 10; i++) {
    const s = await right(runner.status(h));
    seen.push(s);
    if (isTerminal(s.state)) return seen;
  }
  return assert.fail("run never finished");
};

let approval = 0;
const fresh = () => request({ approvalId: `approval-${++approval}` });

describe("Argo runner against the argo-server emulator", () => {
  beforeEach(() => {
    emu.scenario = {
      phases: ["Pending", "Running", "Succeeded"],
      logs: ["loading corpus", "ranking", "done"],
      result: JSON.stringify(RESULT),
    };
  });
  after(() =>
    assert.deepEqual(emu.violations, [], "every request matched swagger.json and every Workflow schema.json"),
  );

  it("success: submits, follows, streams logs with a cursor, reads the result parameter", async () => {
    const { runner, logged } = makeRunner();
    const h = await right(runner.start(fresh()));
    assert.equal(h.runner, "argo");
    assert.equal(h.pinnedSha, SHA);
    assert.match(h.url ?? "", /\/workflows\/ml\/ml-chatops-[0-9a-f]{16}$/);
    const submitted = emu.workflows.get(h.id)?.submitted as { metadata: { labels: Record<string, string> } };
    assert.equal(submitted.metadata.labels["ml-chatops/run-key"], "octo.kw.7.tfidf-keywords");

    const first = await right(runner.status(h));
    assert.equal(first.state, "queued");
    const second = await right(runner.status(h));
    assert.equal(second.state, "running");
    const page1 = await right(runner.logs(h, undefined));
    assert.deepEqual(page1.lines, ["loading corpus", "ranking"]);
    const states = await follow(runner, h);
    assert.equal(states.at(-1)?.state, "succeeded");
    const page2 = await right(runner.logs(h, page1.next));
    assert.deepEqual(page2.lines, ["done"]);
    assert.deepEqual(
      logged.filter((l) => !l.startsWith("argo workflow")),
      ["loading corpus", "ranking", "done"],
    );

    const result = await right(runner.result(h));
    assert.deepEqual(result.output, RESULT);
    assert.deepEqual(result.logTail, ["loading corpus", "ranking", "done"]);
    assert.equal(result.timings.durationMs, 29_000);
    const logReq = emu.requests.find((r) => r.operationId === "WorkflowService_WorkflowLogs");
    assert.match(logReq?.path ?? "", /logOptions\.container=main/);
  });

  it("Failed: the failing node's message is reported as an experiment failure", async () => {
    emu.scenario = {
      phases: ["Running", "Failed"],
      nodeMessage: "Error (exit code 1): ValueError: max_df",
      message: "child failed",
    };
    const { runner } = makeRunner();
    const h = await right(runner.start(fresh()));
    const last = (await follow(runner, h)).at(-1);
    assert.equal(last?.state, "failed");
    assert.match(last?.detail ?? "", /ValueError: max_df/);
    assertError(
      await left(runner.result(h)),
      "ResultInvalid",
      /^detail=workflow ml-chatops-[0-9a-f]+ has not succeeded \(phase Failed\)$/,
    );
  });

  it("Error: reported as an infrastructure error", async () => {
    emu.scenario = { phases: ["Pending", "Error"], nodeMessage: "pod deleted", message: "pod deleted" };
    const { runner } = makeRunner();
    const last = (await follow(runner, await right(runner.start(fresh())))).at(-1);
    assert.equal(last?.state, "errored");
    assert.match(last?.detail ?? "", /pod deleted/);
  });

  it("deadline exceeded: errored, not an experiment failure", async () => {
    emu.scenario = {
      phases: ["Running", "Failed"],
      nodeMessage: "Step exceeded its deadline",
      message: "Step exceeded its deadline",
    };
    const { runner } = makeRunner();
    const last = (await follow(runner, await right(runner.start(fresh())))).at(-1);
    assert.equal(last?.state, "errored");
    assert.match(last?.detail ?? "", /deadline exceeded/);
  });

  it("check 13: a checkout that does not match the pinned SHA is an infrastructure error", async () => {
    emu.scenario = { phases: ["Running", "Failed"], nodeMessage: "Error (exit code 97)" };
    const { runner } = makeRunner();
    const last = (await follow(runner, await right(runner.start(fresh())))).at(-1);
    assert.equal(last?.state, "errored");
    assert.match(last?.detail ?? "", /pinned commit/);
  });

  it("401: a wrong token is not retried and says so", async () => {
    const { runner, clock } = makeRunner({ token: "wrong" });
    const before = emu.requests.length;
    const e = await left(runner.start(fresh()));
    assert.equal(e._tag, "RunnerUnavailable");
    assert.match(String(e["cause"]), /401.*token not valid.*bearer token/);
    assert.equal(emu.requests.length - before, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it("403: missing RBAC is not retried and says so", async () => {
    const { runner } = makeRunner({ token: FORBIDDEN });
    const e = await left(runner.start(fresh()));
    assert.equal(e._tag, "RunnerUnavailable");
    assert.match(String(e["cause"]), /403.*forbidden.*RBAC/);
  });

  it("404: an unknown workflow is retried a bounded number of times with growing backoff, then RunNotFound", async () => {
    const { runner, clock } = makeRunner();
    const h = { ...(await right(runner.start(fresh()))), id: "ml-chatops-doesnotexist" };
    const e = await left(runner.status(h));
    assert.deepEqual(e, { _tag: "RunNotFound", id: "ml-chatops-doesnotexist" });
    assert.deepEqual(clock.sleeps, [500, 1000, 2000]);
  });

  it("5xx: transient errors are retried with backoff on the injected clock", async () => {
    const { runner, clock } = makeRunner();
    const h = await right(runner.start(fresh()));
    emu.failNext("WorkflowService_GetWorkflow", { status: 503, message: "etcd leader changed" }, { status: 502 });
    const s = await right(runner.status(h));
    assert.equal(s.state, "queued");
    assert.deepEqual(clock.sleeps, [500, 1000]);
  });

  it("5xx: persistent errors end as RunnerUnavailable after maxAttempts", async () => {
    const { runner, clock } = makeRunner({ maxAttempts: 2 });
    const h = await right(runner.start(fresh()));
    emu.failNext("WorkflowService_GetWorkflow", { status: 500, message: "boom" }, { status: 500, message: "boom" });
    const e = await left(runner.status(h));
    assert.equal(e._tag, "RunnerUnavailable");
    assert.match(String(e["cause"]), /500 to get workflow: boom/);
    assert.deepEqual(clock.sleeps, [500]);
  });

  it("429 is reported as RateLimited with the server's retry-after", async () => {
    const { runner } = makeRunner();
    const h = await right(runner.start(fresh()));
    emu.failNext("WorkflowService_GetWorkflow", { status: 429, retryAfter: "7" });
    assert.deepEqual(await left(runner.status(h)), { _tag: "RateLimited", retryAfterMs: 7000 });
  });

  it("check 59: a submit whose answer was lost is retried, the 409 counts as success, one Workflow exists", async () => {
    const { runner, clock } = makeRunner();
    const req = fresh();
    emu.failNext("WorkflowService_CreateWorkflow", { status: 503, commit: true, message: "upstream timeout" });
    const before = emu.workflows.size;
    const h = await right(runner.start(req));
    assert.equal(emu.workflows.size, before + 1);
    assert.ok(emu.workflows.has(h.id));
    assert.deepEqual(clock.sleeps, [500]);
    // The same approval submitted again is still the same single Workflow.
    const again = await right(runner.start(req));
    assert.equal(again.id, h.id);
    assert.equal(emu.workflows.size, before + 1);
  });

  it("generateName mode: the server picks the name and the handle carries it", async () => {
    const { runner } = makeRunner({ deterministicName: false });
    const h = await right(runner.start(fresh()));
    assert.ok(emu.workflows.has(h.id));
    assert.match(h.id, /^ml-chatops-[0-9a-z]+$/);
  });

  it("cancel on push: stop, then the run reads as cancelled; cancelling again is a no-op", async () => {
    emu.scenario = {
      phases: ["Pending", "Running", "Running", "Running", "Succeeded"],
      logs: ["x"],
      result: JSON.stringify(RESULT),
    };
    const { runner } = makeRunner();
    const h = await right(runner.start(fresh()));
    assert.equal((await right(runner.status(h))).state, "queued");
    await right(runner.cancel(h));
    const put = emu.requests.filter((r) => r.operationId === "WorkflowService_StopWorkflow");
    assert.ok(put.some((r) => r.path.endsWith(`/${h.id}/stop`)));
    const s = await right(runner.status(h));
    assert.equal(s.state, "cancelled");
    const stops = emu.requests.filter((r) => r.operationId === "WorkflowService_StopWorkflow").length;
    await right(runner.cancel(h));
    assert.equal(emu.requests.filter((r) => r.operationId === "WorkflowService_StopWorkflow").length, stops);
  });

  it("cancel in terminate mode uses PUT …/terminate", async () => {
    emu.scenario = { phases: ["Running", "Running", "Running"] };
    const { runner } = makeRunner({ cancelMode: "terminate" });
    const h = await right(runner.start(fresh()));
    await right(runner.cancel(h));
    assert.equal(emu.workflows.get(h.id)?.stoppedWith, "Terminate");
    assert.equal((await right(runner.status(h))).state, "cancelled");
  });

  it("cancelling a finished run succeeds without a PUT", async () => {
    emu.scenario = { phases: ["Succeeded"], result: JSON.stringify(RESULT) };
    const { runner } = makeRunner();
    const h = await right(runner.start(fresh()));
    const stops = emu.requests.filter((r) => r.operationId?.endsWith("StopWorkflow")).length;
    await right(runner.cancel(h));
    assert.equal(emu.requests.filter((r) => r.operationId?.endsWith("StopWorkflow")).length, stops);
  });

  it("a result that breaks the result contract is ResultInvalid, naming the JSON path", async () => {
    emu.scenario = { phases: ["Succeeded"], result: JSON.stringify({ metrics: { accuracy: "high" } }) };
    const { runner } = makeRunner();
    const h = await right(runner.start(fresh()));
    await follow(runner, h);
    const e = await left(runner.result(h));
    assert.equal(e._tag, "ResultInvalid");
    assert.match(String(e["detail"]), /: metrics\.accuracy: expected a finite number, got "high"$/);
  });

  it("check 81: a deeply nested answer where a Workflow belongs is one ResultInvalid line, not a stack overflow", async () => {
    // io-ts's PathReporter serialises the failing value; 200 000 nested arrays overflow the stack.
    const depth = 200_000;
    const deep = `{"metadata":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const hostile = async () => new Response(deep, { status: 200, headers: { "content-type": "application/json" } });
    const runner = createArgoRunner(
      {
        fetch: hostile,
        clock: fakeClock(),
        logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      },
      { baseUrl: emu.url, namespace: "ml", image: "ghcr.io/octo/kw:1", token: emu.token },
    );
    const e = await left(runner.start(fresh()));
    assert.equal(e._tag, "ResultInvalid");
    assert.match(String(e["detail"]), /^created workflow: metadata: /);
    assert.ok(String(e["detail"]).length < 300, "one short line, not the serialised answer");
  });

  it("check 69: a parameter value with an Argo template expression is refused before submit", async () => {
    const { runner } = makeRunner();
    const before = emu.requests.length;
    const e = await left(
      runner.start(request({ approvalId: "evil", params: { max_df: "{{workflow.serviceAccountName}}" } })),
    );
    assertError(
      e,
      "RunRejected",
      /^reason=parameter max_df: value holds \{\{ or \}\}, which Argo would expand as a template expression$/,
    );
    const bidi = await left(runner.start(request({ approvalId: "evil2", params: { max_df: "0.4\u202E" } })));
    assertError(
      bidi,
      "RunRejected",
      /^reason=parameter max_df: value holds the control or invisible character U\+202E$/,
    );
    const long = await left(runner.start(request({ approvalId: "evil3", params: { max_df: "9".repeat(257) } })));
    assertError(long, "RunRejected", /^reason=parameter max_df: value is 257 characters, at most 256$/);
    assert.equal(emu.requests.length, before);
  });

  it("check 6: the submitted Workflow carries no bot credential", async () => {
    const { runner } = makeRunner();
    const h = await right(runner.start(fresh()));
    assert.ok(!JSON.stringify(emu.workflows.get(h.id)?.submitted).includes(emu.token));
  });
});
