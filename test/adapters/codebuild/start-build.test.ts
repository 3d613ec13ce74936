import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { idempotencyTokenOf } from "../../../src/adapters/codebuild/runner.js";
import { paramEnvName, reservedReason, toEnvironmentOverrides } from "../../../src/adapters/codebuild/env-vars.js";
import type { Harness } from "./support.js";
import { harness, request, SHA } from "./support.js";
import { assertLeft } from "../../support/assert-error.js";

// Values from the bot's own credential set, as they would sit in the process running the bot.
const BOT_SECRETS = {
  GITHUB_TOKEN: "ghs_botinstallationtoken0123456789abcdefXYZ",
  APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA",
  WEBHOOK_SECRET: "whsec-0123456789",
  AWS_SECRET_ACCESS_KEY: "emulator-secret-key",
  AWS_SESSION_TOKEN: "FwoGZXIvYXdzEBYaDSessionToken",
};

describe("StartBuild input", () => {
  let h: Harness;
  before(async () => {
    h = await harness({
      imageOverride: "aws/codebuild/standard:7.0",
      computeTypeOverride: "BUILD_GENERAL1_MEDIUM",
      timeoutInMinutes: 30,
      queuedTimeoutInMinutes: 60,
    });
  });
  after(() => h.close());

  it("check 6, 11, 69: snapshot of the wire request: pinned SHA, PLAINTEXT only, overrides from config, no secrets", async () => {
    const req = request({
      approvalId: "approval-snapshot",
      params: { max_df: "0.4", top: "5", note: "$(id); `rm -rf /` 'x'" },
    });
    const started = await h.runner.start(req)();
    assert.ok(started._tag === "Right");
    const sent = h.aws.requestsOf("StartBuild").at(-1);
    assert.deepEqual(sent, {
      projectName: "ml-chatops",
      sourceVersion: SHA,
      environmentVariablesOverride: [
        { name: "ML_CHATOPS_EXPERIMENT", value: "tfidf-keywords", type: "PLAINTEXT" },
        { name: "ML_CHATOPS_PINNED_SHA", value: SHA, type: "PLAINTEXT" },
        { name: "ML_CHATOPS_RUN_KEY", value: "octo/kw#7:tfidf-keywords", type: "PLAINTEXT" },
        { name: "ML_CHATOPS_PARAM_MAX_DF", value: "0.4", type: "PLAINTEXT" },
        // Passed as data: the buildspec only ever reads it as "$ML_CHATOPS_PARAM_NOTE".
        { name: "ML_CHATOPS_PARAM_NOTE", value: "$(id); `rm -rf /` 'x'", type: "PLAINTEXT" },
        { name: "ML_CHATOPS_PARAM_TOP", value: "5", type: "PLAINTEXT" },
      ],
      idempotencyToken: idempotencyTokenOf(req),
      timeoutInMinutesOverride: 30,
      queuedTimeoutInMinutesOverride: 60,
      imageOverride: "aws/codebuild/standard:7.0",
      computeTypeOverride: "BUILD_GENERAL1_MEDIUM",
    });
    const wire = JSON.stringify(sent);
    for (const [name, value] of Object.entries(BOT_SECRETS))
      assert.ok(!wire.includes(value), `${name} must not reach the build`);
    assert.ok(!/buildspecOverride/.test(wire), "no buildspec built from the request");
    assert.match(idempotencyTokenOf(req), /^[0-9a-f]{64}$/);
  });

  it("check 11: a ref instead of a 40-hex SHA is refused before any call", async () => {
    const before = h.aws.requestsOf("StartBuild").length;
    for (const ref of ["pr/7", "feature", "refs/pull/7/head", "0123456", SHA.toUpperCase()]) {
      const r = await h.runner.start(request({ pinnedSha: ref as never }))();
      assertLeft(r, "RunRejected", /^reason=the pinned commit must be a full 40-hex SHA \(never a branch or pr\/N\)$/);
    }
    assert.equal(h.aws.requestsOf("StartBuild").length, before);
  });

  it("check 69: a user-supplied type is ignored: every variable is PLAINTEXT", async () => {
    const r = toEnvironmentOverrides(
      request({ params: { type: "PARAMETER_STORE", value: "/prod/db-password" } }),
      "ML_CHATOPS_PARAM_",
      [],
    );
    assert.ok(E.isRight(r));
    assert.ok(r.right.every((v) => v.type === "PLAINTEXT"));
  });

  const reserved: ReadonlyArray<[string, string]> = [
    ["PATH", "PATH is reserved"],
    ["LD_PRELOAD", "LD_PRELOAD is reserved"],
    ["BASH_ENV", "BASH_ENV is reserved"],
    ["ENV", "ENV is reserved"],
    ["NODE_OPTIONS", "NODE_OPTIONS is reserved"],
    ["PYTHONPATH", "PYTHONPATH is reserved (PYTHON*)"],
    ["AWS_REGION", "AWS_REGION is reserved (AWS_*)"],
    ["CODEBUILD_SRC_DIR", "CODEBUILD_SRC_DIR is reserved (CODEBUILD_*)"],
    ["GITHUB_TOKEN", "GITHUB_TOKEN is reserved (GITHUB_*)"],
    ["ML_CHATOPS_PINNED_SHA", "ML_CHATOPS_PINNED_SHA is set by the runner"],
    ["CORPUS_PATH", "CORPUS_PATH is defined by the CodeBuild project"],
    ["1BAD", '"1BAD" is not a valid environment variable name'],
    ["A B", '"A B" is not a valid environment variable name'],
  ];
  for (const [name, why] of reserved) {
    it(`check 69: ${name} cannot be set from a request`, () =>
      assert.equal(reservedReason(name, ["corpus_path"]), why));
  }

  it("check 69: with an empty prefix, a parameter named like a reserved variable is refused, nothing is sent", async () => {
    const bare = await harness({ paramEnvPrefix: "P_" });
    const ok = toEnvironmentOverrides(request({ params: { path: "x" } }), "P_", []);
    assert.ok(E.isRight(ok), "prefixed names are fine");
    const bad = toEnvironmentOverrides(request({ params: { path: "/tmp/evil" } }), "", []);
    assert.deepEqual(bad, E.left({ _tag: "RunRejected", reason: 'parameter "path": PATH is reserved' }));
    const newline = toEnvironmentOverrides(request({ params: { top: "5\nrm -rf /" } }), "P_", []);
    assert.deepEqual(
      newline,
      E.left({ _tag: "RunRejected", reason: 'parameter "top": value contains control characters' }),
    );
    assert.equal(paramEnvName("ML_CHATOPS_PARAM_", "max-df"), "ML_CHATOPS_PARAM_MAX_DF");
    await bare.close();
  });
});
