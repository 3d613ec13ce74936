import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as O from "fp-ts/Option";
import { createGitHubApprovalStore, type GitHubApprovalStore } from "../../../src/adapters/github/approval-store.js";
import { createGitHubForge, type GitHubForge } from "../../../src/adapters/github/forge.js";
import { toRunKey, type Approval, type Sha } from "../../../src/core/model.js";
import { createWorld, left, right, type World } from "./setup.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const SECRET = "s".repeat(40);
const BOT = { login: "ml-chatops[bot]", id: 4242 };

const approval = (over: Partial<Approval> = {}): Approval => ({
  id: "appr-1",
  runKey: toRunKey(PR, "tfidf-keywords"),
  experimentId: "tfidf-keywords",
  pr: PR,
  pinnedSha: "a".repeat(40) as Sha,
  approver: { login: "wes", id: 11 },
  role: "write",
  commentId: 9,
  commentCreatedAt: "2026-11-27T16:00:00Z",
  approvedAt: new Date().toISOString(),
  command: { name: "run", args: { max_df: "0.4" }, line: 1 },
  params: { max_df: "0.4" },
  ...over,
});

describe("GitHub approval store (signed bookkeeping comment)", () => {
  let w: World;
  let forge: GitHubForge;
  let store: GitHubApprovalStore;
  before(async () => {
    w = await createWorld();
    forge = createGitHubForge({ octokit: w.appClient() }, { identity: BOT });
    store = createGitHubApprovalStore({ forge }, { secret: SECRET });
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("check 10/16: the approval round-trips with its full SHA, and is single-use", async () => {
    const a = approval();
    right(await store.save(a)());
    const c = w.gh.commentsOn(w.repo, 7).find((x) => x.body.includes("ml-chatops:approvals"))!;
    assert.equal(c.user.id, BOT.id);
    assert.match(c.body, /approval pending for `aaaaaaa`/);
    assert.deepEqual(right(await store.take(PR)()), O.some(a));
    assert.deepEqual(right(await store.take(PR)()), O.none);
    assert.equal(w.gh.commentsOn(w.repo, 7).filter((x) => x.body.includes("ml-chatops:approvals")).length, 1);
  });

  it("check 15: revoke (a push) drops the pending approval", async () => {
    right(await store.save(approval({ id: "appr-2" }))());
    right(await store.revoke(PR)());
    assert.deepEqual(right(await store.take(PR)()), O.none);
  });

  it("an edited bookkeeping comment (e.g. an admin changing the SHA) is rejected as corrupt, never trusted", async () => {
    right(await store.save(approval({ id: "appr-3" }))());
    const c = w.gh.commentsOn(w.repo, 7).find((x) => x.body.includes("ml-chatops:approvals"))!;
    const data = /approvals:v1 (\S+) /.exec(c.body)![1]!;
    const forged = Buffer.from(Buffer.from(data, "base64url").toString("utf8").replace(/a{40}/, "b".repeat(40))).toString("base64url");
    c.body = c.body.replace(data, forged);
    assert.equal(left(await store.take(PR)())._tag, "StoreCorrupt");
    right(await store.save(approval({ id: "appr-4" }))()); // a fresh save repairs it
    assert.equal(O.isSome(right(await store.take(PR)())), true);
  });

  it("check 65: a user's comment carrying the state marker is never read", async () => {
    w.gh.addPull(w.repo, { number: 65, user: w.users.bob });
    const pr = { ...PR, number: 65 };
    const real = w.gh.commentsOn(w.repo, 7).find((x) => x.body.includes("ml-chatops:approvals"))!;
    w.gh.addComment(w.repo, 65, w.users.bob, real.body);
    assert.deepEqual(right(await store.take(pr)()), O.none);
  });

  it("check 29: an approval older than maxAge is not used", async () => {
    const old = createGitHubApprovalStore({ forge }, { secret: SECRET, maxAgeMs: 60_000 });
    right(await old.save(approval({ id: "appr-5", approvedAt: new Date(Date.now() - 120_000).toISOString() }))());
    assert.deepEqual(right(await old.take(PR)()), O.none);
  });

  it("check 37/38: a delivery key or comment key is claimed once", async () => {
    assert.equal(right(await store.claim(PR, "delivery:abc")()), true);
    assert.equal(right(await store.claim(PR, "delivery:abc")()), false);
    assert.equal(right(await store.claim(PR, "comment:9:created")()), true);
    assert.equal(right(await store.claim(PR, "comment:9:created")()), false);
  });

  it("check 39: concurrent claims of the same key in one process give exactly one winner", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => store.claim(PR, "delivery:race")()));
    assert.equal(results.map(right).filter((x) => x).length, 1);
  });

  it("refuses a short secret", () => {
    assert.throws(() => createGitHubApprovalStore({ forge }, { secret: "short" }), /at least 32/);
  });
});
