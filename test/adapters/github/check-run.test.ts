/**
 * The check-run reporter (issue 14 item 2): one request per run. Queued and running reports send
 * nothing; the final report creates the check run once, completed, with its conclusion and the
 * full report, in a request the fake GitHub validates against GitHub's OpenAPI description. A
 * detached run's final report, published by another process, is the same single request.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as TE from "fp-ts/TaskEither";
import { createGitHubCheckRunReporter, withSecondaryReporter } from "../../../src/adapters/github/check-run.js";
import { toRunKey, type Report, type RunState, type Sha } from "../../../src/core/model.js";
import type { Reporter } from "../../../src/core/ports.js";
import { createWorld, memoryLogger, right, type World } from "./setup.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const SHA = "d".repeat(40) as Sha;
const STARTED = "2026-11-27T16:00:00Z";
const report = (over: Partial<Report> = {}): Report => ({
  runKey: toRunKey(PR, "tfidf-keywords"),
  experimentId: "tfidf-keywords",
  pr: PR,
  pinnedSha: SHA,
  runner: "local",
  status: { state: "running", detail: "started" },
  params: {},
  logTail: [],
  links: [],
  handle: { runner: "local", id: "run-1", runKey: toRunKey(PR, "tfidf-keywords"), pinnedSha: SHA, startedAt: STARTED },
  ...over,
});
const state = (s: RunState, detail = "done"): Partial<Report> => ({ status: { state: s, detail } });

describe("check run reporter: one request per run", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));
  const checkRequests = (from: number) => w.gh.log.slice(from).filter((x) => x.operationId?.startsWith("checks/"));

  it("queued and running send nothing; the final report is one POST, completed, valid against the description", async () => {
    const checks = createGitHubCheckRunReporter({ octokit: w.appClient() });
    const from = w.gh.log.length;
    right(await checks.publish(report(state("queued", "waiting")))());
    right(await checks.publish(report())());
    assert.deepEqual(checkRequests(from), [], "no request before the run ends");

    const huge = Array.from({ length: 3000 }, (_, i) => `log line ${i} ${"x".repeat(40)}`);
    const posted = right(await checks.publish(report({ ...state("succeeded"), logTail: huge }))());
    const sent = checkRequests(from);
    assert.deepEqual(
      sent.map((x) => [x.operationId, x.status]),
      [["checks/create", 201]],
    );
    const body = sent[0]?.body as Record<string, unknown>;
    // The fake validated it already; checked here too, with the description's one rule across fields.
    const v = w.gh.api.validateRequest(
      { method: "POST", path: "/repos/octo/kw/check-runs", body, headers: { "content-type": "application/json" } },
      "checks/create",
    );
    assert.deepEqual(v.errors ?? [], []);
    assert.deepEqual(
      [body["status"], body["conclusion"], body["started_at"], body["head_sha"], body["external_id"]],
      ["completed", "success", "2026-11-27T16:00:00.000Z", SHA, "octo/kw#7:tfidf-keywords"],
    );
    const run = w.gh.state.checkRuns.find((r) => r.id === posted.id);
    assert.deepEqual(
      [run?.status, run?.conclusion, run?.startedAt, run?.name],
      ["completed", "success", STARTED, "ml-chatops: tfidf-keywords"],
    );
    assert.ok((run?.output.text ?? "").length <= 65535);
    assert.match(run?.output.text ?? "", /log line 2999/, "the report's end (the log tail) is kept");
  });

  it("each final state has its conclusion; a superseded run says so in its title", async () => {
    const checks = createGitHubCheckRunReporter({ octokit: w.appClient() });
    const cases: ReadonlyArray<[Partial<Report>, string, string]> = [
      [state("failed"), "failure", "tfidf-keywords: failed"],
      [state("cancelled"), "cancelled", "tfidf-keywords: cancelled"],
      [state("errored"), "failure", "tfidf-keywords: errored"],
      [{ ...state("cancelled"), supersededBy: "a push" }, "cancelled", "superseded: a push"],
    ];
    for (const [over, conclusion, title] of cases) {
      const { id } = right(await checks.publish(report(over))());
      const run = w.gh.state.checkRuns.find((r) => r.id === id);
      assert.deepEqual([run?.status, run?.conclusion, run?.output.title], ["completed", conclusion, title]);
    }
  });

  it("a detached run: running published by one process, the final report by another's reporter, one request in all", async () => {
    const sha = "e".repeat(40) as Sha;
    const detached = (over: Partial<Report>) => report({ pinnedSha: sha, ...over });
    const from = w.gh.log.length;
    right(await createGitHubCheckRunReporter({ octokit: w.appClient() }).publish(detached({}))());
    // `collect`, later, in a new process: a new client and reporter that remember nothing.
    right(await createGitHubCheckRunReporter({ octokit: w.appClient() }).publish(detached(state("succeeded")))());
    assert.deepEqual(
      checkRequests(from).map((x) => x.operationId),
      ["checks/create"],
    );
    assert.deepEqual(
      w.gh.state.checkRuns.filter((r) => r.headSha === sha).map((r) => [r.status, r.conclusion]),
      [["completed", "success"]],
      "no check run is left in progress",
    );
  });

  it("the fake refuses what GitHub refuses: a completed check run without a conclusion is a 422", async () => {
    const e = await w
      .appClient()
      .request("POST /repos/{owner}/{repo}/check-runs", { ...PR, name: "x", head_sha: SHA, status: "completed" })
      .then(
        () => assert.fail("expected 422"),
        (err: { status?: number; response?: { data?: { errors?: ReadonlyArray<{ field?: string }> } } }) => err,
      );
    assert.equal(e.status, 422);
    assert.equal(e.response?.data?.errors?.[0]?.field, "conclusion");
  });

  it("a PAT may not create check runs: one 403 switches it off with one warning; the comment report is unaffected", async () => {
    const logger = memoryLogger();
    const published: Report[] = [];
    const primary: Reporter = {
      publish: (r) => {
        published.push(r);
        return TE.right({ id: 1 });
      },
    };
    const reporter = withSecondaryReporter(
      primary,
      createGitHubCheckRunReporter({ octokit: w.tokenClient(w.users.writer), logger }),
      logger,
    );
    const from = w.gh.log.length;
    right(await reporter.publish(report())());
    right(await reporter.publish(report(state("failed", "x")))());
    right(await reporter.publish(report({ ...state("succeeded"), pinnedSha: "f".repeat(40) as Sha }))());
    assert.equal(published.length, 3);
    assert.deepEqual(
      checkRequests(from).map((x) => [x.operationId, x.status]),
      [["checks/create", 403]],
    );
    assert.deepEqual(
      logger.lines.filter((l) => /check runs/.test(l.message)).map((l) => l.level),
      ["warn"],
    );
  });
});
