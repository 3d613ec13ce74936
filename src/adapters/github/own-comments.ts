/**
 * The bot's own comments on a pull request, read from GitHub's comment listing. Only comments
 * GitHub attributes to the bot count; anyone else's are never read for markers. Each page is read
 * in full once, then revalidated with If-None-Match on every later read (see listing-cache.ts):
 * another process's comment or edit is seen at once, an unchanged page costs a free 304.
 */
import * as t from "io-ts";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import type { Actor, RepoPullNumber } from "../../core/model.js";
import { decodeAs, GitHubComment } from "./decode.js";
import { fromOctokitError } from "./errors.js";
import { createListingCache } from "./listing-cache.js";
import type { GitHubClient } from "./octokit.js";

/** The bot's comments on a PR, with their bodies, authors and last-edit times (anyone's edit), oldest first. */
export type OwnComment = {
  readonly id: number;
  readonly body: string;
  readonly url: string;
  readonly updatedAt: string;
  /** The user GitHub shows as the author: for a GitHub App, its `<slug>[bot]` user. */
  readonly author: Actor;
};

/**
 * Which comments are the bot's. A GitHub App's are those GitHub stamps as performed via the App
 * (`performed_via_github_app.id`): no person and no other App can write that stamp, so the App's
 * bot user can be learned from them (identity.ts). A token's are those by the token's user id.
 * @internal */
export type CommentAuthorship = { readonly appId: number } | { readonly userId: number };

const PER_PAGE = 100;
const GitHubCommentList = t.readonlyArray(GitHubComment);
const hasNext = (link: string | undefined): boolean => link !== undefined && /rel="next"/.test(link);

const isOwn =
  (by: CommentAuthorship) =>
  (c: GitHubComment): c is GitHubComment & { readonly user: Actor } =>
    c.user !== null && ("appId" in by ? c.performed_via_github_app?.id === by.appId : c.user.id === by.userId);

/**
 * Creates the listing of the comments `by` wrote; `forget(pr)` before a write to `pr`'s comments.
 *
 * @example
 * const own = createOwnCommentListing(octokit, { userId: 4242 });
 * const mine = await own.list({ owner: "octo", repo: "kw", number: 7 })();
 * @internal */
export const createOwnCommentListing = (octokit: GitHubClient, by: CommentAuthorship) => {
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
                items: cs.filter(isOwn(by)).map((c) => ({
                  id: c.id,
                  body: c.body ?? "",
                  url: c.html_url,
                  updatedAt: c.updated_at,
                  author: { login: c.user.login, id: c.user.id },
                })),
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

/** @internal */
export type OwnCommentListing = ReturnType<typeof createOwnCommentListing>;

const shared = new WeakMap<GitHubClient, Map<string, OwnCommentListing>>();

/**
 * The one listing of `by`'s comments for this client. Whoever reads through one client shares
 * what it read: the Actions entry reads a PR's comments to learn the App's bot user before the
 * forge exists, and the forge's own reads of that listing are then free 304s, not full reads.
 *
 * @example
 * const own = ownCommentListingFor(octokit, { appId: 77 });
 * @internal */
export const ownCommentListingFor = (octokit: GitHubClient, by: CommentAuthorship): OwnCommentListing => {
  const key = "appId" in by ? `app:${by.appId}` : `user:${by.userId}`;
  const byClient = shared.get(octokit) ?? new Map<string, OwnCommentListing>();
  shared.set(octokit, byClient);
  const known = byClient.get(key);
  if (known !== undefined) return known;
  const made = createOwnCommentListing(octokit, by);
  byClient.set(key, made);
  return made;
};
