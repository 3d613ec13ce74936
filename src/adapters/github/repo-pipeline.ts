/**
 * One pipeline per repository, built per event from that repository's `.github/ml-chatops.yml`
 * (default branch), with the bot's id wired in so only its own label starts a run.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { createPipeline } from "../../core/pipeline.js";
import { createSecretMasker, maskingForge, maskingReporter, maskingRunner } from "../../core/mask-secrets.js";
import { createCommentReporter } from "../../core/ledger/report-comment.js";
import type { BaselineStore, Clock, Experiment, Logger, Reporter, Runner, RunLedger } from "../../core/ports.js";
import type { GitHubApprovalStore } from "./approval-store.js";
import { withAllowList } from "./allow-list.js";
import { createGitHubBaselineStore } from "./baseline-store.js";
import { canWriteCheckRuns, createGitHubCheckRunReporter, withSecondaryReporter } from "./check-run.js";
import type { GitHubForge } from "./forge.js";
import type { GitHubClient } from "./octokit.js";
import { loadRepoConfig, type RepoConfig, type RepoConfigError } from "./repo-config.js";
import type { RepoPipeline } from "./event-work.js";

export type RepoPipelineDeps = {
  readonly octokit: GitHubClient;
  readonly forge: GitHubForge;
  readonly approvals: GitHubApprovalStore;
  /** The runner for a repository's config (`runner.kind`, `runner.settings`). */
  readonly runnerFor: (config: RepoConfig) => Runner;
  readonly experiments: ReadonlyArray<Experiment>;
  readonly ledger: RunLedger;
  /** Defaults to the baseline file in the repository (see `createGitHubBaselineStore`). */
  readonly baselineFor?: ((config: RepoConfig) => BaselineStore) | undefined;
  /** Defaults to the sticky PR comment reporter, plus a check run when the config says `checkRun: true`. */
  readonly reporter?: Reporter | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /**
   * The values of the secrets this process holds (App key, tokens, state secret): masked, with
   * known token shapes, out of runner output, comments, replies, reports and check runs.
   */
  readonly secrets?: ReadonlyArray<string> | undefined;
};

/**
 * Creates `pipelineFor(repo)` for `createGitHubWebhookHandler` and the Actions commands.
 *
 * @example
 * const pipelineFor = createRepoPipelineFactory({ octokit, forge, approvals, runnerFor: () => runner, experiments, ledger });
 */
export const createRepoPipelineFactory = (deps: RepoPipelineDeps) => {
  const mask = createSecretMasker(deps.secrets ?? []);
  const forge = maskingForge(deps.forge, mask);
  const comments = maskingReporter(createCommentReporter(forge), mask);
  const checks = canWriteCheckRuns(deps.forge.identity);
  // One check-run reporter for the process: it remembers which check run belongs to which run.
  const withChecks = maskingReporter(
    withSecondaryReporter(
      createCommentReporter(forge),
      createGitHubCheckRunReporter({ octokit: deps.octokit, logger: deps.logger }),
      deps.logger,
    ),
    mask,
  );
  return (repo: { readonly owner: string; readonly repo: string }): TE.TaskEither<RepoConfigError, RepoPipeline> =>
    pipe(
      loadRepoConfig({ octokit: deps.octokit }, repo),
      TE.map((config) => ({
        config,
        pipeline: createPipeline(
          {
            forge: withAllowList({ octokit: deps.octokit, logger: deps.logger }, forge, config.allow),
            runner: maskingRunner(deps.runnerFor(config), mask),
            experiments: deps.experiments,
            baseline:
              deps.baselineFor?.(config) ?? createGitHubBaselineStore({ octokit: deps.octokit }, config.baseline),
            approvals: deps.approvals,
            ledger: deps.ledger,
            reporter:
              deps.reporter === undefined
                ? config.checkRun && checks
                  ? withChecks
                  : comments
                : maskingReporter(deps.reporter, mask),
            logger: deps.logger,
            clock: deps.clock,
          },
          { ...config.pipeline, botActorId: deps.forge.identity.id },
        ),
      })),
    );
};
