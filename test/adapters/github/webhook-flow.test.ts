import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";
import { BOT, createHarness, type Harness } from "./harness.js";

describe("GitHub webhook → pipeline → fake GitHub, end to end", () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => assert.deepEqual(h.world.gh.problems, []));

  const newPr = (n: number) => h.world.gh.addPull(h.world.repo, { number: n, user: h.world.users.bob });
  const comments = (n: number) => h.world.gh.commentsOn(h.world.repo, n);
  const botComments = (n: number) => comments(n).filter((c) => c.user.id === BOT.id);
  const say = async (
    n: number,
    who: { login: string; id: number },
    body: string,
    extra: object = {},
    delivery?: string,
  ) => {
    const c = h.world.gh.addComment(h.world.repo, n, { ...who, type: "User" }, body);
    const r = await h.deliver(
      "issue_comment",
      commentPayload({ body, author: who, number: n, commentId: c.id, createdAt: c.createdAt, ...extra }),
      delivery,
    );
    return { c, r };
  };
  const labeled = (
    n: number,
    sender: { login: string; id: number; type?: "User" | "Bot" },
    label = "ml-chatops:run",
    delivery?: string,
  ) => h.deliver("pull_request", pullPayload({ action: "labeled", sender, label, number: n }), delivery);

  it("checks 10, 16, 19, 27, 37, 38, 40: comment → approval + label by the bot → run at the pinned SHA → one report", async () => {
    const pr = newPr(101);
    const { c, r } = await say(101, h.world.users.writer, "/experiment run max_df=0.4", {}, "delivery-101");
    assert.equal(r.status, 202);
    assert.deepEqual(
      c.reactions.map((x) => x.content),
      ["eyes"],
    );
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
    // No reply: the approval opens the living comment of the PR × experiment, which says what was approved.
    const [living] = botComments(101);
    assert.equal(botComments(101).length, 1);
    assert.equal(living!.body.split("\n")[0], "<!-- ml-chatops:report octo/kw#101:tfidf-keywords -->");
    assert.match(
      living!.body,
      new RegExp(`Approved .* commit \`${pr.pull!.headSha.slice(0, 7)}\` \\(${pr.pull!.headSha}\\)`),
    );
    assert.equal(h.started.length, 0, "check 2: handling the comment starts nothing");

    // check 37: the same delivery again; check 38: the same comment under a new delivery id
    await h.deliver(
      "issue_comment",
      commentPayload({
        body: c.body,
        author: h.world.users.writer,
        number: 101,
        commentId: c.id,
        createdAt: c.createdAt,
      }),
      "delivery-101",
    );
    await h.deliver(
      "issue_comment",
      commentPayload({
        body: c.body,
        author: h.world.users.writer,
        number: 101,
        commentId: c.id,
        createdAt: c.createdAt,
      }),
      "delivery-101-replayed",
    );
    assert.equal(botComments(101).length, 1, "no second reply");

    // check 27: a human admin adding the label starts nothing; check 28: a lookalike login neither
    await labeled(101, { login: "ada", id: h.world.users.admin.id });
    await labeled(101, { login: "ml-chatops", id: 5 });
    await labeled(101, { login: "ml-chatops[bot]", id: 6, type: "Bot" });
    // check 72: the bot's id but a label differing in case is not ours
    await labeled(101, BOT, "ML-Chatops:run");
    assert.equal(h.started.length, 0);

    await labeled(101, BOT, "ml-chatops:run", "label-101");
    assert.equal(h.started.length, 1);
    assert.equal(h.started[0]!.pinnedSha, pr.pull!.headSha);
    assert.deepEqual(pr.labels, [], "check 16: the label is removed when the run starts");
    assert.ok(c.reactions.some((x) => x.content === "rocket"));
    // Issue 14: the report is the same living comment, and the only bot comment on the PR.
    assert.deepEqual(
      botComments(101).map((x) => [x.id, x.body.includes("graph")]),
      [[living!.id, true]],
      "one bot comment per PR × experiment",
    );
    // issue item 6: the full report also lands as a check run on the pinned SHA (App identity)
    const check = h.world.gh.state.checkRuns.find((x) => x.headSha === pr.pull!.headSha)!;
    assert.deepEqual(
      [check.name, check.status, check.conclusion],
      ["ml-chatops: tfidf-keywords", "completed", "success"],
    );
    assert.match(check.output.text ?? "", /graph/);

    // check 16: a second labeled event (or its redelivery under a new id) starts nothing
    await labeled(101, BOT, "ml-chatops:run", "label-101-again");
    assert.equal(h.started.length, 1);

    // check 40: the bot's own comments fed back in produce nothing, even those quoting the command
    const before = comments(101).length;
    for (const own of botComments(101)) {
      await h.deliver(
        "issue_comment",
        commentPayload({
          body: `${own.body}\n/experiment run`,
          author: BOT,
          number: 101,
          commentId: own.id,
          createdAt: own.createdAt,
        }),
      );
    }
    assert.equal(comments(101).length, before);
    assert.equal(h.started.length, 1);
  });

  it("checks 20, 22: a reader is denied (even when the payload claims OWNER): one reply, 😕, no label", async () => {
    const pr = newPr(102);
    const { c } = await say(102, h.world.users.reader, "/experiment run", { authorAssociation: "OWNER" });
    assert.deepEqual(pr.labels, []);
    const replies = botComments(102);
    assert.equal(replies.length, 1);
    assert.match(replies[0]!.body, /needs the `write` role.*yours is `read`/);
    assert.ok(c.reactions.some((x) => x.content === "confused"));
  });

  it("check 22: a writer whose payload says NONE (private org membership) is allowed", async () => {
    const pr = newPr(103);
    await say(103, h.world.users.writer, "/experiment run", { authorAssociation: "NONE" });
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
  });

  it("check 23: the permission API failing (5xx after retries) denies with 'could not verify'", async () => {
    const pr = newPr(104);
    h.world.gh.faults.push({ operationId: "repos/get-collaborator-permission-level", status: 502, times: 4 });
    await say(104, h.world.users.writer, "/experiment run");
    assert.deepEqual(pr.labels, []);
    assert.match(botComments(104).at(-1)!.body, /Could not verify the permission/);
  });

  it("check 12: the head moved between approval and label: nothing starts, the label is removed, a reply names both SHAs", async () => {
    const pr = newPr(105);
    await say(105, h.world.users.writer, "/experiment run");
    const approved = pr.pull!.headSha;
    const moved = h.world.gh.push(h.world.repo, 105);
    await labeled(105, BOT);
    assert.equal(h.started.filter((s) => s.pr.number === 105).length, 0);
    assert.deepEqual(pr.labels, []);
    assert.match(botComments(105).at(-1)!.body, new RegExp(`${approved.slice(0, 7)}.*→.*${moved.slice(0, 7)}`));
  });

  it("check 15: a push (synchronize) after approval makes it stale; the label then starts nothing", async () => {
    const pr = newPr(106);
    await say(106, h.world.users.writer, "/experiment run");
    const sha = h.world.gh.push(h.world.repo, 106);
    await h.deliver(
      "pull_request",
      pullPayload({ action: "synchronize", sender: h.world.users.bob, number: 106, headSha: sha }),
    );
    await labeled(106, BOT);
    assert.equal(h.started.filter((s) => s.pr.number === 106).length, 0);
    assert.ok(pr.labels.includes("ml-chatops:run"));
  });

  it("check 14: `sha=` must equal the head exactly: a prefix or an upper-case SHA is refused; the exact one is approved", async () => {
    const pr = newPr(112);
    const head = pr.pull!.headSha;
    await say(112, h.world.users.writer, `/experiment run sha=${head.slice(0, 12)}`);
    await say(112, h.world.users.writer, `/experiment run sha=${head.toUpperCase()}`);
    assert.deepEqual(pr.labels, []);
    await say(112, h.world.users.writer, `/experiment run sha=${head}`);
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
  });

  it("check 19: a labeled event with no approval record starts nothing", async () => {
    newPr(107);
    await labeled(107, BOT);
    assert.equal(h.started.filter((s) => s.pr.number === 107).length, 0);
  });

  it("check 17: the PR was closed between comment and label: refused with a reply", async () => {
    const pr = newPr(108);
    await say(108, h.world.users.writer, "/experiment run");
    pr.state = "closed";
    await labeled(108, BOT);
    assert.equal(h.started.filter((s) => s.pr.number === 108).length, 0);
    assert.match(botComments(108).at(-1)!.body, /closed; nothing was started/);
  });

  it("check 18: a fork PR whose head repository was deleted is refused cleanly", async () => {
    h.world.gh.addPull(h.world.repo, { number: 109, user: h.world.users.bob, headRepo: null });
    await say(109, h.world.users.writer, "/experiment run");
    assert.match(botComments(109).at(-1)!.body, /head repository of this pull request no longer exists/);
  });

  it("an invalid .github/ml-chatops.yml gets one reply naming the bad field, and nothing else happens", async () => {
    const pr = newPr(110);
    h.world.gh.setFile(h.world.repo, "main", ".github/ml-chatops.yml", "requiredRole:\n  run: superuser\n");
    try {
      await say(110, h.world.users.writer, "/experiment run");
      const replies = botComments(110);
      assert.equal(replies.length, 1);
      assert.match(replies[0]!.body, /config is invalid.*requiredRole.*run/);
      assert.deepEqual(pr.labels, []);
    } finally {
      h.world.gh.setFile(h.world.repo, "main", ".github/ml-chatops.yml", "{}");
    }
  });

  it("the repository config's required role applies (read from the default branch)", async () => {
    const pr = newPr(111);
    h.world.gh.setFile(h.world.repo, "main", ".github/ml-chatops.yml", "requiredRole:\n  run: maintain\n");
    try {
      await say(111, h.world.users.writer, "/experiment run");
      assert.deepEqual(pr.labels, []);
      assert.match(botComments(111).at(-1)!.body, /needs the `maintain` role/);
    } finally {
      h.world.gh.setFile(h.world.repo, "main", ".github/ml-chatops.yml", "{}");
    }
  });
});
