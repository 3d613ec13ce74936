/**
 * The whole GitHub side wired as a custom bot would wire it: fake GitHub ← real Octokit ←
 * `createGitHubBot` (forge, signed-comment approval store, repo pipelines with the comment
 * reporter and baseline file, the event dispatcher) ← `handleWebhook`, with an in-process runner
 * whose starts are recorded.
 */
import * as TE from "fp-ts/TaskEither";
import { createGitHubBot } from "../../../src/adapters/github/bot.js";
import { signBody } from "../../../src/adapters/github/signature.js";
import { createGitHubWebhookHandler, type WebhookResponse } from "../../../src/adapters/github/webhook.js";
import { createInProcessRunner, type InProcessRunnerConfig } from "../../../src/adapters/local/in-process-runner.js";
import { createMemoryRunLedger } from "../../../src/core/memory-stores.js";
import type { RunRequest } from "../../../src/core/model.js";
import { createFakeClock, fakeExperiment, result } from "../../support/core-fakes.js";
import type { FakeUser } from "../../support/fake-github/index.js";
import { createWorld, memoryLogger, type World } from "./setup.js";

export const SECRET = "900ccf5c909e948e7116df3c596aa4db2a68ee3990d0d591a359574ef106dff5";
export const BOT = { login: "ml-chatops[bot]", id: 4242, type: "Bot" as const };

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/** How a harness differs from the default App bot whose runs succeed with two keywords. */
export type HarnessOptions = {
  /** The bot on a personal access token of this (machine) user instead of the App. */
  readonly asUser?: FakeUser;
  /** What each run does (its log and result); the default returns "graph" and "tensor". */
  readonly run?: InProcessRunnerConfig["run"];
  /** The secret values the bot holds, for the masking decorators. */
  readonly secrets?: ReadonlyArray<string>;
};

export const createHarness = async (w?: World, opts: HarnessOptions = {}) => {
  const world = w ?? (await createWorld());
  const logger = memoryLogger();
  const { clock } = createFakeClock(Date.now());
  const octokit = opts.asUser === undefined ? world.appClient({ logger }) : world.tokenClient(opts.asUser, { logger });
  const identity =
    opts.asUser === undefined ? { login: BOT.login, id: BOT.id } : { login: opts.asUser.login, id: opts.asUser.id };
  const started: RunRequest[] = [];
  const runner = createInProcessRunner(
    {},
    {
      run: (req, io) => {
        started.push(req);
        return opts.run === undefined ? TE.right(result(["graph", "tensor"])) : opts.run(req, io);
      },
    },
  );
  const bot = createGitHubBot(
    { octokit, identity, logger, clock },
    {
      stateSecret: SECRET,
      runnerFor: () => runner,
      experiments: [fakeExperiment],
      ledger: createMemoryRunLedger(),
      secrets: opts.secrets,
    },
  );
  const { forge, approvals } = bot;
  const handle = createGitHubWebhookHandler(bot, { secret: SECRET, botId: identity.id });
  let deliveries = 0;
  /** Delivers a payload as GitHub would (signed raw bytes) and waits for the work after the ack. */
  const deliver = async (event: string, payload: unknown, delivery = `d-${++deliveries}`): Promise<WebhookResponse> => {
    const rawBody = Buffer.from(JSON.stringify(payload));
    const r = await handle({
      rawBody,
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": delivery,
        "x-hub-signature-256": signBody(SECRET, rawBody),
      },
    });
    await r.work;
    return r;
  };
  return { world, logger, clock, octokit, forge, approvals, runner, started, handle, deliver };
};
