/**
 * Check 82, end to end: a run that prints every secret the bot holds, and token shapes it never
 * held, through the real pipeline, Octokit and the fake GitHub. The report comment, the replies
 * and the check run GitHub stores hold none of them.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as TE from "fp-ts/TaskEither";
import { createGitHubApprovalStore } from "../../../src/adapters/github/approval-store.js";
import { createGitHubForge } from "../../../src/adapters/github/forge.js";
import { createRepoPipelineFactory } from "../../../src/adapters/github/repo-pipeline.js";
import { signBody } from "../../../src/adapters/github/signature.js";
import { createGitHubWebhookHandler } from "../../../src/adapters/github/webhook.js";
import { createInProcessRunner } from "../../../src/adapters/local/in-process-runner.js";
import { createMemoryRunLedger } from "../../../src/core/memory-stores.js";
import { createFakeClock, fakeExperiment, result } from "../../support/core-fakes.js";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";
import { createWorld, memoryLogger, type World } from "./setup.js";
import { BOT, SECRET } from "./harness.js";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAflowTestKeyMaterial0123\n-----END RSA PRIVATE KEY-----";
const HELD = { appKey: PEM, pat: "pat-value-held-by-the-bot-0123456789", state: SECRET, webhook: "webhook-secret-held-by-the-bot-42" };
const SHAPES = [`ghs_${"Ab12".repeat(9)}`, `ghp_${"Cd34".repeat(9)}`, `gho_${"Ef56".repeat(9)}`, `github_pat_11AAAAAAA0${"Gh78".repeat(15)}`, "AKIAIOSFODNN7EXAMPLE"];

describe("check 82: nothing the bot publishes holds a secret", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("a run that prints each secret: report comment, replies and check run are masked", async () => {
    const logger = memoryLogger();
    const { clock } = createFakeClock(Date.now());
    const octokit = w.appClient({ logger });
    const forge = createGitHubForge({ octokit, logger }, { identity: { login: BOT.login, id: BOT.id } });
    const approvals = createGitHubApprovalStore({ forge, clock }, { secret: SECRET });
    const everything = [...Object.values(HELD), ...SHAPES];
    const runner = createInProcessRunner(
      {},
      {
        run: (_req, { log }) => {
          for (const s of everything) log(`leak: ${s}`);
          log(`escaped key: ${PEM.replace(/\n/g, "\\n")}`);
          return TE.right(result(["graph", ...SHAPES.slice(0, 2), HELD.pat]));
        },
      },
    );
    const pipelineFor = createRepoPipelineFactory({
      octokit,
      forge,
      approvals,
      runnerFor: () => runner,
      experiments: [fakeExperiment],
      ledger: createMemoryRunLedger(),
      logger,
      clock,
      secrets: [HELD.appKey.replace(/\n/g, "\\n"), HELD.pat, HELD.state, HELD.webhook],
    });
    const handle = createGitHubWebhookHandler({ pipelineFor, approvals, forge, logger, clock }, { secret: SECRET, botId: BOT.id });
    const deliver = async (event: string, payload: unknown, delivery: string) => {
      const rawBody = Buffer.from(JSON.stringify(payload));
      const r = await handle({ rawBody, headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": delivery, "x-hub-signature-256": signBody(SECRET, rawBody) } });
      await r.work;
    };
    const pr = w.gh.addPull(w.repo, { number: 301, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 301, { ...w.users.writer, type: "User" }, "/experiment run");
    await deliver("issue_comment", commentPayload({ body: c.body, author: w.users.writer, number: 301, commentId: c.id, createdAt: c.createdAt }), "mask-1");
    await deliver("pull_request", pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 301 }), "mask-2");

    const published = w.gh.commentsOn(w.repo, 301).filter((x) => x.user.id === BOT.id);
    const report = published.find((x) => x.body.includes("graph"));
    assert.ok(report !== undefined, "the report was published");
    assert.match(report.body, /leak: \*\*\*|leak: \\\*\\\*\\\*/, "the log tail is there, masked");
    const check = w.gh.state.checkRuns.find((x) => x.headSha === pr.pull!.headSha);
    assert.ok(check !== undefined, "the check run was published");
    const texts = [...published.map((x) => x.body), JSON.stringify(check.output)];
    const pieces = [...everything, ...PEM.split("\n").filter((l) => l.length > 8), SHAPES[0]!.slice(4, 24)];
    for (const t of texts) for (const p of pieces) assert.ok(!t.includes(p), `published text holds ${p.slice(0, 12)}…`);
  });
});
