import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createGitHubActionsCliRunner } from "../../../src/cli/runners/github-actions.js";
import { toRunKey } from "../../../src/core/model.js";
import type { RunRequest, Sha } from "../../../src/core/model.js";
import { createFakeGitHub } from "../../support/fake-github/index.js";
import type { FakeGitHub } from "../../support/fake-github/index.js";
import { addFakeActions, FAKE_ACTIONS_OPERATIONS } from "./fake-actions.js";

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

describe("CLI --runner github-actions (src/cli/runners/github-actions.ts)", () => {
  let gh: FakeGitHub;
  let actions: Awaited<ReturnType<typeof addFakeActions>>;
  let server: { baseUrl: string; close: () => Promise<void> };
  let token: string;
  before(async () => {
    gh = await createFakeGitHub({ extraOperations: FAKE_ACTIONS_OPERATIONS });
    const bot = gh.addUser("ml-chatops-bot");
    const repo = gh.addRepo("octo", "kw");
    gh.grant(repo, bot, "write");
    token = gh.addToken(bot);
    actions = await addFakeActions(gh, repo);
    server = await gh.listen();
  });
  after(async () => {
    await server.close();
    await actions.close();
    assert.deepEqual(gh.problems, []);
  });

  it("dispatches with the bot's PAT, the configured ref and the default workflow file", async () => {
    const runner = createGitHubActionsCliRunner({
      env: { ML_CHATOPS_TOKEN: token, GITHUB_API_URL: server.baseUrl },
      settings: { ref: "main" },
      logger,
    });
    const h = await runner.start(req)();
    assert.ok(E.isRight(h), JSON.stringify(h));
    assert.equal(actions.runs.at(-1)?.inputs["sha"], SHA);
    assert.equal(actions.runs.at(-1)?.ref, "main");
  });

  it("check 3: the Actions GITHUB_TOKEN alone is refused with an explanation", () => {
    assert.throws(
      () => createGitHubActionsCliRunner({ env: { GITHUB_TOKEN: "ghs_x", GITHUB_API_URL: server.baseUrl }, settings: { ref: "main" }, logger }),
      /GITHUB_TOKEN/,
    );
  });

  it("check 70: without a configured default branch it refuses to build", () => {
    assert.throws(() => createGitHubActionsCliRunner({ env: { ML_CHATOPS_TOKEN: token }, settings: {}, logger }), /ML_CHATOPS_WORKFLOW_REF/);
    assert.throws(
      () => createGitHubActionsCliRunner({ env: { ML_CHATOPS_TOKEN: token }, settings: { ref: "main", repository: "nope" }, logger }),
      /owner\/repo/,
    );
  });
});
