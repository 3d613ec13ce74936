import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException as LogsNotFound,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  InvalidInputException,
  ResourceNotFoundException,
  StartBuildCommand,
  StopBuildCommand,
} from "@aws-sdk/client-codebuild";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { AwsEmulator, SdkClients } from "./index.js";
import { createEmulatorClients, destroyClients, startAwsEmulator, TEST_REGION, throttling } from "./index.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("aws emulator, driven by the real SDK clients", () => {
  let aws: AwsEmulator;
  let c: SdkClients;
  before(async () => {
    aws = await startAwsEmulator();
    c = createEmulatorClients(aws.endpoint);
  });
  after(async () => {
    destroyClients(c);
    await aws.close();
  });

  it("StartBuild then BatchGetBuilds walks the phases to SUCCEEDED", async () => {
    aws.scriptNextBuild({ logLines: ["a", "b"] });
    const started = await c.codebuild.send(new StartBuildCommand({ projectName: "ml-chatops", sourceVersion: SHA }));
    const id = started.build?.id ?? "";
    assert.equal(started.build?.buildStatus, "IN_PROGRESS");
    assert.ok(started.build?.startTime instanceof Date);
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const out = await c.codebuild.send(new BatchGetBuildsCommand({ ids: [id] }));
      const b = out.builds?.[0];
      seen.push(b?.currentPhase ?? "?");
      if (b?.buildComplete) {
        assert.equal(b.buildStatus, "SUCCEEDED");
        assert.equal(b.resolvedSourceVersion, SHA);
        break;
      }
    }
    assert.deepEqual(seen.slice(0, 3), ["QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE"]);
    assert.equal(seen.at(-1), "COMPLETED");
  });

  it("modelled errors reach the SDK as their classes", async () => {
    await assert.rejects(c.codebuild.send(new StartBuildCommand({ projectName: "nope" })), (e: unknown) => {
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
    // The SDK sends {} without checking required members; the service must refuse it.
    await assert.rejects(c.codebuild.send(new StartBuildCommand({} as never)), InvalidInputException);
    await assert.rejects(c.codebuild.send(new BatchGetBuildsCommand({ ids: [] })), InvalidInputException);
    await assert.rejects(
      c.codebuild.send(new StopBuildCommand({ id: "ml-chatops:missing" })),
      ResourceNotFoundException,
    );
  });

  it("SigV4: a wrong secret is refused with InvalidSignatureException (403)", async () => {
    const bad = new CodeBuildClient({
      endpoint: aws.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "wrong" },
      maxAttempts: 1,
    });
    await assert.rejects(bad.send(new BatchGetBuildsCommand({ ids: ["x"] })), (e: unknown) => {
      assert.equal((e as Error).name, "InvalidSignatureException");
      assert.equal((e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 403);
      return true;
    });
    const wrongRegion = new CodeBuildClient({
      endpoint: aws.endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret-key" },
      maxAttempts: 1,
    });
    await assert.rejects(wrongRegion.send(new BatchGetBuildsCommand({ ids: ["x"] })), /scoped to a valid region/);
    bad.destroy();
    wrongRegion.destroy();
  });

  it("ThrottlingException is retried by the SDK's standard strategy", async () => {
    aws.inject("BatchGetBuilds", throttling, 2);
    const before = aws.exchanges.length;
    const out = await c.codebuild.send(new BatchGetBuildsCommand({ ids: ["ml-chatops:unknown"] }));
    assert.deepEqual(out.buildsNotFound, ["ml-chatops:unknown"]);
    assert.equal(out.$metadata.attempts, 3);
    assert.equal(aws.exchanges.length - before, 3);
    const once = new CodeBuildClient({
      endpoint: aws.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret-key" },
      retryStrategy: new ConfiguredRetryStrategy(1, 0),
    });
    aws.inject("BatchGetBuilds", throttling, 5);
    await assert.rejects(
      once.send(new BatchGetBuildsCommand({ ids: ["x"] })),
      (e: unknown) => (e as Error).name === "ThrottlingException",
    );
    once.destroy();
    aws.clearInjected();
  });

  it("GetLogEvents pages forward and returns the same token at the end of the stream", async () => {
    aws.scriptNextBuild({ logLines: ["one", "two", "three"], pageSize: 2, logsMissingCalls: 1 });
    const b = (await c.codebuild.send(new StartBuildCommand({ projectName: "ml-chatops", sourceVersion: SHA }))).build!;
    for (let i = 0; i < 12; i++) await c.codebuild.send(new BatchGetBuildsCommand({ ids: [b.id!] }));
    const group = b.logs?.groupName ?? "";
    const stream = b.logs?.streamName ?? "";
    await assert.rejects(
      c.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true })),
      LogsNotFound,
    );
    const p1 = await c.logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }),
    );
    assert.deepEqual(
      p1.events?.map((e) => e.message),
      ["one\n", "two\n"],
    );
    assert.equal(typeof p1.events?.[0]?.timestamp, "number");
    const p2 = await c.logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        startFromHead: true,
        nextToken: p1.nextForwardToken,
      }),
    );
    assert.deepEqual(
      p2.events?.map((e) => e.message),
      ["three\n"],
    );
    const p3 = await c.logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        startFromHead: true,
        nextToken: p2.nextForwardToken,
      }),
    );
    assert.deepEqual(p3.events, []);
    assert.equal(p3.nextForwardToken, p2.nextForwardToken);
  });

  it("the logs client signs for service 'logs' and is refused on an unknown group", async () => {
    await assert.rejects(
      new CloudWatchLogsClient({
        endpoint: aws.endpoint,
        region: TEST_REGION,
        credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret-key" },
      }).send(new GetLogEventsCommand({ logGroupName: "/aws/codebuild/none", logStreamName: "s" })),
      /log group does not exist/,
    );
  });
});
