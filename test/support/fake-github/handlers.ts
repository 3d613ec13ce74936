/**
 * Operation handlers of the fake, keyed by GitHub operationId. Requests reaching a handler have
 * already passed the spec's request validation and the auth check.
 */
import type { Context } from "openapi-backend";
import { activityHandlers } from "./activity-handlers.js";
import { lacksAppPermission } from "./auth.js";
import { identityHandlers } from "./identity-handlers.js";
import {
  checkRunJson,
  commentJson,
  labelJson,
  pullJson,
  reactionJson,
  repoJson,
  userJson,
  type Examples,
  type Obj,
} from "./json.js";
import {
  ZERO_SHA,
  blobSha,
  commitSha,
  nextId,
  repoKey,
  type FakeRepo,
  type FakeState,
  type FakeToken,
  type FakeUser,
} from "./state.js";

export type FakeResponse = {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
};

export type HandlerEnv = {
  readonly state: FakeState;
  readonly ex: Examples;
  readonly now: () => number;
  readonly caller: FakeToken | undefined;
  /** scheme://host[/api/v3] of the request, for Link headers */
  readonly base: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
};

/** GitHub's limit on issue and comment bodies, counted in characters. */
export const BODY_LIMIT = 65536;
/** GitHub's limit on a check run's output summary and text. */
export const CHECK_OUTPUT_LIMIT = 65535;

export const error = (status: number, message: string, extra: Obj = {}): FakeResponse => ({
  status,
  body: { message, documentation_url: "https://docs.github.com/rest", status: String(status), ...extra },
});
const tooLong = (resource: string, field: string, max: number): FakeResponse =>
  error(422, "Validation Failed", {
    errors: [{ resource, code: "custom", field, message: `${field} is too long (maximum is ${max} characters)` }],
  });

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const str = (v: unknown): string => String(v);
const chars = (s: string): number => [...s].length;

const RANK = ["none", "read", "write", "admin"] as const;

/** The legacy base permission of a user on a repository. */
export const basePermission = (r: FakeRepo, u: FakeUser): "admin" | "write" | "read" | "none" => {
  if (u.login.toLowerCase() === r.owner.toLowerCase()) return "admin";
  const g = r.grants.get(u.login.toLowerCase());
  if (g !== undefined) return g.permission;
  return r.private ? "none" : "read";
};

const installedOn = (t: FakeToken, r: FakeRepo): boolean =>
  t.app !== undefined &&
  t.installationId !== undefined &&
  (t.app.installations.get(t.installationId) ?? []).includes(repoKey(r.owner, r.name));

/** Whether the caller may do a write of the given minimum level on the repository. */
export const mayAct = (t: FakeToken, r: FakeRepo, need: "read" | "write"): boolean => {
  if (t.kind === "installation") return installedOn(t, r);
  if (t.kind === "actions") return true;
  return RANK.indexOf(basePermission(r, t.user)) >= RANK.indexOf(need);
};

export type H = (c: Context, env: HandlerEnv) => FakeResponse;

const withRepo =
  (need: "read" | "write", f: (c: Context, env: HandlerEnv, r: FakeRepo, caller: FakeToken) => FakeResponse): H =>
  (c, env) => {
    const r = env.state.repos.get(repoKey(str(c.request.params["owner"]), str(c.request.params["repo"])));
    const caller = env.caller;
    if (r === undefined || caller === undefined || !mayAct(caller, r, "read")) return error(404, "Not Found");
    if (!mayAct(caller, r, need)) return error(403, "Resource not accessible by integration");
    return f(c, env, r, caller);
  };

const ownerOf = (s: FakeState, r: FakeRepo): FakeUser =>
  s.users.get(r.owner.toLowerCase()) ?? { login: r.owner, id: 1, type: "Organization" };

const labelId = (name: string): number =>
  9_000_000 + [...name].reduce((a, ch) => (a * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_000, 7);

const issueOf = (r: FakeRepo, c: Context) =>
  r.issues.get(Number(c.request.params["issue_number"] ?? c.request.params["pull_number"]));

const body = (c: Context): Obj => (c.request.requestBody ?? {}) as Obj;

export const handlers: Readonly<Record<string, H>> = {
  "repos/get": withRepo("read", (_c, env, r) => {
    // our repositories are not forks: no `parent`/`source` (the spec example's are invalid anyway)
    const example = env.ex("repos/get");
    for (const k of ["parent", "source", "template_repository"]) delete example[k];
    return { status: 200, body: { ...example, ...repoJson(env.ex, r, ownerOf(env.state, r)), language: null } };
  }),

  "repos/get-collaborator-permission-level": withRepo("read", (c, env, r, caller) => {
    if (caller.kind === "user" && !mayAct(caller, r, "write"))
      return error(403, "Must have push access to view collaborator permission.");
    const u = env.state.users.get(str(c.request.params["username"]).toLowerCase());
    if (u === undefined) return error(404, "Not Found");
    if (u.type === "Bot") return error(404, `${u.login} is not a user`);
    const grant = r.grants.get(u.login.toLowerCase());
    const permission = basePermission(r, u);
    const roleName = grant?.roleName ?? (permission === "admin" ? "admin" : permission);
    return { status: 200, body: { permission, role_name: roleName, user: { ...userJson(u), role_name: roleName } } };
  }),

  "pulls/get": withRepo("read", (c, env, r) => {
    const i = issueOf(r, c);
    if (i?.pull === undefined) return error(404, "Not Found");
    return { status: 200, body: pullJson(env.ex, env.state, r, ownerOf(env.state, r), i, labelId) };
  }),

  "pulls/list": withRepo("read", (c, env, r) => {
    const state = str(c.request.query["state"] ?? "open");
    const perPage = Math.min(100, Number(c.request.query["per_page"] ?? 30));
    const page = Math.max(1, Number(c.request.query["page"] ?? 1));
    const pulls = [...r.issues.values()]
      .filter((i) => i.pull !== undefined && (state === "all" || i.state === state))
      .sort((a, b) => b.number - a.number)
      .slice((page - 1) * perPage, page * perPage);
    // pull-request-simple wants label descriptions as strings, where the full pull allows null.
    const simple = (pull: Obj): Obj => ({
      ...pull,
      labels: ((pull["labels"] as Obj[] | undefined) ?? []).map((l) => ({ ...l, description: l["description"] ?? "" })),
    });
    return {
      status: 200,
      body: pulls.map((i) => simple(pullJson(env.ex, env.state, r, ownerOf(env.state, r), i, labelId))),
    };
  }),

  "issues/add-labels": withRepo("write", (c, _env, r) => {
    const i = issueOf(r, c);
    if (i === undefined) return error(404, "Not Found");
    const b = c.request.requestBody as unknown;
    const names = Array.isArray(b) ? b : (((b as Obj)["labels"] as unknown[] | undefined) ?? []);
    for (const n of names) {
      const name = typeof n === "string" ? n : str((n as Obj)["name"]);
      if (chars(name) > 50)
        return error(422, "Validation Failed", { errors: [{ resource: "Label", code: "invalid", field: "name" }] });
      if (!i.labels.includes(name)) i.labels.push(name);
    }
    return { status: 200, body: i.labels.map((n) => labelJson(n, labelId(n))) };
  }),

  "issues/remove-label": withRepo("write", (c, _env, r) => {
    const i = issueOf(r, c);
    const name = str(c.request.params["name"]);
    if (i === undefined || !i.labels.includes(name)) return error(404, "Label does not exist");
    i.labels = i.labels.filter((n) => n !== name);
    return { status: 200, body: i.labels.map((n) => labelJson(n, labelId(n))) };
  }),

  "issues/list-comments": withRepo("read", (c, env, r) => {
    const i = issueOf(r, c);
    if (i === undefined) return error(404, "Not Found");
    const all = env.state.comments.filter((x) => x.repo === repoKey(r.owner, r.name) && x.issueNumber === i.number);
    const perPage = Math.min(100, Number(env.query["per_page"] ?? 30));
    const page = Math.max(1, Number(env.query["page"] ?? 1));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => `<${env.base}${env.path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links = page < last ? [link(page + 1, "next"), link(last, "last")] : [];
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage).map((x) => commentJson(env.ex, x)),
      headers: links.length > 0 ? { link: links.join(", ") } : {},
    };
  }),

  "issues/create-comment": withRepo("read", (c, env, r, caller) => {
    const i = issueOf(r, c);
    if (i === undefined) return error(404, "Not Found");
    const text = str(body(c)["body"]);
    if (chars(text) > BODY_LIMIT) return tooLong("IssueComment", "body", BODY_LIMIT);
    const at = iso(env.now());
    const comment = {
      id: nextId(env.state),
      repo: repoKey(r.owner, r.name),
      issueNumber: i.number,
      body: text,
      user: caller.user,
      ...(caller.kind === "installation" && caller.app !== undefined ? { app: caller.app } : {}),
      createdAt: at,
      updatedAt: at,
      reactions: [],
    };
    env.state.comments.push(comment);
    return {
      status: 201,
      body: commentJson(env.ex, comment),
      headers: { location: `${env.base}/repos/${r.owner}/${r.name}/issues/comments/${comment.id}` },
    };
  }),

  "issues/get-comment": withRepo("read", (c, env) => {
    const found = env.state.comments.find((x) => x.id === Number(c.request.params["comment_id"]));
    return found === undefined ? error(404, "Not Found") : { status: 200, body: commentJson(env.ex, found) };
  }),

  "issues/update-comment": withRepo("read", (c, env, _r, caller) => {
    const found = env.state.comments.find((x) => x.id === Number(c.request.params["comment_id"]));
    if (found === undefined) return error(404, "Not Found");
    if (found.user.id !== caller.user.id) return error(403, "Resource not accessible by integration");
    const text = str(body(c)["body"]);
    if (chars(text) > BODY_LIMIT) return tooLong("IssueComment", "body", BODY_LIMIT);
    found.body = text;
    found.updatedAt = iso(env.now());
    return { status: 200, body: commentJson(env.ex, found) };
  }),

  "reactions/create-for-issue-comment": withRepo("read", (c, env, _r, caller) => {
    const found = env.state.comments.find((x) => x.id === Number(c.request.params["comment_id"]));
    if (found === undefined) return error(404, "Not Found");
    const content = str(body(c)["content"]);
    const existing = found.reactions.find((x) => x.content === content && x.user.id === caller.user.id);
    if (existing !== undefined) return { status: 200, body: reactionJson(existing) };
    const reaction = { id: nextId(env.state), content, user: caller.user, createdAt: iso(env.now()) };
    found.reactions.push(reaction);
    return { status: 201, body: reactionJson(reaction) };
  }),

  "checks/create": withRepo("write", (c, env, r, caller) => {
    if (caller.app === undefined) return error(403, "You must authenticate via a GitHub App.");
    const b = body(c);
    const output = (b["output"] ?? {}) as Obj;
    for (const f of ["summary", "text"] as const)
      if (typeof output[f] === "string" && chars(output[f] as string) > CHECK_OUTPUT_LIMIT)
        return tooLong("CheckRun", `output.${f}`, CHECK_OUTPUT_LIMIT);
    const conclusion = typeof b["conclusion"] === "string" ? b["conclusion"] : null;
    // As the description says: a conclusion is required with `status: completed` or `completed_at`.
    if (conclusion === null && (b["status"] === "completed" || b["completed_at"] !== undefined))
      return error(422, "Validation Failed", {
        errors: [{ resource: "CheckRun", code: "missing_field", field: "conclusion" }],
      });
    const at = (field: string): string => (typeof b[field] === "string" ? iso(Date.parse(b[field])) : iso(env.now()));
    const run = {
      id: nextId(env.state),
      repo: repoKey(r.owner, r.name),
      app: caller.app,
      name: str(b["name"]),
      headSha: str(b["head_sha"]),
      status: conclusion !== null ? "completed" : typeof b["status"] === "string" ? b["status"] : "queued",
      conclusion,
      detailsUrl: typeof b["details_url"] === "string" ? b["details_url"] : null,
      externalId: typeof b["external_id"] === "string" ? b["external_id"] : null,
      output: {
        title: (output["title"] as string | undefined) ?? null,
        summary: (output["summary"] as string | undefined) ?? null,
        text: (output["text"] as string | undefined) ?? null,
      },
      startedAt: at("started_at"),
      completedAt: conclusion !== null ? at("completed_at") : null,
    };
    env.state.checkRuns.push(run);
    return { status: 201, body: checkRunJson(env.ex, run) };
  }),

  "checks/update": withRepo("write", (c, env, _r, caller) => {
    const run = env.state.checkRuns.find((x) => x.id === Number(c.request.params["check_run_id"]));
    if (run === undefined) return error(404, "Not Found");
    if (caller.app === undefined || run.app.id !== caller.app.id)
      return error(403, "Invalid app_id `0` - check run can only be modified by the GitHub App that created it.");
    const b = body(c);
    const output = (b["output"] ?? {}) as Obj;
    for (const f of ["summary", "text"] as const)
      if (typeof output[f] === "string" && chars(output[f] as string) > CHECK_OUTPUT_LIMIT)
        return tooLong("CheckRun", `output.${f}`, CHECK_OUTPUT_LIMIT);
    if (typeof b["status"] === "string") run.status = b["status"];
    if (typeof b["conclusion"] === "string") {
      run.conclusion = b["conclusion"];
      run.status = "completed";
      run.completedAt = iso(env.now());
    }
    if (typeof b["details_url"] === "string") run.detailsUrl = b["details_url"];
    if (b["output"] !== undefined)
      run.output = {
        title: (output["title"] as string | undefined) ?? run.output.title,
        summary: (output["summary"] as string | undefined) ?? run.output.summary,
        text: (output["text"] as string | undefined) ?? run.output.text,
      };
    return { status: 200, body: checkRunJson(env.ex, run) };
  }),

  "repos/get-content": withRepo("read", (c, env, r) => {
    const path = str(c.request.params["path"]);
    const ref = env.query["ref"] ?? r.defaultBranch;
    const text = r.files.get(ref)?.get(path);
    if (text === undefined) return error(404, "Not Found");
    const sha = blobSha(text);
    const url = `https://api.github.com/repos/${r.owner}/${r.name}/contents/${path}?ref=${ref}`;
    const gitUrl = `https://api.github.com/repos/${r.owner}/${r.name}/git/blobs/${sha}`;
    const htmlUrl = `https://github.com/${r.owner}/${r.name}/blob/${ref}/${path}`;
    return {
      status: 200,
      body: {
        type: "file",
        encoding: "base64",
        size: Buffer.byteLength(text),
        name: path.split("/").pop(),
        path,
        content: Buffer.from(text, "utf8").toString("base64"),
        sha,
        url,
        git_url: gitUrl,
        html_url: htmlUrl,
        download_url: `https://raw.githubusercontent.com/${r.owner}/${r.name}/${ref}/${path}`,
        _links: { self: url, git: gitUrl, html: htmlUrl },
      },
    };
  }),

  "repos/create-or-update-file-contents": withRepo("write", (c, env, r, caller) => {
    const refused = lacksAppPermission(caller, "contents", "write");
    if (refused !== undefined) return refused;
    const path = str(c.request.params["path"]);
    const b = body(c);
    const branch = typeof b["branch"] === "string" ? b["branch"] : r.defaultBranch;
    if (!r.branches.has(branch)) return error(404, "Branch not found");
    const files = r.files.get(branch) ?? new Map<string, string>();
    const current = files.get(path);
    // As GitHub: updating an existing file without its blob sha is a 422; a stale sha a 409.
    if (current !== undefined && typeof b["sha"] !== "string")
      return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (current !== undefined && b["sha"] !== blobSha(current))
      return error(409, `${path} does not match ${str(b["sha"])}`);
    if (current === undefined && typeof b["sha"] === "string") return error(409, `${path} does not match ${b["sha"]}`);
    const text = Buffer.from(str(b["content"]), "base64").toString("utf8");
    files.set(path, text);
    r.files.set(branch, files);
    const sha = commitSha(`${branch}:${path}:${r.commits.length}:${text}`);
    r.activities.push({
      id: nextId(env.state),
      ref: `refs/heads/${branch}`,
      before: r.branches.get(branch) ?? ZERO_SHA,
      after: sha,
      type: "push",
      actor: caller.user,
      at: iso(env.now()),
    });
    r.branches.set(branch, sha);
    r.commits.push({ sha, branch, path, message: str(b["message"]), author: caller.user });
    const e = env.ex("repos/create-or-update-file-contents");
    return {
      status: current === undefined ? 201 : 200,
      body: {
        ...e,
        content: {
          ...(e["content"] as Obj),
          name: path.split("/").pop(),
          path,
          sha: blobSha(text),
          size: Buffer.byteLength(text),
        },
        commit: { ...(e["commit"] as Obj), sha, message: str(b["message"]) },
      },
    };
  }),

  ...identityHandlers,
  ...activityHandlers,
};
