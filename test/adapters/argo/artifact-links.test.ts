/**
 * Issue 10 item 4 on Argo: the report links to the Workflow in the Argo UI (from the configured
 * uiBaseUrl) and to each output artifact the template declares and a node saved, through
 * argo-server's artifact endpoint; with none declared it says so. The real pipeline drives the
 * runner against the emulator (requests matched to swagger.json, Workflows to schema.json); the
 * assertions are on the rendered report's link lines. Names from argo-server's answer are
 * encoded and the UI URL from config is checked (SECURITY-CHECKLIST 65, 66).
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createArgoRunner } from "../../../src/adapters/argo/index.js";
import { renderReport } from "../../../src/core/report/render.js";
import type { Report } from "../../../src/core/model.js";
import { startArgoEmulator } from "../../support/argo-emulator/server.js";
import type { ArgoEmulator } from "../../support/argo-emulator/server.js";
import { createFakeClock } from "../../support/core-fakes.js";
import { botLabel, createRunnerPipeline, expectRight, maintainerComments } from "../../support/pipeline-harness.js";
import { RESULT } from "./fixtures.js";

const factLine = (r: Report | undefined, name: string): string | undefined =>
  r === undefined
    ? undefined
    : renderReport(r)
        .split("\n")
        .find((l) => l.startsWith(`- **${name}:**`));

describe("Argo runner: the Workflow and its output artifacts, linked in the report (issue 10 item 4)", () => {
  let emu: ArgoEmulator;
  before(async () => {
    emu = await startArgoEmulator({ token: "links-token" });
  });
  after(async () => {
    await emu.close();
    assert.deepEqual(emu.violations, []);
  });

  const runOnce = async (settings: Record<string, unknown>): Promise<{ report: Report | undefined; name: string }> => {
    emu.scenario = { phases: ["Pending", "Running", "Succeeded"], logs: ["ranking"], result: JSON.stringify(RESULT) };
    const { clock } = createFakeClock();
    const runner = createArgoRunner(
      { fetch: globalThis.fetch, clock },
      { baseUrl: emu.url, token: emu.token, namespace: "ml", image: "kw:1", ...settings },
    );
    const s = createRunnerPipeline(runner, clock);
    await expectRight(s.pipeline.onComment(maintainerComments()("/experiment run")));
    await expectRight(s.pipeline.onLabel(botLabel));
    const report = s.finals.at(-1);
    assert.equal(report?.status.state, "succeeded", report?.status.detail);
    return { report, name: report?.handle?.id ?? "" };
  };

  it("declared artifacts: Links has the Workflow in the configured UI; Artifacts links each saved artifact, and the link is argo-server's artifact route", async () => {
    const { report, name } = await runOnce({
      uiBaseUrl: `${emu.url}/ui/`,
      outputArtifacts: [{ name: "images", path: "/workspace/src/out" }],
    });
    const submitted = emu.workflows.get(name)?.submitted as { spec: { templates: Array<{ outputs: unknown }> } };
    assert.deepEqual(submitted.spec.templates[0]?.outputs, {
      parameters: [
        { name: "result", globalName: "ml-chatops-result", valueFrom: { path: "/tmp/ml-chatops/result.json" } },
      ],
      artifacts: [{ name: "images", path: "/workspace/src/out", optional: true }],
    });
    assert.equal(factLine(report, "Links"), `- **Links:** [run](<${emu.url}/ui/workflows/ml/${name}>)`);
    assert.equal(
      factLine(report, "Artifacts"),
      `- **Artifacts:** [workflow](<${emu.url}/ui/workflows/ml/${name}>) · [artifact images](<${emu.url}/ui/artifacts/ml/${name}/${name}/images>) · ` +
        "in the cluster's artifact repository, for Argo sign-in; nothing is public",
    );
    // The artifact link is argo-server's own route (ArtifactService_GetOutputArtifact in swagger.json): fetch it as a reader would.
    const got = await fetch(`${emu.url}/artifacts/ml/${name}/${name}/images`, {
      headers: { authorization: `Bearer ${emu.token}` },
    });
    assert.equal(got.status, 200);
    assert.equal(await got.text(), `artifact images of ${name}`);
    assert.equal(emu.requests.at(-1)?.operationId, "ArtifactService_GetOutputArtifact");
  });

  it("no artifacts declared: the Workflow is linked and the report says nothing is kept", async () => {
    const { report, name } = await runOnce({ namePrefix: "plain-" });
    assert.equal(
      factLine(report, "Artifacts"),
      `- **Artifacts:** [workflow](<${emu.url}/workflows/ml/${name}>) · the Workflow template declares no output artifacts (runner.settings.outputArtifacts), so nothing is kept after the pod`,
    );
    assert.ok(!renderReport(report as Report).includes("keeps no artifacts"));
  });

  it("a uiBaseUrl that is not http(s), or a bad artifact name or path, is refused at construction with the field named", () => {
    const base = { baseUrl: emu.url, namespace: "ml", image: "kw:1" };
    assert.throws(
      () => createArgoRunner({ fetch: globalThis.fetch }, { ...base, uiBaseUrl: "javascript:alert(1)" }),
      /uiBaseUrl: not an http\(s\) URL: "javascript:alert\(1\)"/,
    );
    assert.throws(
      () => createArgoRunner({ fetch: globalThis.fetch }, { ...base, uiBaseUrl: "https://argo.example/a b" }),
      /uiBaseUrl: not an http\(s\) URL/,
    );
    assert.throws(
      () => createArgoRunner({ fetch: globalThis.fetch }, { ...base, outputArtifacts: [{ name: "a)b", path: "/x" }] }),
      /outputArtifacts\[0\]\.name: letters, digits/,
    );
    assert.throws(
      () => createArgoRunner({ fetch: globalThis.fetch }, { ...base, outputArtifacts: [{ name: "a", path: "out" }] }),
      /outputArtifacts\[0\]\.path: an absolute path without "\.\."/,
    );
    assert.throws(
      () =>
        createArgoRunner(
          { fetch: globalThis.fetch },
          {
            ...base,
            outputArtifacts: [
              { name: "a", path: "/x" },
              { name: "a", path: "/y" },
            ],
          },
        ),
      /outputArtifacts: names repeat/,
    );
  });
});
