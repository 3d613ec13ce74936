import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startArgoEmulator } from "../../support/argo-emulator/server.js";
import type { ArgoEmulator } from "../../support/argo-emulator/server.js";
import { matchRequest } from "../../support/argo-emulator/specs.js";

// The emulator's own checks must be live, or the runner tests prove nothing.
describe("argo-server emulator: request validation is live", () => {
  let emu: ArgoEmulator;
  before(async () => {
    emu = await startArgoEmulator({ token: "t" });
  });
  after(async () => emu.close());
  const auth = { authorization: "Bearer t", "content-type": "application/json" };

  it("an undeclared query parameter is a violation answered 400", async () => {
    const r = await fetch(`${emu.url}/api/v1/workflows/ml/wf/log?logOptions.containr=main`, { headers: auth });
    assert.equal(r.status, 400);
    assert.match(emu.violations.pop() ?? "", /logOptions\.containr is not declared/);
  });

  it("a wrongly typed query parameter is a violation", async () => {
    const r = await fetch(`${emu.url}/api/v1/workflows/ml/wf/log?logOptions.follow=yes`, { headers: auth });
    assert.equal(r.status, 400);
    assert.match(emu.violations.pop() ?? "", /follow must be boolean/);
  });

  it("a body that breaks the swagger schema is a violation", async () => {
    const r = await fetch(`${emu.url}/api/v1/workflows/ml/wf/stop`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({ name: 5 }),
    });
    assert.equal(r.status, 400);
    assert.match(emu.violations.pop() ?? "", /body \/name must be string/);
  });

  it("a submitted Workflow that breaks schema.json is a violation", async () => {
    const workflow = {
      metadata: { name: "x" },
      spec: { templates: [{ name: "main", container: { command: "echo" } }] },
    };
    const r = await fetch(`${emu.url}/api/v1/workflows/ml`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ namespace: "ml", workflow }),
    });
    assert.equal(r.status, 400);
    assert.match(emu.violations.pop() ?? "", /command must be array/);
  });

  it("an unknown path or method is a violation answered 404", async () => {
    const r = await fetch(`${emu.url}/api/v1/workflow/ml`, { headers: auth });
    assert.equal(r.status, 404);
    assert.match(emu.violations.pop() ?? "", /no swagger path/);
    const r2 = await fetch(`${emu.url}/api/v1/workflows/ml/wf/stop`, { method: "POST", headers: auth, body: "{}" });
    assert.equal(r2.status, 404);
    assert.match(emu.violations.pop() ?? "", /method POST not allowed/);
  });

  it("the log stream is NDJSON by default and SSE when asked, with grpc-gateway framing", async () => {
    emu.scenario = { phases: ["Succeeded"], logs: ["a", "b"] };
    const workflow = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Workflow",
      metadata: { name: "wf-logs" },
      spec: { entrypoint: "main", templates: [{ name: "main", container: { image: "alpine", command: ["true"] } }] },
    };
    const c = await fetch(`${emu.url}/api/v1/workflows/ml`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ namespace: "ml", workflow }),
    });
    assert.equal(c.status, 200);
    await fetch(`${emu.url}/api/v1/workflows/ml/wf-logs`, { headers: auth });
    const nd = await (
      await fetch(`${emu.url}/api/v1/workflows/ml/wf-logs/log?logOptions.container=main`, { headers: auth })
    ).text();
    assert.equal(
      nd,
      '{"result":{"content":"a","podName":"wf-logs-main-3187"}}\n{"result":{"content":"b","podName":"wf-logs-main-3187"}}\n',
    );
    const sse = await fetch(`${emu.url}/api/v1/workflows/ml/wf-logs/log?logOptions.container=main`, {
      headers: { ...auth, accept: "text/event-stream" },
    });
    assert.equal(sse.headers.get("content-type"), "text/event-stream");
    assert.match(await sse.text(), /^data: \{"result":\{"content":"a"/);
    assert.deepEqual(emu.violations, []);
  });

  it("routes prefer literal segments (workflow log over pod log)", () => {
    const m = matchRequest("GET", "/api/v1/workflows/ml/wf/log", new URLSearchParams(), undefined);
    assert.equal(m.operationId, "WorkflowService_WorkflowLogs");
    const p = matchRequest("GET", "/api/v1/workflows/ml/wf/pod-1/log", new URLSearchParams(), undefined);
    assert.equal(p.operationId, "WorkflowService_PodLogs");
  });
});
