/**
 * The current best result lives in the repository (default `.ml-chatops/baseline.json`), read from
 * the default branch, and `promote` writes it there (SECURITY-CHECKLIST 86): through the contents
 * API with the file's blob SHA as an optimistic lock, so a concurrent writer's commit is never
 * overwritten (GitHub answers 409, or 422 when the file appeared meanwhile). The lock is the blob
 * SHA of the read `promote` compared with, so the file is read once per promote; when another
 * commit changed the entry that was compared, the conflict is reported (promote again, and be
 * compared with the newer best); when it changed only other entries, we re-read once and write on
 * top. This works for fork PRs too: nothing is written to the fork.
 * `commitTo: "pr-branch"` commits to the PR's own branch instead (reviewed with the PR, but the
 * current best changes only on merge, the commit moves the PR head, and a fork cannot be written).
 * The file format is the local adapter's: `{ "<experimentId>": { "result": …, "meta": … } }`.
 */
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { storeConflict, storeCorrupt, storeUnavailable, type ForgeError, type StoreError } from "../../core/errors.js";
import { BaselineEntry, BaselineFile, describeDecodeErrors } from "../../core/baseline-entry.js";
import type { RepoPullNumber } from "../../core/model.js";
import type { BaselineStore } from "../../core/ports.js";
import { fromOctokitError, statusOf } from "./errors.js";
import type { GitHubClient } from "./octokit.js";
import { createContentsCache, type ContentsCache } from "./contents-cache.js";

// Earlier versions stored a bare keyword result; BaselineEntry reads that too and writes the result contract.
type Entry = BaselineEntry;

export type GitHubBaselineStoreConfig = {
  /** Default `.ml-chatops/baseline.json`. */
  readonly path?: string | undefined;
  /** Default `default-branch`, where the baseline is read; `pr-branch` lands it with the PR (see above). */
  readonly commitTo?: "pr-branch" | "default-branch" | undefined;
};

const STORE = "github baseline";
const fromForge = (e: ForgeError): StoreError => storeUnavailable(STORE, e);
type Repo = { readonly owner: string; readonly repo: string };

/**
 * Creates the store.
 *
 * @example
 * const baseline = createGitHubBaselineStore({ octokit }); // promote writes the default branch
 * const best = await baseline.load("tfidf-keywords", { owner: "o", repo: "r", number: 7 })();
 */
export const createGitHubBaselineStore = (
  deps: { readonly octokit: GitHubClient },
  config: GitHubBaselineStoreConfig = {},
): BaselineStore => createCachedGitHubBaselineStore({ ...deps, contents: createContentsCache(deps.octokit) }, config);

/**
 * The store reading through a contents cache the caller keeps (a long-lived bot keeps one, so an
 * unchanged baseline file is a 304); a write forgets the file in it.
 *
 * @example
 * const baseline = createCachedGitHubBaselineStore({ octokit, contents: createContentsCache(octokit) });
 * @internal */
export const createCachedGitHubBaselineStore = (
  deps: { readonly octokit: GitHubClient; readonly contents: ContentsCache },
  config: GitHubBaselineStoreConfig = {},
): BaselineStore => {
  const { octokit, contents } = deps;
  const path = config.path ?? ".ml-chatops/baseline.json";
  const commitTo = config.commitTo ?? "default-branch";

  // `ref` undefined is the default branch: the contents API reads and writes it when no ref or
  // branch is named, so no request is spent on asking which branch that is.
  const readFile = (
    r: Repo,
    ref: string | undefined,
  ): TE.TaskEither<StoreError, O.Option<{ readonly file: BaselineFile; readonly sha: string }>> =>
    pipe(
      contents.read(r, path, ref, "baseline"),
      TE.mapError(fromForge),
      TE.flatMap(
        O.match(
          () => TE.right(O.none),
          (found) => {
            const where = `${path}@${ref ?? refOf(found.url)}`;
            if (found._tag !== "File") return TE.left(storeCorrupt(STORE, `${where} is not a file`));
            return pipe(
              parse(found.text, where),
              E.map((file) => O.some({ file, sha: found.sha })),
              TE.fromEither,
            );
          },
        ),
      ),
    );

  const targetBranch = (pr: RepoPullNumber): TE.TaskEither<StoreError, string | undefined> =>
    commitTo === "default-branch"
      ? TE.right(undefined)
      : pipe(
          TE.tryCatch(
            () =>
              octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
                owner: pr.owner,
                repo: pr.repo,
                pull_number: pr.number,
              }),
            fromOctokitError("baseline", `pull request #${pr.number}`),
          ),
          TE.mapError(fromForge),
          TE.flatMap((res) =>
            res.data.head.repo?.full_name?.toLowerCase() === `${pr.owner}/${pr.repo}`.toLowerCase()
              ? TE.right(res.data.head.ref)
              : TE.left(
                  storeConflict(
                    STORE,
                    `the branch of #${pr.number} is in a fork; promote with commitTo: "default-branch"`,
                  ),
                ),
          ),
        );

  type Read = O.Option<{ readonly file: BaselineFile; readonly sha: string }>;
  const entryOf = (read: Read, experimentId: string): string | undefined => {
    if (O.isNone(read) || !Object.prototype.hasOwnProperty.call(read.value.file, experimentId)) return undefined;
    const entry = read.value.file[experimentId];
    return entry === undefined ? undefined : JSON.stringify(BaselineEntry.encode(entry));
  };

  // What `load` read, per PR, experiment and ref, until the `save` that follows it (promote loads
  // the current best, compares, then saves): the save writes on top of that read with its blob
  // sha as the lock instead of reading the file again. Bounded, for a store that lives long.
  const compared = new Map<string, Read>();
  const comparedKey = (pr: RepoPullNumber, ref: string | undefined, experimentId: string) =>
    `${pr.owner}/${pr.repo}#${pr.number}`.toLowerCase() + `\u0000${ref ?? ""}\u0000${experimentId}`;
  const remember = (key: string, read: Read) => {
    compared.delete(key);
    compared.set(key, read);
    for (const oldest of compared.keys()) {
      if (compared.size <= 32) break;
      compared.delete(oldest);
    }
  };

  const write = (
    pr: RepoPullNumber,
    branch: string | undefined,
    experimentId: string,
    entry: Entry,
    existing: Read,
  ): TE.TaskEither<StoreError, void> => {
    const file: BaselineFile = { ...(O.isSome(existing) ? existing.value.file : {}), [experimentId]: entry };
    const text = `${JSON.stringify(BaselineFile.encode(file), null, 2)}\n`;
    return TE.tryCatch(
      async (): Promise<void> => {
        try {
          await octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
            owner: pr.owner,
            repo: pr.repo,
            path,
            ...(branch === undefined ? {} : { branch }),
            message: `ml-chatops: promote ${experimentId} from #${pr.number} (${entry.meta.sha.slice(0, 7)}) by @${entry.meta.promotedBy.login}`,
            content: Buffer.from(text, "utf8").toString("base64"),
            ...(O.isSome(existing) ? { sha: existing.value.sha } : {}),
          });
        } finally {
          // Whatever GitHub answered, the file we knew is not the one to revalidate next.
          contents.forget(pr, path);
        }
      },
      (e): StoreError =>
        statusOf(e) === 409 || statusOf(e) === 422
          ? storeConflict(
              STORE,
              `${path} changed on ${branch ?? "the default branch"} while promoting (HTTP ${statusOf(e)}); promote again to build on the newer file`,
            )
          : fromForge(fromOctokitError("baseline", path)(e)),
    );
  };

  const put = (
    pr: RepoPullNumber,
    branch: string | undefined,
    experimentId: string,
    entry: Entry,
  ): TE.TaskEither<StoreError, void> => {
    const key = comparedKey(pr, branch, experimentId);
    const known = compared.get(key);
    compared.delete(key);
    // Someone else committed the file in between (GitHub's 409, or 422 when it appeared): re-read
    // once and write on top, unless what changed is the very entry `load` gave the caller to
    // compare with: then the caller's decision is stale and the conflict is theirs to see.
    const retry = (e: StoreError): TE.TaskEither<StoreError, void> =>
      e._tag !== "StoreConflict"
        ? TE.left(e)
        : pipe(
            readFile(pr, branch),
            TE.flatMap((fresh) =>
              known !== undefined && entryOf(fresh, experimentId) !== entryOf(known, experimentId)
                ? TE.left(e)
                : write(pr, branch, experimentId, entry, fresh),
            ),
          );
    return pipe(
      known === undefined ? readFile(pr, branch) : TE.right(known),
      TE.flatMap((existing) => write(pr, branch, experimentId, entry, existing)),
      TE.orElse(retry),
    );
  };

  return {
    load: (experimentId, pr) =>
      pipe(
        readFile(pr, undefined),
        TE.tap((read) => TE.fromIO(() => remember(comparedKey(pr, undefined, experimentId), read))),
        TE.map(
          O.flatMap((f) =>
            O.fromNullable(
              Object.prototype.hasOwnProperty.call(f.file, experimentId) ? f.file[experimentId] : undefined,
            ),
          ),
        ),
      ),
    save: (experimentId, result, meta) =>
      pipe(
        targetBranch(meta.pr),
        TE.flatMap((branch) => put(meta.pr, branch, experimentId, { result, meta })),
      ),
  };
};

/** The branch a contents answer came from (its `url` names it as `?ref=`), for messages. */
const refOf = (url: string | undefined): string => {
  try {
    return (url === undefined ? null : new URL(url).searchParams.get("ref")) ?? "the default branch";
  } catch {
    return "the default branch";
  }
};

const parse = (text: string, where: string): E.Either<StoreError, BaselineFile> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return E.left(storeCorrupt(STORE, `${where}: not JSON`));
  }
  return pipe(
    BaselineFile.decode(json),
    E.mapLeft((errs) => storeCorrupt(STORE, `${where}: ${describeDecodeErrors(errs)}`)),
  );
};
