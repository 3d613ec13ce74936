import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Octokit } from "@octokit/core";
import { createGitHubActionsRunner } from "../../../src/adapters/github-actions/index.js";
import type { ExperimentResult } from "../../../src/core/result.js";
import { PR, SHA_A, SHA_B, createFakeClock } from "../../support/core-fakes.js";
import { botLabel, createRunnerPipeline, expectRight, maintainerComments } from "../../support/pipeline-harness.js";
import { useFakeActionsWorld, WORKFLOW_FILE } from "./fake-actions.js";
import { testJob } from "../../support/test-job.js";
import { writeZip } from "./zip-writer.js";

const RESULT: ExperimentResult = { rankings: { keywords: { t1: [{ term: "rust", score: 0.9 }] } } };

// The real pipeline driving the Actions runner; the workflow lives in a separate repository.
describe("pipeline × GitHub Actions runner (fake GitHub)", () => {
  const w = useFakeActionsWorld();

  const comment = maintainerComments();
  const label = botLabel;
  const run = expectRight;
  const setup = () => {
    const { clock } = createFakeClock();
    const octokit = new Octokit({ auth: w.token, baseUrl: w.server.baseUrl });
    const runner = createGitHubActionsRunner(
      { octokit, clock, job: testJob },
      { workflowId: WORKFLOW_FILE, ref: "main", owner: "octo", repo: "kw" },
    );
    return createRunnerPipeline(runner, clock);
  };

  it("check 11: a labelled approval dispatches at the pinned SHA and reports the artifact's result once", async () => {
    w.actions.world.script = {
      states: [
        ["queued", null],
        ["in_progress", null],
        ["completed", "success"],
      ],
      artifact: {
        name: "ml-chatops-result",
        zip: writeZip({ "result.json": JSON.stringify(RESULT), "log-tail.txt": "ok\n" }),
      },
    };
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run max_df=0.4")));
    const out = await run(s.pipeline.onLabel(label));
    assert.equal(out._tag, "Reported");
    assert.equal(s.finals.length, 1);
    assert.equal(s.finals[0]?.status.state, "succeeded");
    assert.deepEqual(s.finals[0]?.result, RESULT);
    assert.equal(w.actions.runs.at(-1)?.inputs["sha"], SHA_A);
    assert.equal(w.actions.runs.at(-1)?.ref, "main");
  });

  it("cancel on push: the detached run is cancelled when the PR head moves", async () => {
    w.actions.world.script = {
      states: [
        ["queued", null],
        ["in_progress", null],
      ],
    };
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    const out = await run(s.pipeline.onLabel(label, { detach: true }));
    assert.equal(out._tag, "Detached");
    await run(s.pipeline.onPush({ pr: PR, headSha: SHA_B }));
    assert.equal(w.actions.runs.at(-1)?.cancelled, true);
  });
});
