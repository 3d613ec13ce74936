/**
 * Probot as the host: `createProbotApp(options)` is a Probot app function. Each event uses
 * Probot's own installation-authenticated octokit; the bot's identity is the App's `[bot]` user
 * (`app.auth()` gives the App-level client for `GET /app`); the repository's pipeline is built
 * from its `.github/ml-chatops.yml` on the default branch; and the work after decoding is the
 * same as the webhook handler's (delivery claims, config-invalid reply, retries).
 *
 * The Probot types are structural, so this entry needs no `probot` import and works with the
 * Probot 14 app object as it is (a type test checks that).
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { describeError } from "../../core/errors.js";
import type { Actor } from "../../core/model.js";
import type { Clock, Experiment, Logger, Runner } from "../../core/ports.js";
import { createGitHubBot } from "./bot.js";
import { describeDelivery } from "./event-work.js";
import { decodeGitHubEvent, type EventOptions } from "./events.js";
import { resolveGitHubAppBotIdentity } from "./identity.js";
import type { GitHubClient } from "./octokit.js";
import type { RepoConfig } from "./repo-config.js";

/** What we use of a Probot `Context`. */
export type ProbotContextLike = {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  readonly octokit: GitHubClient;
};

/** What we use of a Probot logger (pino). */
export type ProbotLogLike = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
};

/** What we use of the Probot `app` object handed to an app function. */
export type ProbotLike = {
  on(events: Array<"issue_comment" | "pull_request">, handler: (context: ProbotContextLike) => Promise<void>): void;
  /** Without an installation id: the App-level (JWT) client. */
  auth(): Promise<GitHubClient>;
  readonly log: ProbotLogLike;
};

export type ProbotAppOptions = {
  /** Signs the approval record kept in a bot comment: at least 32 random characters. */
  readonly stateSecret: string;
  readonly experiments: ReadonlyArray<Experiment>;
  /** The runner for a repository's config; gets that event's installation client. */
  readonly runnerFor: (config: RepoConfig, octokit: GitHubClient) => Runner;
  /** Edits, allow-listed bots, stale-comment window (see `EventOptions`). */
  readonly events?: Pick<EventOptions, "allowEdits" | "allowedBotIds" | "maxCommentAgeMs"> | undefined;
  /** Attempts of the work when GitHub or a store is unavailable. Default 3. */
  readonly attempts?: number | undefined;
  readonly clock?: Clock | undefined;
};

const loggerOf = (log: ProbotLogLike): Logger => ({
  debug: (m) => log.debug(m),
  info: (m) => log.info(m),
  warn: (m) => log.warn(m),
  error: (m) => log.error(m),
});

/**
 * Creates the Probot app function.
 *
 * @example
 * // index.js of a Probot app (`npx probot run ./index.js`)
 * export default createProbotApp({ stateSecret: process.env.ML_CHATOPS_STATE_SECRET, experiments, runnerFor: () => runner });
 */
export const createProbotApp =
  (options: ProbotAppOptions) =>
  (app: ProbotLike): void => {
    if (options.stateSecret.length < 32)
      throw new Error("ml-chatops: createProbotApp: stateSecret must be at least 32 characters");
    const logger = loggerOf(app.log);
    let identity: Actor | undefined;
    // Resolved once, on the first event (an installation client is needed for GET /users); a failure is retried next time.
    const botIdentity = (octokit: GitHubClient): TE.TaskEither<string, Actor> =>
      identity !== undefined
        ? TE.right(identity)
        : async () => {
            const appClient = await app.auth();
            const r = await resolveGitHubAppBotIdentity(appClient, octokit)();
            if (E.isLeft(r)) return E.left(describeError(r.left));
            identity = r.right;
            return E.right(r.right);
          };

    app.on(["issue_comment", "pull_request"], async (context) => {
      const me = await botIdentity(context.octokit)();
      if (E.isLeft(me))
        return logger.error(`delivery ${context.id}: cannot tell who the bot is, not handled: ${me.left}`);
      const now = options.clock?.now() ?? new Date();
      const decoded = decodeGitHubEvent(context.name, context.payload, {
        ...options.events,
        botId: me.right.id,
        requireInstallation: true,
        now,
      });
      if (E.isLeft(decoded)) return logger.warn(`delivery ${context.id}: ${decoded.left}`);
      const e = decoded.right;
      if (e._tag === "Ignored") return logger.info(`delivery ${context.id}: ignored: ${e.reason}`);
      const bot = createGitHubBot(
        { octokit: context.octokit, identity: me.right, logger, clock: options.clock },
        {
          stateSecret: options.stateSecret,
          experiments: options.experiments,
          runnerFor: (config) => options.runnerFor(config, context.octokit),
          attempts: options.attempts,
        },
      );
      const d = describeDelivery(context.id, await bot.handle(context.id, e));
      logger[d.level](d.line);
    });
  };
