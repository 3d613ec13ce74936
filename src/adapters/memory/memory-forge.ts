/**
 * An in-memory Forge for tests, the demo and local experiments. It enforces what GitHub
 * enforces (missing pull requests, body and label limits, only the bot's own comments are
 * upserted), and no more: GitHub labels and comments closed pull requests too, so code that
 * passes against it behaves the same against the real host. GitHub's limits are github-rules.ts.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { forgeInvalidResponse, forgeNotFound } from "../../core/errors.js";
import type { ForgeError } from "../../core/errors.js";
import type { Actor, PullRequest, RepoPullNumber, Role, Sha } from "../../core/model.js";
import type { Forge, PostedComment, Reaction, RepoRef } from "../../core/ports.js";
import { commentBodyError, labelError } from "./github-rules.js";
import { createMemoryState, repoKey } from "./state.js";
import type { MemoryComment, MemoryForgeSeed, MemoryPull, MemoryRepo, MemoryState } from "./state.js";

export { MAX_COMMENT_CHARS, MAX_LABEL_CHARS } from "./github-rules.js";

/**
 * One recorded call on the forge port.
 *
 * @example
 * forge.calls().filter((c: MemoryForgeCall) => c.operation === "addLabel");
 */
export type MemoryForgeCall = {
  readonly operation: keyof Forge;
  readonly pr?: RepoPullNumber | undefined;
  readonly detail: string;
};

/**
 * A comment as the helpers show it.
 *
 * @example
 * const bodies = forge.comments(pr).map((c: MemoryCommentView) => c.body);
 */
export type MemoryCommentView = {
  readonly id: number;
  readonly author: Actor;
  readonly body: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly reactions: ReadonlyArray<Reaction>;
};

/**
 * The Forge port plus helpers to look at and change the state, as a test or the demo needs.
 *
 * @example
 * forge.push(pr, newSha); // the head moves, as after `git push`
 */
export type MemoryForge = Forge & {
  readonly bot: Actor;
  /** Comments on a pull request, oldest first. */
  readonly comments: (pr: RepoPullNumber) => ReadonlyArray<MemoryCommentView>;
  readonly labels: (pr: RepoPullNumber) => ReadonlyArray<string>;
  readonly reactions: (commentId: number) => ReadonlyArray<Reaction>;
  /** Adds a comment by someone (a human, another bot), as if typed on the host. */
  readonly addComment: (pr: RepoPullNumber, author: Actor, body: string) => MemoryCommentView;
  /** Moves the pull request's head to `sha`, as a push would, recorded as pushed `at` (default now). */
  readonly push: (pr: RepoPullNumber, sha: Sha, at?: Date) => void;
  readonly setPullState: (
    pr: RepoPullNumber,
    patch: Partial<Pick<MemoryPull, "state" | "merged" | "draft" | "headRepoAvailable">>,
  ) => void;
  readonly setRole: (repo: RepoRef, login: string, role: Role) => void;
  /** Every port call so far, in order. */
  readonly calls: () => ReadonlyArray<MemoryForgeCall>;
  /** Makes the next call of `operation` fail with `error` (an outage, a 403…). */
  readonly failNext: (operation: keyof Forge, error: ForgeError) => void;
};

/**
 * Options of {@link createMemoryForge}.
 *
 * @example
 * createMemoryForge(seed, { now: () => new Date("2026-01-01T00:00:00Z") });
 */
export type MemoryForgeOptions = { readonly now?: (() => Date) | undefined };

/**
 * Creates an in-memory forge from a seed.
 *
 * @example
 * const forge = createMemoryForge({
 *   bot: { login: "ml-chatops[bot]", id: 900 },
 *   repos: [{ owner: "demo", repo: "talk-keywords", collaborators: { alice: "write" },
 *             pulls: [{ number: 1, headSha: "0123456789abcdef0123456789abcdef01234567" }] }],
 * });
 * const c = forge.addComment({ owner: "demo", repo: "talk-keywords", number: 1 }, { login: "alice", id: 1 }, "/experiment run");
 */
export const createMemoryForge = (seed: MemoryForgeSeed, options: MemoryForgeOptions = {}): MemoryForge => {
  const state: MemoryState = createMemoryState(seed);
  const now = options.now ?? (() => new Date());
  const log: MemoryForgeCall[] = [];
  const failures = new Map<keyof Forge, ForgeError[]>();

  const findRepo = (owner: string, repo: string): MemoryRepo | undefined => state.repos.get(repoKey(owner, repo));
  const findPull = (pr: RepoPullNumber): MemoryPull | undefined => findRepo(pr.owner, pr.repo)?.pulls.get(pr.number);
  const prKey = (pr: RepoPullNumber): string => `${repoKey(pr.owner, pr.repo)}#${pr.number}`;
  const prName = (pr: RepoPullNumber): string => `pull request ${pr.owner}/${pr.repo}#${pr.number}`;
  const commentUrl = (pr: RepoPullNumber, id: number): string =>
    `${state.baseUrl}/${pr.owner}/${pr.repo}/pull/${pr.number}#issuecomment-${id}`;

  /** Records the call, then fails it if a failure was queued, else runs `f`. */
  const call =
    <A>(
      operation: keyof Forge,
      pr: RepoPullNumber | undefined,
      detail: string,
      f: () => TE.TaskEither<ForgeError, A>,
    ): TE.TaskEither<ForgeError, A> =>
    () => {
      log.push({ operation, pr, detail });
      const queued = failures.get(operation)?.shift();
      return queued !== undefined ? TE.left<ForgeError, A>(queued)() : f()();
    };

  const createComment = (pr: RepoPullNumber, author: Actor, body: string): MemoryComment => {
    const at = now().toISOString();
    const c: MemoryComment = {
      id: state.nextCommentId++,
      prKey: prKey(pr),
      author,
      body,
      createdAt: at,
      updatedAt: at,
      reactions: [],
    };
    state.comments.push(c);
    return c;
  };
  const botComment = (pr: RepoPullNumber, marker: string): MemoryComment | undefined =>
    state.comments.find((c) => c.prKey === prKey(pr) && c.author.id === state.bot.id && c.body.includes(marker));
  const view = (c: MemoryComment): MemoryCommentView => ({
    id: c.id,
    author: c.author,
    body: c.body,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    reactions: c.reactions.map((r) => r.content),
  });
  const requirePull = (pr: RepoPullNumber): MemoryPull => {
    const p = findPull(pr);
    if (p === undefined) throw new Error(`memory forge: no ${prName(pr)}`);
    return p;
  };

  const forge: Forge = {
    getPermission: (repo, user) =>
      call("getPermission", undefined, `${repo.owner}/${repo.repo} ${user.login}`, () => {
        const r = findRepo(repo.owner, repo.repo);
        if (r === undefined) return TE.left(forgeNotFound("getPermission", `repository ${repo.owner}/${repo.repo}`));
        return TE.right(r.collaborators.get(user.login.toLowerCase()) ?? (r.public ? "read" : "none"));
      }),
    getPullRequest: (pr) =>
      call("getPullRequest", pr, "", () => {
        const p = findPull(pr);
        if (p === undefined) return TE.left(forgeNotFound("getPullRequest", prName(pr)));
        const out: PullRequest = {
          owner: pr.owner,
          repo: pr.repo,
          number: pr.number,
          headRef: p.headRef,
          headSha: p.headSha,
          state: p.state,
          merged: p.merged,
          draft: p.draft,
          headRepoAvailable: p.headRepoAvailable,
          ...(p.headRepoAvailable ? { headRepo: { owner: pr.owner, repo: pr.repo } } : {}),
        };
        return TE.right(out);
      }),
    headPushedAt: (pr) =>
      call("headPushedAt", pr, pr.headSha, () => {
        const p = findPull(pr);
        if (p === undefined) return TE.left(forgeNotFound("headPushedAt", prName(pr)));
        // The record is of the current head; a caller holding an older head learns nothing from it.
        return TE.right(p.headSha === pr.headSha ? O.fromNullable(p.headPushedAt) : O.none);
      }),
    addLabel: (pr, label) =>
      call("addLabel", pr, label, () => {
        const p = findPull(pr);
        if (p === undefined) return TE.left(forgeNotFound("addLabel", prName(pr)));
        const bad = labelError(label);
        if (bad !== undefined) return TE.left(bad);
        if (!p.labels.includes(label)) p.labels.push(label);
        return TE.right(undefined);
      }),
    removeLabel: (pr, label) =>
      call("removeLabel", pr, label, () => {
        const p = findPull(pr);
        if (p === undefined) return TE.left(forgeNotFound("removeLabel", prName(pr)));
        const i = p.labels.indexOf(label);
        if (i >= 0) p.labels.splice(i, 1);
        return TE.right(undefined);
      }),
    upsertComment: (pr, marker, body) =>
      call("upsertComment", pr, marker, () => {
        if (findPull(pr) === undefined) return TE.left(forgeNotFound("upsertComment", prName(pr)));
        if (marker.length === 0 || !body.includes(marker)) {
          return TE.left(
            forgeInvalidResponse(
              "upsertComment",
              "the body does not carry the marker, so it could never be found again",
            ),
          );
        }
        const bad = commentBodyError("upsertComment", body);
        if (bad !== undefined) return TE.left(bad);
        const existing = botComment(pr, marker);
        if (existing !== undefined) {
          existing.body = body;
          existing.updatedAt = now().toISOString();
          return TE.right<ForgeError, PostedComment>({ id: existing.id, url: commentUrl(pr, existing.id) });
        }
        const c = createComment(pr, state.bot, body);
        return TE.right<ForgeError, PostedComment>({ id: c.id, url: commentUrl(pr, c.id) });
      }),
    findComment: (pr, marker) =>
      call("findComment", pr, marker, () => {
        if (findPull(pr) === undefined) return TE.left(forgeNotFound("findComment", prName(pr)));
        return TE.right(O.fromNullable(botComment(pr, marker)?.body));
      }),
    listComments: (pr) =>
      call("listComments", pr, "", () => {
        if (findPull(pr) === undefined) return TE.left(forgeNotFound("listComments", prName(pr)));
        return TE.right(
          state.comments
            .filter((c) => c.prKey === prKey(pr) && c.author.id === state.bot.id)
            .map((c) => ({ id: c.id, body: c.body, updatedAt: c.updatedAt })),
        );
      }),
    react: (pr, commentId, reaction) =>
      call("react", pr, `${commentId} ${reaction}`, () => {
        const c = state.comments.find((x) => x.id === commentId && x.prKey === prKey(pr));
        if (c === undefined) return TE.left(forgeNotFound("react", `comment ${commentId} on ${prName(pr)}`));
        if (c.reactions.some((r) => r.content === reaction && r.user.id === state.bot.id)) return TE.right(false);
        c.reactions.push({ content: reaction, user: state.bot });
        return TE.right(true);
      }),
    reply: (pr, body) =>
      call("reply", pr, "", () => {
        if (findPull(pr) === undefined) return TE.left(forgeNotFound("reply", prName(pr)));
        const bad = commentBodyError("reply", body);
        if (bad !== undefined) return TE.left(bad);
        const c = createComment(pr, state.bot, body);
        return TE.right<ForgeError, PostedComment>({ id: c.id, url: commentUrl(pr, c.id) });
      }),
  };

  return {
    ...forge,
    bot: state.bot,
    comments: (pr) => state.comments.filter((c) => c.prKey === prKey(pr)).map(view),
    labels: (pr) => [...(findPull(pr)?.labels ?? [])],
    reactions: (commentId) => state.comments.find((c) => c.id === commentId)?.reactions.map((r) => r.content) ?? [],
    addComment: (pr, author, body) => {
      requirePull(pr);
      return view(createComment(pr, author, body));
    },
    push: (pr, sha, at) => {
      const p = requirePull(pr);
      p.headSha = sha;
      p.headPushedAt = (at ?? now()).toISOString();
    },
    setPullState: (pr, patch) => {
      Object.assign(requirePull(pr), patch);
    },
    setRole: (repo, login, role) => {
      const r = findRepo(repo.owner, repo.repo);
      if (r === undefined) throw new Error(`memory forge: no repository ${repo.owner}/${repo.repo}`);
      r.collaborators.set(login.toLowerCase(), role);
    },
    calls: () => [...log],
    failNext: (operation, error) => {
      failures.set(operation, [...(failures.get(operation) ?? []), error]);
    },
  };
};
