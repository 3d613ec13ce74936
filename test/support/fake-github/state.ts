/**
 * The in-memory world of the fake GitHub: users, apps, tokens, repositories with their
 * collaborators, branches, files, issues and pull requests, comments, reactions and check runs.
 * Tests arrange it directly and assert on it after driving the real Octokit against the fake.
 */
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";

export type FakeUser = { readonly login: string; readonly id: number; readonly type: "User" | "Bot" | "Organization" };

/** A repository grant as the permission endpoint reports it (`permission` is the legacy base role). */
export type FakeGrant = { readonly roleName: string; readonly permission: "admin" | "write" | "read" | "none" };

export type FakePull = {
  headSha: string;
  headRef: string;
  /** null: the fork was deleted. */
  headRepo: { readonly owner: string; readonly name: string } | null;
  baseRef: string;
  merged: boolean;
  draft: boolean;
};

export type FakeIssue = {
  readonly number: number;
  readonly id: number;
  title: string;
  readonly user: FakeUser;
  state: "open" | "closed";
  labels: string[];
  /** Present when the issue is a pull request. */
  pull?: FakePull;
};

export type FakeReaction = {
  readonly id: number;
  readonly content: string;
  readonly user: FakeUser;
  readonly createdAt: string;
};

export type FakeComment = {
  readonly id: number;
  readonly repo: string;
  readonly issueNumber: number;
  body: string;
  readonly user: FakeUser;
  /** The App whose installation token wrote it: GitHub names it in `performed_via_github_app`. */
  readonly app?: FakeApp;
  readonly createdAt: string;
  updatedAt: string;
  readonly reactions: FakeReaction[];
};

export type FakeCheckRun = {
  readonly id: number;
  readonly repo: string;
  readonly app: FakeApp;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  startedAt: string;
  completedAt: string | null;
};

/** GitHub's activity types (the `activity_type` of "List repository activities"). */
export type FakeActivityType =
  "push" | "force_push" | "branch_creation" | "branch_deletion" | "pr_merge" | "merge_queue_merge";

/** One entry of a repository's activity log: a ref moved from `before` to `after` at `at` (ISO 8601). */
export type FakeActivity = {
  readonly id: number;
  /** `refs/heads/<branch>` */
  readonly ref: string;
  readonly before: string;
  readonly after: string;
  readonly type: FakeActivityType;
  readonly actor: FakeUser | null;
  readonly at: string;
};

/** A commit the contents API made. */
export type FakeCommit = {
  readonly sha: string;
  readonly branch: string;
  readonly path: string;
  readonly message: string;
  readonly author: FakeUser;
};

export type FakeRepo = {
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  private: boolean;
  defaultBranch: string;
  readonly grants: Map<string, FakeGrant>;
  /** branch -> head commit SHA */
  readonly branches: Map<string, string>;
  /** branch -> path -> UTF-8 text */
  readonly files: Map<string, Map<string, string>>;
  readonly issues: Map<number, FakeIssue>;
  readonly commits: FakeCommit[];
  /** What "List repository activities" answers from, in the order things happened. */
  readonly activities: FakeActivity[];
};

export type FakeApp = {
  readonly id: number;
  readonly slug: string;
  readonly publicKey: KeyObject;
  /** PEM (PKCS#8) private key for @octokit/auth-app. */
  readonly privateKey: string;
  /** The `<slug>[bot]` user its installation tokens act as. */
  readonly bot: FakeUser;
  /** installation id -> `owner/name` repositories it covers */
  readonly installations: Map<number, string[]>;
  /** The App's repository permissions (what its installation tokens may do); change it to take one away. */
  readonly permissions: Record<string, "read" | "write">;
};

/** What an App may do unless a test says otherwise: everything ml-chatops asks for. */
export const FULL_APP_PERMISSIONS: Readonly<Record<string, "read" | "write">> = {
  metadata: "read",
  issues: "write",
  pull_requests: "write",
  contents: "write",
  checks: "write",
};

export type FakeToken = {
  readonly user: FakeUser;
  readonly kind: "user" | "installation" | "actions" | "jwt";
  readonly app?: FakeApp;
  readonly installationId?: number;
  /** epoch ms; absent = never expires */
  expiresAt?: number;
};

/** The whole mutable world. */
export type FakeState = {
  readonly users: Map<string, FakeUser>;
  readonly repos: Map<string, FakeRepo>;
  readonly comments: FakeComment[];
  readonly checkRuns: FakeCheckRun[];
  readonly apps: Map<number, FakeApp>;
  readonly tokens: Map<string, FakeToken>;
  /** `org/team-slug` -> member logins (lower case) */
  readonly teams: Map<string, Set<string>>;
  nextId: number;
};

export const createState = (): FakeState => ({
  users: new Map(),
  repos: new Map(),
  comments: [],
  checkRuns: [],
  apps: new Map(),
  tokens: new Map(),
  teams: new Map(),
  nextId: 1000,
});

export const nextId = (s: FakeState): number => ++s.nextId;

/** Git's blob id of a text: sha1("blob <bytes>\0<content>"). */
export const blobSha = (text: string): string => {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
};

/** The `before` of a branch creation: git's all-zero object id. */
export const ZERO_SHA = "0".repeat(40);

/** A deterministic fake commit SHA. */
export const commitSha = (seed: string): string => createHash("sha1").update(`commit ${seed}`).digest("hex");

export const repoKey = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();

/** Builds an App with a fresh RSA key pair. */
export const makeApp = (id: number, slug: string, botId: number): FakeApp => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    id,
    slug,
    publicKey,
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    bot: { login: `${slug}[bot]`, id: botId, type: "Bot" },
    installations: new Map(),
    permissions: { ...FULL_APP_PERMISSIONS },
  };
};
