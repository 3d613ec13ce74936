/**
 * Issue 11 part 6: the bot knows who it is. Its id comes from its credentials (an App's
 * `<slug>[bot]` user via GET /app + GET /users/{slug}[bot], a PAT's user via GET /user), served by
 * the fake GitHub as GitHub's OpenAPI description says; a pipeline cannot be built without it, and
 * a wrong id fails visibly at the bot's first write instead of silently ignoring its own labels.
 * Issue 14 item 2: where the App has commented on the pull request at hand, its bot user is read
 * from that comment, which GitHub stamps as the App's (`performed_via_github_app`), for free.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createGitHubForge } from "../../../src/adapters/github/forge.js";
import { resolveGitHubIdentity } from "../../../src/adapters/github/identity.js";
import { createPipeline } from "../../../src/core/pipeline.js";
import { createWorld, left, right, type World } from "./setup.js";

const TEST_BOT_IDENTITY = { login: "ml-chatops[bot]", id: 4242 };

const PR = { owner: "octo", repo: "kw", number: 7 };
const since = (w: World, from: number) => w.gh.log.slice(from).map((r) => `${r.operationId} ${r.status}`);

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
    // commentsOnly is the one way to leave the id out, and it does not excuse a non-id.
    assert.throws(
      () => createPipeline({} as never, { botActorId: "4242", commentsOnly: true } as never),
      /botActorId must be the bot's numeric user id \(got "4242"\)/,
    );
  });

  it("a wrong identity shows at the first comment the bot writes (ForgeInvalidResponse naming the real id), not as ignored labels later", async () => {
    const octokit = w.appClient();
    const wrong = createGitHubForge({ octokit }, { identity: { login: "ml-chatops[bot]", id: 999 } });
    const e = left(await wrong.reply(PR, "hello")());
    assert.equal(e._tag, "ForgeInvalidResponse");
    assert.equal(e.operation, "createComment");
    assert.match(
      e._tag === "ForgeInvalidResponse" ? e.detail : "",
      /posts as ml-chatops\[bot\] \(user id 4242, App \d+\), but its configured identity is ml-chatops\[bot\] \(id 999\)/,
    );
    const right_ = createGitHubForge({ octokit }, { identity: right(await resolveGitHubIdentity(octokit, "app")()) });
    assert.equal(right(await right_.reply(PR, "hello again")()).id > 0, true);
  });

  it("issue 14: with a pull request where the App has commented, its bot user is read from that comment; the forge's next read of the listing is a 304", async () => {
    w.gh.addPull(w.repo, { number: 31, user: w.users.bob });
    const pr = { ...PR, number: 31 };
    const octokit = w.appClient();
    right(await createGitHubForge({ octokit }, { identity: TEST_BOT_IDENTITY }).reply(pr, "the App's comment")());
    w.gh.addComment(w.repo, 31, w.users.bob, "a person's comment");

    const fresh = w.appClient();
    const from = w.gh.log.length;
    const id = right(await resolveGitHubIdentity(fresh, "app", { appId: w.app.id, pr })());
    assert.deepEqual(id, { login: "ml-chatops[bot]", id: 4242, appId: w.app.id });
    assert.deepEqual(since(w, from), ["apps/create-installation-access-token 201", "issues/list-comments 200"]);

    const mine = right(await createGitHubForge({ octokit: fresh }, { identity: id }).listOwnComments(pr)());
    assert.deepEqual(
      mine.map((c) => c.body),
      ["the App's comment"],
    );
    assert.deepEqual(since(w, from).slice(2), ["issues/list-comments 304"], "the same listing, revalidated");
  });

  it("checks 27, 28: a comment by another App, or by a person named like the bot, is not the App's: the bot user then comes from GET /app and GET /users", async () => {
    w.gh.addPull(w.repo, { number: 32, user: w.users.bob });
    const pr = { ...PR, number: 32 };
    const other = w.gh.addApp({ slug: "ml-chatops-preview" });
    const namesake = { login: "ml-chatops", id: 5, type: "User" as const };
    w.gh.addComment(w.repo, 32, other.bot, "<!-- ml-chatops:report octo/kw#32:tfidf-keywords -->\nfrom another App");
    w.gh.addComment(w.repo, 32, namesake, "<!-- ml-chatops:report octo/kw#32:tfidf-keywords -->\nfrom a person");
    const from = w.gh.log.length;
    const id = right(await resolveGitHubIdentity(w.appClient(), "app", { appId: w.app.id, pr })());
    assert.deepEqual(id, { login: "ml-chatops[bot]", id: 4242, appId: w.app.id });
    const ops = since(w, from);
    assert.ok(ops.includes("apps/get-authenticated 200") && ops.includes("users/get-by-username 200"), ops.join(", "));
    const mine = right(await createGitHubForge({ octokit: w.appClient() }, { identity: id }).listOwnComments(pr)());
    assert.deepEqual(mine, [], "neither comment is taken for ours");
  });

  it("an App id that is not the one writing shows at the first comment: ForgeInvalidResponse naming both Apps", async () => {
    const octokit = w.appClient();
    const wrong = createGitHubForge({ octokit }, { identity: { ...TEST_BOT_IDENTITY, appId: w.app.id + 1 } });
    const e = left(await wrong.reply(PR, "hello")());
    assert.equal(e._tag, "ForgeInvalidResponse");
    assert.match(
      e._tag === "ForgeInvalidResponse" ? e.detail : "",
      new RegExp(
        `App ${w.app.id}\\), but its configured identity is ml-chatops\\[bot\\] \\(id 4242, App ${w.app.id + 1}\\)`,
      ),
    );
  });
});
