/**
 * The two ways a GitHub event reaches the pipeline, for the request-count bench: the Actions entry
 * (`runGitHubEvent`, one process per event: identity, token and config read every time) and the
 * webhook entry of a long-lived custom bot wired as examples/custom-bot/server.ts wires it (one
 * forge, approval store and ledger for the process; identity resolved once at start).
 */
import * as E from "fp-ts/Either";
import { createGitHubBot } from "../../src/adapters/github/bot.js";
import { resolveGitHubIdentity } from "../../src/adapters/github/identity.js";
import { signBody } from "../../src/adapters/github/signature.js";
import { createGitHubWebhookHandler } from "../../src/adapters/github/webhook.js";
import { runGitHubEvent } from "../../src/cli/github-commands.js";
import type { Runner } from "../../src/core/ports.js";
import { createTfidfKeywordsExperiment } from "../../src/nlp/index.js";
import { memoryLogger, type World } from "../../test/adapters/github/setup.js";
import { checkoutDefaultBranch } from "../../test/support/actions-checkout.js";
import { actionsJobIo, TEST_STATE_SECRET } from "../../test/support/actions-event.js";

/** What became of one event: whether it was handled without failure, and the last log line. */
export type EventOutcome = { readonly ok: boolean; readonly outcome: string };

/** Delivers one event (`issue_comment` → on-comment, `pull_request` → on-label) and waits for its work. */
export type EventDriver = (eventName: "issue_comment" | "pull_request", payload: unknown) => Promise<EventOutcome>;

/**
 * The Actions entry, in-process: each event a fresh `runGitHubEvent` with the App's credentials.
 * With `checkout` (as the shipped workflows run it), each job first checks the default branch
 * out as it is on the fake at that moment and passes it as `--default-branch-checkout`.
 *
 * @example
 * const deliver = actionsDriver(world, dir, runner, { checkout: true });
 * await deliver("issue_comment", commentPayload({ body: "/experiment run", author }));
 */
export const actionsDriver =
  (w: World, dir: string, runner: Runner, o: { readonly checkout: boolean }): EventDriver =>
  async (eventName, payload) => {
    const lines: string[] = [];
    const io = actionsJobIo(dir, eventName, payload, w.app, lines);
    const mode = eventName === "issue_comment" ? "comment" : "label";
    const checkout = o.checkout ? checkoutDefaultBranch(w.repo) : undefined;
    try {
      const argv = checkout === undefined ? [] : ["--default-branch-checkout", checkout.path];
      const code = await runGitHubEvent(mode, argv, io, { fetch: w.gh.fetch, runner });
      return { ok: code === 0, outcome: lines.join("").trim().split("\n").at(-1) ?? "" };
    } finally {
      checkout?.remove();
    }
  };

const WEBHOOK_SECRET = "bench-webhook-secret";

/**
 * A long-lived custom bot's webhook entry. Its start-up (identity) is spent before the first
 * event, so the counts per event hold only what each delivery costs.
 *
 * @example
 * const deliver = await webhookDriver(world, runner);
 */
export const webhookDriver = async (w: World, runner: Runner): Promise<EventDriver> => {
  const logger = memoryLogger();
  const octokit = w.appClient({ logger });
  const identity = await resolveGitHubIdentity(octokit, "app")();
  if (E.isLeft(identity)) throw new Error(`bench: no bot identity: ${identity.left._tag}`);
  // The same composition root a user's server uses (examples/custom-bot/server.ts), so the counts
  // are what that bot costs, not what a hand-wired copy of it would.
  const bot = createGitHubBot(
    { octokit, identity: identity.right, logger },
    {
      stateSecret: TEST_STATE_SECRET,
      runnerFor: () => runner,
      experiments: [createTfidfKeywordsExperiment({ corpusPath: "examples/data/sample-talks.jsonl" })],
    },
  );
  const handle = createGitHubWebhookHandler(bot, { secret: WEBHOOK_SECRET, botId: identity.right.id });
  let n = 0;
  return async (eventName, payload) => {
    const rawBody = Buffer.from(JSON.stringify(payload));
    const from = logger.lines.length;
    const r = await handle({
      rawBody,
      headers: {
        "content-type": "application/json",
        "x-github-event": eventName,
        "x-github-delivery": `bench-${++n}`,
        "x-hub-signature-256": signBody(WEBHOOK_SECRET, rawBody),
      },
    });
    await r.work;
    const lines = logger.lines.slice(from);
    const last = lines.at(-1);
    return {
      ok: r.status === 202 && !lines.some((l) => l.level === "error"),
      outcome: `${r.status} ${last?.message ?? r.body}`,
    };
  };
};
