/**
 * A minimal custom bot: a node:http server that receives GitHub webhooks, verifies them, answers
 * at once and runs the pipeline after, with experiments run by the local runner in a clone of
 * the repository. Configuration comes from the environment (see README.md).
 *
 * Run: `npx tsx examples/custom-bot/server.ts`
 */
import { createServer } from "node:http";
import * as E from "fp-ts/Either";
import {
  createGitHubBot,
  createGitHubOctokit,
  createGitHubWebhookHandler,
  createWebhookListener,
  resolveGitHubIdentity,
} from "../../src/adapters/github/index.js";
import { createLocalRunner } from "../../src/adapters/local/index.js";
import type { Logger } from "../../src/index.js";
import { createTfidfKeywordsExperiment } from "../../src/nlp/index.js";

const need = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === "") {
    console.error(`custom-bot: ${name} is not set (see examples/custom-bot/README.md)`);
    process.exit(2);
  }
  return v;
};

const logger: Logger = {
  debug: () => undefined,
  info: (m) => console.log(`info: ${m}`),
  warn: (m) => console.warn(`warning: ${m}`),
  error: (m) => console.error(`error: ${m}`),
};

const main = async (): Promise<void> => {
  const octokit = createGitHubOctokit(
    { logger },
    {
      auth: {
        kind: "app",
        appId: need("ML_CHATOPS_APP_ID"),
        privateKey: need("ML_CHATOPS_APP_PRIVATE_KEY").replace(/\\n/g, "\n"),
        installationId: Number(need("ML_CHATOPS_APP_INSTALLATION_ID")),
      },
      baseUrl: process.env["GITHUB_API_URL"] ?? "https://api.github.com",
    },
  );
  const identity = await resolveGitHubIdentity(octokit, "app")();
  if (E.isLeft(identity)) throw new Error(`cannot resolve the App's bot user: ${identity.left._tag}`);
  const secret = need("ML_CHATOPS_WEBHOOK_SECRET");
  const experiments = [
    createTfidfKeywordsExperiment({
      corpusPath: process.env["ML_CHATOPS_CORPUS"] ?? "examples/data/sample-talks.jsonl",
    }),
  ];
  const runner = createLocalRunner(
    { experiments, env: process.env, logger },
    {
      // A clone of the repository the bot serves; each run gets a fresh sandboxed checkout of the pinned SHA.
      repoPath: need("ML_CHATOPS_REPO_PATH"),
      command: [process.execPath, ...process.execArgv, new URL("../../src/cli/main.ts", import.meta.url).pathname],
      fetchPullRefs: { remote: "origin" },
    },
  );
  // Forge, signed approvals, the run ledger (kept on the pull request, so `promote` still finds
  // the latest result after a restart), a pipeline per repository and the event dispatcher.
  const bot = createGitHubBot(
    { octokit, identity: identity.right, logger },
    {
      stateSecret: need("ML_CHATOPS_STATE_SECRET"),
      runnerFor: () => runner,
      experiments,
      // Masked out of everything the bot publishes, with known token shapes (check 82).
      secrets: ["ML_CHATOPS_APP_PRIVATE_KEY", "ML_CHATOPS_WEBHOOK_SECRET", "ML_CHATOPS_STATE_SECRET"].map(need),
    },
  );
  const handle = createGitHubWebhookHandler(bot, { secret, botId: identity.right.id, requireInstallation: true });
  const server = createServer(createWebhookListener(handle, { logger }));
  // Bounded connections and timeouts (SECURITY-CHECKLIST 34).
  server.maxConnections = 64;
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  const port = Number(process.env["PORT"] ?? "3000");
  server.listen(port, () => logger.info(`listening on :${port} as ${identity.right.login} (${identity.right.id})`));
};

main().catch((e: unknown) => {
  console.error(`custom-bot: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
