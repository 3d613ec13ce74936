import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCodeBuildRunner } from "../../../src/adapters/codebuild/index.js";
import { deadlineMsOf, resolveCodeBuildConfig } from "../../../src/adapters/codebuild/config.js";
import { createEmulatorClients, destroyClients } from "../../support/aws-emulator/index.js";

describe("CodeBuild runner config", () => {
  it("merges over defaults", () => {
    const c = resolveCodeBuildConfig({ projectName: "p", poll: { maxMs: 10_000 } });
    assert.equal(c.timeoutInMinutes, 60);
    assert.equal(c.queuedTimeoutInMinutes, 480);
    assert.deepEqual(c.poll, {
      initialMs: 5_000,
      maxMs: 10_000,
      factor: 1.5,
      jitter: 0.2,
      throttleStepMs: 15_000,
      throttleMaxMs: 60_000,
      logIntervalMs: 5_000,
    });
    assert.equal(c.imageOverride, undefined);
  });

  it("check 56: the deadline is queue timeout + build timeout + margin", () => {
    assert.equal(
      deadlineMsOf(
        resolveCodeBuildConfig({
          projectName: "p",
          timeoutInMinutes: 30,
          queuedTimeoutInMinutes: 10,
          deadlineMarginMs: 60_000,
        }),
      ),
      41 * 60_000,
    );
  });

  const bad: ReadonlyArray<[string, unknown, RegExp]> = [
    ["no project", {}, /invalid config: .*projectName/],
    ["timeout below CodeBuild's minimum", { projectName: "p", timeoutInMinutes: 2 }, /timeoutInMinutes/],
    ["lower-case env prefix", { projectName: "p", paramEnvPrefix: "param_" }, /paramEnvPrefix/],
    ["jitter above 1", { projectName: "p", poll: { jitter: 2 } }, /poll.*jitter/],
  ];
  for (const [name, input, message] of bad) {
    it(`throws at construction: ${name}`, () => {
      const clients = createEmulatorClients("http://127.0.0.1:9");
      assert.throws(
        () => createCodeBuildRunner(clients, input),
        (e: Error) => {
          assert.match(e.message, message);
          assert.match(e.message, /^createCodeBuildRunner: invalid config: /);
          assert.ok(!e.message.includes("\n"), "one line");
          return true;
        },
      );
      destroyClients(clients);
    });
  }
});
