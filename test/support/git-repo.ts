/**
 * Temporary git repositories for tests: create one, commit files, move a branch, make a bare
 * "remote" with pull-request refs. Everything runs git through execFileSync with argv arrays.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** Runs git in `cwd` and returns trimmed stdout. */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();

export type TempGitRepo = {
  readonly path: string;
  /** Writes the files (path -> content), commits them on the current branch, returns the new SHA. */
  readonly commit: (files: Readonly<Record<string, string>>, message?: string) => string;
  readonly head: () => string;
  /** Points `branch` at `sha` and checks it out. */
  readonly moveBranch: (branch: string, sha: string) => void;
  /** `git worktree list --porcelain` worktree paths, the main one included. */
  readonly worktrees: () => string[];
  readonly remove: () => void;
};

/** Creates an empty repository (branch `main`) in a fresh temporary directory. */
export const createTempGitRepo = (opts: { bare?: boolean } = {}): TempGitRepo => {
  const root = mkdtempSync(join(tmpdir(), "ml-chatops-test-repo-"));
  const path = join(root, "repo");
  mkdirSync(path);
  git(path, "init", "-q", "-b", "main", ...(opts.bare === true ? ["--bare"] : []));
  const commit = (files: Readonly<Record<string, string>>, message = "commit"): string => {
    for (const [name, content] of Object.entries(files)) {
      const file = join(path, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    git(path, "add", "-A");
    git(path, "commit", "-q", "--allow-empty", "-m", message);
    return git(path, "rev-parse", "HEAD");
  };
  return {
    path,
    commit,
    head: () => git(path, "rev-parse", "HEAD"),
    moveBranch: (branch, sha) => {
      git(path, "checkout", "-q", "-B", branch, sha);
    },
    worktrees: () =>
      git(path, "worktree", "list", "--porcelain")
        .split("\n")
        .filter((l) => l.startsWith("worktree "))
        .map((l) => l.slice("worktree ".length)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
};
