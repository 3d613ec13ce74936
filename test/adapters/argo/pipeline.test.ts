import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createArgoRunner } from "../../../src/adapters/argo/index.js";
import { startArgoEmulator } from "../../support/argo-emulator/server.js";
import type { ArgoEmulator } from "../../support/argo-emulator/server.js";
import { PR, SHA_A, SHA_B, createFakeClock } from "../../support/core-fakes.js";
import { botLabel, createRunnerPipeline, expectRight, maintainerComments } from "../../support/pipeline-harness.js";
import { RESULT } from "./fixtures.js";

// The real pipeline driving the Argo runner against the emulator: comment → label → Workflow.
describe("pipeline × Argo runner (emulated argo-server)", () => {
  let emu: ArgoEmulator;
  before(async () => {
    emu = await startArgoEmulator({ token: "pipe-token" });
  });
  after(async () => {
    await emu.close();
    assert.deepEqual(emu.violations, []);
  });

  const comment = maintainerComments();
  const label = botLabel;
  const run = expectRight;
  const setup = () => {
    const { clock } = createFakeClock();
    const runner = createArgoRunner(
      { fetch: globalThis.fetch, clock },
      { baseUrl: emu.url, token: emu.token, namespace: "ml", image: "kw:1" },
    );
    return createRunnerPipeline(runner, clock);
  };

  it("check 11: a labelled approval runs a Workflow at the pinned SHA and reports its result once", async () => {
    emu.scenario = { phases: ["Pending", "Running", "Succeeded"], logs: ["ranking"], result: JSON.stringify(RESULT) };
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run max_df=0.4")));
    const out = await run(s.pipeline.onLabel(label));
    assert.equal(out._tag, "Reported");
    assert.equal(s.finals.length, 1);
    assert.equal(s.finals[0]?.status.state, "succeeded");
    assert.deepEqual(s.finals[0]?.result, RESULT);
    const wf = [...emu.workflows.values()].at(-1);
    const params = (wf?.submitted["spec"] as { arguments: { parameters: Array<{ name: string; value: string }> } })
      .arguments.parameters;
    assert.equal(params.find((p) => p.name === "pinned-sha")?.value, SHA_A);
    assert.equal(params.find((p) => p.name === "params-json")?.value, '{"max_df":"0.4"}');
  });

  it("cancel on push: a detached run's Workflow is stopped when the PR head moves", async () => {
    emu.scenario = { phases: ["Pending", "Running", "Running", "Running", "Running"] };
    const s = setup();
    await run(s.pipeline.onComment(comment("/experiment run")));
    const out = await run(s.pipeline.onLabel(label, { detach: true }));
    assert.equal(out._tag, "Detached");
    if (out._tag !== "Detached") return;
    await run(s.pipeline.onPush({ pr: PR, headSha: SHA_B }));
    assert.equal(emu.workflows.get(out.handle.id)?.stoppedWith, "Stop");
    assert.ok(
      emu.requests.some(
        (r) => r.operationId === "WorkflowService_StopWorkflow" && r.path.endsWith(`/${out.handle.id}/stop`),
      ),
    );
  });
});
