import { describe, it, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { Octokit } from "@octokit/core";
import { createGitHubActionsRunner } from "../../../src/adapters/github-actions/index.js";
import { correlationIdFor } from "../../../src/adapters/github-actions/runner.js";
import { isTerminal, toRunKey } from "../../../src/core/model.js";
import type { RunHandle, RunRequest, RunStatus, Sha } from "../../../src/core/model.js";
import type { ExperimentResult } from "../../../src/core/result.js";
import type { Clock, Runner } from "../../../src/core/ports.js";
import { STEP_NAMES, useFakeActionsWorld, WORKFLOW_FILE } from "./fake-actions.js";
import { writeZip } from "./zip-writer.js";
import { createGitHubOctokit } from "../../../src/adapters/github/octokit.js";
import { testJob } from "../../support/test-job.js";
import { expectLeft, expectRight } from "../../support/pipeline-harness.js";
import { assertError } from "../../support/assert-error.js";

const SHA = "89abcdef0123456789abcdef0123456789abcdef" as Sha;
const RESULT: ExperimentResult = { rankings: { keywords: { "talk-1": [{ term: "embedding", score: 0.7 }] } } };
const request = (over: Partial<RunRequest> = {}): RunRequest => ({
  runKey: toRunKey({ owner: "octo", repo: "kw", number: 7 }, "tfidf-keywords"),
  experimentId: "tfidf-keywords",
  params: { max_df: "0.4" },
  pinnedSha: SHA,
  pr: { owner: "octo", repo: "kw", number: 7, headRef: "feature/evil-branch", headSha: SHA },
  approvalId: "approval-1",
  ...over,
});
const fakeClock = (): Clock & { sleeps: Array<number> } => {
  const sleeps: Array<number> = [];
  return { sleeps, now: () => new Date("2026-11-27T12:00:00Z"), sleep: (ms) => async () => void sleeps.push(ms) };
};
const right = expectRight;
const left = expectLeft;
const follow = async (runner: Runner, h: RunHandle): Promise<RunStatus> => {
  for (let i = 0; i < 10; i++) {
    const s = await right(runner.status(h));
    if (isTerminal(s.state)) return s;
  }
  return assert.fail("never finished");
};

describe("GitHub Actions runner against the OpenAPI-validated fake GitHub", () => {
  let approval = 0;
  const fresh = (over: Partial<RunRequest> = {}) => request({ approvalId: `approval-${++approval}`, ...over });

  const w = useFakeActionsWorld();
  beforeEach(() => {
    w.actions.world.returnRunDetails = true;
    w.actions.world.listDelay = 0;
    w.actions.world.listCalls = 0;
    w.actions.world.script = {
      states: [
        ["queued", null],
        ["in_progress", null],
        ["completed", "success"],
      ],
      artifact: {
        name: "ml-chatops-result",
        zip: writeZip({ "result.json": JSON.stringify(RESULT), "log-tail.txt": "tokenizing\nranking\ndone\n" }),
      },
    };
  });

  const make = (over: Record<string, unknown> = {}, auth = w.token) => {
    const clock = fakeClock();
    const octokit = new Octokit({ auth, baseUrl: w.server.baseUrl });
    const runner = createGitHubActionsRunner(
      { octokit, clock, job: testJob },
      { workflowId: WORKFLOW_FILE, ref: "main", findDelayMs: 2000, ...over },
    );
    return { runner, clock };
  };
  const lastDispatch = () => [...w.gh.log].reverse().find((l) => l.operationId === "actions/create-workflow-dispatch");

  it("check 60: dispatches with return_run_details, keeps workflow_run_id, follows to success, reads the artifact", async () => {
    const { runner } = make();
    const h = await right(runner.start(fresh()));
    const run = w.actions.runs.at(-1);
    assert.equal(h.id, String(run?.id));
    assert.equal(h.runner, "github-actions");
    assert.equal(h.url, `https://github.com/octo/kw/actions/runs/${run?.id}`);
    assert.equal((lastDispatch()?.body as { return_run_details?: boolean }).return_run_details, true);
    assert.equal(w.gh.log.filter((l) => l.operationId === "actions/list-workflow-runs").length, 0);
    assert.equal((await right(runner.status(h))).state, "queued");
    assert.deepEqual((await right(runner.logs(h, undefined))).lines, []);
    assert.equal((await follow(runner, h)).state, "succeeded");
    const page = await right(runner.logs(h, undefined));
    assert.deepEqual(page.lines, ["tokenizing", "ranking", "done"]);
    assert.deepEqual((await right(runner.logs(h, page.next))).lines, []);
    const result = await right(runner.result(h));
    assert.deepEqual(result.output, RESULT);
    assert.deepEqual(result.logTail, ["tokenizing", "ranking", "done"]);
    assert.equal(result.timings.durationMs, 180_000);
  });

  it("check 60: on a 204 (older GHES) it finds the run by the correlation id echoed in run-name", async () => {
    w.actions.world.returnRunDetails = false;
    w.actions.world.listDelay = 2;
    const { runner, clock } = make();
    const req = fresh();
    const h = await right(runner.start(req));
    const run = w.actions.runs.at(-1);
    assert.equal(h.id, String(run?.id));
    assert.equal(run?.displayTitle, `ml-chatops ${correlationIdFor(req.approvalId)}`);
    assert.deepEqual(clock.sleeps, [2000, 2000]);
  });

  it("check 60: a run that never shows up is RunnerUnavailable after a bounded number of looks", async () => {
    w.actions.world.returnRunDetails = false;
    w.actions.world.listDelay = 100;
    const { runner, clock } = make({ findAttempts: 3 });
    assertError(
      await left(runner.start(fresh())),
      "RunnerUnavailable",
      /^runner=github-actions cause=dispatched, but no run named with mlc-[0-9a-f]+ appeared after 3 looks$/,
    );
    assert.deepEqual(clock.sleeps, [2000, 2000]);
  });

  it("check 60: a 422 from the dispatch (unexpected inputs) becomes a clear RunRejected", async () => {
    w.gh.faults.push({
      operationId: "actions/create-workflow-dispatch",
      status: 422,
      body: { message: 'Unexpected inputs provided: ["params"]', documentation_url: "https://docs.github.com/rest" },
    });
    const { runner } = make();
    const e = await left(runner.start(fresh()));
    assert.equal(e._tag, "RunRejected");
    assert.match(String(e["reason"]), /422.*Unexpected inputs provided/);
  });

  it("a dispatch whose answer was lost (502) is found by its correlation id: one run, no second dispatch", async () => {
    w.gh.faults.push({
      operationId: "actions/create-workflow-dispatch",
      status: 502,
      after: true,
      body: { message: "Server Error" },
    });
    const { runner } = make();
    const before = w.actions.runs.length;
    const dispatches = w.gh.log.filter((l) => l.operationId === "actions/create-workflow-dispatch").length;
    const h = await right(runner.start(fresh()));
    assert.equal(w.actions.runs.length, before + 1);
    assert.equal(h.id, String(w.actions.runs.at(-1)?.id));
    assert.equal(w.gh.log.filter((l) => l.operationId === "actions/create-workflow-dispatch").length, dispatches + 1);
  });

  it("with the production Octokit (retry plugin), a lost dispatch answer is never re-sent", async () => {
    w.gh.faults.push({
      operationId: "actions/create-workflow-dispatch",
      status: 502,
      after: true,
      body: { message: "Server Error" },
    });
    const octokit = createGitHubOctokit(
      {},
      { auth: { kind: "token", token: w.token, source: "pat" }, baseUrl: w.server.baseUrl, retryAfterBaseValueMs: 1 },
    );
    const runner = createGitHubActionsRunner(
      { octokit, clock: fakeClock(), job: testJob },
      { workflowId: WORKFLOW_FILE, ref: "main" },
    );
    const before = w.actions.runs.length;
    const dispatches = w.gh.log.filter((l) => l.operationId === "actions/create-workflow-dispatch").length;
    const h = await right(runner.start(fresh()));
    assert.equal(w.gh.log.filter((l) => l.operationId === "actions/create-workflow-dispatch").length, dispatches + 1);
    assert.equal(w.actions.runs.length, before + 1);
    assert.equal(h.id, String(w.actions.runs.at(-1)?.id));
  });

  it("a 5xx dispatch that created nothing stays an error", async () => {
    w.gh.faults.push({
      operationId: "actions/create-workflow-dispatch",
      status: 503,
      body: { message: "Service Unavailable" },
    });
    const { runner } = make({ findAttempts: 2 });
    const e = await left(runner.start(fresh()));
    assert.equal(e._tag, "RunnerUnavailable");
    assert.match(String(e["cause"]), /503/);
  });

  it("check 70 / check 11: ref is the configured default branch, the SHA an input; inputs match the workflow's declared ones", async () => {
    const { runner } = make();
    await right(runner.start(fresh()));
    const body = lastDispatch()?.body as { ref: string; inputs: Record<string, string> };
    assert.equal(body.ref, "main");
    assert.deepEqual(Object.keys(body.inputs).sort(), ["correlation_id", "experiment", "job", "params", "pr", "sha"]);
    assert.deepEqual(JSON.parse(body.inputs["job"] ?? ""), {
      v: 1,
      experiment: "tfidf-keywords",
      sha: SHA,
      command: ["python3", "train.py"],
      result: "out/result.json",
      env: { ML_CHATOPS_PARAM_MAX_DF: "0.4" },
    });
    assert.equal(body.inputs["sha"], SHA);
    assert.equal(body.inputs["pr"], "7");
    assert.deepEqual(JSON.parse(body.inputs["params"] ?? ""), { max_df: "0.4" });
    assert.ok(!JSON.stringify(body).includes("feature/evil-branch"));
    assert.equal(w.actions.runs.at(-1)?.ref, "main");
  });

  it("check 70: a pull-request ref in config is refused at construction", () => {
    assert.throws(() => make({ ref: "refs/pull/7/head" }), /ref: the default branch/);
    assert.throws(() => make({ ref: "" }), /ref/);
  });

  it("check 70: a payload of 64 KB or more is refused before anything is sent", async () => {
    // Without a job (a caller whose workflow does not run exec), the dispatch cap itself refuses…
    const runner = createGitHubActionsRunner(
      { octokit: new Octokit({ auth: w.token, baseUrl: w.server.baseUrl }), clock: fakeClock() },
      { workflowId: WORKFLOW_FILE, ref: "main" },
    );
    const before = w.gh.log.length;
    const e = await left(runner.start(fresh({ params: { max_df: "x".repeat(70_000) } })));
    assert.equal(e._tag, "RunRejected");
    assert.match(String(e["reason"]), /64 KB/);
    // …and with one, the job's own 32 KB cap refuses first.
    const withJob = await left(make().runner.start(fresh({ params: { max_df: "x".repeat(70_000) } })));
    assert.equal(withJob._tag, "RunRejected");
    assert.match(
      String(withJob["reason"]),
      /^the job of tfidf-keywords: the job is \d+ characters; at most 32768 are read$/,
    );
    assert.equal(w.gh.log.length, before);
  });

  it("check 6: no credential travels in the dispatch inputs", async () => {
    const { runner } = make();
    await right(runner.start(fresh()));
    assert.ok(!JSON.stringify(lastDispatch()?.body).includes(w.token));
  });

  it("a failed run is an experiment failure and has no result", async () => {
    w.actions.world.script = {
      states: [
        ["in_progress", null],
        ["completed", "failure"],
      ],
    };
    const { runner } = make();
    const h = await right(runner.start(fresh()));
    assert.equal((await follow(runner, h)).state, "failed");
    assert.equal((await left(runner.result(h)))._tag, "ResultInvalid");
  });

  it("check 13: a run failing in the commit check is an infrastructure error, not a failed experiment", async () => {
    w.actions.world.script = { states: [["completed", "failure"]], failedStep: "Verify the checked-out commit" };
    const { runner } = make();
    const h = await right(runner.start(fresh()));
    const s = await follow(runner, h);
    assert.equal(s.state, "errored");
    assert.match(s.detail, /Verify the checked-out commit/);
  });

  it("every step of the shipped experiment workflow but the experiment's own failing is an infrastructure error", async () => {
    assert.ok(STEP_NAMES.includes("Run the experiment"));
    for (const step of STEP_NAMES) {
      w.actions.world.script = { states: [["completed", "failure"]], failedStep: step };
      const { runner } = make();
      const h = await right(runner.start(fresh()));
      const s = await follow(runner, h);
      if (step === "Run the experiment") {
        assert.equal(s.state, "failed", `${step}: ${s.detail}`);
      } else {
        assert.equal(s.state, "errored", `${step} is the bot's, not the experiment's`);
        assert.equal(s.detail, `infrastructure step failed: experiment › ${step}`);
      }
    }
  });

  it("a successful run without the artifact is ResultInvalid", async () => {
    w.actions.world.script = { states: [["completed", "success"]] };
    const { runner } = make();
    const h = await right(runner.start(fresh()));
    await follow(runner, h);
    const e = await left(runner.result(h));
    assert.match(String(e["detail"]), /no artifact 'ml-chatops-result'/);
  });

  it("a result file that breaks the result contract is ResultInvalid, naming the JSON path", async () => {
    w.actions.world.script = {
      states: [["completed", "success"]],
      artifact: { name: "ml-chatops-result", zip: writeZip({ "result.json": '{"metrics":{"accuracy":"high"}}' }) },
    };
    const { runner } = make();
    const h = await right(runner.start(fresh()));
    const e = await left(runner.result(h));
    assert.equal(e._tag, "ResultInvalid");
    assert.match(String(e["detail"]), /: metrics\.accuracy: expected a finite number, got "high"$/);
  });

  it("cancel on push: cancels an active run; cancelling a completed run succeeds (409)", async () => {
    w.actions.world.script = { states: [["in_progress", null]] };
    const { runner } = make();
    const h = await right(runner.start(fresh()));
    assert.equal((await right(runner.status(h))).state, "running");
    await right(runner.cancel(h));
    assert.equal((await right(runner.status(h))).state, "cancelled");
    await right(runner.cancel(h));
    const cancels = w.gh.log.filter((l) => l.operationId === "actions/cancel-workflow-run").map((l) => l.status);
    assert.deepEqual(cancels.slice(-2), [202, 409]);
  });

  it("an unknown run id is RunNotFound; a bad token is RunnerUnavailable naming the 401", async () => {
    const { runner } = make();
    const h = await right(runner.start(fresh()));
    assert.deepEqual(await left(runner.status({ ...h, id: "1" })), { _tag: "RunNotFound", id: "1" });
    const { runner: bad } = make({}, "ghp_not_a_token");
    const e = await left(bad.start(fresh()));
    assert.equal(e._tag, "RunnerUnavailable");
    assert.match(String(e["cause"]), /401/);
  });
});
