/**
 * When a pull request's head commit reached its branch, from GitHub's own record of ref updates
 * ("List repository activities"), never from commit dates, which the pusher writes.
 */
import * as t from "io-ts";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import type { PullRequest } from "../../core/model.js";
import { decodeAs, GitHubActivity } from "./decode.js";
import { fromOctokitError } from "./errors.js";
import type { GitHubClient } from "./octokit.js";

const GitHubActivityList = t.readonlyArray(GitHubActivity);

/**
 * The time of the newest update of the head branch that left it at the head SHA, read from the
 * head repository (the fork's, for fork pull requests) with the App's "Metadata: read".
 *
 * One page of the branch's 100 newest updates is enough: the head SHA is the branch's tip, so
 * its push is normally the newest entry. If it is not among the last 100, the branch has moved
 * 100 times since the pull request was read and the head we hold is stale anyway. So None means
 * "GitHub has no record of this push here" (a deleted fork, a fork the bot cannot read, a push
 * older than GitHub's activity history, a server without the endpoint, or a stale head), and
 * callers must treat it as unknown, never as "long ago".
 *
 * @example
 * const at = await readHeadPushedAt(octokit, pr)(); // Right(Some("2026-11-27T18:01:02Z"))
 * @internal */
export const readHeadPushedAt = (
  octokit: GitHubClient,
  pr: PullRequest,
): TE.TaskEither<ForgeError, O.Option<string>> => {
  const head = pr.headRepo;
  if (head === undefined) return TE.right(O.none);
  const ref = `refs/heads/${pr.headRef}`;
  return pipe(
    TE.tryCatch(
      () =>
        octokit.request("GET /repos/{owner}/{repo}/activity", {
          owner: head.owner,
          repo: head.repo,
          ref,
          per_page: 100,
          direction: "desc",
        }),
      fromOctokitError("headPushedAt", `activity of ${head.owner}/${head.repo} ${ref}`),
    ),
    TE.flatMap((r) => decodeAs(GitHubActivityList, "headPushedAt")(r.data)),
    // The ref filter is GitHub's; checking it again costs nothing and keeps another branch's push out.
    TE.map((as) => O.fromNullable(as.find((a) => a.ref === ref && a.after === pr.headSha)?.timestamp)),
    // 404: a fork the bot cannot read, or a GitHub Enterprise Server without this endpoint. No
    // record to read is "unknown", which the pipeline refuses unless configured otherwise.
    TE.orElse((e) => (e._tag === "ForgeNotFound" ? TE.right(O.none) : TE.left(e))),
  );
};
