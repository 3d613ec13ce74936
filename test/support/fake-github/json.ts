/**
 * Wire shapes of GitHub objects, built from our state. Where the spec's own example is a valid
 * instance, it is used as the skeleton and patched, so the many URL fields stay realistic.
 * Every response is validated against the spec before it leaves the fake.
 */
import type { OpenAPIBackend } from "openapi-backend";
import {
  repoKey,
  type FakeApp,
  type FakeCheckRun,
  type FakeComment,
  type FakeIssue,
  type FakePull,
  type FakeReaction,
  type FakeRepo,
  type FakeState,
  type FakeUser,
} from "./state.js";

export type Obj = { [k: string]: unknown };
const API = "https://api.github.com";
const WEB = "https://github.com";

const nodeId = (kind: string, id: number): string => Buffer.from(`${kind}:${id}`).toString("base64");

export const userJson = (u: FakeUser): Obj => {
  const l = encodeURIComponent(u.login);
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId("User", u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: "",
    url: `${API}/users/${l}`,
    html_url: `${WEB}/${l}`,
    followers_url: `${API}/users/${l}/followers`,
    following_url: `${API}/users/${l}/following{/other_user}`,
    gists_url: `${API}/users/${l}/gists{/gist_id}`,
    starred_url: `${API}/users/${l}/starred{/owner}{/repo}`,
    subscriptions_url: `${API}/users/${l}/subscriptions`,
    organizations_url: `${API}/users/${l}/orgs`,
    repos_url: `${API}/users/${l}/repos`,
    events_url: `${API}/users/${l}/events{/privacy}`,
    received_events_url: `${API}/users/${l}/received_events`,
    type: u.type,
    site_admin: false,
    user_view_type: "public",
  };
};

/** Builds from spec examples (`mockResponseForOperation`), deep-copied per call. */
export const createExamples = (api: OpenAPIBackend) => {
  const cache = new Map<string, unknown>();
  return (operationId: string): Obj => {
    if (!cache.has(operationId)) cache.set(operationId, api.mockResponseForOperation(operationId).mock);
    return structuredClone(cache.get(operationId)) as Obj;
  };
};
export type Examples = ReturnType<typeof createExamples>;

export const repoJson = (ex: Examples, r: FakeRepo, owner: FakeUser): Obj => {
  const base = (ex("pulls/get")["base"] as Obj)["repo"] as Obj;
  return {
    ...base,
    id: r.id,
    node_id: nodeId("Repository", r.id),
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: userJson(owner),
    private: r.private,
    visibility: r.private ? "private" : "public",
    default_branch: r.defaultBranch,
    html_url: `${WEB}/${r.owner}/${r.name}`,
    url: `${API}/repos/${r.owner}/${r.name}`,
  };
};

export const labelJson = (name: string, id: number): Obj => ({
  id,
  node_id: nodeId("Label", id),
  url: `${API}/labels/${encodeURIComponent(name)}`,
  name,
  description: null,
  color: "ededed",
  default: false,
});

export const commentJson = (ex: Examples, c: FakeComment): Obj => {
  const [owner, name] = c.repo.split("/");
  return {
    id: c.id,
    node_id: nodeId("IssueComment", c.id),
    url: `${API}/repos/${owner}/${name}/issues/comments/${c.id}`,
    html_url: `${WEB}/${owner}/${name}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${API}/repos/${owner}/${name}/issues/${c.issueNumber}`,
    body: c.body,
    user: userJson(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: "NONE",
    // GitHub stamps what an App wrote with the App (what the UI shows as "with <App>").
    performed_via_github_app: c.app === undefined ? null : appJson(ex, c.app),
    // GitHub's rollup of the comment's reactions: a reaction changes the listing (and its ETag).
    reactions: {
      url: `${API}/repos/${owner}/${name}/issues/comments/${c.id}/reactions`,
      total_count: c.reactions.length,
      ...Object.fromEntries(
        REACTIONS.map((content) => [content, c.reactions.filter((r) => r.content === content).length]),
      ),
    },
  };
};

const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"] as const;

export const reactionJson = (r: FakeReaction): Obj => ({
  id: r.id,
  node_id: nodeId("Reaction", r.id),
  user: userJson(r.user),
  content: r.content,
  created_at: r.createdAt,
});

/** The head repository of a pull: the fake's own record of it when it has one, else a copy of the base named after the fork. */
const headRepoJson = (ex: Examples, s: FakeState, r: FakeRepo, p: FakePull): Obj | null => {
  if (p.headRepo === null) return null;
  const known = s.repos.get(repoKey(p.headRepo.owner, p.headRepo.name));
  const ownerOf = (login: string): FakeUser => s.users.get(login.toLowerCase()) ?? { login, id: 2, type: "User" };
  return known !== undefined
    ? repoJson(ex, known, ownerOf(known.owner))
    : repoJson(ex, { ...r, owner: p.headRepo.owner, name: p.headRepo.name }, ownerOf(p.headRepo.owner));
};

export const pullJson = (
  ex: Examples,
  s: FakeState,
  r: FakeRepo,
  owner: FakeUser,
  i: FakeIssue,
  labelIds: (n: string) => number,
): Obj => {
  const p = i.pull;
  if (p === undefined) throw new Error(`fake-github: #${i.number} is not a pull request`);
  const e = ex("pulls/get");
  const repo = repoJson(ex, r, owner);
  const headRepo = headRepoJson(ex, s, r, p);
  const url = `${API}/repos/${r.owner}/${r.name}/pulls/${i.number}`;
  return {
    ...e,
    id: i.id,
    node_id: nodeId("PullRequest", i.id),
    number: i.number,
    url,
    html_url: `${WEB}/${r.owner}/${r.name}/pull/${i.number}`,
    state: i.state,
    title: i.title,
    user: userJson(i.user),
    draft: p.draft,
    merged: p.merged,
    merged_at: p.merged ? "2026-01-01T00:00:00Z" : null,
    labels: i.labels.map((n) => labelJson(n, labelIds(n))),
    requested_teams: [],
    head: {
      ...(e["head"] as Obj),
      ref: p.headRef,
      sha: p.headSha,
      label: `${p.headRepo?.owner ?? "unknown"}:${p.headRef}`,
      repo: headRepo,
      user: userJson(i.user),
    },
    base: {
      ...(e["base"] as Obj),
      ref: p.baseRef,
      sha: r.branches.get(p.baseRef) ?? "0".repeat(40),
      label: `${r.owner}:${p.baseRef}`,
      repo,
      user: userJson(owner),
    },
  };
};

export const checkRunJson = (ex: Examples, c: FakeCheckRun): Obj => {
  const e = ex("checks/create");
  const [owner, name] = c.repo.split("/");
  return {
    ...e,
    id: c.id,
    node_id: nodeId("CheckRun", c.id),
    head_sha: c.headSha,
    name: c.name,
    url: `${API}/repos/${owner}/${name}/check-runs/${c.id}`,
    html_url: `${WEB}/${owner}/${name}/runs/${c.id}`,
    details_url: c.detailsUrl,
    external_id: c.externalId,
    status: c.status,
    conclusion: c.conclusion,
    started_at: c.startedAt,
    completed_at: c.completedAt,
    output: {
      ...(e["output"] as Obj),
      title: c.output.title,
      summary: c.output.summary,
      text: c.output.text,
      annotations_count: 0,
    },
    app: appJson(ex, c.app),
    pull_requests: [],
  };
};

export const appJson = (ex: Examples, a: FakeApp): Obj => ({
  ...ex("apps/get-authenticated"),
  id: a.id,
  slug: a.slug,
  node_id: nodeId("App", a.id),
  name: a.slug,
});
