/**
 * `collect` for detached runs (started with `on-label --detach`): each one that has finished is
 * followed to its final report; runs still in flight are left for the next collect.
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import { isTerminal } from "../../core/model.js";
import type { RepoRef } from "../../core/ports.js";
import { listDetachedRuns } from "./detached-runs.js";
import type { GitHubForge } from "./forge.js";
import type { GitHubClient } from "./octokit.js";
import type { BuiltRepoPipeline } from "./repo-pipeline.js";

/** How many detached runs got their final report, are still running, or failed to be followed. */
export type CollectSummary = { readonly published: number; readonly pending: number; readonly failures: number };

/**
 * Follows every finished detached run of `repo` whose runner is `rp.runner`.
 *
 * @example
 * const summary = await collectDetachedRuns({ octokit, forge }, rp, { owner: "o", repo: "r" })();
 * @internal */
export const collectDetachedRuns = (
  deps: { readonly octokit: GitHubClient; readonly forge: GitHubForge },
  rp: BuiltRepoPipeline,
  repo: RepoRef,
): TE.TaskEither<ForgeError, CollectSummary> =>
  pipe(
    listDetachedRuns(deps, repo),
    TE.flatMap((runs) => async () => {
      let published = 0;
      let pending = 0;
      let failures = 0;
      for (const run of runs.filter((r) => r.handle.runner === rp.runner.kind)) {
        const status = await rp.runner.status(run.handle)();
        if (E.isRight(status) && !isTerminal(status.right.state)) {
          pending += 1;
          continue;
        }
        // A status error is left to follow, which retries and reports a lost run as errored.
        const report = await rp.pipeline.follow(run.handle, {
          pr: run.pr,
          experimentId: run.experimentId,
          params: run.params,
        })();
        if (E.isLeft(report)) failures += 1;
        else published += 1;
      }
      return E.right({ published, pending, failures });
    }),
  );
