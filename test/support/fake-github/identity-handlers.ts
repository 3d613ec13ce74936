/**
 * Who-is-who operations of the fake: users, Apps and their installation tokens, team membership.
 */
// Only types and `error` (used at request time) come from handlers.ts, so the cycle is harmless.
import { error, type H } from "./handlers.js";
import { appJson, userJson } from "./json.js";
import { nextId, repoKey } from "./state.js";

const str = (v: unknown): string => String(v);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export const identityHandlers: Readonly<Record<string, H>> = {
  "teams/get-membership-for-user-in-org": (c, env) => {
    const org = str(c.request.params["org"]).toLowerCase();
    const team = env.state.teams.get(`${org}/${str(c.request.params["team_slug"]).toLowerCase()}`);
    const login = str(c.request.params["username"]).toLowerCase();
    if (team === undefined || !team.has(login)) return error(404, "Not Found");
    return {
      status: 200,
      body: {
        url: `https://api.github.com/organizations/1/team/1/memberships/${encodeURIComponent(login)}`,
        role: "member",
        state: "active",
      },
    };
  },

  "users/get-authenticated": (_c, env) =>
    env.caller === undefined || env.caller.kind !== "user"
      ? error(403, "Resource not accessible by integration")
      : { status: 200, body: { ...env.ex("users/get-authenticated"), ...userJson(env.caller.user) } },

  "users/get-by-username": (c, env) => {
    const u = env.state.users.get(str(c.request.params["username"]).toLowerCase());
    return u === undefined
      ? error(404, "Not Found")
      : { status: 200, body: { ...env.ex("users/get-by-username"), ...userJson(u) } };
  },

  "apps/get-repo-installation": (c, env) => {
    const key = repoKey(str(c.request.params["owner"]), str(c.request.params["repo"]));
    const app = env.caller?.app;
    const inst = app === undefined ? undefined : [...app.installations].find(([, repos]) => repos.includes(key));
    if (app === undefined || inst === undefined) return error(404, "Not Found");
    return {
      status: 200,
      body: { ...env.ex("apps/get-repo-installation"), id: inst[0], app_id: app.id, app_slug: app.slug },
    };
  },

  "apps/get-authenticated": (_c, env) =>
    env.caller?.app === undefined
      ? error(401, "Bad credentials")
      : { status: 200, body: appJson(env.ex, env.caller.app) },

  "apps/create-installation-access-token": (c, env) => {
    const app = env.caller?.app;
    const id = Number(c.request.params["installation_id"]);
    if (app === undefined || !app.installations.has(id)) return error(404, "Not Found");
    const n = nextId(env.state);
    // Stateless-format tokens are not 40 characters long (changelog 2026-04-27).
    const token = `ghs_fake${n}${"x".repeat(n % 17)}`;
    const expiresAt = env.now() + 3600_000;
    env.state.tokens.set(token, { user: app.bot, kind: "installation", app, installationId: id, expiresAt });
    return {
      status: 201,
      body: { token, expires_at: iso(expiresAt), permissions: { ...app.permissions }, repository_selection: "all" },
    };
  },
};
