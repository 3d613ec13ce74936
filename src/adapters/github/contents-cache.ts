/**
 * Files read through GitHub's contents API (`.github/ml-chatops.yml`, the baseline file), with
 * conditional requests (conditional-cache.ts): a file read once is kept, decoded, with its ETag;
 * every later read of the same (repository, path, ref) still asks GitHub with If-None-Match, so
 * another process's commit is seen at once, while an unchanged file costs a 304, which GitHub does
 * not count against the rate limit. A long-lived bot keeps one cache for its life; a process per
 * event gains only when it reads a file twice, or when its job's checkout of the default branch
 * answers the first read (`DefaultBranchFiles`). Our own write of a file forgets it.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import { createConditionalCache } from "./conditional-cache.js";
import { fromOctokitError, statusOf } from "./errors.js";
import type { GitHubClient } from "./octokit.js";

/** What is at a path: a file (its text and blob sha) or something else (a directory, a link). @internal */
export type RepoFile =
  | { readonly _tag: "File"; readonly text: string; readonly sha: string; readonly url: string | undefined }
  | { readonly _tag: "NotAFile"; readonly url: string | undefined };

type Repo = { readonly owner: string; readonly repo: string };

/**
 * Files of one repository's default branch as a trusted checkout of it held them when the job
 * started (an Actions job checks the default branch out anyway, to run the bot's own code): the
 * first read of each of these paths on the default branch is answered from here, with no request;
 * every later read asks GitHub. `null`: the commit has no such path. A path left out is read
 * from GitHub as usual.
 */
export type DefaultBranchFiles = {
  readonly repo: Repo;
  /** The commit the files were read from (the Actions commands log it). */
  readonly commit: string;
  /** Path → the file's text and git blob sha (the contents API's `sha`), or null when absent. */
  readonly files: ReadonlyMap<string, { readonly text: string; readonly sha: string } | null>;
};

/**
 * Files kept at most (the least recently read go first). The contents API answers files up to
 * 1 MB with their content, so this bounds the memory at a few dozen MB; ours are a few KB.
 * @internal */
export const CONTENTS_CACHE_FILES = 64;

// A 404 is an answer too (the file is absent), but it has no validator to keep.
const ABSENT = Symbol("absent");

const decodeContents = (data: unknown): O.Option<RepoFile> => {
  if (data === ABSENT) return O.none;
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return O.some({ _tag: "NotAFile", url: undefined });
  const d = data as Readonly<Record<string, unknown>>;
  const url = typeof d["url"] === "string" ? d["url"] : undefined;
  return d["type"] === "file" && typeof d["content"] === "string" && typeof d["sha"] === "string"
    ? O.some({ _tag: "File", text: Buffer.from(d["content"], "base64").toString("utf8"), sha: d["sha"], url })
    : O.some({ _tag: "NotAFile", url });
};

/**
 * Creates the cache for one client.
 *
 * @example
 * const contents = createContentsCache(octokit);
 * const config = await contents.read({ owner: "octo", repo: "kw" }, ".github/ml-chatops.yml", undefined, "repoConfig")();
 * @internal */
export const createContentsCache = (
  octokit: GitHubClient,
  maxFiles = CONTENTS_CACHE_FILES,
  checkout?: DefaultBranchFiles,
) => {
  const files = createConditionalCache<O.Option<RepoFile>>(maxFiles);
  // GitHub's owner and repository names are case-insensitive; paths and refs are not.
  const fileKey = (r: Repo, path: string) => `${r.owner}/${r.repo}`.toLowerCase() + `\u0000${path}\u0000`;
  // Each checkout file answers one read: it has no validator, so the next read asks GitHub in
  // full, and a process that reads a file again (promote's conflict retry) sees the newest commit.
  const unread = new Map<string, { readonly text: string; readonly sha: string } | null>();
  if (checkout !== undefined) for (const [path, f] of checkout.files) unread.set(fileKey(checkout.repo, path), f);
  const fromCheckout = (key: string): O.Option<O.Option<RepoFile>> => {
    const f = unread.get(key);
    if (f === undefined) return O.none;
    unread.delete(key);
    return O.some(f === null ? O.none : O.some({ _tag: "File", text: f.text, sha: f.sha, url: undefined }));
  };
  return {
    /**
     * The file at `path` on `ref` (undefined: the default branch, as the contents API reads it
     * when no ref is named); none when there is no such file. `operation` names the read in errors.
     */
    read: (
      r: Repo,
      path: string,
      ref: string | undefined,
      operation: string,
    ): TE.TaskEither<ForgeError, O.Option<RepoFile>> => {
      const seeded = ref === undefined ? fromCheckout(fileKey(r, path)) : O.none;
      if (O.isSome(seeded)) return TE.right(seeded.value);
      return pipe(
        files.read(
          `${fileKey(r, path)}${ref ?? ""}`,
          (etag) =>
            octokit
              .request("GET /repos/{owner}/{repo}/contents/{path}", {
                owner: r.owner,
                repo: r.repo,
                path,
                ...(ref === undefined ? {} : { ref }),
                ...(etag === undefined ? {} : { headers: { "if-none-match": etag } }),
              })
              .catch((e: unknown) => {
                if (statusOf(e) === 404) return { data: ABSENT, headers: {} };
                throw e;
              }),
          (data) => TE.right(decodeContents(data)),
          fromOctokitError(operation, path),
        ),
        TE.map((a) => a.value),
      );
    },
    /** Forgets `path` on every ref (after our own write of it). */
    forget: (r: Repo, path: string): void => {
      unread.delete(fileKey(r, path));
      files.forget(fileKey(r, path));
    },
    /** How many files are held (for tests of the bound). */
    size: files.size,
  };
};

/** @internal */
export type ContentsCache = ReturnType<typeof createContentsCache>;
