/**
 * Issue 11 part 4: examples/probot-app driven by Probot 14 itself (`probot.receive()`) with real
 * @octokit/webhooks-examples payloads, against the fake GitHub: Probot's own installation octokit
 * does the work, the bot's identity is the App's `[bot]` user (GET /app with the App JWT from
 * `app.auth()`, GET /users/{slug}[bot] with the installation token), and the repository's
 * `.github/ml-chatops.yml` is read from the default branch.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as TE from "fp-ts/TaskEither";
import { Probot, ProbotOctokit } from "probot";
import { mlChatopsApp } from "../../examples/probot-app/app.js";
import { createInProcessRunner } from "../../src/adapters/local/in-process-runner.js";
import type { RunRequest } from "../../src/core/model.js";
import { result } from "../support/core-fakes.js";
import { commentPayload, pullPayload } from "../fixtures/github/payloads.js";
import { createWorld, type World } from "../adapters/github/setup.js";

const SECRET = "4f1c2a9e7b3d8c6f0a5e1b9d2c7f4a8e3b6d0c9f1e5a2b7d4c8f0e3a6b9d2c5f";
const BOT = { login: "ml-chatops[bot]", id: 4242, type: "Bot" as const };

describe("examples/probot-app on Probot 14 (issue 11 part 4)", () => {
  let w: World;
  let probot: Probot;
  const started: RunRequest[] = [];
  let deliveries = 0;
  const receive = (name: "issue_comment" | "pull_request", payload: unknown) =>
    probot.receive({ id: `probot-${++deliveries}`, name, payload } as Parameters<Probot["receive"]>[0]);

  before(async () => {
    w = await createWorld();
    // The repository's settings, on the default branch: another trigger and label.
    w.gh.setFile(w.repo, "main", ".github/ml-chatops.yml", "trigger: /test-trigger-comment\nlabel: keywords:run\n");
    probot = new Probot({
      appId: w.app.id,
      privateKey: w.app.privateKey,
      secret: "webhook-secret",
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults({
        baseUrl: "https://api.github.com",
        request: { fetch: w.gh.fetch },
        retry: { enabled: false },
        throttle: { enabled: false },
      }),
    });
    const runner = createInProcessRunner(
      {},
      { run: (req) => (started.push(req), TE.right(result(["graph", "tensor"]))) },
    );
    await probot.load(mlChatopsApp({ stateSecret: SECRET, corpusPath: "examples/data/sample-talks.jsonl", runner }));
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  const botComments = (n: number) => w.gh.commentsOn(w.repo, n).filter((c) => c.user.id === BOT.id);

  it("a comment with the repository's trigger is approved and labelled by the App's bot user, through Probot's octokit", async () => {
    const pr = w.gh.addPull(w.repo, { number: 401, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 401, w.users.writer, "/test-trigger-comment run");
    await receive(
      "issue_comment",
      commentPayload({
        body: c.body,
        author: w.users.writer,
        number: 401,
        commentId: c.id,
        createdAt: c.createdAt,
        installationId: 99,
      }),
    );
    assert.deepEqual(pr.labels, ["keywords:run"]);
    const identity = w.gh.log.filter(
      (r) => r.operationId === "apps/get-authenticated" || r.operationId === "users/get-by-username",
    );
    assert.deepEqual(
      identity.map((r) => [r.operationId, r.status]),
      [
        ["apps/get-authenticated", 200],
        ["users/get-by-username", 200],
      ],
    );
    assert.equal(w.gh.log.filter((r) => r.operationId === "issues/add-labels").at(-1)?.caller, "ml-chatops[bot]");
    assert.equal(
      w.gh.log.some(
        (r) => r.operationId === "repos/get-content" && decodeURIComponent(r.path).includes(".github/ml-chatops.yml"),
      ),
      true,
    );
    assert.match(
      botComments(401)
        .map((x) => x.body)
        .join("\n"),
      /Approved/,
    );
  });

  it("the bot's own label event runs the approved experiment at the pinned commit and publishes the report; the identity is looked up once", async () => {
    const pr = w.gh.state.repos.get("octo/kw")!.issues.get(401)!;
    await receive(
      "pull_request",
      pullPayload({
        action: "labeled",
        sender: BOT,
        label: "keywords:run",
        number: 401,
        headSha: pr.pull!.headSha,
        installationId: 99,
      }),
    );
    assert.deepEqual(
      started.map((r) => r.pinnedSha),
      [pr.pull!.headSha],
    );
    assert.match(
      botComments(401)
        .map((x) => x.body)
        .join("\n"),
      /<!-- ml-chatops:report[\s\S]*graph/,
    );
    assert.equal(w.gh.log.filter((r) => r.operationId === "apps/get-authenticated").length, 1);
  });

  it("check 27: the same label added by a human (even an admin) starts nothing", async () => {
    w.gh.addPull(w.repo, { number: 402, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 402, w.users.writer, "/test-trigger-comment run");
    await receive(
      "issue_comment",
      commentPayload({
        body: c.body,
        author: w.users.writer,
        number: 402,
        commentId: c.id,
        createdAt: c.createdAt,
        installationId: 99,
      }),
    );
    const before = started.length;
    await receive(
      "pull_request",
      pullPayload({ action: "labeled", sender: w.users.admin, label: "keywords:run", number: 402, installationId: 99 }),
    );
    assert.equal(started.length, before);
  });

  it("check 37: a redelivery of the same delivery id acts once", async () => {
    w.gh.addPull(w.repo, { number: 403, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 403, w.users.writer, "/test-trigger-comment help");
    const payload = commentPayload({
      body: c.body,
      author: w.users.writer,
      number: 403,
      commentId: c.id,
      createdAt: c.createdAt,
      installationId: 99,
    });
    await probot.receive({ id: "same-delivery", name: "issue_comment", payload } as Parameters<Probot["receive"]>[0]);
    await probot.receive({ id: "same-delivery", name: "issue_comment", payload } as Parameters<Probot["receive"]>[0]);
    assert.equal(
      botComments(403).length,
      1,
      botComments(403)
        .map((x) => x.body.slice(0, 60))
        .join(" | "),
    );
  });
});
