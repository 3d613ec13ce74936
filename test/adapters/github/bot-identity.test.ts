/**
 * Issue 11 part 6: the bot knows who it is. Its id comes from its credentials (an App's
 * `<slug>[bot]` user via GET /app + GET /users/{slug}[bot], a PAT's user via GET /user), served by
 * the fake GitHub as GitHub's OpenAPI description says; a pipeline cannot be built without it, and
 * a wrong id fails visibly at the bot's first write instead of silently ignoring its own labels.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createGitHubForge } from "../../../src/adapters/github/forge.js";
import { resolveGitHubIdentity } from "../../../src/adapters/github/identity.js";
import { createPipeline } from "../../../src/core/pipeline.js";
import { createWorld, left, right, type World } from "./setup.js";

const PR = { owner: "octo", repo: "kw", number: 7 };

describe("the bot's identity (issue 11 part 6)", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("an App: GET /app gives the slug (with the App JWT), GET /users/{slug}[bot] the bot user's id", async () => {
    const id = right(await resolveGitHubIdentity(w.appClient(), "app")());
    assert.deepEqual(id, { login: "ml-chatops[bot]", id: 4242 });
    const ops = w.gh.log.slice(-3).map((r) => r.operationId);
    assert.ok(ops.includes("apps/get-authenticated") && ops.includes("users/get-by-username"), ops.join(","));
  });

  it("a PAT: GET /user gives the token's own user", async () => {
    const id = right(await resolveGitHubIdentity(w.tokenClient(w.users.writer), "token")());
    assert.deepEqual(id, { login: w.users.writer.login, id: w.users.writer.id });
  });

  it("a token asked as an App cannot tell who it is: a ForgeError, not a guess", async () => {
    const e = left(await resolveGitHubIdentity(w.tokenClient(w.users.writer), "app")());
    assert.ok(["ForgeForbidden", "ForgeUnavailable", "ForgeNotFound"].includes(e._tag), JSON.stringify(e));
    assert.equal(e.operation, "identity");
  });

  it("check 27: a pipeline without botActorId (or with a non-id) is refused at construction, naming the fix", () => {
    for (const bad of [undefined, 0, -3, 1.5, "4242"]) {
      assert.throws(
        () => createPipeline({} as never, { botActorId: bad } as never),
        (e: Error) =>
          /invalid pipeline config: botActorId must be the bot's numeric user id/.test(e.message) &&
          /resolveGitHubIdentity/.test(e.message) &&
          !e.message.includes("\n"),
        String(bad),
      );
    }
  });

  it("a wrong identity shows at the first comment the bot writes (ForgeInvalidResponse naming the real id), not as ignored labels later", async () => {
    const octokit = w.appClient();
    const wrong = createGitHubForge({ octokit }, { identity: { login: "ml-chatops[bot]", id: 999 } });
    const e = left(await wrong.reply(PR, "hello")());
    assert.equal(e._tag, "ForgeInvalidResponse");
    assert.equal(e.operation, "createComment");
    assert.match(
      e._tag === "ForgeInvalidResponse" ? e.detail : "",
      /posts as ml-chatops\[bot\] \(user id 4242\), but its configured identity is ml-chatops\[bot\] \(id 999\)/,
    );
    const right_ = createGitHubForge({ octokit }, { identity: right(await resolveGitHubIdentity(octokit, "app")()) });
    assert.equal(right(await right_.reply(PR, "hello again")()).id > 0, true);
  });
});
