// The job a runner hands to `ml-chatops exec` (ML_CHATOPS_JOB): built from a declared
// experiment, bounded, and refused with one line naming the field.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { JOB_LIMITS, decodeJobSpec, encodeJobSpec } from "../../src/core/job-spec.js";
import { toJobSpec } from "../../src/cli/runners/job.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const train = {
  id: "train",
  command: ["python3", "train.py"],
  resultPath: "out/result.json",
  timeoutMs: 600_000,
  paramEnv: (p: Readonly<Record<string, string>>) => ({
    ML_CHATOPS_PARAM_C: p["c"] ?? "",
    ML_CHATOPS_PARAMS_JSON: JSON.stringify({ c: Number(p["c"]) }),
  }),
};

describe("job spec", () => {
  it("is built from the declaration and the approved parameters, and reads back the same", () => {
    const job = toJobSpec(train, { c: "0.2" }, SHA);
    assert.deepEqual(job, {
      _tag: "Right",
      right: {
        v: 1,
        experiment: "train",
        sha: SHA,
        command: ["python3", "train.py"],
        result: "out/result.json",
        timeoutMs: 600_000,
        env: { ML_CHATOPS_PARAM_C: "0.2", ML_CHATOPS_PARAMS_JSON: '{"c":0.2}' },
      },
    });
    if (job._tag === "Right") assert.deepEqual(decodeJobSpec(encodeJobSpec(job.right)), job);
  });

  const bad: ReadonlyArray<readonly [string, unknown, string]> = [
    ["another version", { v: 2 }, "v: expected 1 (this ml-chatops reads version 1 jobs), got 2"],
    ["a short SHA", { sha: "0123456" }, 'sha: expected a full 40-hex commit SHA, got "0123456"'],
    ["an empty argv", { command: [] }, "command: expected a non-empty argv list"],
    ["a NUL in the argv", { command: ["python3", "a\u0000b"] }, "command[1]: contains a NUL character"],
    [
      "an absolute result path",
      { result: "/etc/passwd" },
      'result: expected a path relative to the checkout, got "/etc/passwd"',
    ],
    [
      "a timeout over 24 h",
      { timeoutMs: 24 * 3_600_000 + 1 },
      "timeoutMs: expected a whole number of milliseconds up to 24 h, got 86400001",
    ],
    [
      "a variable that is no parameter",
      { env: { PATH: "/tmp" } },
      "env.PATH: not a valid name (ML_CHATOPS_PARAM_<KEY> or ML_CHATOPS_PARAMS_JSON)",
    ],
    ["a bad experiment id", { experiment: "Train!" }, 'experiment: expected an experiment id, got "Train!"'],
  ];
  for (const [name, patch, message] of bad) {
    it(`refuses ${name}`, () => {
      const good = {
        v: 1,
        experiment: "train",
        sha: SHA,
        command: ["python3", "train.py"],
        result: "out/result.json",
        env: {},
      };
      assert.deepEqual(decodeJobSpec(JSON.stringify({ ...good, ...(patch as object) })), {
        _tag: "Left",
        left: message,
      });
    });
  }

  it("refuses a job larger than the cap before parsing it", () => {
    const text = " ".repeat(JOB_LIMITS.maxBytes + 1);
    assert.deepEqual(decodeJobSpec(text), {
      _tag: "Left",
      left: `the job is ${JOB_LIMITS.maxBytes + 1} characters; at most ${JOB_LIMITS.maxBytes} are read`,
    });
  });
});
