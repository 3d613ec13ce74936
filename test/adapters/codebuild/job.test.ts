// The CodeBuild runner hands the build its job for `ml-chatops exec` (ML_CHATOPS_JOB, PLAINTEXT),
// built by the caller from the default branch's declaration, and refuses a request without one.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createCodeBuildRunner } from "../../../src/adapters/codebuild/index.js";
import { decodeJobSpec, type JobFor } from "../../../src/core/job-spec.js";
import { toJobSpec } from "../../../src/cli/runners/job.js";
import {
  createEmulatorClients,
  destroyClients,
  startAwsEmulator,
  type AwsEmulator,
} from "../../support/aws-emulator/index.js";
import { request, SHA } from "./support.js";

const train = {
  id: "tfidf-keywords",
  command: ["python3", "train.py"],
  resultPath: "out/result.json",
  paramEnv: (p: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [`ML_CHATOPS_PARAM_${k.toUpperCase()}`, v])),
};

describe("CodeBuild runner: the job for ml-chatops exec", () => {
  let aws: AwsEmulator;
  let clients: ReturnType<typeof createEmulatorClients>;
  before(async () => {
    aws = await startAwsEmulator({ projects: ["ml-chatops"] });
    clients = createEmulatorClients(aws.endpoint, 1);
  });
  after(async () => {
    destroyClients(clients);
    await aws.close();
  });

  it("sends ML_CHATOPS_JOB as the first PLAINTEXT variable, exactly the job the caller built", async () => {
    const job: JobFor = (req) => toJobSpec(train, req.params, req.pinnedSha);
    const runner = createCodeBuildRunner({ ...clients, job }, { projectName: "ml-chatops" });
    const started = await runner.start(request({ approvalId: "approval-job", params: { c: "0.2" } }))();
    assert.equal(started._tag, "Right");
    const env = aws.requestsOf("StartBuild").at(-1)?.["environmentVariablesOverride"] as ReadonlyArray<{
      name: string;
      value: string;
      type: string;
    }>;
    assert.equal(env[0]?.name, "ML_CHATOPS_JOB");
    assert.equal(env[0]?.type, "PLAINTEXT");
    assert.deepEqual(
      decodeJobSpec(env[0]?.value ?? ""),
      E.right({
        v: 1,
        experiment: "tfidf-keywords",
        sha: SHA,
        command: ["python3", "train.py"],
        result: "out/result.json",
        env: { ML_CHATOPS_PARAM_C: "0.2" },
      }),
    );
  });

  it("a job the caller cannot build refuses the run before StartBuild, saying why", async () => {
    const runner = createCodeBuildRunner(
      { ...clients, job: () => E.left("unknown experiment nope") },
      { projectName: "ml-chatops" },
    );
    const calls = aws.requestsOf("StartBuild").length;
    const started = await runner.start(request({ approvalId: "approval-nojob" }))();
    assert.deepEqual(
      started,
      E.left({ _tag: "RunRejected", reason: "the job of tfidf-keywords: unknown experiment nope" }),
    );
    assert.equal(aws.requestsOf("StartBuild").length, calls);
  });
});
