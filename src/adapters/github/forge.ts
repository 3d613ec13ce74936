/**
 * The Forge port on GitHub's REST API. Comments the bot manages are found by a hidden marker AND
 * by author id = the bot's own id; comments by anyone else are never read for markers nor edited.
 * One forge keeps what it read of each comment listing and revalidates it (If-None-Match) on every
 * later read, so repeated reads in an event cost 304s, never a stale answer (own-comments.ts).
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { forgeForbidden, forgeInvalidResponse, type ForgeError } from "../../core/errors.js";
import { Role, Sha, type Actor, type PullRequest, type RepoPullNumber } from "../../core/model.js";
import type { Forge, Logger, PostedComment, Reaction, RepoRef } from "../../core/ports.js";
import { decodeAs, GitHubPermission, GitHubPull } from "./decode.js";
import { fromOctokitError, statusOf } from "./errors.js";
import { readHeadPushedAt } from "./head-push.js";
import type { GitHubClient } from "./octokit.js";
import { fitCommentBody } from "./limits.js";
import type { GitHubBotIdentity } from "./identity.js";
import { ownCommentListingFor, type CommentAuthorship, type OwnComment } from "./own-comments.js";

export type { OwnComment } from "./own-comments.js";

export type GitHubForgeDeps = { readonly octokit: GitHubClient; readonly logger?: Logger | undefined };

export type GitHubForgeConfig = {
  /**
   * The bot (see `resolveGitHubIdentity`). Our comments are those GitHub stamps as written by
   * the App `appId` when it is given, else those by the user `id`.
   */
  readonly identity: GitHubBotIdentity;
  /**
   * A custom repository role (a `role_name` outside admin/maintain/write/triage/read): `deny`
   * (default) treats it as no access; `base-permission` uses its legacy base `permission`.
   */
  readonly customRoles?: "deny" | "base-permission" | undefined;
};

/** A Forge plus what other GitHub pieces (approval store, check runs) need. */
export type GitHubForge = Forge & {
  readonly identity: GitHubBotIdentity;
  readonly listOwnComments: (pr: RepoPullNumber) => TE.TaskEither<ForgeError, ReadonlyArray<OwnComment>>;
  /** Like `findComment`, with the comment's id and `updated_at` (signed state checks its freshness). */
  readonly findOwnComment: (pr: RepoPullNumber, marker: string) => TE.TaskEither<ForgeError, O.Option<OwnComment>>;
};

const toRole = (p: GitHubPermission, customRoles: "deny" | "base-permission"): Role => {
  if (Role.is(p.role_name)) return p.role_name;
  if (customRoles === "base-permission" && Role.is(p.permission)) return p.permission;
  return "none";
};

const toPullRequest = (pr: RepoPullNumber, p: GitHubPull): TE.TaskEither<ForgeError, PullRequest> =>
  Sha.is(p.head.sha)
    ? TE.right({
        ...pr,
        headRef: p.head.ref,
        headSha: p.head.sha,
        state: p.state,
        merged: p.merged ?? p.merged_at !== null,
        draft: p.draft ?? false,
        headRepoAvailable: p.head.repo !== null,
        ...(p.head.repo === null ? {} : { headRepo: { owner: p.head.repo.owner.login, repo: p.head.repo.name } }),
      })
    : TE.left({
        _tag: "ForgeInvalidResponse",
        operation: "getPullRequest",
        detail: `head.sha is not a 40-hex SHA: ${p.head.sha.slice(0, 50)}`,
      });

/** An App's comments are those GitHub stamps as the App's; a token user's, those by its id. */
const authorshipOf = (identity: GitHubBotIdentity): CommentAuthorship =>
  identity.appId !== undefined ? { appId: identity.appId } : { userId: identity.id };

/**
 * Creates the GitHub Forge.
 *
 * @example
 * const identity = await resolveGitHubIdentity(octokit, "app")();
 * const forge = createGitHubForge({ octokit }, { identity: bot });
 * await forge.addLabel({ owner: "o", repo: "r", number: 7 }, "ml-chatops:run")();
 */
export const createGitHubForge = (deps: GitHubForgeDeps, config: GitHubForgeConfig): GitHubForge => {
  const { octokit } = deps;
  const customRoles = config.customRoles ?? "deny";
  const botId = config.identity.id;
  const repoOf = (pr: RepoPullNumber) => ({ owner: pr.owner, repo: pr.repo });

  const appId = config.identity.appId;
  const own = ownCommentListingFor(octokit, authorshipOf(config.identity));
  const listOwnComments = own.list;

  /** The client for a write to `pr`'s comments: what was known of its listing is forgotten first. */
  const written = (pr: RepoPullNumber): GitHubClient => {
    own.forget(pr);
    return octokit;
  };

  const findOwn = (pr: RepoPullNumber, marker: string) =>
    // The marker must open the body: a marker quoted later in one of our replies does not count.
    pipe(
      listOwnComments(pr),
      TE.map((cs) => O.fromNullable(cs.find((c) => c.body.startsWith(marker)))),
    );

  /** `retries: 0` where a retried POST could duplicate a comment whose response was lost. */
  const createComment = (
    pr: RepoPullNumber,
    body: string,
    retries?: number,
  ): TE.TaskEither<ForgeError, PostedComment> =>
    pipe(
      TE.tryCatch(
        () =>
          written(pr).request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            ...repoOf(pr),
            issue_number: pr.number,
            body: fitCommentBody(body),
            ...(retries === undefined ? {} : { request: { retries } }),
          }),
        fromOctokitError("createComment", `pull request #${pr.number}`),
      ),
      // A wrong identity would make every label of ours look foreign and runs silently never
      // start: the first comment we write shows who we really are.
      TE.flatMap((r) =>
        (r.data.user !== null && botId !== undefined && r.data.user.id !== botId) ||
        (appId !== undefined && r.data.performed_via_github_app?.id !== appId)
          ? TE.left(
              forgeInvalidResponse(
                "createComment",
                `the bot posts as ${r.data.user?.login ?? "nobody"} (user id ${r.data.user?.id ?? "none"}, App ${r.data.performed_via_github_app?.id ?? "none"}), but its configured identity is ${config.identity.login ?? "an App's bot"} (id ${botId ?? "not known"}${appId === undefined ? "" : `, App ${appId}`}); resolve the identity from the credentials (resolveGitHubIdentity)`,
              ),
            )
          : TE.right({ id: Number(r.data.id), url: r.data.html_url }),
      ),
    );

  const updateComment = (pr: RepoPullNumber, id: number, body: string): TE.TaskEither<ForgeError, PostedComment> =>
    pipe(
      TE.tryCatch(
        () =>
          written(pr).request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
            ...repoOf(pr),
            comment_id: id,
            body: fitCommentBody(body),
          }),
        fromOctokitError("updateComment", `comment ${id}`),
      ),
      TE.map((r) => ({ id: Number(r.data.id), url: r.data.html_url })),
    );

  // A create whose response was lost may still have been stored: look again before creating
  // a second one (SECURITY-CHECKLIST 48).
  const createOnce = (pr: RepoPullNumber, marker: string, body: string): TE.TaskEither<ForgeError, PostedComment> =>
    pipe(
      createComment(pr, body, 0),
      TE.orElse((e) =>
        e._tag !== "ForgeUnavailable"
          ? TE.left(e)
          : pipe(
              findOwn(pr, marker),
              TE.flatMap(
                O.match(
                  () => createComment(pr, body),
                  (c) => updateComment(pr, c.id, body),
                ),
              ),
            ),
      ),
    );

  return {
    identity: config.identity,
    listOwnComments,

    getPermission: (repo: RepoRef, user: Actor) =>
      pipe(
        TE.tryCatch(
          () =>
            octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
              ...repo,
              username: user.login,
            }),
          fromOctokitError("getPermission", `permission of ${user.login}`),
        ),
        TE.flatMap((r) => decodeAs(GitHubPermission, "getPermission")(r.data)),
        // The login is looked up now; it may have been renamed and taken by someone else since the
        // event (SECURITY-CHECKLIST 84). Only the permission of the same user id counts.
        TE.filterOrElse(
          (p) => p.user !== null && p.user.id === user.id,
          (p) =>
            forgeForbidden(
              "getPermission",
              `the login ${user.login} now belongs to ${p.user === null ? "no user" : `user id ${p.user.id}`}, not to user id ${user.id} who acted (renamed?); denied`,
            ),
        ),
        TE.map((p) => toRole(p, customRoles)),
      ),

    getPullRequest: (pr) =>
      pipe(
        TE.tryCatch(
          () =>
            octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repoOf(pr), pull_number: pr.number }),
          fromOctokitError("getPullRequest", `pull request #${pr.number}`),
        ),
        TE.flatMap((r) => decodeAs(GitHubPull, "getPullRequest")(r.data)),
        TE.flatMap((p) => toPullRequest(pr, p)),
      ),

    addLabel: (pr, label) =>
      pipe(
        TE.tryCatch(
          () =>
            octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
              ...repoOf(pr),
              issue_number: pr.number,
              labels: [label],
            }),
          fromOctokitError("addLabel", `pull request #${pr.number}`),
        ),
        TE.map(() => undefined),
      ),

    removeLabel: (pr, label) =>
      TE.tryCatch(
        async () => {
          try {
            await octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
              ...repoOf(pr),
              issue_number: pr.number,
              name: label,
            });
          } catch (e) {
            // Already gone is what we wanted.
            if (statusOf(e) !== 404) throw e;
          }
        },
        fromOctokitError("removeLabel", `label ${label}`),
      ),

    upsertComment: (pr, marker, body) =>
      pipe(
        findOwn(pr, marker),
        TE.flatMap(
          O.match(
            () => createOnce(pr, marker, body),
            (c) => updateComment(pr, c.id, body),
          ),
        ),
      ),

    findComment: (pr, marker) => pipe(findOwn(pr, marker), TE.map(O.map((c) => c.body))),
    findOwnComment: findOwn,
    listComments: (pr) =>
      pipe(
        listOwnComments(pr),
        TE.map((cs) => cs.map((c) => ({ id: c.id, body: c.body, updatedAt: c.updatedAt }))),
      ),

    headPushedAt: (pr) => readHeadPushedAt(octokit, pr),

    // GitHub answers 201 when this call added the reaction and 200 when the bot's reaction was
    // already there; it decides atomically, so concurrent workers get exactly one 201.
    react: (pr, commentId, reaction: Reaction) =>
      pipe(
        TE.tryCatch(
          () =>
            octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
              ...repoOf(pr),
              comment_id: commentId,
              content: reaction,
            }),
          fromOctokitError("react", `comment ${commentId}`),
        ),
        TE.map((r) => r.status === 201),
      ),

    // No blind retry: a retried POST whose first response was lost would post the reply twice.
    reply: (pr, body) => createComment(pr, body, 0),
  };
};
