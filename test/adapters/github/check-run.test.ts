import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as TE from "fp-ts/TaskEither";
import { createGitHubCheckRunReporter, withSecondaryReporter } from "../../../src/adapters/github/check-run.js";
import { toRunKey, type Report, type Sha } from "../../../src/core/model.js";
import type { Reporter } from "../../../src/core/ports.js";
import { createWorld, memoryLogger, right, type World } from "./setup.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const report = (over: Partial<Report> = {}): Report => ({
  runKey: toRunKey(PR, "tfidf-keywords"),
  experimentId: "tfidf-keywords",
  pr: PR,
  pinnedSha: "d".repeat(40) as Sha,
  runner: "local",
  status: { state: "running", detail: "started" },
  params: {},
  logTail: [],
  links: [],
  handle: {
    runner: "local",
    id: "run-1",
    runKey: toRunKey(PR, "tfidf-keywords"),
    pinnedSha: "d".repeat(40) as Sha,
    startedAt: "2026-11-27T16:00:00Z",
  },
  ...over,
});

describe("check run reporter (issue item 6)", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("one check run per run: created in progress, then completed with the full report (≤ 65,535 characters)", async () => {
    const checks = createGitHubCheckRunReporter({ octokit: w.appClient() });
    right(await checks.publish(report())());
    const huge = Array.from({ length: 3000 }, (_, i) => `log line ${i} ${"x".repeat(40)}`);
    right(await checks.publish(report({ status: { state: "succeeded", detail: "done" }, logTail: huge }))());
    const runs = w.gh.state.checkRuns.filter((r) => r.headSha === "d".repeat(40));
    assert.equal(runs.length, 1);
    assert.deepEqual([runs[0]!.status, runs[0]!.conclusion], ["completed", "success"]);
    assert.ok((runs[0]!.output.text ?? "").length <= 65535);
  });

  it("a PAT may not create check runs: switched off with one warning, the comment report is unaffected", async () => {
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
    right(await reporter.publish(report())());
    right(await reporter.publish(report({ status: { state: "failed", detail: "x" } }))());
    assert.equal(published.length, 2);
    assert.equal(logger.lines.filter((l) => /check runs/.test(l.message)).length, 1);
  });
});
