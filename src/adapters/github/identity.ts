/**
 * Who the bot is on GitHub, by numeric id: the App's `<slug>[bot]` user, or the token's user.
 * Our own comments and labels are recognised by this id only, never by login text.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { forgeInvalidResponse, type ForgeError } from "../../core/errors.js";
import type { Actor } from "../../core/model.js";
import { decodeAs, GitHubUser } from "./decode.js";
import { fromOctokitError } from "./errors.js";
import type { GitHubClient } from "./octokit.js";

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
 * `createGitHubOctokit` routes `GET /app` through the App JWT by itself).
 *
 * @example
 * const bot = await resolveGitHubIdentity(octokit, "app")(); // Right({ login: "ml-chatops[bot]", id: 41 })
 */
export const resolveGitHubIdentity = (
  octokit: GitHubClient,
  kind: "app" | "token",
): TE.TaskEither<ForgeError, Actor> =>
  kind === "token"
    ? pipe(
        TE.tryCatch(() => octokit.request("GET /user"), fromOctokitError("identity", "authenticated user")),
        TE.flatMap((r) => decodeAs(GitHubUser, "identity")(r.data)),
        TE.map((u) => ({ login: u.login, id: u.id })),
      )
    : resolveGitHubAppBotIdentity(octokit, octokit);
