/**
 * Arranging the fake's world: users, repositories, grants, pull requests, comments, files, tokens
 * and Apps. Returned by `createFakeGitHub` alongside the transport.
 */
import {
  ZERO_SHA,
  commitSha,
  makeApp,
  nextId,
  repoKey,
  type FakeActivityType,
  type FakeApp,
  type FakeComment,
  type FakeIssue,
  type FakePull,
  type FakeRepo,
  type FakeState,
  type FakeToken,
  type FakeUser,
} from "./state.js";

/** A point in time for the fake: epoch ms or an ISO 8601 string. */
export type FakeTime = number | string;

/** How a push is recorded in the head repository's activity log. */
export type PushOptions = {
  /** When it happened (default: the fake's clock now). */
  readonly at?: FakeTime | undefined;
  /** Who pushed (default: no actor, as for a deleted account). */
  readonly by?: FakeUser | undefined;
  /** Recorded as `force_push` instead of `push`. */
  readonly force?: boolean | undefined;
  /** false: move the head without any activity record (as for pushes GitHub kept no record of). */
  readonly activity?: boolean | undefined;
};

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** @internal */
export const createWorldHelpers = (state: FakeState, clock: () => number) => {
  const timeOf = (at: FakeTime | undefined): string => {
    const ms = at === undefined ? clock() : typeof at === "number" ? at : Date.parse(at);
    if (Number.isNaN(ms)) throw new Error(`fake-github: not a time: ${String(at)}`);
    return isoSeconds(ms);
  };

  /** Appends to a repository's activity log (what "List repository activities" reads). */
  const addActivity = (
    r: FakeRepo,
    a: {
      branch: string;
      before: string;
      after: string;
      type: FakeActivityType;
      by?: FakeUser | undefined;
      at?: FakeTime | undefined;
    },
  ): void => {
    r.activities.push({
      id: nextId(state),
      ref: `refs/heads/${a.branch}`,
      before: a.before,
      after: a.after,
      type: a.type,
      actor: a.by ?? null,
      at: timeOf(a.at),
    });
  };

  /** The repository a pull request's head branch lives in, when the fake knows it. */
  const headRepoOf = (p: FakePull): FakeRepo | undefined =>
    p.headRepo === null ? undefined : state.repos.get(repoKey(p.headRepo.owner, p.headRepo.name));

  const addUser = (login: string, o: { id?: number; type?: FakeUser["type"] } = {}): FakeUser => {
    const u: FakeUser = { login, id: o.id ?? nextId(state), type: o.type ?? "User" };
    state.users.set(login.toLowerCase(), u);
    return u;
  };

  /**
   * Renames a user as GitHub does: same id, new login; grants follow the user, and the old login
   * is free for anyone to take (the rename race of SECURITY-CHECKLIST 84).
   */
  const renameUser = (u: FakeUser, login: string): FakeUser => {
    const renamed: FakeUser = { ...u, login };
    state.users.delete(u.login.toLowerCase());
    state.users.set(login.toLowerCase(), renamed);
    for (const r of state.repos.values()) {
      const g = r.grants.get(u.login.toLowerCase());
      if (g === undefined) continue;
      r.grants.delete(u.login.toLowerCase());
      r.grants.set(login.toLowerCase(), g);
    }
    return renamed;
  };

  const addRepo = (owner: string, name: string, o: { private?: boolean; defaultBranch?: string } = {}): FakeRepo => {
    if (!state.users.has(owner.toLowerCase())) addUser(owner, { type: "Organization" });
    const defaultBranch = o.defaultBranch ?? "main";
    const r: FakeRepo = {
      owner,
      name,
      id: nextId(state),
      private: o.private ?? true,
      defaultBranch,
      grants: new Map(),
      branches: new Map([[defaultBranch, commitSha(`${owner}/${name}:init`)]]),
      files: new Map(),
      issues: new Map(),
      commits: [],
      activities: [],
    };
    state.repos.set(repoKey(owner, name), r);
    return r;
  };

  /** Grants a role; `permission` defaults to the role's legacy base (maintain→write, triage→read). */
  const grant = (
    r: FakeRepo,
    user: FakeUser,
    roleName: string,
    permission?: "admin" | "write" | "read" | "none",
  ): void => {
    const base = ({ admin: "admin", maintain: "write", write: "write", triage: "read", read: "read" } as const)[
      roleName as "admin"
    ];
    r.grants.set(user.login.toLowerCase(), { roleName, permission: permission ?? base ?? "none" });
  };

  /**
   * Adds a pull request. Its head branch is created in the head repository (this one unless
   * `headRepo` names another repository the fake knows) and recorded there as a
   * `branch_creation` (a `push` if the branch already existed) by the PR author at `pushedAt`,
   * by default a minute before the clock: a branch is pushed before a PR can be opened from it.
   * `activity: false` records nothing.
   */
  const addPull = (
    r: FakeRepo,
    o: {
      number?: number;
      user: FakeUser;
      title?: string;
      state?: "open" | "closed";
      pushedAt?: FakeTime;
      activity?: boolean;
    } & Partial<FakePull>,
  ): FakeIssue => {
    const number = o.number ?? r.issues.size + 1;
    const headRef = o.headRef ?? `feature-${number}`;
    const headSha = o.headSha ?? commitSha(`${r.owner}/${r.name}#${number}`);
    const pull: FakePull = {
      headSha,
      headRef,
      headRepo: o.headRepo === undefined ? { owner: r.owner, name: r.name } : o.headRepo,
      baseRef: o.baseRef ?? r.defaultBranch,
      merged: o.merged ?? false,
      draft: o.draft ?? false,
    };
    const i: FakeIssue = {
      number,
      id: nextId(state),
      title: o.title ?? `PR ${number}`,
      user: o.user,
      state: o.state ?? "open",
      labels: [],
      pull,
    };
    r.issues.set(number, i);
    const head = headRepoOf(pull);
    const before = head?.branches.get(headRef);
    if (head !== undefined && before !== headSha) {
      head.branches.set(headRef, headSha);
      if (o.activity !== false)
        addActivity(head, {
          branch: headRef,
          before: before ?? ZERO_SHA,
          after: headSha,
          type: before === undefined ? "branch_creation" : "push",
          by: o.user,
          at: o.pushedAt ?? clock() - 60_000,
        });
    }
    if (!r.branches.has(headRef)) r.branches.set(headRef, headSha);
    return i;
  };

  const addIssue = (r: FakeRepo, o: { number?: number; user: FakeUser; title?: string }): FakeIssue => {
    const number = o.number ?? r.issues.size + 1;
    const i: FakeIssue = {
      number,
      id: nextId(state),
      title: o.title ?? `Issue ${number}`,
      user: o.user,
      state: "open",
      labels: [],
    };
    r.issues.set(number, i);
    return i;
  };

  /**
   * Moves a PR's head (a push): the branch gets a new commit, recorded in the head repository's
   * activity log (see PushOptions) when the fake knows that repository.
   */
  const push = (r: FakeRepo, number: number, sha?: string, o: PushOptions = {}): string => {
    const p = r.issues.get(number)?.pull;
    if (p === undefined) throw new Error(`fake-github: no pull request #${number}`);
    const before = p.headSha;
    p.headSha = sha ?? commitSha(`${p.headSha}+1`);
    r.branches.set(p.headRef, p.headSha);
    const head = headRepoOf(p);
    if (head !== undefined) {
      head.branches.set(p.headRef, p.headSha);
      if (o.activity !== false)
        addActivity(head, {
          branch: p.headRef,
          before,
          after: p.headSha,
          type: o.force === true ? "force_push" : "push",
          by: o.by,
          at: o.at,
        });
    }
    return p.headSha;
  };

  const appOfBot = (user: FakeUser): { readonly app?: FakeApp } => {
    const app = [...state.apps.values()].find((a) => a.bot.id === user.id);
    return app === undefined ? {} : { app };
  };
  const addComment = (r: FakeRepo, number: number, user: FakeUser, body: string, createdAt?: string): FakeComment => {
    const at = createdAt ?? new Date(clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const c: FakeComment = {
      id: nextId(state),
      repo: repoKey(r.owner, r.name),
      issueNumber: number,
      body,
      user,
      // A `<slug>[bot]` user writes only through its App's installation tokens.
      ...appOfBot(user),
      createdAt: at,
      updatedAt: at,
      reactions: [],
    };
    state.comments.push(c);
    return c;
  };

  const setFile = (r: FakeRepo, branch: string, path: string, text: string): void => {
    const files = r.files.get(branch) ?? new Map<string, string>();
    files.set(path, text);
    r.files.set(branch, files);
    if (!r.branches.has(branch)) r.branches.set(branch, commitSha(`${branch}:${path}`));
  };

  /** A personal access token (or, with kind `actions`, the Actions GITHUB_TOKEN) for a user. */
  const addToken = (user: FakeUser, kind: "user" | "actions" = "user", expiresAt?: number): string => {
    const token = kind === "actions" ? `ghs_actions${nextId(state)}` : `ghp_fake${nextId(state)}`;
    const t: FakeToken = expiresAt === undefined ? { user, kind } : { user, kind, expiresAt };
    state.tokens.set(token, t);
    return token;
  };

  /** Registers a GitHub App (with a fresh key pair) and its bot user. */
  const addApp = (o: {
    id?: number;
    slug: string;
    botId?: number;
    permissions?: Record<string, "read" | "write">;
  }): FakeApp => {
    const app = makeApp(o.id ?? nextId(state), o.slug, o.botId ?? nextId(state));
    if (o.permissions !== undefined) Object.assign(app.permissions, o.permissions);
    state.apps.set(app.id, app);
    state.users.set(app.bot.login.toLowerCase(), app.bot);
    return app;
  };

  const install = (app: FakeApp, installationId: number, repos: ReadonlyArray<FakeRepo>): void => {
    app.installations.set(
      installationId,
      repos.map((r) => repoKey(r.owner, r.name)),
    );
  };

  /** Makes every installation token invalid now (as if an hour had passed). */
  const expireInstallationTokens = (): void => {
    for (const t of state.tokens.values()) if (t.kind === "installation") t.expiresAt = clock();
  };

  /** Makes users members of `org/team-slug`. */
  const addTeam = (org: string, slug: string, members: ReadonlyArray<FakeUser>): void => {
    state.teams.set(`${org}/${slug}`.toLowerCase(), new Set(members.map((m) => m.login.toLowerCase())));
  };

  const commentsOn = (r: FakeRepo, number: number): FakeComment[] =>
    state.comments.filter((c) => c.repo === repoKey(r.owner, r.name) && c.issueNumber === number);

  return {
    addUser,
    renameUser,
    addRepo,
    grant,
    addPull,
    addIssue,
    push,
    addActivity,
    addComment,
    setFile,
    addToken,
    addApp,
    install,
    expireInstallationTokens,
    addTeam,
    commentsOn,
  };
};
