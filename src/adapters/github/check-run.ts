/**
 * The final report as a check run on the pinned SHA, where the identity may create check runs
 * (GitHub Apps only; a PAT gets 403, which switches this reporter off with one log line). The PR
 * comment stays the primary report, and shows progress; the check run is best effort.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import { runKeyId } from "../../core/model.js";
import type { Report, RunState } from "../../core/model.js";
import type { Logger, PostedComment, Reporter } from "../../core/ports.js";
import { renderReport } from "../../core/report/render.js";
import { fromOctokitError, statusOf } from "./errors.js";
import { fitCommentBody, GITHUB_CHECK_OUTPUT_LIMIT } from "./limits.js";
import type { GitHubClient } from "./octokit.js";

type Conclusion = "success" | "failure" | "cancelled" | "timed_out" | "neutral";

// Only a final state has a check run: queued and running reports send nothing.
const CONCLUSION: Readonly<Record<RunState, Conclusion | undefined>> = {
  queued: undefined,
  running: undefined,
  succeeded: "success",
  failed: "failure",
  cancelled: "cancelled",
  errored: "failure",
};

/**
 * @internal Whether this identity may write check runs: only GitHub Apps may (a `[bot]` user,
 * the Actions token's included), so a personal access token's user never tries and never logs a
 * 403 per run.
 *
 * @example
 * canWriteCheckRuns({ login: "ml-chatops[bot]", id: 4242 }); // true
 */
export const canWriteCheckRuns = (identity: {
  readonly login?: string | undefined;
  readonly appId?: number | undefined;
}): boolean => identity.appId !== undefined || (identity.login ?? "").endsWith("[bot]");

/** The run's start, when its handle names a time GitHub can read (it shows the check's duration). */
const startedAtOf = (report: Report): string | undefined => {
  const at = report.handle === undefined ? Number.NaN : Date.parse(report.handle.startedAt);
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
};

/**
 * Creates a Reporter that gives each finished run one check run: created once, completed, when
 * the final report is published (one request per run; queued and running reports send none).
 * Nothing is remembered between reports, so a detached run's final report, published later by
 * `collect` in another process, is the same single request.
 *
 * @example
 * const checks = createGitHubCheckRunReporter({ octokit, logger });
 * const reporter = withSecondaryReporter(createCommentReporter(forge), checks, logger);
 * @internal */
export const createGitHubCheckRunReporter = (deps: {
  readonly octokit: GitHubClient;
  readonly logger?: Logger | undefined;
}): Reporter => {
  let disabled = false;
  return {
    publish: (report: Report): TE.TaskEither<ForgeError, PostedComment> => {
      const conclusion = CONCLUSION[report.status.state];
      if (disabled || conclusion === undefined) return TE.right({ id: 0 });
      const title =
        report.supersededBy !== undefined
          ? `superseded: ${report.supersededBy}`
          : `${report.experimentId}: ${report.status.state}`;
      const startedAt = startedAtOf(report);
      return TE.tryCatch(
        async (): Promise<PostedComment> => {
          try {
            const r = await deps.octokit.request("POST /repos/{owner}/{repo}/check-runs", {
              owner: report.pr.owner,
              repo: report.pr.repo,
              name: `ml-chatops: ${report.experimentId}`,
              head_sha: report.pinnedSha,
              external_id: runKeyId(report.runKey),
              status: "completed",
              conclusion,
              ...(startedAt === undefined ? {} : { started_at: startedAt }),
              output: {
                title: title.slice(0, 200),
                summary: fitCommentBody(
                  `Run at \`${report.pinnedSha}\` on ${report.runner}: **${report.status.state}**. ${report.status.detail}`.slice(
                    0,
                    1000,
                  ),
                  GITHUB_CHECK_OUTPUT_LIMIT,
                ),
                text: fitCommentBody(renderReport(report), GITHUB_CHECK_OUTPUT_LIMIT),
              },
              ...(report.handle?.url === undefined ? {} : { details_url: report.handle.url }),
            });
            return { id: Number(r.data.id), url: r.data.html_url ?? undefined };
          } catch (e) {
            if (statusOf(e) !== 403) throw e;
            disabled = true;
            deps.logger?.warn(
              "this identity may not create check runs (GitHub Apps only); reporting in the PR comment only",
            );
            return { id: 0 };
          }
        },
        fromOctokitError("checkRun", `check run for ${runKeyId(report.runKey)}`),
      );
    },
  };
};

/**
 * Publishes to `primary`, then best-effort to `secondary` (its failures are logged, never returned).
 *
 * @example
 * const reporter = withSecondaryReporter(commentReporter, checkRunReporter, logger);
 * @internal */
export const withSecondaryReporter = (primary: Reporter, secondary: Reporter, logger?: Logger): Reporter => ({
  publish: (report) =>
    pipe(
      primary.publish(report),
      TE.tap(() =>
        pipe(
          secondary.publish(report),
          TE.orElseW((e) => {
            logger?.warn(`secondary report failed: ${e._tag}`);
            return TE.right(undefined);
          }),
        ),
      ),
    ),
});
