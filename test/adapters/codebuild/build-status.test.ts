import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeBuild, toRunStatus } from "../../../src/adapters/codebuild/build-status.js";
import type { CodeBuildBuild } from "../../../src/adapters/codebuild/build-status.js";
import { describeError } from "../../../src/core/errors.js";

const phases = (failing: string, status: string, after: ReadonlyArray<string> = ["FINALIZING"]) => [
  { phaseType: "SUBMITTED", phaseStatus: "SUCCEEDED" },
  {
    phaseType: failing,
    phaseStatus: status,
    contexts: [{ statusCode: "COMMAND_EXECUTION_ERROR", message: "exit status 1" }],
  },
  ...after.map((p) => ({ phaseType: p, phaseStatus: "SUCCEEDED" })),
  { phaseType: "COMPLETED" },
];

describe("check 55: CodeBuild status -> RunStatus", () => {
  const cases: ReadonlyArray<[string, CodeBuildBuild, string, string | undefined, RegExp]> = [
    [
      "SUCCEEDED",
      { id: "b", buildStatus: "SUCCEEDED", buildComplete: true, currentPhase: "COMPLETED" },
      "succeeded",
      "COMPLETED",
      /succeeded/,
    ],
    [
      "FAILED in BUILD, artifacts uploaded after it",
      {
        id: "b",
        buildStatus: "FAILED",
        buildComplete: true,
        currentPhase: "COMPLETED",
        phases: phases("BUILD", "FAILED", ["POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING"]),
      },
      "failed",
      "BUILD",
      /^experiment failed in phase BUILD: exit status 1$/,
    ],
    [
      "FAULT",
      { id: "b", buildStatus: "FAULT", buildComplete: true, phases: phases("PROVISIONING", "FAULT") },
      "errored",
      "PROVISIONING",
      /infrastructure fault.*not an experiment failure/,
    ],
    [
      "TIMED_OUT",
      { id: "b", buildStatus: "TIMED_OUT", buildComplete: true, phases: phases("BUILD", "TIMED_OUT") },
      "errored",
      "BUILD",
      /^timed out in phase BUILD/,
    ],
    [
      "TIMED_OUT in the queue",
      { id: "b", buildStatus: "TIMED_OUT", buildComplete: true, phases: phases("QUEUED", "TIMED_OUT") },
      "errored",
      "QUEUED",
      /never started/,
    ],
    [
      "STOPPED",
      { id: "b", buildStatus: "STOPPED", buildComplete: true, phases: phases("BUILD", "STOPPED") },
      "cancelled",
      "BUILD",
      /stopped in phase BUILD/,
    ],
    [
      "IN_PROGRESS, queued",
      { id: "b", buildStatus: "IN_PROGRESS", currentPhase: "QUEUED" },
      "queued",
      "QUEUED",
      /phase QUEUED/,
    ],
    [
      "IN_PROGRESS, building",
      { id: "b", buildStatus: "IN_PROGRESS", currentPhase: "BUILD" },
      "running",
      "BUILD",
      /phase BUILD/,
    ],
    [
      "COMPLETED phase but buildComplete false and IN_PROGRESS: not done",
      { id: "b", buildStatus: "IN_PROGRESS", currentPhase: "COMPLETED", buildComplete: false },
      "running",
      "COMPLETED",
      /COMPLETED/,
    ],
    [
      "unknown final value -> never success",
      { id: "b", buildStatus: "PAUSED_FOREVER", buildComplete: true },
      "errored",
      undefined,
      /unknown final status PAUSED_FOREVER/,
    ],
    [
      "unknown value while not complete -> still waiting",
      { id: "b", buildStatus: "WARMING_UP", buildComplete: false, currentPhase: "BUILD" },
      "running",
      "BUILD",
      /unknown status WARMING_UP/,
    ],
    [
      "terminal status without buildComplete counts as complete",
      { id: "b", buildStatus: "FAILED", phases: phases("INSTALL", "FAILED") },
      "failed",
      "INSTALL",
      /phase INSTALL/,
    ],
  ];
  for (const [name, build, state, phase, detail] of cases) {
    it(name, () => {
      const s = toRunStatus(build);
      assert.equal(s.state, state);
      assert.equal(s.phase, phase);
      assert.match(s.detail, detail);
    });
  }
});

describe("check 81: an unreadable BatchGetBuilds answer", () => {
  it("is RunnerInvalidResponse naming the field, even when the value is nested 100,000 deep", () => {
    // A serialising reporter would stringify the whole value and overflow the stack here.
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const decoded = decodeBuild({ id: "b", buildStatus: deep });
    assert.ok(decoded._tag === "Left");
    assert.equal(decoded.left._tag, "RunnerInvalidResponse");
    assert.match(describeError(decoded.left), /unreadable build: buildStatus: expected string/);
  });
});
