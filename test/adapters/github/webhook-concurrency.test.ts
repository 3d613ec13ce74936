/**
 * Two bot instances (each its own Octokit, approval store and pipeline, as two processes would
 * have) behind one fake GitHub, and the race between a comment and a push that lands before the
 * comment is handled.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";
import { BOT, createHarness, type Harness } from "./harness.js";
import { createWorld, type World } from "./setup.js";

describe("GitHub webhook: concurrent instances and late pushes", () => {
  let w: World;
  let one: Harness;
  let two: Harness;
  before(async () => {
    w = await createWorld();
    one = await createHarness(w);
    two = await createHarness(w);
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  const botReplies = (n: number) => w.gh.commentsOn(w.repo, n).filter((c) => c.user.id === BOT.id);
  const commentEvent = (n: number, body: string, at?: string) => {
    const c = w.gh.addComment(w.repo, n, { ...w.users.writer, type: "User" }, body, at);
    return {
      c,
      payload: commentPayload({ body, author: w.users.writer, number: n, commentId: c.id, createdAt: c.createdAt }),
    };
  };

  it("check 39: the same delivery handled by two instances at once: one approval, one label, one living comment", async () => {
    const pr = w.gh.addPull(w.repo, { number: 301, user: w.users.bob });
    const { c, payload } = commentEvent(301, "/experiment run max_df=0.4");
    await Promise.all([one.deliver("issue_comment", payload, "d-301"), two.deliver("issue_comment", payload, "d-301")]);
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
    assert.deepEqual(
      botReplies(301).map((x) => /^Approved `tfidf-keywords`/m.test(x.body)),
      [true],
      "one bot comment: the living one, saying what was approved",
    );
    assert.deepEqual(
      c.reactions.map((x) => x.content),
      ["eyes"],
    );
    const outcomes = [...one.logger.lines, ...two.logger.lines]
      .map((l) => l.message)
      .filter((m) => m.includes(`comment ${c.id}:`));
    assert.equal(outcomes.filter((m) => /Approved/.test(m)).length, 1, outcomes.join("\n"));
  });

  it("check 39: one labeled event delivered to two instances at once starts exactly one run", async () => {
    const pr = w.gh.addPull(w.repo, { number: 302, user: w.users.bob });
    const { c, payload } = commentEvent(302, "/experiment run");
    await one.deliver("issue_comment", payload);
    const label = pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 302 });
    await Promise.all([one.deliver("pull_request", label, "l-302"), two.deliver("pull_request", label, "l-302")]);
    const runs = [...one.started, ...two.started].filter((s) => s.pr.number === 302);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.pinnedSha, pr.pull!.headSha);
    assert.equal(c.reactions.filter((x) => x.content === "rocket").length, 1);
    assert.deepEqual(
      botReplies(302).map((x) => x.body.includes("graph")),
      [true],
      "one bot comment: the living one, with the report",
    );
  });

  it("check 10: a push that lands between the comment and its handling is refused, naming both times", async () => {
    const pr = w.gh.addPull(w.repo, { number: 303, user: w.users.bob });
    const reviewed = pr.pull!.headSha;
    const commentedAt = new Date(Date.now() - 30_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const { c, payload } = commentEvent(303, "/experiment run", commentedAt);
    const late = w.gh.push(w.repo, 303, undefined, { at: Date.now() - 10_000, by: w.users.bob });
    assert.notEqual(late, reviewed);
    await one.deliver("issue_comment", payload);
    assert.deepEqual(pr.labels, []);
    const reply = botReplies(303).at(-1)!.body;
    assert.match(
      reply,
      new RegExp(`\`${late.slice(0, 7)}\` was pushed at .*after your comment \\(\`${commentedAt}\`\\)`),
    );
    assert.deepEqual(c.reactions.map((x) => x.content).sort(), ["confused", "eyes"]);
  });

  it("check 14: after such a refusal, naming the new head with sha= approves it", async () => {
    const pr = w.gh.addPull(w.repo, { number: 304, user: w.users.bob });
    const head = w.gh.push(w.repo, 304, undefined, { at: Date.now() + 60_000 });
    const { payload } = commentEvent(304, `/experiment run sha=${head}`);
    await one.deliver("issue_comment", payload);
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
  });

  it("check 10: a head GitHub has no push record of is refused, and the reply asks for sha=", async () => {
    const pr = w.gh.addPull(w.repo, { number: 305, user: w.users.bob, activity: false });
    const { payload } = commentEvent(305, "/experiment run");
    await one.deliver("issue_comment", payload);
    assert.deepEqual(pr.labels, []);
    assert.match(botReplies(305).at(-1)!.body, /Cannot tell when the head .* was pushed.*`sha=`/);
  });
});
