/**
 * The few git operations the local runner needs, always as argv arrays (no shell), with hooks
 * disabled so checking out a commit never runs code.
 */
import { execFile } from "node:child_process";
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as TE from "fp-ts/TaskEither";
import type { RepoPullNumber, Sha } from "../../core/model.js";

/**
 * Runs `git <args>` in `cwd`: Right(stdout), or Left(a one-line reason).
 *
 * @example
 * const spy: GitExec = (args, cwd) => { calls.push(args); return execGit(args, cwd); };
 */
export type GitExec = (args: ReadonlyArray<string>, cwd: string) => TE.TaskEither<string, string>;

/**
 * The real git, through `execFile`. `core.hooksPath` points nowhere so no hook runs.
 *
 * @example
 * const head = await execGit(["rev-parse", "HEAD"], "/srv/repo")();
 */
export const execGit: GitExec = (args, cwd) => () =>
  new Promise((resolve) => {
    execFile(
      "git",
      ["-c", "core.hooksPath=/dev/null", ...args],
      { cwd, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(E.right(stdout));
          return;
        }
        const why = String(stderr).trim().split("\n").filter((l) => l.length > 0).pop() ?? error.message;
        resolve(E.left(`git ${args[0] ?? ""} failed: ${why}`));
      },
    );
  });

/** @internal */
export type Checkout = {
  /** Fetches a pull request's head ref so its commits exist locally (SECURITY-CHECKLIST 11). */
  readonly fetchPull: (remote: string, pr: RepoPullNumber) => TE.TaskEither<string, void>;
  /** Adds a detached worktree at exactly `sha` and returns the commit it checked out. */
  readonly addWorktree: (dir: string, sha: Sha) => TE.TaskEither<string, string>;
  readonly removeWorktree: (dir: string) => TE.TaskEither<string, void>;
};

/**
 * Git operations on the repository at `repoPath`.
 *
 * @internal
 * @example
 * const checkout = createCheckout(execGit, "/srv/repo");
 */
export const createCheckout = (git: GitExec, repoPath: string): Checkout => ({
  fetchPull: (remote, pr) =>
    pipe(
      git(["fetch", "--no-tags", "--", remote, `refs/pull/${pr.number}/head`], repoPath),
      TE.map(() => undefined),
    ),
  addWorktree: (dir, sha) =>
    pipe(
      git(["worktree", "add", "--detach", "--", dir, sha], repoPath),
      TE.flatMap(() => git(["rev-parse", "HEAD"], dir)),
      TE.map((out) => out.trim()),
    ),
  removeWorktree: (dir) =>
    pipe(
      git(["worktree", "remove", "--force", "--", dir], repoPath),
      TE.flatMap(() => git(["worktree", "prune"], repoPath)),
      TE.map(() => undefined),
    ),
});
