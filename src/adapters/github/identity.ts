/**
 * Who the bot is on GitHub, by numeric id: the App's `<slug>[bot]` user, or the token's user.
 * Our own comments and labels are recognised by these ids only, never by login text.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { forgeInvalidResponse, type ForgeError } from "../../core/errors.js";
import type { Actor, RepoPullNumber } from "../../core/model.js";
import { decodeAs, GitHubUser } from "./decode.js";
import { fromOctokitError } from "./errors.js";
import type { GitHubClient } from "./octokit.js";
import { ownCommentListingFor } from "./own-comments.js";

/**
 * The bot on GitHub: its user, and for a GitHub App the App's id. GitHub stamps what an App
 * writes with the App (`performed_via_github_app`); with `appId`, our comments are those so
 * stamped. An App's identity without its user is enough for a job that handles one comment
 * event (its pipeline is `commentsOnly`): every label is then ignored, since only the bot
 * user's own label may start a run.
 */
export type GitHubBotIdentity =
  | (Actor & { readonly appId?: undefined })
  | (Actor & { readonly appId: number })
  | { readonly appId: number; readonly login?: undefined; readonly id?: undefined };

/** Where to learn a GitHub App's bot user for free: a pull request the event is about, and the App's id. */
export type GitHubIdentityHint = { readonly appId: number; readonly pr: RepoPullNumber };

/**
 * An App's bot user: `GET /app` with the App's own (JWT) client gives the slug, then
 * `GET /users/{slug}[bot]` with an installation client gives the bot user's id. Probot hands
 * out the two separately (`app.auth()` without an installation id, and `context.octokit`).
 *
 * @example
 * const bot = await resolveGitHubAppBotIdentity(await app.auth(), context.octokit)(); // Right({ login: "ml-chatops[bot]", id: 41 })
 * @internal */
export const resolveGitHubAppBotIdentity = (
  appClient: GitHubClient,
  installationClient: GitHubClient,
): TE.TaskEither<ForgeError, Actor> =>
  pipe(
    TE.tryCatch(() => appClient.request("GET /app"), fromOctokitError("identity", "GitHub App")),
    TE.flatMap((app) =>
      typeof app.data?.slug === "string" && app.data.slug !== ""
        ? TE.right(app.data.slug)
        : TE.left(forgeInvalidResponse("identity", "GET /app returned no slug")),
    ),
    TE.flatMap((slug) =>
      TE.tryCatch(
        () => installationClient.request("GET /users/{username}", { username: `${slug}[bot]` }),
        fromOctokitError("identity", "the App's bot user"),
      ),
    ),
    TE.flatMap((r) => decodeAs(GitHubUser, "identity")(r.data)),
    TE.map((u) => ({ login: u.login, id: u.id })),
  );

/**
 * Looks up the bot identity behind a client: its credentials say who it is (an App client from
 * `createGitHubOctokit` routes `GET /app` through the App JWT by itself). For an App, `hint`
 * names the pull request at hand: where the App has commented there, its bot user is read from
 * that comment (the comment listing, which the forge reads anyway through the same client and
 * then revalidates for free), so a process per event (GitHub Actions) does not pay `GET /app`
 * and `GET /users/{slug}[bot]` each time. Only GitHub can stamp a comment as the App's, so the
 * user learned there is the App's bot user (checks 27, 28).
 *
 * @example
 * const bot = await resolveGitHubIdentity(octokit, "app")(); // Right({ login: "ml-chatops[bot]", id: 41 })
 * const sameBot = await resolveGitHubIdentity(octokit, "app", { appId: 77, pr: { owner: "o", repo: "r", number: 7 } })(); // Right({ login: "ml-chatops[bot]", id: 41, appId: 77 })
 */
export const resolveGitHubIdentity = (
  octokit: GitHubClient,
  kind: "app" | "token",
  hint?: GitHubIdentityHint,
): TE.TaskEither<ForgeError, Actor & { readonly appId?: number }> => {
  if (kind === "token")
    return pipe(
      TE.tryCatch(() => octokit.request("GET /user"), fromOctokitError("identity", "authenticated user")),
      TE.flatMap((r) => decodeAs(GitHubUser, "identity")(r.data)),
      TE.map((u) => ({ login: u.login, id: u.id })),
    );
  if (hint === undefined) return resolveGitHubAppBotIdentity(octokit, octokit);
  return pipe(
    ownCommentListingFor(octokit, { appId: hint.appId }).list(hint.pr),
    TE.flatMap((own) =>
      own[0] !== undefined ? TE.right(own[0].author) : resolveGitHubAppBotIdentity(octokit, octokit),
    ),
    TE.map((bot) => ({ ...bot, appId: hint.appId })),
  );
};
