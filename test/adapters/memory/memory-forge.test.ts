import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createMemoryForge } from "../../../src/adapters/memory/index.js";
import { MAX_COMMENT_CHARS } from "../../../src/adapters/memory/memory-forge.js";
import type { Sha } from "../../../src/core/model.js";
import { forgeUnavailable } from "../../../src/core/errors.js";
import { assertLeft } from "../../support/assert-error.js";

const SHA1 = "1111111111111111111111111111111111111111" as Sha;
const SHA2 = "2222222222222222222222222222222222222222" as Sha;
const BOT = { login: "ml-chatops[bot]", id: 900 };
const ALICE = { login: "Alice", id: 1 };
const MALLORY = { login: "mallory", id: 666 };
const PR = { owner: "demo", repo: "talk-keywords", number: 1 };
const MARKER = "<!-- ml-chatops:report demo/talk-keywords#1:tfidf-keywords -->";

const makeForge = () =>
  createMemoryForge(
    {
      bot: BOT,
      repos: [
        {
          owner: "demo",
          repo: "talk-keywords",
          collaborators: { alice: "write" },
          pulls: [
            { number: 1, headSha: SHA1, headRef: "tune" },
            { number: 2, headSha: SHA1, state: "closed" },
          ],
        },
        { owner: "demo", repo: "public-repo", public: true },
      ],
    },
    { now: () => new Date("2026-01-02T03:04:05.000Z") },
  );

describe("memory forge", () => {
  it("reports roles like GitHub: collaborators by case-insensitive login, read on public repos, none otherwise", async () => {
    const forge = makeForge();
    assert.deepEqual(await forge.getPermission({ owner: "demo", repo: "talk-keywords" }, ALICE)(), E.right("write"));
    assert.deepEqual(await forge.getPermission({ owner: "demo", repo: "talk-keywords" }, MALLORY)(), E.right("none"));
    assert.deepEqual(await forge.getPermission({ owner: "demo", repo: "public-repo" }, MALLORY)(), E.right("read"));
    const missing = await forge.getPermission({ owner: "demo", repo: "nope" }, ALICE)();
    assertLeft(missing, "ForgeNotFound", /^operation=getPermission what=repository demo\/nope$/);
    forge.setRole({ owner: "demo", repo: "talk-keywords" }, "mallory", "admin");
    assert.deepEqual(await forge.getPermission({ owner: "demo", repo: "talk-keywords" }, MALLORY)(), E.right("admin"));
  });

  it("returns the pull request's current head, and push moves it", async () => {
    const forge = makeForge();
    const before = await forge.getPullRequest(PR)();
    assert.ok(E.isRight(before));
    assert.deepEqual(before.right, {
      ...PR,
      headRef: "tune",
      headSha: SHA1,
      state: "open",
      merged: false,
      draft: false,
      headRepoAvailable: true,
      headRepo: { owner: "demo", repo: "talk-keywords" },
    });
    assert.deepEqual(
      await forge.headPushedAt(before.right)(),
      E.right(O.some("2000-01-01T00:00:00.000Z")),
      "seeded heads predate everything",
    );
    forge.push(PR, SHA2, new Date("2026-03-04T05:06:07Z"));
    const after = await forge.getPullRequest(PR)();
    assert.ok(E.isRight(after) && after.right.headSha === SHA2);
    assert.deepEqual(await forge.headPushedAt(after.right)(), E.right(O.some("2026-03-04T05:06:07.000Z")));
    assert.deepEqual(
      await forge.headPushedAt(before.right)(),
      E.right(O.none),
      "no answer for a head that is no longer current",
    );
    const missing = await forge.getPullRequest({ ...PR, number: 99 })();
    assertLeft(missing, "ForgeNotFound", /^operation=getPullRequest what=pull request demo\/talk-keywords#99$/);
  });

  it("labels: add is idempotent, remove of an absent label succeeds, a closed PR is labelled like on GitHub, a missing PR is not found, long names are 422", async () => {
    const forge = makeForge();
    assert.ok(E.isRight(await forge.addLabel(PR, "ml-chatops:run")()));
    assert.ok(E.isRight(await forge.addLabel(PR, "ml-chatops:run")()));
    assert.deepEqual(forge.labels(PR), ["ml-chatops:run"]);
    assert.ok(E.isRight(await forge.removeLabel(PR, "ml-chatops:run")()));
    assert.ok(E.isRight(await forge.removeLabel(PR, "ml-chatops:run")()));
    assert.deepEqual(forge.labels(PR), []);
    assert.ok(E.isRight(await forge.addLabel({ ...PR, number: 2 }, "x")()));
    assert.deepEqual(forge.labels({ ...PR, number: 2 }), ["x"]);
    const missing = await forge.addLabel({ ...PR, number: 99 }, "x")();
    assertLeft(missing, "ForgeNotFound", /^operation=addLabel what=pull request demo\/talk-keywords#99$/);
    const long = await forge.addLabel(PR, "x".repeat(51))();
    assertLeft(
      long,
      "ForgeInvalidResponse",
      /^operation=addLabel detail=422 Validation Failed: label name must be 1 to 50 characters$/,
    );
  });

  it("check 65: upsert creates once, then updates the bot's own comment; a user comment with the marker is never touched", async () => {
    const forge = makeForge();
    const forged = forge.addComment(PR, MALLORY, `${MARKER}\nfake report`);
    assert.deepEqual(await forge.findComment(PR, MARKER)(), E.right(O.none), "a user's comment is not the bot's");
    const first = await forge.upsertComment(PR, MARKER, `${MARKER}\nrunning`)();
    assert.ok(E.isRight(first));
    assert.notEqual(first.right.id, forged.id);
    const second = await forge.upsertComment(PR, MARKER, `${MARKER}\ndone`)();
    assert.ok(E.isRight(second));
    assert.equal(second.right.id, first.right.id);
    assert.match(second.right.url ?? "", /\/demo\/talk-keywords\/pull\/1#issuecomment-\d+$/);
    const comments = forge.comments(PR);
    assert.equal(comments.length, 2);
    assert.deepEqual(comments.find((c) => c.id === forged.id)?.body, `${MARKER}\nfake report`);
    assert.deepEqual(comments.find((c) => c.id === first.right.id)?.body, `${MARKER}\ndone`);
    assert.deepEqual(await forge.findComment(PR, MARKER)(), E.right(O.some(`${MARKER}\ndone`)));
    const otherPr = await forge.findComment({ ...PR, number: 2 }, MARKER)();
    assert.deepEqual(otherPr, E.right(O.none));
  });

  it("check 64: comment bodies over 65,536 characters are rejected like GitHub's 422; exactly at the limit and emoji count as characters", async () => {
    const forge = makeForge();
    const atLimit = `${MARKER}${"x".repeat(MAX_COMMENT_CHARS - MARKER.length)}`;
    assert.ok(E.isRight(await forge.upsertComment(PR, MARKER, atLimit)()));
    const emoji = `${MARKER}${"😀".repeat(MAX_COMMENT_CHARS - MARKER.length)}`;
    assert.ok(emoji.length > MAX_COMMENT_CHARS, "more UTF-16 units than the limit, but not more characters");
    assert.ok(E.isRight(await forge.upsertComment(PR, MARKER, emoji)()));
    const over = await forge.upsertComment(PR, MARKER, `${atLimit}x`)();
    assertLeft(
      over,
      "ForgeInvalidResponse",
      /^operation=upsertComment detail=422 Validation Failed: body is too long \(maximum is 65536 characters, got 65537\)$/,
    );
    assert.match(over.left._tag === "ForgeInvalidResponse" ? over.left.detail : "", /422.*too long/);
    const overReply = await forge.reply(PR, "y".repeat(MAX_COMMENT_CHARS + 1))();
    assertLeft(
      overReply,
      "ForgeInvalidResponse",
      /^operation=reply detail=422 Validation Failed: body is too long \(maximum is 65536 characters, got 65537\)$/,
    );
    const blank = await forge.reply(PR, "  ")();
    assertLeft(blank, "ForgeInvalidResponse", /^operation=reply detail=422 Validation Failed: body cannot be blank$/);
    const noMarker = await forge.upsertComment(PR, MARKER, "no marker here")();
    assertLeft(
      noMarker,
      "ForgeInvalidResponse",
      /^operation=upsertComment detail=the body does not carry the marker, so it could never be found again$/,
    );
  });

  it("replies on open and closed PRs, reacts once per content, and rejects unknown comments", async () => {
    const forge = makeForge();
    const closed = { ...PR, number: 2 };
    assert.ok(E.isRight(await forge.reply(closed, "this PR is closed")()));
    const c = forge.addComment(PR, ALICE, "/experiment run");
    assert.equal(c.createdAt, "2026-01-02T03:04:05.000Z");
    assert.deepEqual(await forge.react(PR, c.id, "eyes")(), E.right(true));
    assert.deepEqual(
      await forge.react(PR, c.id, "eyes")(),
      E.right(false),
      "the second add finds it there: a lost claim",
    );
    assert.deepEqual(await forge.react(PR, c.id, "rocket")(), E.right(true));
    assert.deepEqual(forge.reactions(c.id), ["eyes", "rocket"]);
    const wrongPr = await forge.react(closed, c.id, "eyes")();
    assertLeft(wrongPr, "ForgeNotFound", /^operation=react what=comment 2 on pull request demo\/talk-keywords#2$/);
    const missingPr = await forge.reply({ ...PR, number: 99 }, "x")();
    assertLeft(missingPr, "ForgeNotFound", /^operation=reply what=pull request demo\/talk-keywords#99$/);
    assert.deepEqual(
      forge.comments(closed).map((x) => x.author),
      [BOT],
    );
  });

  it("records calls and injects a queued failure once", async () => {
    const forge = makeForge();
    forge.failNext("getPullRequest", forgeUnavailable("getPullRequest", new Error("502")));
    const failed = await forge.getPullRequest(PR)();
    assertLeft(failed, "ForgeUnavailable", /^operation=getPullRequest cause=Error: 502$/);
    assert.ok(E.isRight(await forge.getPullRequest(PR)()));
    assert.deepEqual(
      forge.calls().map((c) => c.operation),
      ["getPullRequest", "getPullRequest"],
    );
  });

  it("state changes: closing, drafting and deleting the fork show in getPullRequest", async () => {
    const forge = makeForge();
    forge.setPullState(PR, { state: "closed", merged: true, draft: true, headRepoAvailable: false });
    const pr = await forge.getPullRequest(PR)();
    assert.ok(E.isRight(pr));
    assert.deepEqual(
      [pr.right.state, pr.right.merged, pr.right.draft, pr.right.headRepoAvailable],
      ["closed", true, true, false],
    );
  });

  it("a bad seed fails with the field named", () => {
    assert.throws(
      () =>
        createMemoryForge({
          bot: BOT,
          repos: [{ owner: "o", repo: "r", pulls: [{ number: 1, headSha: "abc" as Sha }] }],
        }),
      /invalid seed: .*headSha/,
    );
  });
});
