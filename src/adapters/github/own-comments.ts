/**
 * The bot's own comments on a pull request, read from GitHub's comment listing. Only comments
 * whose author id is the bot's count; anyone else's are never read for markers. Each page is read
 * in full once, then revalidated with If-None-Match on every later read (see listing-cache.ts):
 * another process's comment or edit is seen at once, an unchanged page costs a free 304.
 */
import * as t from "io-ts";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import type { RepoPullNumber } from "../../core/model.js";
import { decodeAs, GitHubComment } from "./decode.js";
import { fromOctokitError } from "./errors.js";
import { createListingCache } from "./listing-cache.js";
import type { GitHubClient } from "./octokit.js";

/** The bot's comments on a PR, with their bodies and last-edit times (anyone's edit), oldest first. */
export type OwnComment = {
  readonly id: number;
  readonly body: string;
  readonly url: string;
  readonly updatedAt: string;
};

const PER_PAGE = 100;
const GitHubCommentList = t.readonlyArray(GitHubComment);
const hasNext = (link: string | undefined): boolean => link !== undefined && /rel="next"/.test(link);

/**
 * Creates the listing for the bot user `botId`; `forget(pr)` before a write to `pr`'s comments.
 *
 * @example
 * const own = createOwnCommentListing(octokit, 4242);
 * const mine = await own.list({ owner: "octo", repo: "kw", number: 7 })();
 * @internal */
export const createOwnCommentListing = (octokit: GitHubClient, botId: number) => {
  const pages = createListingCache<OwnComment>();
  const listingOf = (pr: RepoPullNumber) => `${pr.owner}/${pr.repo}#${pr.number}?`.toLowerCase();

  const list = (pr: RepoPullNumber): TE.TaskEither<ForgeError, ReadonlyArray<OwnComment>> => {
    const page = (n: number, acc: ReadonlyArray<OwnComment>): TE.TaskEither<ForgeError, ReadonlyArray<OwnComment>> =>
      pipe(
        pages.read(
          `${listingOf(pr)}per_page=${PER_PAGE}&page=${n}`,
          (etag) =>
            octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
              owner: pr.owner,
              repo: pr.repo,
              issue_number: pr.number,
              per_page: PER_PAGE,
              page: n,
              ...(etag === undefined ? {} : { headers: { "if-none-match": etag } }),
            }),
          (data) =>
            pipe(
              decodeAs(GitHubCommentList, "listComments")(data),
              TE.map((cs) => ({
                size: cs.length,
                items: cs
                  .filter((c) => c.user?.id === botId)
                  .map((c) => ({ id: c.id, body: c.body ?? "", url: c.html_url, updatedAt: c.updated_at })),
              })),
            ),
          fromOctokitError("listComments", `pull request #${pr.number}`),
        ),
        TE.flatMap((p) => {
          const all = [...acc, ...p.items];
          // A 304 vouches for the body only: a full page may have gained a next page since.
          const more = hasNext(p.link) || (p.notModified && p.size >= PER_PAGE);
          return more ? page(n + 1, all) : TE.right(all);
        }),
      );
    return page(1, []);
  };

  return { list, forget: (pr: RepoPullNumber): void => pages.forget(listingOf(pr)) };
};
