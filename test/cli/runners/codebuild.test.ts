import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCodeBuildRunnerFromEnv } from "../../../src/cli/runners/codebuild.js";
import type { Logger } from "../../../src/core/ports.js";
import type { AwsEmulator } from "../../support/aws-emulator/index.js";
import { startAwsEmulator, TEST_CREDENTIALS, TEST_REGION } from "../../support/aws-emulator/index.js";
import { request } from "../../adapters/codebuild/support.js";

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe("--runner codebuild (CLI factory)", () => {
  let aws: AwsEmulator;
  let env: Record<string, string>;
  before(async () => {
    aws = await startAwsEmulator({ projects: ["from-env", "from-settings"] });
    env = {
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ML_CHATOPS_CODEBUILD_ENDPOINT: aws.endpoint,
      ML_CHATOPS_LOGS_ENDPOINT: aws.endpoint,
    };
  });
  after(() => aws.close());

  const ctx = (e: Record<string, string>, settings: Record<string, unknown> = {}) => ({
    flags: {},
    env: e,
    cwd: "/",
    experiments: [],
    settings,
    logger: quiet,
  });

  it("builds the runner from the environment and the repo config's settings (never from a comment)", async () => {
    const runner = createCodeBuildRunnerFromEnv(
      () => () => undefined,
      () => undefined,
    )(ctx({ ...env, ML_CHATOPS_CODEBUILD_PROJECT: "from-env" }, { timeoutInMinutes: 20, unknownKey: "ignored" }));
    assert.equal(runner.kind, "codebuild");
    const h = await runner.start(request())();
    assert.ok(h._tag === "Right");
    const sent = aws.requestsOf("StartBuild").at(-1)!;
    assert.equal(sent["projectName"], "from-env");
    assert.equal(sent["timeoutInMinutesOverride"], 20);
    const bySettings = createCodeBuildRunnerFromEnv(
      () => () => undefined,
      () => undefined,
    )(ctx(env, { projectName: "from-settings" }));
    assert.ok((await bySettings.start(request())())._tag === "Right");
    assert.equal(aws.requestsOf("StartBuild").at(-1)!["projectName"], "from-settings");
  });

  it("check 61: SIGTERM stops the builds still running (StopBuild), then exits 143", async () => {
    let fire: ((s: string) => void) | undefined;
    let unsubscribed = false;
    const exited: number[] = [];
    const runner = createCodeBuildRunnerFromEnv(
      (handler) => {
        fire = handler;
        return () => void (unsubscribed = true);
      },
      (code) => void exited.push(code),
    )(ctx({ ...env, ML_CHATOPS_CODEBUILD_PROJECT: "from-env" }));
    aws.scriptNextBuild({ pollsPerPhase: 100 });
    const h = await runner.start(request())();
    assert.ok(h._tag === "Right" && fire !== undefined);
    fire("SIGTERM");
    while (exited.length === 0) await new Promise((r) => setImmediate(r));
    assert.deepEqual(aws.requestsOf("StopBuild").at(-1), { id: h.right.id });
    assert.deepEqual(exited, [143]);
    await runner.cancel(h.right)();
    assert.equal(unsubscribed, true, "no handler left once nothing runs");
  });

  const bad: ReadonlyArray<[string, Record<string, string>, RegExp]> = [
    ["no project", {}, /set ML_CHATOPS_CODEBUILD_PROJECT/],
    ["no region", { ML_CHATOPS_CODEBUILD_PROJECT: "p", AWS_REGION: "" }, /AWS_REGION is not set/],
  ];
  for (const [name, extra, message] of bad) {
    it(`refuses to start without settings: ${name}`, () => {
      assert.throws(() => createCodeBuildRunnerFromEnv()(ctx({ ...env, ...extra })), message);
    });
  }
});
