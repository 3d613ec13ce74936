/**
 * The state behind the in-memory forge: repositories, pull requests, collaborators, labels,
 * comments and reactions, with the seed codec that fills it.
 */
import * as E from "fp-ts/Either";
import * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";
import { Actor, Role, Sha } from "../../core/model.js";
import type { Reaction } from "../../core/ports.js";

/**
 * A pull request in the seed; every field but `number` and `headSha` has a default.
 *
 * @example
 * const pull: MemoryPullSeed = { number: 1, headSha: sha, draft: true };
 */
export const MemoryPullSeed = t.intersection([
  t.type({ number: t.number, headSha: Sha }),
  t.partial({
    headRef: t.string,
    state: t.keyof({ open: null, closed: null }),
    merged: t.boolean,
    draft: t.boolean,
    headRepoAvailable: t.boolean,
    labels: t.readonlyArray(t.string),
    /** When the head was pushed (ISO 8601); null = the host has no record. Default: long before any comment. */
    headPushedAt: t.union([t.string, t.null]),
  }),
]);
export type MemoryPullSeed = t.TypeOf<typeof MemoryPullSeed>;

/**
 * A repository in the seed. `collaborators` maps a login to its role.
 *
 * @example
 * const repo: MemoryRepoSeed = { owner: "o", repo: "r", public: true, collaborators: { alice: "write" } };
 */
export const MemoryRepoSeed = t.intersection([
  t.type({ owner: t.string, repo: t.string }),
  t.partial({
    /** Public repositories give everyone `read`, as GitHub does. Default false. */
    public: t.boolean,
    collaborators: t.record(t.string, Role),
    pulls: t.readonlyArray(MemoryPullSeed),
  }),
]);
export type MemoryRepoSeed = t.TypeOf<typeof MemoryRepoSeed>;

/**
 * What `createMemoryForge` starts from. `bot` is the identity the forge acts as.
 *
 * @example
 * const seed: MemoryForgeSeed = { bot: { login: "ml-chatops[bot]", id: 900 }, repos: [] };
 */
export const MemoryForgeSeed = t.intersection([
  t.type({ bot: Actor, repos: t.readonlyArray(MemoryRepoSeed) }),
  t.partial({ baseUrl: t.string, now: t.string }),
]);
export type MemoryForgeSeed = t.TypeOf<typeof MemoryForgeSeed>;

/** A comment as stored. @internal */
export type MemoryComment = {
  readonly id: number;
  readonly prKey: string;
  readonly author: Actor;
  body: string;
  readonly createdAt: string;
  updatedAt: string;
  readonly reactions: Array<{ readonly content: Reaction; readonly user: Actor }>;
};

/** A pull request as stored. @internal */
export type MemoryPull = {
  readonly number: number;
  headRef: string;
  headSha: Sha;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  headRepoAvailable: boolean;
  /** ISO 8601, or undefined when there is no record of the push. */
  headPushedAt: string | undefined;
  readonly labels: string[];
};

/** A repository as stored. @internal */
export type MemoryRepo = {
  readonly owner: string;
  readonly repo: string;
  readonly public: boolean;
  /** Keyed by lower-cased login: GitHub logins are case-insensitive. */
  readonly collaborators: Map<string, Role>;
  readonly pulls: Map<number, MemoryPull>;
};

/** @internal */
export type MemoryState = {
  readonly bot: Actor;
  readonly baseUrl: string;
  readonly repos: Map<string, MemoryRepo>;
  readonly comments: MemoryComment[];
  nextCommentId: number;
};

/** Seeded heads count as pushed long before anything the test or demo does. */
const SEEDED_PUSH_TIME = "2000-01-01T00:00:00.000Z";

/** `owner/repo`, lower-cased like GitHub matches them. @internal */
export const repoKey = (owner: string, repo: string): string => `${owner}/${repo}`.toLowerCase();

/**
 * Decodes a seed into fresh state; throws a clear message naming the bad field.
 *
 * @internal
 * @example
 * const state = createMemoryState({ bot: { login: "bot", id: 9 }, repos: [] });
 */
export const createMemoryState = (input: unknown): MemoryState => {
  const decoded = MemoryForgeSeed.decode(input);
  if (E.isLeft(decoded)) {
    throw new Error(`createMemoryForge: invalid seed: ${PathReporter.report(decoded).slice(0, 3).join("; ")}`);
  }
  const seed = decoded.right;
  const repos = new Map<string, MemoryRepo>();
  for (const r of seed.repos) {
    const pulls = new Map<number, MemoryPull>();
    for (const p of r.pulls ?? []) {
      pulls.set(p.number, {
        number: p.number,
        headRef: p.headRef ?? `feature-${p.number}`,
        headSha: p.headSha,
        state: p.state ?? "open",
        merged: p.merged ?? false,
        draft: p.draft ?? false,
        headRepoAvailable: p.headRepoAvailable ?? true,
        headPushedAt: p.headPushedAt === null ? undefined : (p.headPushedAt ?? SEEDED_PUSH_TIME),
        labels: [...(p.labels ?? [])],
      });
    }
    const collaborators = new Map(
      Object.entries(r.collaborators ?? {}).map(([login, role]) => [login.toLowerCase(), role]),
    );
    repos.set(repoKey(r.owner, r.repo), {
      owner: r.owner,
      repo: r.repo,
      public: r.public ?? false,
      collaborators,
      pulls,
    });
  }
  return { bot: seed.bot, baseUrl: seed.baseUrl ?? "https://forge.invalid", repos, comments: [], nextCommentId: 1 };
};
