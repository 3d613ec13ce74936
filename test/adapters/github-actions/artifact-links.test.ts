/**
 * Issue 10 item 4 on GitHub Actions: the report links to the run and to the run's own result
 * artifact (GitHub's page for it, behind the repository's read access), never a public upload.
 * The real pipeline drives the runner against the OpenAPI-validated fake GitHub; the assertions
 * are on the rendered report's link lines (SECURITY-CHECKLIST 65, 66: URLs checked, labels escaped).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Octokit } from "@octokit/core";
import { createGitHubActionsRunner } from "../../../src/adapters/github-actions/index.js";
import type { Report } from "../../../src/core/model.js";
import { renderReport } from "../../../src/core/report/render.js";
import type { ExperimentResult } from "../../../src/core/result.js";
import { createFakeClock } from "../../support/core-fakes.js";
import { botLabel, createRunnerPipeline, expectRight, maintainerComments } from "../../support/pipeline-harness.js";
import { testJob } from "../../support/test-job.js";
import { useFakeActionsWorld, WORKFLOW_FILE } from "./fake-actions.js";
import { writeZip } from "./zip-writer.js";

const RESULT: ExperimentResult = { metrics: { accuracy: 0.95 }, images: [{ title: "ROC", path: "out/roc.png" }] };
const factLine = (r: Report | undefined, name: string): string | undefined =>
  r === undefined
    ? undefined
    : renderReport(r)
        .split("\n")
        .find((l) => l.startsWith(`- **${name}:**`));

describe("GitHub Actions runner: the run's artifact, linked in the report (issue 10 item 4)", () => {
  const w = useFakeActionsWorld();

  it("Links has the run page; Artifacts links the run's own artifact by the id GitHub listed", async () => {
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
    const { clock } = createFakeClock();
    const octokit = new Octokit({ auth: w.token, baseUrl: w.server.baseUrl });
    const runner = createGitHubActionsRunner(
      { octokit, clock, job: testJob },
      { workflowId: WORKFLOW_FILE, ref: "main", owner: "octo", repo: "kw" },
    );
    const s = createRunnerPipeline(runner, clock);
    await expectRight(s.pipeline.onComment(maintainerComments()("/experiment run")));
    await expectRight(s.pipeline.onLabel(botLabel));
    const report = s.finals.at(-1);
    assert.equal(report?.status.state, "succeeded", report?.status.detail);
    const runId = w.actions.runs.at(-1)?.id;
    // The id GitHub lists for the run's artifact, asked the way a reader's client would.
    const listed = await octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts", {
      owner: "octo",
      repo: "kw",
      run_id: Number(runId),
    });
    const artifactId = (listed.data as { artifacts: Array<{ id: number }> }).artifacts[0]?.id;
    assert.equal(typeof artifactId, "number");
    assert.equal(factLine(report, "Links"), `- **Links:** [run](<https://github.com/octo/kw/actions/runs/${runId}>)`);
    assert.equal(
      factLine(report, "Artifacts"),
      `- **Artifacts:** [artifact ml-chatops-result](<https://github.com/octo/kw/actions/runs/${runId}/artifacts/${artifactId}>) · ` +
        "kept with the workflow run for the repository's artifact retention; readers need read access",
    );
    assert.match(
      renderReport(report as Report),
      /\*\*Images:\*\* ROC \(out\/roc\.png\)\. Not uploaded anywhere; where the runner keeps them: \[artifact ml-chatops-result\]/,
    );
  });
});
