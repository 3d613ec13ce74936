/**
 * One pipeline per repository, built per event from that repository's `.github/ml-chatops.yml`
 * (default branch), with the bot's id wired in so only its own label starts a run. The webhook
 * handler, the Probot app and the Actions commands all build their pipelines here; how they
 * differ (where the runner comes from, which experiments, how often the config is read) are
 * options of this one factory.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { createPipeline } from "../../core/pipeline.js";
import { createSecretMasker, maskingForge, maskingReporter, maskingRunner } from "./mask-secrets.js";
import { createCommentReporter } from "../../core/ledger/report-comment.js";
import type {
  BaselineStore,
  Clock,
  Experiment,
  Logger,
  PostedComment,
  Reporter,
  Runner,
  RunLedger,
} from "../../core/ports.js";
import type { GitHubApprovalStore } from "./approval-store.js";
import { withAllowList } from "./allow-list.js";
import { createCachedGitHubBaselineStore } from "./baseline-store.js";
import { canWriteCheckRuns, createGitHubCheckRunReporter, withSecondaryReporter } from "./check-run.js";
import { createContentsCache, type ContentsCache } from "./contents-cache.js";
import type { GitHubForge } from "./forge.js";
import type { GitHubClient } from "./octokit.js";
import { readRepoConfig, type RepoConfig, type RepoConfigError } from "./repo-config.js";
import type { RepoPipeline, RepoPipelineError, RunnerSetupError } from "./event-work.js";

type Repo = { readonly owner: string; readonly repo: string };

/** A repository's pipeline with the (masked) runner it uses, which `collect` asks about detached runs. */
export type BuiltRepoPipeline = RepoPipeline & { readonly runner: Runner };

/** @internal */
export type RepoPipelineDeps = {
  readonly octokit: GitHubClient;
  readonly forge: GitHubForge;
  readonly approvals: GitHubApprovalStore;
  /**
   * The runner for a repository's config (`runner.kind`, `runner.settings`) and its experiments.
   * A runner that is built asynchronously, or can fail (the CLI's `--runner` flags), is returned
   * as a TaskEither.
   */
  readonly runnerFor: (
    config: RepoConfig,
    experiments: ReadonlyArray<Experiment>,
  ) => Runner | TE.TaskEither<RunnerSetupError, Runner>;
  /** The experiments, the same for every repository or chosen from its config (e.g. its declared ones). */
  readonly experiments: ReadonlyArray<Experiment> | ((config: RepoConfig) => ReadonlyArray<Experiment>);
  readonly ledger: RunLedger;
  /**
   * The config and baseline files' conditional reads, kept for the life of the factory's owner (the
   * bot), so an unchanged file costs a 304. Default: one for this factory.
   */
  readonly contents?: ContentsCache | undefined;
  /** Where a repository's config comes from. Default: read from its default branch per event. */
  readonly loadConfig?: ((repo: Repo) => TE.TaskEither<RepoConfigError, RepoConfig>) | undefined;
  /** Defaults to the baseline file in the repository (see `createGitHubBaselineStore`). */
  readonly baselineFor?: ((config: RepoConfig) => BaselineStore) | undefined;
  /** Defaults to the sticky PR comment reporter, plus a check run when the config says `checkRun: true`. */
  readonly reporter?: Reporter | undefined;
  /** Told of every report comment published (the Action's `report-url` output). */
  readonly onPublished?: ((posted: PostedComment) => void) | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /** When a still-going run gets its "running" report (see `PipelineConfig`). Default 20 s. */
  readonly runningReportAfterMs?: number | undefined;
  /**
   * The values of the secrets this process holds (App key, tokens, state secret): masked, with
   * known token shapes, out of runner output, comments, replies, reports and check runs.
   */
  readonly secrets?: ReadonlyArray<string> | undefined;
};

const isRunner = (r: Runner | TE.TaskEither<RunnerSetupError, Runner>): r is Runner => typeof r !== "function";

/**
 * Creates `pipelineFor(repo)` for `createGitHubWebhookHandler`, the Probot app and the Actions commands.
 *
 * @example
 * const pipelineFor = createRepoPipelineFactory({ octokit, forge, approvals, runnerFor: () => runner, experiments, ledger });
 * @internal */
export const createRepoPipelineFactory = (deps: RepoPipelineDeps) => {
  const mask = createSecretMasker(deps.secrets ?? []);
  const forge = maskingForge(deps.forge, mask);
  const told = (reporter: Reporter): Reporter =>
    deps.onPublished === undefined
      ? reporter
      : {
          publish: (report) =>
            pipe(
              reporter.publish(report),
              TE.tap((p) => TE.fromIO(() => deps.onPublished?.(p))),
            ),
        };
  const comments = maskingReporter(
    told(createCommentReporter(forge, { bookkeeping: deps.approvals.bookkeeping })),
    mask,
  );
  const checks = canWriteCheckRuns(deps.forge.identity);
  // One check-run reporter for the process: it remembers only whether GitHub refused this identity.
  const withChecks = maskingReporter(
    withSecondaryReporter(
      told(createCommentReporter(forge, { bookkeeping: deps.approvals.bookkeeping })),
      createGitHubCheckRunReporter({ octokit: deps.octokit, logger: deps.logger }),
      deps.logger,
    ),
    mask,
  );
  const contents = deps.contents ?? createContentsCache(deps.octokit);
  const loadConfig = deps.loadConfig ?? ((repo: Repo) => readRepoConfig(contents, repo));
  const experimentsFor = (config: RepoConfig): ReadonlyArray<Experiment> =>
    typeof deps.experiments === "function" ? deps.experiments(config) : deps.experiments;
  const runnerOf = (config: RepoConfig, experiments: ReadonlyArray<Experiment>) => {
    const r = deps.runnerFor(config, experiments);
    return isRunner(r) ? TE.right<RunnerSetupError, Runner>(r) : r;
  };
  return (repo: Repo): TE.TaskEither<RepoPipelineError, BuiltRepoPipeline> =>
    pipe(
      loadConfig(repo),
      TE.bindTo("config"),
      TE.let("experiments", ({ config }) => experimentsFor(config)),
      TE.bindW("runner", ({ config, experiments }) => runnerOf(config, experiments)),
      TE.map(({ config, experiments, runner }) => {
        const masked = maskingRunner(runner, mask);
        const pipeline = createPipeline(
          {
            forge: withAllowList({ octokit: deps.octokit, logger: deps.logger }, forge, config.allow),
            runner: masked,
            experiments,
            baseline:
              deps.baselineFor?.(config) ??
              createCachedGitHubBaselineStore({ octokit: deps.octokit, contents }, config.baseline),
            approvals: deps.approvals,
            ledger: deps.ledger,
            reporter:
              deps.reporter === undefined
                ? config.checkRun && checks
                  ? withChecks
                  : comments
                : maskingReporter(told(deps.reporter), mask),
            logger: deps.logger,
            clock: deps.clock,
          },
          {
            ...config.pipeline,
            ...(deps.runningReportAfterMs === undefined ? {} : { runningReportAfterMs: deps.runningReportAfterMs }),
            // An App known only by its id (a comment job) handles comments only (identity.ts).
            ...(deps.forge.identity.id === undefined
              ? { commentsOnly: true as const, botActorId: undefined }
              : { botActorId: deps.forge.identity.id }),
          },
        );
        return { config, pipeline, runner: masked };
      }),
    );
};
