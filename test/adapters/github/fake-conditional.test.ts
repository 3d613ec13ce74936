/**
 * The fake GitHub's conditional requests and primary rate limit, driven by the real Octokit:
 * weak ETags that follow the representation, 304 without a body for a matching If-None-Match,
 * 304s free of the rate limit, and what a second client's edit does to the first one's validator.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import { createFakeGitHub, type FakeGitHub, type FakeRepo, type FakeUser } from "../../support/fake-github/index.js";

const LIST = "GET /repos/{owner}/{repo}/issues/{issue_number}/comments";
const where = { owner: "octo", repo: "kw", issue_number: 7 };

/** The status of a request that Octokit throws for (it throws on 304), with the answer's headers. */
const notModified = async (p: Promise<unknown>): Promise<RequestError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof RequestError) return e;
    throw e;
  }
  throw new Error("expected 304, got a 2xx");
};

describe("fake GitHub: ETag / If-None-Match and x-ratelimit-* (as GitHub documents them)", () => {
  let gh: FakeGitHub;
  let repo: FakeRepo;
  let alice: FakeUser;
  let bob: FakeUser;
  let asAlice: Octokit;
  let asBob: Octokit;
  before(async () => {
    gh = await createFakeGitHub();
    alice = gh.addUser("alice");
    bob = gh.addUser("bob");
    repo = gh.addRepo("octo", "kw");
    gh.grant(repo, alice, "maintain");
    gh.grant(repo, bob, "write");
    gh.addPull(repo, { number: 7, user: alice });
    asAlice = new Octokit({ auth: gh.addToken(alice), request: { fetch: gh.fetch } });
    asBob = new Octokit({ auth: gh.addToken(bob), request: { fetch: gh.fetch } });
  });
  after(() => assert.deepEqual(gh.problems, []));

  it("a GET carries a weak ETag; the same If-None-Match gets 304 with no body, and spends no rate limit", async () => {
    gh.addComment(repo, 7, alice, "first");
    const first = await asAlice.request(LIST, where);
    const etag = first.headers.etag ?? "";
    assert.match(etag, /^W\/"[0-9a-f]{32}"$/);
    const remaining = Number(first.headers["x-ratelimit-remaining"]);
    assert.equal(first.headers["x-ratelimit-limit"], "5000");
    assert.equal(first.headers["x-ratelimit-resource"], "core");

    const again = await notModified(asAlice.request(LIST, { ...where, headers: { "if-none-match": etag } }));
    assert.equal(again.status, 304);
    assert.equal(again.response?.data, "", "no body");
    assert.equal(again.response?.headers.etag, etag);
    assert.equal(Number(again.response?.headers["x-ratelimit-remaining"]), remaining, "a 304 is free");
    assert.equal(gh.log.at(-1)?.status, 304);

    // A validator that does not match, or none: a full answer, and one request spent.
    const other = await asAlice.request(LIST, { ...where, headers: { "if-none-match": 'W/"0000"' } });
    assert.equal(other.status, 200);
    assert.equal(Number(other.headers["x-ratelimit-remaining"]), remaining - 1);
    // Weak comparison (RFC 9110): the strong form of the same tag matches too; so does a list.
    const strong = etag.replace(/^W\//, "");
    for (const h of [strong, `"x", ${etag}`, "*"]) {
      assert.equal(
        (await notModified(asAlice.request(LIST, { ...where, headers: { "if-none-match": h } }))).status,
        304,
      );
    }
  });

  it("another client's edit or new comment changes the listing's ETag: the next conditional read gets the change", async () => {
    const mine = gh.addComment(repo, 7, bob, "bob's note");
    const r1 = await asAlice.request(LIST, where);
    const etag = r1.headers.etag ?? "";
    await asBob.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner: "octo",
      repo: "kw",
      comment_id: mine.id,
      body: "bob's note, edited",
    });
    const r2 = await asAlice.request(LIST, { ...where, headers: { "if-none-match": etag } });
    assert.equal(r2.status, 200);
    assert.notEqual(r2.headers.etag, etag);
    assert.equal(r2.data.find((c) => c.id === mine.id)?.body, "bob's note, edited");
    gh.addComment(repo, 7, bob, "one more");
    const r3 = await asAlice.request(LIST, { ...where, headers: { "if-none-match": r2.headers.etag ?? "" } });
    assert.equal(r3.status, 200);
    assert.equal(r3.data.at(-1)?.body, "one more");
  });

  it("an ETag is the token's own: another token (another user's, or the same user's next one) gets a 200 for it", async () => {
    const r1 = await asAlice.request(LIST, where);
    const etag = r1.headers.etag ?? "";
    const asAliceAgain = new Octokit({ auth: gh.addToken(alice), request: { fetch: gh.fetch } });
    for (const other of [asBob, asAliceAgain]) {
      const r = await other.request(LIST, { ...where, headers: { "if-none-match": etag } });
      assert.equal(r.status, 200, "no 304 for a validator another token was given");
      assert.deepEqual(r.data, r1.data, "the same representation");
      assert.notEqual(r.headers.etag, etag);
      // Each token's own validator still works for that token.
      const again = await notModified(
        other.request(LIST, { ...where, headers: { "if-none-match": r.headers.etag ?? "" } }),
      );
      assert.equal(again.status, 304);
    }
  });

  it("a declared 304 (pulls/get lists one) is checked against the description; writes carry no ETag", async () => {
    const pr = await asAlice.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner: "octo",
      repo: "kw",
      pull_number: 7,
    });
    const e = await notModified(
      asAlice.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
        owner: "octo",
        repo: "kw",
        pull_number: 7,
        headers: { "if-none-match": pr.headers.etag ?? "" },
      }),
    );
    assert.equal(e.status, 304);
    gh.push(repo, 7);
    const moved = await asAlice.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner: "octo",
      repo: "kw",
      pull_number: 7,
      headers: { "if-none-match": pr.headers.etag ?? "" },
    });
    assert.equal(moved.status, 200, "the head moved: a new representation");
    const posted = await asAlice.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...where,
      body: "hello",
    });
    assert.equal(posted.headers.etag, undefined);
  });

  it("repos/get-content (which declares 304): an unchanged file is a 304 with no body; another client's commit changes the ETag", async () => {
    const file = { owner: "octo", repo: "kw", path: ".github/ml-chatops.yml" };
    const GET = "GET /repos/{owner}/{repo}/contents/{path}";
    gh.setFile(repo, "main", file.path, "label: one\n");
    const first = await asAlice.request(GET, file);
    const etag = first.headers.etag ?? "";
    assert.match(etag, /^W\/"[0-9a-f]{32}"$/);
    const same = await notModified(asAlice.request(GET, { ...file, headers: { "if-none-match": etag } }));
    assert.equal(same.status, 304);
    assert.equal(same.response?.data, "", "no body");
    const sha = Array.isArray(first.data) ? "" : first.data.sha;
    await asBob.request("PUT /repos/{owner}/{repo}/contents/{path}", {
      ...file,
      message: "edit",
      content: Buffer.from("label: two\n").toString("base64"),
      sha,
    });
    const changed = await asAlice.request(GET, { ...file, headers: { "if-none-match": etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
    const text = Array.isArray(changed.data) || !("content" in changed.data) ? "" : changed.data.content;
    assert.equal(Buffer.from(text, "base64").toString("utf8"), "label: two\n");
    // Another ref of the same path is another representation.
    gh.setFile(repo, "feature", file.path, "label: two\n");
    const other = await asAlice.request(GET, {
      ...file,
      ref: "feature",
      headers: { "if-none-match": changed.headers.etag ?? "" },
    });
    assert.equal(other.status, 200);
  });

  it("each caller has its own hourly window; past the limit: 403 'API rate limit exceeded', remaining 0, until the reset", async () => {
    const carol = gh.addUser("carol");
    gh.grant(repo, carol, "read");
    const asCarol = new Octokit({ auth: gh.addToken(carol), request: { fetch: gh.fetch } });
    const r = await asCarol.request(LIST, where);
    assert.equal(r.headers["x-ratelimit-used"], "1", "a window of its own, started by its first request");
    const reset = Number(r.headers["x-ratelimit-reset"]);
    assert.ok(Math.abs(reset - (Math.floor(Date.now() / 1000) + 3600)) <= 2, `reset ${reset} is an hour ahead`);
    const window = gh.rateLimits.get(`user:${carol.id}`);
    assert.ok(window !== undefined);
    window.used = window.limit;
    const refused = await notModified(asCarol.request(LIST, where));
    assert.equal(refused.status, 403);
    assert.match(refused.message, /^API rate limit exceeded for carol\./);
    assert.equal(refused.response?.headers["x-ratelimit-remaining"], "0");
    // An hour on, a fresh window.
    const start = Date.now();
    gh.setClock(() => start + 3601_000);
    try {
      const later = await asCarol.request(LIST, where);
      assert.equal(later.headers["x-ratelimit-used"], "1");
    } finally {
      gh.setClock(() => Date.now());
    }
  });
});
