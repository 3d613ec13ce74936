import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as O from "fp-ts/Option";
import { createGitHubApprovalStore, type GitHubApprovalStore } from "../../../src/adapters/github/approval-store.js";
import { createGitHubForge, type GitHubForge } from "../../../src/adapters/github/forge.js";
import { toRunKey, type Approval, type Sha } from "../../../src/core/model.js";
import { createCommentReporter } from "../../../src/core/ledger/report-comment.js";
import { makeReport } from "../../core/report/fixtures.js";
import { createWorld, left, right, type World } from "./setup.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const SECRET = "4b1744844f443d039ac8d53b9c8a66426a9277e5ded19c55f6afe2fd3e299e0e";
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

describe("GitHub approval store (signed bookkeeping in the living comment)", () => {
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
    // The first approval opens the living comment of the PR × experiment, saying what was approved.
    assert.equal(c.body.split("\n")[0], "<!-- ml-chatops:report octo/kw#7:tfidf-keywords -->");
    assert.match(c.body, /^Approved `tfidf-keywords` for commit `aaaaaaa` \(a{40}\)/m);
    // Taking reads: the bot's 🚀 on the command makes the approval single-use when the run starts,
    // and the run's first report clears it from the comment (no write of its own).
    assert.deepEqual(right(await store.take(PR)()), O.some(a));
    assert.deepEqual(right(await store.take(PR)()), O.some(a));
    const started = {
      runner: "local",
      id: "run-1",
      runKey: a.runKey,
      pinnedSha: a.pinnedSha,
      startedAt: new Date().toISOString(),
    };
    const reporter = createCommentReporter(forge, { bookkeeping: store.bookkeeping });
    right(
      await reporter.publish(
        makeReport({
          pr: PR,
          pinnedSha: a.pinnedSha,
          handle: started,
          status: { state: "running", detail: "started" },
        }),
      )(),
    );
    assert.deepEqual(right(await store.take(PR)()), O.none);
    assert.equal(w.gh.commentsOn(w.repo, 7).filter((x) => x.body.includes("ml-chatops:approvals")).length, 1);
  });

  it("check 10: an approval on a PR × experiment that already has a report shows its commit above that report, once", async () => {
    const pr = { ...PR, number: 74 };
    w.gh.addPull(w.repo, { number: 74, user: w.users.bob });
    const runKey = toRunKey(pr, "tfidf-keywords");
    right(await createCommentReporter(forge, { bookkeeping: store.bookkeeping }).publish(makeReport({ pr }))());
    right(await store.save(approval({ id: "appr-b1", pr, runKey, pinnedSha: "b".repeat(40) as Sha }))());
    right(await store.save(approval({ id: "appr-c1", pr, runKey, pinnedSha: "c".repeat(40) as Sha }))());
    const body = w.gh.commentsOn(w.repo, 74).find((x) => x.user.id === BOT.id)!.body;
    const approvedLines = body.split("\n").filter((l) => l.startsWith("Approved "));
    assert.equal(approvedLines.length, 1, body);
    assert.match(approvedLines[0]!, /^Approved `tfidf-keywords` for commit `ccccccc` \(c{40}\)/);
    assert.ok(body.indexOf("Approved ") < body.indexOf("### tfidf-keywords"), "above the earlier report");
    assert.equal(w.gh.commentsOn(w.repo, 74).filter((x) => x.user.id === BOT.id).length, 1);
  });

  it("check 16: a report of an earlier run, or of another commit, leaves a newer approval pending", async () => {
    const pr = { ...PR, number: 73 };
    w.gh.addPull(w.repo, { number: 73, user: w.users.bob });
    const a = approval({ id: "appr-n", pr, runKey: toRunKey(pr, "tfidf-keywords") });
    right(await store.save(a)());
    const reporter = createCommentReporter(forge, { bookkeeping: store.bookkeeping });
    const earlier = {
      runner: "local",
      id: "run-0",
      runKey: a.runKey,
      pinnedSha: a.pinnedSha,
      startedAt: "2026-01-01T00:00:00Z",
    };
    right(await reporter.publish(makeReport({ pr, pinnedSha: a.pinnedSha, handle: earlier }))());
    const other = {
      ...earlier,
      id: "run-x",
      pinnedSha: "b".repeat(40) as Sha,
      startedAt: new Date(Date.now() + 60_000).toISOString(),
    };
    right(await reporter.publish(makeReport({ pr, pinnedSha: other.pinnedSha, handle: other }))());
    assert.deepEqual(right(await store.take(pr)()), O.some(a));
  });

  it("check 15: revoke (a push) drops the pending approval", async () => {
    right(await store.save(approval({ id: "appr-2" }))());
    right(await store.revoke(PR)());
    assert.deepEqual(right(await store.take(PR)()), O.none);
  });

  it("an edited bookkeeping comment (e.g. an admin changing the SHA) is rejected as corrupt, never trusted", async () => {
    right(await store.save(approval({ id: "appr-3" }))());
    const c = w.gh.commentsOn(w.repo, 7).find((x) => x.body.includes("ml-chatops:approvals"))!;
    const data = /approvals:v3 (\S+) /.exec(c.body)![1]!;
    const forged = Buffer.from(
      Buffer.from(data, "base64url").toString("utf8").replace(/a{40}/, "b".repeat(40)),
    ).toString("base64url");
    c.body = c.body.replace(data, forged);
    assert.deepEqual(left(await store.take(PR)()), {
      _tag: "StoreCorrupt",
      store: "comment approvals",
      detail: "the bookkeeping in the living comment of octo/kw#7:tfidf-keywords was altered (bad signature)",
    });
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

  it("check 84: signed state copied into another experiment's living comment is refused (the signature binds the comment)", async () => {
    right(await store.save(approval({ id: "appr-copy" }))());
    const c = w.gh.commentsOn(w.repo, 7).find((x) => x.body.includes("ml-chatops:approvals"))!;
    const line = c.body.split("\n").find((l) => l.startsWith("<!-- ml-chatops:approvals:v3 "))!;
    right(await store.revoke(PR)());
    // The bot's own comment for another experiment, with the first one's signed line pasted in.
    right(
      await forge.upsertComment(
        PR,
        "<!-- ml-chatops:report octo/kw#7:other -->",
        `<!-- ml-chatops:report octo/kw#7:other -->\n${line}\nreport`,
      )(),
    );
    assert.deepEqual(left(await store.take(PR)()), {
      _tag: "StoreCorrupt",
      store: "comment approvals",
      detail: "the bookkeeping in the living comment of octo/kw#7:other was altered (bad signature)",
    });
    right(await store.revoke(PR)()); // a revoke starts the bad one over, empty
    assert.deepEqual(right(await store.take(PR)()), O.none);
  });

  it("one pending approval per pull request: approving another experiment replaces it, in its own comment", async () => {
    const pr = { ...PR, number: 70 };
    w.gh.addPull(w.repo, { number: 70, user: w.users.bob });
    const first = approval({ id: "appr-a", pr, runKey: toRunKey(pr, "tfidf-keywords") });
    const second = approval({ id: "appr-b", pr, runKey: toRunKey(pr, "train"), experimentId: "train" });
    right(await store.save(first)());
    right(await store.save(second)());
    const ours = w.gh.commentsOn(w.repo, 70).filter((x) => x.user.id === BOT.id);
    assert.deepEqual(
      ours.map((x) => x.body.split("\n")[0]),
      ["<!-- ml-chatops:report octo/kw#70:tfidf-keywords -->", "<!-- ml-chatops:report octo/kw#70:train -->"],
    );
    assert.deepEqual(right(await store.take(pr)()), O.some(second));
    right(await store.save(second)()); // the first comment's book stays clear
    assert.deepEqual(right(await store.take(pr)()), O.some(second));
    const firstBook = ours[0]!.body
      .split("\n")
      .find((l) => l.includes("approvals:v3"))!
      .split(" ")[2]!;
    assert.equal(
      (JSON.parse(Buffer.from(firstBook, "base64url").toString("utf8")) as { pending: unknown }).pending,
      null,
    );
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

  it("check 84: an older signed revision restored from the comment's edit history is refused", async () => {
    // Revision 1 (an approval pending) as the bot wrote it ten minutes ago ...
    const tenMinutesAgo = () => Date.now() - 10 * 60_000;
    const earlier = createGitHubApprovalStore(
      { forge, clock: { now: () => new Date(tenMinutesAgo()), sleep: () => async () => undefined } },
      { secret: SECRET },
    );
    w.gh.setClock(tenMinutesAgo);
    right(await earlier.save(approval({ id: "appr-old", approvedAt: new Date().toISOString() }))());
    w.gh.setClock(() => Date.now());
    const c = w.gh.commentsOn(w.repo, 7).find((x) => x.body.includes("ml-chatops:approvals"))!;
    const revision1 = c.body;
    // ... then consumed (revision 2), then a writer pastes revision 1 back, which GitHub stamps now.
    assert.equal(O.isSome(right(await store.take(PR)())), true);
    c.body = revision1;
    c.updatedAt = new Date().toISOString();
    const e = left(await store.take(PR)());
    assert.equal(e._tag, "StoreCorrupt");
    assert.match(
      e._tag === "StoreCorrupt" ? e.detail : "",
      /^the bookkeeping in the living comment of octo\/kw#7:tfidf-keywords holds version \d+ written at \S+ but the comment was edited at \S+ \(an older revision restored\)$/,
    );
    // The restored approval never comes back, and the next write starts a fresh, valid state.
    const fresh = approval({ id: "appr-new" });
    right(await store.save(fresh)());
    assert.deepEqual(right(await store.take(PR)()), O.some(fresh));
  });

  it("check 84: the reporter signs the pending approval anew on every write, so a report update is no restore", async () => {
    const pr = { ...PR, number: 72 };
    w.gh.addPull(w.repo, { number: 72, user: w.users.bob });
    const tenMinutesAgo = () => Date.now() - 10 * 60_000;
    const clock = { now: () => new Date(tenMinutesAgo()), sleep: () => async () => undefined };
    const earlier = createGitHubApprovalStore({ forge, clock }, { secret: SECRET });
    const a = approval({ id: "appr-r", pr, runKey: toRunKey(pr, "tfidf-keywords") });
    w.gh.setClock(tenMinutesAgo);
    right(await earlier.save(a)());
    w.gh.setClock(() => Date.now());
    const running = makeReport({ pr, status: { state: "running", detail: "started" } });
    // A reporter without the bookkeeping keeps the line as it was: now older than the comment's edit.
    right(await createCommentReporter(forge).publish(running)());
    const refused = left(await store.take(pr)());
    assert.match(refused._tag === "StoreCorrupt" ? refused.detail : refused._tag, /\(an older revision restored\)$/);
    // The bot's own reporter signs it with the write: the pending approval reads back.
    w.gh.setClock(tenMinutesAgo);
    right(await earlier.save(a)());
    w.gh.setClock(() => Date.now());
    right(await createCommentReporter(forge, { bookkeeping: store.bookkeeping }).publish(running)());
    const body = w.gh.commentsOn(w.repo, 72).find((x) => x.user.id === BOT.id)!.body;
    assert.match(body, /^### tfidf-keywords: running/m, "the report replaced the approval text");
    assert.deepEqual(right(await store.take(pr)()), O.some(a));
  });

  it("check 84: each write bumps the signed version", async () => {
    const versionOf = () => {
      const body = w.gh.commentsOn(w.repo, 7).find((x) => x.body.includes("ml-chatops:approvals"))!.body;
      const data = /approvals:v3 (\S+) /.exec(body)![1]!;
      return (JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as { version: number }).version;
    };
    right(await store.claim(PR, "delivery:v-1")());
    const v1 = versionOf();
    right(await store.claim(PR, "delivery:v-2")());
    assert.equal(versionOf(), v1 + 1);
  });

  it("checks 37, 84: with no living comment on the pull request a claim is new and unrecorded", async () => {
    const pr = { ...PR, number: 71 };
    w.gh.addPull(w.repo, { number: 71, user: w.users.bob });
    assert.equal(right(await store.claim(pr, "comment:1:edited:t")()), true);
    assert.equal(right(await store.claim(pr, "comment:1:edited:t")()), true);
    assert.equal(w.gh.commentsOn(w.repo, 71).length, 0, "nothing written");
  });

  it("check 84: a secret with too little randomness is refused, saying how to make one", () => {
    for (const weak of [
      "short",
      "a".repeat(32),
      "ab".repeat(40),
      "0123456789abcdef".repeat(4),
      "0123456789abcdef0123456789abcdef",
    ]) {
      assert.throws(
        () => createGitHubApprovalStore({ forge }, { secret: weak }),
        (e: Error) =>
          /^ml-chatops GitHub approval store: the approval store's secret holds about \d+ bits of randomness; it needs 256 \(32 random bytes\): make one with `openssl rand -hex 32`$/.test(
            e.message,
          ),
        weak,
      );
    }
  });
});
