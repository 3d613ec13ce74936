import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { isDonePhase, toRunStatus } from "../../../src/adapters/argo/status.js";
import { parseLogStream } from "../../../src/adapters/argo/logs.js";
import type { RunState } from "../../../src/core/model.js";

const wf = (phase: string | undefined, message?: string, nodeMessage?: string) => ({
  metadata: { name: "wf-1" },
  status: {
    ...(phase === undefined ? {} : { phase }),
    ...(message === undefined ? {} : { message }),
    nodes: {
      "wf-1": {
        id: "wf-1",
        name: "wf-1",
        type: "Pod",
        phase: phase ?? "",
        ...(nodeMessage === undefined ? {} : { message: nodeMessage }),
      },
    },
  },
});

describe("check 59: Argo phase → RunStatus", () => {
  const table: ReadonlyArray<[string | undefined, string | undefined, string | undefined, RunState, RegExp]> = [
    [undefined, undefined, undefined, "queued", /pending/],
    ["", undefined, undefined, "queued", /pending/],
    ["Pending", undefined, undefined, "queued", /pending/],
    ["Running", undefined, undefined, "running", /running/],
    ["Succeeded", undefined, undefined, "succeeded", /succeeded/],
    [
      "Failed",
      undefined,
      "Error (exit code 1): boom",
      "failed",
      /experiment failed: wf-1: Error \(exit code 1\): boom/,
    ],
    ["Error", "child pod deleted", "pod deleted", "errored", /workflow error: wf-1: pod deleted \| child pod deleted/],
    ["Failed", "Stopped with strategy 'Stop'", undefined, "cancelled", /cancelled/],
    ["Failed", "Stopped with strategy 'Terminate'", undefined, "cancelled", /cancelled/],
    ["Failed", undefined, "Step exceeded its deadline", "errored", /deadline exceeded/],
    ["Failed", "Max duration limit exceeded", undefined, "errored", /deadline exceeded/],
    ["Failed", undefined, "Error (exit code 97)", "errored", /checkout of the pinned commit/],
    ["Skipped", undefined, undefined, "running", /unknown Argo phase "Skipped"; not treated as done/],
    ["Completed", undefined, undefined, "running", /unknown/],
  ];
  for (const [phase, msg, nodeMsg, state, detail] of table) {
    it(`${JSON.stringify(phase)} ${msg ?? ""} ${nodeMsg ?? ""} → ${state}`, () => {
      const s = toRunStatus(wf(phase, msg, nodeMsg));
      assert.equal(s.state, state);
      assert.match(s.detail, detail);
    });
  }
  it("done means Succeeded, Failed or Error only", () => {
    assert.deepEqual(["", "Pending", "Running", "Succeeded", "Failed", "Error", "Unknown"].map(isDonePhase), [
      false,
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
  });
  it("an unknown phase is never success", () => {
    for (const p of ["succeeded", "Success", "OK", "Unknown"]) assert.notEqual(toRunStatus(wf(p)).state, "succeeded");
  });
});

describe("Argo log stream", () => {
  it("parses newline-delimited JSON", () => {
    const body = '{"result":{"content":"step 1","podName":"p"}}\n{"result":{"content":"two\\nlines","podName":"p"}}\n';
    assert.deepEqual(
      parseLogStream(body),
      E.right([
        { podName: "p", content: "step 1" },
        { podName: "p", content: "two" },
        { podName: "p", content: "lines" },
      ]),
    );
  });
  it("parses server-sent events with keepalives", () => {
    const body =
      ':\n\ndata: {"result":{"content":"a","podName":"p"}} \n\n:\ndata: {"result":{"content":"b","podName":"p"}} \n\n';
    assert.deepEqual(
      parseLogStream(body),
      E.right([
        { podName: "p", content: "a" },
        { podName: "p", content: "b" },
      ]),
    );
  });
  it("a mid-stream error chunk is an error", () => {
    const body =
      '{"result":{"content":"a"}}\n{"error":{"grpc_code":5,"http_code":404,"message":"pod not found","http_status":"Not Found"}}\n';
    assert.deepEqual(parseLogStream(body), E.left("log stream error: pod not found"));
  });
  it("garbage names its line", () => {
    assert.deepEqual(parseLogStream('{"result":{}}\nnot json\n'), E.left("log stream line 2: not JSON"));
  });
});
