/**
 * Issue 14 item 3: the webhook handler, the Actions commands and the Probot app share one event
 * dispatcher (`createGitHubBot` → `handleGitHubDelivery`). Each behaviour of that dispatcher is
 * written once here and run through all three ways in, against one fake GitHub: the same
 * payloads arrive signed over HTTP semantics (webhook), as a job's event file (CLI, in process),
 * and through Probot 14's own `receive` with its installation octokit.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { Probot, ProbotOctokit } from "probot";
import { createGitHubBot } from "../../../src/adapters/github/bot.js";
import { resolveGitHubIdentity } from "../../../src/adapters/github/identity.js";
import { createProbotApp } from "../../../src/adapters/github/probot.js";
import { signBody } from "../../../src/adapters/github/signature.js";
import { createGitHubWebhookHandler } from "../../../src/adapters/github/webhook.js";
import { createInProcessRunner } from "../../../src/adapters/local/in-process-runner.js";
import { runGitHubEvent } from "../../../src/cli/github-commands.js";
import type { CliIo } from "../../../src/cli/io.js";
import type { RunRequest } from "../../../src/core/model.js";
import { fakeExperiment, result } from "../../support/core-fakes.js";
import { actionsEvent, appCredentials, TEST_BOT as BOT, TEST_STATE_SECRET } from "../../support/actions-event.js";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";
import { createWorld, memoryLogger, type World } from "./setup.js";

const WEBHOOK_SECRET = "ways-in-webhook-secret";
const CONFIG = ".github/ml-chatops.yml";
const EDITS = "allowEdits: true\n";

type EventName = "issue_comment" | "pull_request";
/** One way in: hands GitHub's delivery (name, payload, delivery id) to the bot and waits for the work. */
type WayIn = {
  readonly name: string;
  readonly deliver: (name: EventName, payload: unknown, delivery: string) => Promise<void>;
};

describe("one event dispatcher for the webhook handler, the Actions commands and Probot (issue 14 item 3)", () => {
  let w: World;
  let baseUrl = "";
  let close: () => Promise<void> = async () => undefined;
  const started: RunRequest[] = [];
  const runner = createInProcessRunner(
    {},
    { run: (req) => (started.push(req), TE.right(result(["graph", "tensor"]))) },
  );
  const ways: WayIn[] = [];
  const dir = mkdtempSync(join(tmpdir(), "ml-chatops-ways-in-"));

  before(async () => {
    w = await createWorld();
    ({ baseUrl, close } = await w.gh.listen());
    // Edits act where enabled: the CLI reads it from the repository config, the servers from their options.
    w.gh.setFile(w.repo, "main", CONFIG, EDITS);

    const logger = memoryLogger();
    const octokit = w.appClient({ logger });
    const identity = await resolveGitHubIdentity(octokit, "app")();
    if (E.isLeft(identity)) throw new Error(`no identity: ${identity.left._tag}`);
    const bot = createGitHubBot(
      { octokit, identity: identity.right, logger },
      { stateSecret: TEST_STATE_SECRET, experiments: [fakeExperiment], runnerFor: () => runner },
    );
    const handle = createGitHubWebhookHandler(bot, {
      secret: WEBHOOK_SECRET,
      botId: identity.right.id,
      requireInstallation: true,
      events: { allowEdits: true },
    });
    ways.push({
      name: "webhook",
      deliver: async (name, payload, delivery) => {
        const rawBody = Buffer.from(JSON.stringify(payload));
        const r = await handle({
          rawBody,
          headers: {
            "content-type": "application/json",
            "x-github-event": name,
            "x-github-delivery": delivery,
            "x-hub-signature-256": signBody(WEBHOOK_SECRET, rawBody),
          },
        });
        assert.equal(r.status, 202, r.body);
        await r.work;
      },
    });

    ways.push({
      name: "actions",
      // A job has no delivery id: the same delivery again is a re-run of the job.
      deliver: async (name, payload) => {
        const io: CliIo = {
          stdout: () => undefined,
          stderr: () => undefined,
          env: { ...actionsEvent(dir, name, payload), ...appCredentials(w.app), GITHUB_API_URL: baseUrl },
          cwd: dir,
          stderrIsTTY: false,
        };
        await runGitHubEvent(name === "issue_comment" ? "comment" : "label", [], io, { fetch: w.gh.fetch, runner });
      },
    });

    const probot = new Probot({
      appId: w.app.id,
      privateKey: w.app.privateKey,
      secret: WEBHOOK_SECRET,
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults({
        baseUrl: "https://api.github.com",
        request: { fetch: w.gh.fetch },
        retry: { enabled: false },
        throttle: { enabled: false },
      }),
    });
    await probot.load(
      createProbotApp({
        stateSecret: TEST_STATE_SECRET,
        experiments: [fakeExperiment],
        runnerFor: () => runner,
        events: { allowEdits: true },
      }),
    );
    ways.push({
      name: "probot",
      deliver: (name, payload, delivery) =>
        probot.receive({ id: delivery, name, payload } as Parameters<Probot["receive"]>[0]),
    });
  });
  after(async () => {
    await close();
    assert.deepEqual(w.gh.problems, []);
  });

  const botComments = (n: number) => w.gh.commentsOn(w.repo, n).filter((c) => c.user.id === BOT.id);
  const replies = botComments;
  const commentOn = (n: number, body: string, action: "created" | "edited" = "created") => {
    const c = w.gh.addComment(w.repo, n, w.users.writer, body);
    return {
      c,
      payload: commentPayload({
        body,
        author: w.users.writer,
        number: n,
        commentId: c.id,
        createdAt: c.createdAt,
        installationId: 99,
        action,
      }),
    };
  };
  // Each way in gets its own pull request, numbered by the behaviour and the way.
  const each = (base: number, behaviour: (way: WayIn, pr: number) => Promise<void>) => async () => {
    for (const [i, way] of ways.entries()) await behaviour(way, base + i);
  };

  it(
    "checks 37, 39: a command delivered twice (a redelivery; in Actions a re-run of the job) is approved and labelled once",
    each(610, async (way, n) => {
      const pr = w.gh.addPull(w.repo, { number: n, user: w.users.bob });
      const { c, payload } = commentOn(n, "/experiment run");
      await way.deliver("issue_comment", payload, `comment-${n}`);
      await way.deliver("issue_comment", payload, `comment-${n}`);
      assert.deepEqual(pr.labels, ["ml-chatops:run"], way.name);
      assert.equal(replies(n).filter((r) => /Approved/.test(r.body)).length, 1, `${way.name}: ${replies(n).length}`);
      assert.deepEqual(
        c.reactions.map((r) => r.content),
        ["eyes"],
        way.name,
      );
      assert.equal(w.gh.log.filter((r) => r.operationId === "issues/add-labels").at(-1)?.caller, BOT.login, way.name);
    }),
  );

  it(
    "checks 12, 37: the bot's label delivered twice starts one run at the pinned commit and publishes one report",
    each(620, async (way, n) => {
      const pr = w.gh.addPull(w.repo, { number: n, user: w.users.bob });
      const { payload } = commentOn(n, "/experiment run");
      await way.deliver("issue_comment", payload, `comment-${n}`);
      const label = pullPayload({
        action: "labeled",
        sender: BOT,
        label: "ml-chatops:run",
        number: n,
        headSha: pr.pull!.headSha,
        installationId: 99,
      });
      await way.deliver("pull_request", label, `label-${n}`);
      await way.deliver("pull_request", label, `label-${n}`);
      const runs = started.filter((s) => s.pr.number === n);
      assert.deepEqual(
        runs.map((r) => r.pinnedSha),
        [pr.pull!.headSha],
        way.name,
      );
      const reports = replies(n).filter((r) => r.body.startsWith("<!-- ml-chatops:report"));
      assert.equal(reports.length, 1, way.name);
      assert.match(reports[0]!.body, /graph/, way.name);
      assert.deepEqual(pr.labels, [], `${way.name}: the label is removed after the start`);
    }),
  );

  it(
    "checks 37, 41: an edited command (edits enabled) arriving twice (a replay under a new delivery id; a re-run) is approved once",
    each(630, async (way, n) => {
      const pr = w.gh.addPull(w.repo, { number: n, user: w.users.bob });
      const { c } = commentOn(n, "LGTM");
      c.body = "/experiment run";
      const edited = commentPayload({
        body: c.body,
        author: w.users.writer,
        number: n,
        commentId: c.id,
        createdAt: c.createdAt,
        installationId: 99,
        action: "edited",
      });
      await way.deliver("issue_comment", edited, `edit-${n}-a`);
      await way.deliver("issue_comment", edited, `edit-${n}-b`);
      assert.deepEqual(pr.labels, ["ml-chatops:run"], way.name);
      assert.equal(replies(n).filter((r) => /Approved/.test(r.body)).length, 1, way.name);
    }),
  );

  it(
    "check 67: with an invalid repository config a command gets one reply naming the field, even delivered twice; other comments none",
    each(640, async (way, n) => {
      w.gh.addPull(w.repo, { number: n, user: w.users.bob });
      w.gh.setFile(w.repo, "main", CONFIG, "labl: typo\n");
      try {
        const command = commentOn(n, "/experiment run");
        await way.deliver("issue_comment", command.payload, `bad-${n}-a`);
        await way.deliver("issue_comment", command.payload, `bad-${n}-b`);
        await way.deliver("issue_comment", commentOn(n, "LGTM, thanks").payload, `bad-${n}-c`);
        const answers = replies(n);
        assert.equal(answers.length, 1, `${way.name}: ${answers.map((r) => r.body).join(" | ")}`);
        assert.match(answers[0]!.body, /config is invalid.*unknown field labl/, way.name);
        assert.deepEqual(w.gh.state.repos.get("octo/kw")!.issues.get(n)!.labels, [], way.name);
      } finally {
        w.gh.setFile(w.repo, "main", CONFIG, EDITS);
      }
    }),
  );
});
