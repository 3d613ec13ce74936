import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createGitHubActionsCliRunner } from "../../../src/cli/runners/github-actions.js";
import { toRunKey } from "../../../src/core/model.js";
import type { RunRequest, Sha } from "../../../src/core/model.js";
import { useFakeActionsWorld } from "./fake-actions.js";
import { testJob } from "../../support/test-job.js";

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const SHA = "0123456789abcdef0123456789abcdef01234567" as Sha;
const req: RunRequest = {
  runKey: toRunKey({ owner: "octo", repo: "kw", number: 9 }, "tfidf-keywords"),
  experimentId: "tfidf-keywords",
  params: {},
  pinnedSha: SHA,
  pr: { owner: "octo", repo: "kw", number: 9, headRef: "x", headSha: SHA },
  approvalId: "cli-a",
};

describe("CLI --runner github-actions (src/cli/runners/github-w.actions.ts)", () => {
  const w = useFakeActionsWorld();

  it("dispatches with the bot's PAT, the configured ref and the default workflow file", async () => {
    const runner = createGitHubActionsCliRunner({
      env: { ML_CHATOPS_TOKEN: w.token, GITHUB_API_URL: w.server.baseUrl },
      settings: { ref: "main" },
      logger,
      job: testJob,
    });
    const h = await runner.start(req)();
    assert.ok(E.isRight(h), JSON.stringify(h));
    assert.equal(w.actions.runs.at(-1)?.inputs["sha"], SHA);
    assert.equal(w.actions.runs.at(-1)?.ref, "main");
  });

  it("check 3: the Actions GITHUB_TOKEN alone is refused with an explanation", () => {
    assert.throws(
      () =>
        createGitHubActionsCliRunner({
          env: { GITHUB_TOKEN: "ghs_x", GITHUB_API_URL: w.server.baseUrl },
          settings: { ref: "main" },
          logger,
        }),
      /GITHUB_TOKEN/,
    );
  });

  it("check 70: without a configured default branch it refuses to build", () => {
    assert.throws(
      () => createGitHubActionsCliRunner({ env: { ML_CHATOPS_TOKEN: w.token }, settings: {}, logger }),
      /ML_CHATOPS_WORKFLOW_REF/,
    );
    assert.throws(
      () =>
        createGitHubActionsCliRunner({
          env: { ML_CHATOPS_TOKEN: w.token },
          settings: { ref: "main", repository: "nope" },
          logger,
        }),
      /owner\/repo/,
    );
  });
});
