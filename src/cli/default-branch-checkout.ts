/**
 * `--default-branch-checkout <dir>`: the job's own checkout of the default branch (the workflows
 * make it to run the bot's code from the lock file) answers the config and baseline reads of the
 * event, so they cost no GitHub request. It is trusted for exactly what the code it already supplies is trusted
 * for, and only after it proves to be what the workflow meant: the top of a git checkout whose
 * HEAD is the default branch, equal to what was fetched from this repository's origin. The files
 * are read from the commit (never the work tree) and all at start, before anything runs, so a later
 * step cannot change what the bot reads; git runs hardened (safe-git.ts, check 80). Files too large for the contents API's inline answer
 * (1 MB), and blobs a sparse or partial clone lacks, are left to GitHub.
 */
import { realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import * as E from "fp-ts/Either";
import {
  DEFAULT_REPO_CONFIG,
  parseRepoConfig,
  REPO_CONFIG_PATH,
  type DefaultBranchFiles,
} from "../adapters/github/index.js";
import { safeGit } from "./safe-git.js";

/** The contents API inlines files up to 1 MB; a larger one is read through GitHub as before. */
const INLINE_LIMIT = 1024 * 1024;

type Blob = { readonly text: string; readonly sha: string };

/** What the checkout must be: this repository's default branch, from this server. */
export type CheckoutExpectation = {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  readonly serverUrl: string;
};

const git = (dir: string, args: ReadonlyArray<string>) => safeGit(dir, args, process.env["PATH"], 4 * INLINE_LIMIT);

const line = async (dir: string, args: ReadonlyArray<string>): Promise<E.Either<string, string>> =>
  E.map((b: Buffer) => b.toString("utf8").trim())(await git(dir, args));

// actions/checkout names the remote `${server}/${owner}/${repo}`, or `git@${host}:${owner}/${repo}.git`
// with an SSH key; a clone of one's own may add ".git" or spell the names in another case.
const sameRemote = (url: string, e: CheckoutExpectation): boolean => {
  const norm = (u: string) =>
    u
      .replace(/\/+$/, "")
      .replace(/\.git$/, "")
      .toLowerCase();
  let host = "";
  try {
    host = new URL(e.serverUrl).hostname;
  } catch {
    // No URL: only the https form can match, and it will not.
  }
  return [`${e.serverUrl}/${e.owner}/${e.repo}`, `git@${host}:${e.owner}/${e.repo}`].some((x) => norm(x) === norm(url));
};

/** The blob at `path` in `commit`: null when absent, undefined when not one to answer for GitHub. */
const blobAt = async (
  dir: string,
  commit: string,
  path: string,
): Promise<E.Either<string, Blob | null | undefined>> => {
  const listed = await git(dir, ["--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", path]);
  if (E.isLeft(listed)) return listed;
  const entry = listed.right.toString("utf8").split("\0")[0] ?? "";
  if (entry === "") return E.right(null);
  const [meta = "", name] = entry.split("\t");
  const [mode, type, sha = ""] = meta.split(" ");
  // A directory, link or submodule is no file to the contents API either; GitHub says what it is.
  if (name !== path || type !== "blob" || (mode !== "100644" && mode !== "100755")) return E.right(undefined);
  const size = await line(dir, ["cat-file", "-s", sha]);
  if (E.isLeft(size) || Number(size.right) > INLINE_LIMIT) return E.right(undefined);
  const content = await git(dir, ["cat-file", "blob", sha]);
  return E.right(E.isLeft(content) ? undefined : { text: content.right.toString("utf8"), sha });
};

/**
 * Checks that `dir` is the expected default-branch checkout and reads the config file and, when
 * the config parses, the baseline file it names. Left: one line saying what `dir` is instead.
 *
 * @example
 * const files = await readDefaultBranchCheckout(".", { owner: "octo", repo: "kw", defaultBranch: "main", serverUrl: "https://github.com" });
 */
export const readDefaultBranchCheckout = async (
  dir: string,
  expect: CheckoutExpectation,
): Promise<E.Either<string, DefaultBranchFiles>> => {
  const where = `--default-branch-checkout ${dir}`;
  const fail = (why: string) => E.left(`${where}: ${why}`);
  const isDir = await stat(dir).then(
    (st) => st.isDirectory(),
    () => false,
  );
  if (!isDir) return fail("no such directory");
  const top = await line(dir, ["rev-parse", "--show-toplevel"]);
  if (E.isLeft(top)) return fail(top.left);
  // Not a directory inside another checkout (the pull request's, say): git would answer for that one.
  if ((await realpath(top.right)) !== (await realpath(resolve(dir))))
    return fail(`not the top of a checkout (${top.right} is)`);
  const branch = `refs/heads/${expect.defaultBranch}`;
  const head = await line(dir, ["symbolic-ref", "-q", "HEAD"]);
  if (E.isLeft(head) || head.right !== branch)
    return fail(`HEAD is ${E.isLeft(head) ? "detached" : head.right}, not the default branch ${branch}`);
  const commit = await line(dir, ["rev-parse", "--verify", "-q", "HEAD^{commit}"]);
  const fetched = await line(dir, [
    "rev-parse",
    "--verify",
    "-q",
    `refs/remotes/origin/${expect.defaultBranch}^{commit}`,
  ]);
  if (E.isLeft(commit) || E.isLeft(fetched) || commit.right !== fetched.right)
    return fail(`HEAD is not origin/${expect.defaultBranch} as fetched (commits on top of it, or never fetched)`);
  const remote = await line(dir, ["config", "--get", "remote.origin.url"]);
  const expected = `${expect.serverUrl}/${expect.owner}/${expect.repo}`;
  if (E.isLeft(remote) || !sameRemote(remote.right, expect))
    return fail(`origin is ${E.isLeft(remote) ? "not set" : JSON.stringify(remote.right)}, not ${expected}`);

  const files = new Map<string, Blob | null>();
  const take = async (path: string): Promise<E.Either<string, Blob | null | undefined>> => {
    const blob = await blobAt(dir, commit.right, path);
    if (E.isRight(blob) && blob.right !== undefined) files.set(path, blob.right);
    return blob;
  };
  const config = await take(REPO_CONFIG_PATH);
  if (E.isLeft(config)) return fail(config.left);
  const parsed = config.right === null ? E.right(DEFAULT_REPO_CONFIG) : parseRepoConfig(config.right?.text ?? "");
  // An invalid config is reported as always, when the bot reads it; its baseline path is unknown.
  if (config.right !== undefined && E.isRight(parsed)) {
    const baseline = await take(parsed.right.baseline.path);
    if (E.isLeft(baseline)) return fail(baseline.left);
  }
  return E.right({ repo: { owner: expect.owner, repo: expect.repo }, commit: commit.right, files });
};

/**
 * `--default-branch-checkout <dir>` for the event in `payload`: its repository's default branch,
 * checked out from `env`'s server, read as `readDefaultBranchCheckout` does; no `dir`, no files.
 * Left: one line.
 *
 * @example
 * const files = await checkoutFiles(".", env.right, payload);
 */
export const checkoutFiles = async (
  dir: string | undefined,
  env: { readonly repository: string; readonly serverUrl: string },
  payload: unknown,
): Promise<E.Either<string, DefaultBranchFiles | undefined>> => {
  if (dir === undefined) return E.right(undefined);
  const repository = (payload as { repository?: { default_branch?: unknown } } | undefined)?.repository;
  const defaultBranch = repository?.default_branch;
  if (typeof defaultBranch !== "string" || defaultBranch === "")
    return E.left(
      `--default-branch-checkout ${dir}: the event names no repository.default_branch (only on-comment and on-label take it)`,
    );
  const [owner = "", repo = ""] = env.repository.split("/");
  return readDefaultBranchCheckout(dir, { owner, repo, defaultBranch, serverUrl: env.serverUrl.replace(/\/+$/, "") });
};
