import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";
import type { FakeUser } from "../../support/fake-github/index.js";
import { createWorld } from "./setup.js";
import { createHarness, type Harness } from "./harness.js";

// Only GitHub Apps may write check runs: a bot on a personal access token reports on the PR
// comment alone, and never spends two requests per run on a 403 it then logs (issue 14).
describe("a bot on a personal access token", () => {
  let h: Harness;
  let machine: FakeUser;
  before(async () => {
    const w = await createWorld();
    machine = w.gh.addUser("ml-machine");
    w.gh.grant(w.repo, machine, "write");
    h = await createHarness(w, { asUser: machine });
  });
  after(() => assert.deepEqual(h.world.gh.problems, []));

  it("runs comment → label → report with no check run attempted and no warning about one", async () => {
    const n = 301;
    const pr = h.world.gh.addPull(h.world.repo, { number: n, user: h.world.users.bob });
    const body = "/experiment run max_df=0.4";
    const c = h.world.gh.addComment(h.world.repo, n, h.world.users.writer, body);
    await h.deliver(
      "issue_comment",
      commentPayload({ body, author: h.world.users.writer, number: n, commentId: c.id, createdAt: c.createdAt }),
    );
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
    assert.equal(h.world.gh.log.filter((x) => x.operationId === "issues/add-labels").at(-1)?.caller, "ml-machine");
    await h.deliver(
      "pull_request",
      pullPayload({
        action: "labeled",
        sender: { login: machine.login, id: machine.id },
        label: "ml-chatops:run",
        number: n,
      }),
    );
    assert.equal(h.started.length, 1);
    const report = h.world.gh
      .commentsOn(h.world.repo, n)
      .filter((x) => x.user.id === machine.id && x.body.includes("graph"));
    assert.equal(report.length, 1, "the report is on the PR comment");
    assert.deepEqual(
      h.world.gh.log.filter((x) => x.operationId?.startsWith("checks/") === true).map((x) => x.operationId),
      [],
    );
    assert.equal(h.world.gh.state.checkRuns.length, 0);
    assert.deepEqual(
      h.logger.lines.filter((l) => /check run/i.test(l.message)),
      [],
    );
  });
});
