/**
 * The GitHub composition root: from the bot's client and identity to the forge, the signed
 * approval store, the run ledger on the pull request, one repository pipeline factory and the
 * one event dispatcher. The webhook handler (`createGitHubWebhookHandler(bot, …)`), the Probot
 * app and the Actions commands are each a thin way in over it; how they differ (a server's
 * retries and delivery claims, an Actions job's one event per process, detached runs and
 * runner flags) are options here, not a second wiring.
 */
import type * as E from "fp-ts/Either";
import type * as TE from "fp-ts/TaskEither";
import type { ForgeError } from "../../core/errors.js";
import { createForgeRunLedger } from "../../core/ledger/forge-ledger.js";
import type { Clock, Logger, RepoRef, RunLedger } from "../../core/ports.js";
import { createGitHubApprovalStore, type GitHubApprovalStore } from "./approval-store.js";
import { collectDetachedRuns, type CollectSummary } from "./collect.js";
import {
  handleGitHubDelivery,
  type ActionableEvent,
  type DeliveryConfig,
  type DeliveryOutcome,
  type EventWorkDeps,
  type RepoPipelineError,
} from "./event-work.js";
import { createContentsCache, CONTENTS_CACHE_FILES, type DefaultBranchFiles } from "./contents-cache.js";
import { createGitHubForge, type GitHubForge } from "./forge.js";
import type { GitHubBotIdentity } from "./identity.js";
import type { GitHubClient } from "./octokit.js";
import { readRepoConfig, type RepoConfig, type RepoConfigError } from "./repo-config.js";
import { createRepoPipelineFactory, type BuiltRepoPipeline, type RepoPipelineDeps } from "./repo-pipeline.js";

export type GitHubBotDeps = {
  readonly octokit: GitHubClient;
  /** The bot's own user: `resolveGitHubIdentity`, or for a Probot app `resolveGitHubAppBotIdentity`. */
  readonly identity: GitHubBotIdentity;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
};

export type GitHubBotOptions = Pick<
  RepoPipelineDeps,
  "runnerFor" | "experiments" | "baselineFor" | "reporter" | "onPublished" | "secrets" | "runningReportAfterMs"
> &
  Pick<DeliveryConfig, "claims" | "detach"> & {
    /** Signs the approval record kept in a bot comment: 32 random bytes (`openssl rand -hex 32`); a weaker one throws. */
    readonly stateSecret: string;
    /** Default: kept on the pull request, since every event may be handled by a new process. */
    readonly ledger?: RunLedger | undefined;
    /** Attempts of the work when GitHub or a store is unavailable. Default 3; an Actions job uses 1 (it is re-run). */
    readonly attempts?: number | undefined;
    /**
     * Read each repository's config once for the life of the bot (Actions: one event per process,
     * whose decoding needs the config too). Default: per event, so a change applies to the next.
     */
    readonly readConfigOnce?: boolean | undefined;
    /**
     * The default branch's config and baseline files as the job's own checkout holds them: each
     * answers its first read without a request (an Actions job, whose checkout is at most seconds
     * old). Default none: every read asks GitHub.
     */
    readonly defaultBranchFiles?: DefaultBranchFiles | undefined;
  };

/** The bot: what the webhook handler needs, plus the pieces the ways in use directly. */
export type GitHubBot = Omit<EventWorkDeps, "pipelineFor"> & {
  readonly identity: GitHubBotIdentity;
  readonly forge: GitHubForge;
  readonly approvals: GitHubApprovalStore;
  /** The repository's config, as the pipelines see it. */
  readonly readConfig: (repo: RepoRef) => TE.TaskEither<RepoConfigError, RepoConfig>;
  readonly pipelineFor: (repo: RepoRef) => TE.TaskEither<RepoPipelineError, BuiltRepoPipeline>;
  /** The one event dispatcher (claims, config-invalid reply, dispatch, retries) for this bot. */
  readonly handle: (delivery: string, e: ActionableEvent) => Promise<DeliveryOutcome>;
  /** Publishes the final reports of the repository's finished detached runs. */
  readonly collect: (rp: BuiltRepoPipeline, repo: RepoRef) => TE.TaskEither<ForgeError, CollectSummary>;
};

const once = (load: (repo: RepoRef) => TE.TaskEither<RepoConfigError, RepoConfig>) => {
  const seen = new Map<string, Promise<E.Either<RepoConfigError, RepoConfig>>>();
  return (repo: RepoRef): TE.TaskEither<RepoConfigError, RepoConfig> =>
    () => {
      const key = `${repo.owner}/${repo.repo}`;
      const known = seen.get(key) ?? load(repo)();
      seen.set(key, known);
      return known;
    };
};

/**
 * Creates the bot for one GitHub client.
 *
 * @example
 * const identity = await resolveGitHubIdentity(octokit, "app")();
 * const bot = createGitHubBot({ octokit, identity, logger }, { stateSecret, experiments, runnerFor: () => runner, secrets });
 * const handleWebhook = createGitHubWebhookHandler(bot, { secret: webhookSecret, botId: identity.id });
 */
export const createGitHubBot = (deps: GitHubBotDeps, options: GitHubBotOptions): GitHubBot => {
  const { octokit, identity, logger, clock } = deps;
  const forge = createGitHubForge({ octokit, logger }, { identity });
  const approvals = createGitHubApprovalStore({ forge, clock }, { secret: options.stateSecret });
  // One cache of the config and baseline files for the bot's life: each event still asks GitHub,
  // but an unchanged file is a 304.
  const contents = createContentsCache(octokit, CONTENTS_CACHE_FILES, options.defaultBranchFiles);
  const read = (repo: RepoRef) => readRepoConfig(contents, repo);
  const readConfig = options.readConfigOnce === true ? once(read) : read;
  const pipelineFor = createRepoPipelineFactory({
    octokit,
    forge,
    approvals,
    contents,
    runnerFor: options.runnerFor,
    experiments: options.experiments,
    ledger: options.ledger ?? createForgeRunLedger(forge, { bookkeeping: approvals.bookkeeping }),
    loadConfig: readConfig,
    baselineFor: options.baselineFor,
    reporter: options.reporter,
    onPublished: options.onPublished,
    secrets: options.secrets,
    runningReportAfterMs: options.runningReportAfterMs,
    logger,
    clock,
  });
  const work = { pipelineFor, approvals, forge, logger, clock };
  const handle = handleGitHubDelivery(work, {
    attempts: options.attempts ?? 3,
    claims: options.claims,
    detach: options.detach,
  });
  return {
    ...work,
    identity,
    readConfig,
    handle,
    collect: (rp, repo) => collectDetachedRuns({ octokit, forge }, rp, repo),
  };
};
