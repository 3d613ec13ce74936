/**
 * Who the bot is on GitHub, by numeric id: the App's `<slug>[bot]` user, or the token's user.
 * Our own comments and labels are recognised by this id only, never by login text.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import type { Actor } from "../../core/model.js";
import { decodeAs, GitHubUser } from "./decode.js";
import { fromOctokitError } from "./errors.js";
import type { GitHubClient } from "./octokit.js";

/**
 * Looks up the bot identity behind a client.
 *
 * @example
 * const bot = await resolveGitHubIdentity(octokit, "app")(); // Right({ login: "ml-chatops[bot]", id: 41 })
 */
export const resolveGitHubIdentity = (octokit: GitHubClient, kind: "app" | "token"): TE.TaskEither<ForgeError, Actor> =>
  kind === "token"
    ? pipe(
        TE.tryCatch(() => octokit.request("GET /user"), fromOctokitError("identity", "authenticated user")),
        TE.flatMap((r) => decodeAs(GitHubUser, "identity")(r.data)),
        TE.map((u) => ({ login: u.login, id: u.id })),
      )
    : pipe(
        TE.tryCatch(() => octokit.request("GET /app"), fromOctokitError("identity", "GitHub App")),
        TE.flatMap((app) =>
          TE.tryCatch(
            () => octokit.request("GET /users/{username}", { username: `${app.data?.slug ?? ""}[bot]` }),
            fromOctokitError("identity", "the App's bot user"),
          ),
        ),
        TE.flatMap((r) => decodeAs(GitHubUser, "identity")(r.data)),
        TE.map((u) => ({ login: u.login, id: u.id })),
      );
