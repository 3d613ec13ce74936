/**
 * Optional allow-lists on top of the required role: when configured, a user must also be listed
 * by login or be an active member of one of the listed teams (`org/team-slug`). Anything else,
 * including any error from the team API, means no access.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { Actor } from "../../core/model.js";
import type { Logger } from "../../core/ports.js";
import type { GitHubForge } from "./forge.js";
import type { GitHubClient } from "./octokit.js";

/** @internal */
export type AllowListConfig = {
  readonly users?: ReadonlyArray<string> | undefined;
  /** `org/team-slug`; needs the App permission "Members: read" on the organisation. */
  readonly teams?: ReadonlyArray<string> | undefined;
};

/**
 * Wraps a forge so `getPermission` answers `none` for users outside the allow-lists.
 *
 * @example
 * const forge = withAllowList({ octokit, logger }, createGitHubForge({ octokit }, { identity }), { teams: ["octo/ml"] });
 * @internal */
export const withAllowList = (
  deps: { readonly octokit: GitHubClient; readonly logger?: Logger | undefined },
  forge: GitHubForge,
  config: AllowListConfig,
): GitHubForge => {
  const users = new Set((config.users ?? []).map((u) => u.toLowerCase()));
  const teams = config.teams ?? [];
  if (users.size === 0 && teams.length === 0) return forge;

  const inTeam = (user: Actor, team: string): Promise<boolean> => {
    const [org = "", slug = ""] = team.split("/");
    return deps.octokit
      .request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
        org,
        team_slug: slug,
        username: user.login,
      })
      .then((r) => r.data.state === "active")
      .catch((e: unknown) => {
        deps.logger?.warn(`team membership ${team} of ${user.login} unknown; not allowed`, {
          status: (e as { status?: unknown }).status,
        });
        return false;
      });
  };
  const allowed = async (user: Actor): Promise<boolean> => {
    if (users.has(user.login.toLowerCase())) return true;
    for (const team of teams) if (await inTeam(user, team)) return true;
    return false;
  };

  return {
    ...forge,
    getPermission: (repo, user) =>
      pipe(
        forge.getPermission(repo, user),
        TE.flatMap((role) =>
          TE.fromTask(async () => {
            if (await allowed(user)) return role;
            deps.logger?.info(`${user.login} is not on the allow-list; treated as no access`);
            return "none" as const;
          }),
        ),
      ),
  };
};
