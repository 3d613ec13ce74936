import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { BatchGetBuildsCommand, StartBuildCommand, StopBuildCommand } from "@aws-sdk/client-codebuild";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { ServiceModel } from "./botocore-shapes.js";
import { loadBotocoreModel, validateExchange, validateShape } from "./botocore-shapes.js";
import { throttling } from "./index.js";
import { harness, logWithResult, request } from "../../adapters/codebuild/support.js";

// CI installs Debian python3-botocore; without it this suite fails with a message saying so.
describe("emulator wire shapes against botocore's service-2.json", () => {
  let codebuild: ServiceModel;
  let logs: ServiceModel;
  before(() => {
    codebuild = loadBotocoreModel("codebuild");
    logs = loadBotocoreModel("logs");
  });

  it("without python3-botocore the failure names the Debian package", () => {
    assert.throws(
      () => loadBotocoreModel("codebuild", "/nonexistent/botocore/data"),
      /install the Debian package python3-botocore/,
    );
  });

  it("the models describe the protocol the emulator speaks", () => {
    assert.deepEqual(
      [
        codebuild.metadata.targetPrefix,
        codebuild.metadata.protocol,
        codebuild.metadata.jsonVersion,
        codebuild.metadata.signatureVersion,
      ],
      ["CodeBuild_20161006", "json", "1.1", "v4"],
    );
    assert.deepEqual(
      [logs.metadata.targetPrefix, logs.metadata.protocol, logs.metadata.jsonVersion],
      ["Logs_20140328", "json", "1.1"],
    );
  });

  it("the validator is not vacuous: it flags wrong enums, missing members, bad timestamps, unknown members", () => {
    const problems = validateShape(codebuild, "BatchGetBuildsOutput", {
      builds: [
        {
          id: "p:1",
          buildStatus: "DONE",
          startTime: "2026-11-27",
          phases: [{ phaseType: "BUILD", durationInSeconds: 1.5 }],
          surprise: 1,
        },
      ],
    });
    assert.deepEqual(problems, [
      '$.builds[0].buildStatus: "DONE" is not one of SUCCEEDED|FAILED|FAULT|TIMED_OUT|IN_PROGRESS|STOPPED',
      "$.builds[0].startTime: expected epoch seconds as a number (Timestamp)",
      "$.builds[0].phases[0].durationInSeconds: expected an integer (WrapperLong)",
      "$.builds[0].surprise: not a member of Build",
    ]);
    assert.deepEqual(
      validateShape(codebuild, "StartBuildInput", {
        environmentVariablesOverride: [{ name: "A", value: "1", type: "SHELL" }],
      }),
      [
        "$.projectName: required member of StartBuildInput is missing",
        '$.environmentVariablesOverride[0].type: "SHELL" is not one of PLAINTEXT|PARAMETER_STORE|SECRETS_MANAGER',
      ],
    );
    assert.deepEqual(
      validateExchange(logs, "GetLogEvents", { logGroupName: "g", logStreamName: "s" }, 400, {
        __type: "AccountLimitExceededException",
        message: "x",
      }).length,
      1,
    );
  });

  it("every request and answer of every runner scenario conforms (success, failures, throttling, not-found, logs, cancel)", async () => {
    const h = await harness();
    try {
      const scripts = [
        { logLines: logWithResult(), pageSize: 2, emptyPageEvery: 3, lateLines: 2 },
        { final: "FAILED" as const, logLines: ["boom"] },
        { final: "FAULT" as const },
        { final: "TIMED_OUT" as const, failingPhase: "QUEUED" as const },
        { final: "STOPPED" as const },
        { notFoundPolls: 2, logsMissingCalls: 2, logLines: logWithResult() },
        { logsDisabled: true },
        { resolvedSourceVersion: "f".repeat(40) },
      ];
      for (const s of scripts) {
        h.aws.scriptNextBuild(s);
        await h.run(request());
      }
      h.aws.inject("StartBuild", throttling, 2);
      h.aws.inject("BatchGetBuilds", throttling, 4);
      h.aws.inject("GetLogEvents", throttling, 2);
      h.aws.scriptNextBuild({ logLines: logWithResult() });
      await h.run(request());
      h.aws.inject("StartBuild", {
        status: 400,
        type: "AccountLimitExceededException",
        message: "Cannot have more than 1 active builds for the account",
      });
      await h.runner.start(request())();
      h.aws.scriptNextBuild({ pollsPerPhase: 4 });
      const started = await h.runner.start(request())();
      assert.ok(started._tag === "Right");
      await h.runner.cancel(started.right)();
      // Direct calls for the error paths the runner never takes on purpose.
      const cb = h.clients.codebuild;
      await cb.send(new StartBuildCommand({ projectName: "missing-project" })).catch(() => undefined);
      await cb.send(new StartBuildCommand({} as never)).catch(() => undefined);
      await cb.send(new BatchGetBuildsCommand({ ids: [] })).catch(() => undefined);
      await cb.send(new StopBuildCommand({ id: "ml-chatops:nope" })).catch(() => undefined);
      await h.clients.logs
        .send(new GetLogEventsCommand({ logGroupName: "/aws/codebuild/none", logStreamName: "x" }))
        .catch(() => undefined);
      await h.clients.logs
        .send(
          new GetLogEventsCommand({
            logGroupName: "/aws/codebuild/ml-chatops",
            logStreamName: "x",
            nextToken: "bogus",
          }),
        )
        .catch(() => undefined);

      const ops = new Set(h.aws.exchanges.map((e) => `${e.operation}:${e.status}`));
      for (const needed of [
        "StartBuild:200",
        "StartBuild:400",
        "BatchGetBuilds:200",
        "BatchGetBuilds:400",
        "StopBuild:200",
        "StopBuild:400",
        "GetLogEvents:200",
        "GetLogEvents:400",
      ]) {
        assert.ok(ops.has(needed), `scenario set covers ${needed}`);
      }
      const problems = h.aws.exchanges.flatMap((e) => {
        const model = e.service === "logs" ? logs : codebuild;
        const input = model.operations[e.operation]?.input?.shape ?? "";
        const badRequest = e.request !== undefined && validateShape(model, input, e.request).length > 0;
        // A request the model forbids (sent on purpose above) must be refused with a modelled error.
        if (badRequest)
          return e.status === 400
            ? validateExchange(model, e.operation, undefined, e.status, e.response)
            : [`${e.operation}: invalid request accepted`];
        return validateExchange(model, e.operation, e.request, e.status, e.response);
      });
      assert.deepEqual(problems, []);
      assert.ok(
        h.aws.exchanges.some(
          (e) =>
            e.operation === "StartBuild" &&
            e.status === 400 &&
            (e.response as { __type: string }).__type === "InvalidInputException",
        ),
      );
      assert.ok(h.aws.exchanges.length > 100, `checked ${h.aws.exchanges.length} exchanges`);
    } finally {
      await h.close();
    }
  });
});
