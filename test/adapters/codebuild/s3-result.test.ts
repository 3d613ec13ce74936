import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createCodeBuildRunner } from "../../../src/adapters/codebuild/index.js";
import { artifactKey, parseArtifactLocation } from "../../../src/adapters/codebuild/s3-result.js";
import type { ServiceModel } from "../../support/aws-emulator/botocore-shapes.js";
import { loadBotocoreModel, restRequestToInput, validateShape } from "../../support/aws-emulator/botocore-shapes.js";
import type { RestRequest } from "../../support/aws-emulator/botocore-shapes.js";
import type { Harness } from "./support.js";
import { harness, request, RESULT } from "./support.js";

const BUCKET = "ml-chatops-artifacts";
const PATH = "ml-chatops-result.json";
const PLAIN_LOG = [
  "[Container] 2026/11/27 12:00:00 Entering phase BUILD",
  "[Container] 2026/11/27 12:00:01 Running command npm run experiment",
  "wrote ml-chatops-result.json",
  "[Container] 2026/11/27 12:00:09 Phase complete: BUILD State: SUCCEEDED",
];

let folders = 0;
/** A fresh artifact folder, as CodeBuild reports it for packaging NONE and namespaceType BUILD_ID. */
const folder = (): { readonly location: string; readonly key: string } => {
  const prefix = `results/ml-chatops:${++folders}/out`;
  return { location: `arn:aws:s3:::${BUCKET}/${prefix}`, key: `${prefix}/${PATH}` };
};

describe("CodeBuild runner: the result from an S3 artifact (resultArtifact)", () => {
  let h: Harness;
  let s3Model: ServiceModel;
  before(async () => {
    h = await harness({ resultArtifact: { path: PATH } }, 3, { s3: true });
    s3Model = loadBotocoreModel("s3");
    h.aws.putObject(BUCKET, "placeholder", "{}");
  });
  after(() => h.close());
  beforeEach(() => h.aws.clearInjected());

  it("success: the result comes from S3 while the log carries no markers; GetObject is signed and modelled", async () => {
    const f = folder();
    h.aws.putObject(BUCKET, f.key, JSON.stringify(RESULT));
    h.aws.scriptNextBuild({ logLines: PLAIN_LOG, artifactLocation: f.location });
    const report = await h.run(request({ approvalId: "s3-success" }));
    assert.equal(report.status.state, "succeeded", report.status.detail);
    assert.deepEqual(report.result, RESULT);
    assert.ok(report.logTail.includes("wrote ml-chatops-result.json"), "the log still gives the tail");

    const gets = h.aws.exchanges.filter((e) => e.service === "s3" && e.operation === "GetObject");
    assert.equal(gets.length, 1);
    const got = gets[0];
    assert.ok(got !== undefined);
    assert.equal(got.status, 200);
    const req = got.request as RestRequest;
    assert.equal(req.path, `/${BUCKET}/results/ml-chatops%3A${folders}/out/${PATH}`);
    assert.match(
      req.headers["authorization"] ?? "",
      /Credential=AKIDEMULATOR\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=[^,]*x-amz-content-sha256/,
    );
    const { input, problems } = restRequestToInput(s3Model, "GetObject", req);
    assert.deepEqual(problems, []);
    assert.deepEqual({ Bucket: input["Bucket"], Key: input["Key"] }, { Bucket: BUCKET, Key: f.key });
    assert.deepEqual(validateShape(s3Model, "GetObjectRequest", input), []);
  });

  it("object missing -> a failed run naming the S3 object (NoSuchKey, a modelled GetObject error)", async () => {
    const f = folder();
    h.aws.scriptNextBuild({ logLines: PLAIN_LOG, artifactLocation: f.location });
    const report = await h.run(request({ approvalId: "s3-missing" }));
    assert.equal(report.status.state, "failed");
    assert.match(
      report.status.detail,
      new RegExp(
        `no result artifact at s3://${BUCKET}/${f.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(NoSuchKey\\)`,
      ),
    );
    assert.equal(report.result, undefined);
    const last = h.aws.exchanges.filter((e) => e.operation === "GetObject").at(-1);
    assert.equal(last?.status, 404);
    const code = (last?.response as { Code: string }).Code;
    assert.ok(
      (s3Model.operations["GetObject"]?.errors ?? []).some((e) => e.shape === code),
      `${code} is a modelled GetObject error`,
    );
    assert.deepEqual(
      validateShape(
        s3Model,
        "GetObjectRequest",
        restRequestToInput(s3Model, "GetObject", last?.request as RestRequest).input,
      ),
      [],
    );
  });

  it("corrupt JSON -> failed with the reason", async () => {
    const f = folder();
    h.aws.putObject(BUCKET, f.key, '{"documents": [');
    h.aws.scriptNextBuild({ logLines: PLAIN_LOG, artifactLocation: f.location });
    const report = await h.run(request({ approvalId: "s3-corrupt" }));
    assert.equal(report.status.state, "failed");
    assert.match(report.status.detail, /result artifact s3:\/\/ml-chatops-artifacts\/.*: the result is not JSON/);
  });

  it("wrong shape -> failed with the reason", async () => {
    const f = folder();
    h.aws.putObject(BUCKET, f.key, '{"rankings":{"keywords":{"d":[{"term":"x","score":1e999}]}}}');
    h.aws.scriptNextBuild({ logLines: PLAIN_LOG, artifactLocation: f.location });
    const report = await h.run(request({ approvalId: "s3-shape" }));
    assert.equal(report.status.state, "failed");
    // 1e999 reads as Infinity: refused (check 81), with the JSON path.
    assert.match(report.status.detail, /rankings\.keywords\.d\[0\]\.score: expected a finite number, got Infinity$/);
  });

  it("no artifact location on the build -> failed, saying how to configure the project", async () => {
    h.aws.scriptNextBuild({ logLines: PLAIN_LOG });
    const report = await h.run(request({ approvalId: "s3-no-location" }));
    assert.equal(report.status.state, "failed");
    assert.match(report.status.detail, /no artifact location.*S3 artifacts with packaging NONE/);
  });

  it("an object over the size cap -> failed, not read whole", async () => {
    const small = await harness({ resultArtifact: { path: PATH, maxBytes: 64 } }, 3, { s3: true });
    try {
      const f = folder();
      small.aws.putObject(BUCKET, f.key, JSON.stringify(RESULT) + " ".repeat(200));
      small.aws.scriptNextBuild({ logLines: PLAIN_LOG, artifactLocation: f.location });
      const report = await small.run(request({ approvalId: "s3-big" }));
      assert.equal(report.status.state, "failed");
      assert.match(report.status.detail, /more than the 64 accepted|larger than 64 bytes/);
    } finally {
      await small.close();
    }
  });

  it("the emulator checks the SigV4 signature of GetObject: a wrong secret is refused", async () => {
    const bad = new S3Client({
      endpoint: h.aws.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "wrong" },
    });
    try {
      await assert.rejects(
        bad.send(new GetObjectCommand({ Bucket: BUCKET, Key: "placeholder" })),
        (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(e.name, "SignatureDoesNotMatch");
          assert.equal(e.$metadata?.httpStatusCode, 403);
          return true;
        },
      );
      const ok = await h.s3?.send(new GetObjectCommand({ Bucket: BUCKET, Key: "placeholder" }));
      assert.equal(await ok?.Body?.transformToString(), "{}");
    } finally {
      bad.destroy();
    }
  });

  it("the key is the artifact folder from the location plus the configured path", () => {
    const loc = parseArtifactLocation("arn:aws:s3:::bucket-1/a/b/");
    assert.deepEqual(loc, { _tag: "Right", right: { bucket: "bucket-1", prefix: "a/b" } });
    if (loc._tag === "Right") assert.equal(artifactKey(loc.right, "r.json"), "a/b/r.json");
    const bare = parseArtifactLocation("arn:aws:s3:::bucket-1");
    if (bare._tag === "Right") assert.equal(artifactKey(bare.right, "r.json"), "r.json");
    assert.equal(parseArtifactLocation("s3://bucket-1/a")._tag, "Left");
  });

  it("config with resultArtifact but no s3 client -> throws at construction, saying what to pass", () => {
    const codebuild = new CodeBuildClient({ region: "us-east-1" });
    const logs = new CloudWatchLogsClient({ region: "us-east-1" });
    try {
      assert.throws(
        () => createCodeBuildRunner({ codebuild, logs }, { projectName: "ml-chatops", resultArtifact: { path: PATH } }),
        /resultArtifact is set but deps\.s3 is missing.*S3Client/,
      );
      assert.throws(
        () =>
          createCodeBuildRunner(
            { codebuild, logs },
            { projectName: "ml-chatops", resultArtifact: { path: "../x.json" } },
          ),
        /invalid config/,
      );
    } finally {
      codebuild.destroy();
      logs.destroy();
    }
  });
});
