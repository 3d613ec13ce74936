// Check 84: permissions belong to a user id, not a login. A login in an event is a snapshot: by
// the time the bot asks GitHub (a queue, a retry, a redelivery hours later) its holder may have
// renamed away and someone else taken it. The bot asks by login, then refuses unless the answer
// is about the same user id that acted.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createGitHubForge } from "../../../src/adapters/github/forge.js";
import { commentPayload } from "../../fixtures/github/payloads.js";
import { BOT, createHarness, type Harness } from "./harness.js";
import { left, right } from "./setup.js";

describe("check 84: permissions are checked for the acting user's id", () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => assert.deepEqual(h.world.gh.problems, []));

  it("the forge refuses a permission answer about another user id than the one that acted", async () => {
    const gh = h.world.gh;
    const forge = createGitHubForge({ octokit: h.octokit }, { identity: BOT });
    const repo = { owner: "octo", repo: "kw" };
    const eve = gh.addUser("eve-84");
    // Eve acted as "eve-84", renamed away; an admin then took the freed login.
    gh.renameUser(eve, "eve-84-gone");
    const admin = gh.renameUser(h.world.users.admin, "eve-84");
    assert.equal(
      right(await forge.getPermission(repo, { login: "eve-84", id: admin.id })()),
      "admin",
      "the holder's own check still works",
    );
    assert.deepEqual(left(await forge.getPermission(repo, { login: "eve-84", id: eve.id })()), {
      _tag: "ForgeForbidden",
      operation: "getPermission",
      detail: `the login eve-84 now belongs to user id ${admin.id}, not to user id ${eve.id} who acted (renamed?); denied`,
    });
    gh.renameUser(admin, "ada");
  });

  it("a comment whose author's login now belongs to an admin approves nothing and says the permission could not be verified", async () => {
    const gh = h.world.gh;
    const pr = gh.addPull(h.world.repo, { number: 184, user: h.world.users.bob });
    const mallory = gh.addUser("mallory-84");
    const c = gh.addComment(h.world.repo, 184, mallory, "/experiment run");
    const payload = commentPayload({
      body: c.body,
      author: { login: "mallory-84", id: mallory.id },
      number: 184,
      commentId: c.id,
      createdAt: c.createdAt,
    });
    gh.renameUser(mallory, "mallory-84-gone");
    const admin = gh.renameUser(h.world.users.admin, "mallory-84");
    try {
      await h.deliver("issue_comment", payload);
    } finally {
      gh.renameUser(admin, "ada");
    }
    assert.deepEqual(pr.labels, []);
    const replies = gh.commentsOn(h.world.repo, 184).filter((x) => x.user.id === BOT.id);
    assert.equal(replies.length, 1);
    assert.match(replies[0]!.body, /Could not verify the permission of `mallory-84`, so nothing was started/);
  });
});
