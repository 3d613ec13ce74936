/**
 * Finds detached runs (started with `on-label --detach`) on every open pull request: one listing
 * of the comments the bot wrote per pull request, which the ledger reads (`detachedRunsIn`).
 * Only the bot's own comments are read, so nobody else can plant a run to be "collected".
 */
import * as t from "io-ts";
import * as RA from "fp-ts/ReadonlyArray";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import type { RepoRef } from "../../core/ports.js";
import { detachedRunsIn, type DetachedRun } from "../../core/ledger/index.js";
import { decodeAs } from "./decode.js";
import { fromOctokitError } from "./errors.js";
import type { GitHubForge } from "./forge.js";
import type { GitHubClient } from "./octokit.js";

export type { DetachedRun } from "../../core/ledger/index.js";

const OpenPulls = t.readonlyArray(t.type({ number: t.number }));
const PER_PAGE = 100;

/**
 * Lists the detached runs of a repository's open pull requests.
 *
 * @example
 * const runs = await listDetachedRuns({ octokit, forge }, { owner: "o", repo: "r" })();
 * @internal */
export const listDetachedRuns = (
  deps: { readonly octokit: GitHubClient; readonly forge: GitHubForge },
  repo: RepoRef,
): TE.TaskEither<ForgeError, ReadonlyArray<DetachedRun>> => {
  const pulls = (page: number, acc: ReadonlyArray<number>): TE.TaskEither<ForgeError, ReadonlyArray<number>> =>
    pipe(
      TE.tryCatch(
        () =>
          deps.octokit.request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", per_page: PER_PAGE, page }),
        fromOctokitError("listPulls", `${repo.owner}/${repo.repo}`),
      ),
      TE.flatMap((r) => decodeAs(OpenPulls, "listPulls")(r.data)),
      TE.flatMap((ps) => {
        const all = [...acc, ...ps.map((p) => p.number)];
        return ps.length === PER_PAGE ? pulls(page + 1, all) : TE.right(all);
      }),
    );
  const inFlight = (number: number) =>
    pipe(
      deps.forge.listOwnComments({ ...repo, number }),
      TE.map((comments) => detachedRunsIn(comments.map((c) => c.body))),
    );
  return pipe(pulls(1, []), TE.flatMap(TE.traverseSeqArray(inFlight)), TE.map(RA.flatten));
};
