/**
 * The few git operations the local runner needs, always as argv arrays (no shell), in a
 * minimal environment and with every config that runs a program switched off, so a planted
 * config or attribute never runs code as the bot (SECURITY-CHECKLIST 80).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as TE from "fp-ts/TaskEither";
import type { RepoPullNumber, Sha } from "../../core/model.js";

/**
 * Runs `git <args>` in `cwd`: Right(stdout), or Left(a one-line reason).
 *
 * @example
 * const spy: GitExec = (args, cwd) => { calls.push(args); return execGit(args, cwd); };
 * @internal */
export type GitExec = (args: ReadonlyArray<string>, cwd: string) => TE.TaskEither<string, string>;

/**
 * `-c` settings on every git command. Command-line config is read last, so these win over a
 * repository's `.git/config` for these keys: no hooks, no fsmonitor, plain ssh, no credential
 * helper or askpass program, no `ext::`/unknown transports (which also blocks `remote.*.vcs`
 * helpers and `core.gitProxy`), no auto gc or maintenance, no submodules.
 *
 * @example
 * SAFE_GIT_CONFIG.includes("core.hooksPath=/dev/null"); // true
 * @internal */
export const SAFE_GIT_CONFIG: ReadonlyArray<string> = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "core.sshCommand=ssh",
  "core.askPass=",
  "core.alternateRefsCommand=true",
  "credential.helper=",
  "protocol.allow=never",
  "protocol.file.allow=always",
  "protocol.https.allow=always",
  "protocol.http.allow=always",
  "protocol.ssh.allow=always",
  "gc.auto=0",
  "maintenance.auto=false",
  "submodule.recurse=false",
  "fetch.recurseSubmodules=false",
  "diff.external=",
  "core.pager=cat",
];

/**
 * The whole environment git gets: no `GIT_*` from outside, no token, no system or global
 * config, no terminal prompt; PATH and HOME (ssh's known hosts) and an ssh agent socket only.
 *
 * @example
 * gitEnv({ PATH: "/usr/bin", GITHUB_TOKEN: "ghs_x", GIT_DIR: "/evil" }); // { PATH: "/usr/bin", GIT_CONFIG_NOSYSTEM: "1", … }
 * @internal */
export const gitEnv = (
  source: Readonly<Record<string, string | undefined>>,
  globalConfig = "/dev/null",
): Record<string, string> => {
  const keep: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "SSH_AUTH_SOCK"]) {
    const value = source[name];
    if (value !== undefined) keep[name] = value;
  }
  return {
    ...keep,
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_ATTR_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_NO_REPLACE_OBJECTS: "1",
    GIT_PROTOCOL_FROM_USER: "0",
  };
};

const subcommand = (args: ReadonlyArray<string>): string => {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === "-c") i += 1;
    else if (!(args[i] ?? "").startsWith("-")) return args[i] ?? "";
  }
  return "";
};

/**
 * Options of {@link createExecGit}.
 *
 * @example
 * const options: ExecGitOptions = { safeDirectories: ["/__w/talks/talks"] };
 * @internal */
export type ExecGitOptions = {
  /**
   * Repositories the bot trusts although another user owns them (a container job's workspace):
   * git's `safe.directory`. They go into a config file only the bot writes, because git drops
   * `-c` settings for the upload-pack it starts on a local repository.
   */
  readonly safeDirectories?: ReadonlyArray<string> | undefined;
};

const quoteConfigValue = (v: string): string => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

const configFiles = new Map<string, string>();

/** The bot's own global config holding only `safe.directory` entries, or why there is none. */
const safeDirectoryConfig = (dirs: ReadonlyArray<string>): E.Either<string, string> => {
  if (dirs.length === 0) return E.right("/dev/null");
  const bad = dirs.find((d) => /[\r\n\0]/.test(d) || !d.startsWith("/"));
  if (bad !== undefined)
    return E.left(`git: safe directory ${JSON.stringify(bad.slice(0, 200))} must be an absolute path on one line`);
  // Worktree commands check the work tree, upload-pack checks the .git directory, and git
  // compares resolved paths: list each as given and resolved.
  const resolved = (d: string): string => {
    try {
      return realpathSync(d);
    } catch {
      return d;
    }
  };
  const all = [...new Set(dirs.flatMap((d) => [d, resolved(d)]).flatMap((d) => [d, join(d, ".git")]))];
  const content = `[safe]\n${all.map((d) => `\tdirectory = ${quoteConfigValue(d)}`).join("\n")}\n`;
  // A bot that makes a runner per event writes each distinct file once, with one exit cleanup.
  const known = configFiles.get(content);
  if (known !== undefined) return E.right(known);
  try {
    const dir = mkdtempSync(join(tmpdir(), "ml-chatops-git-"));
    const file = join(dir, "config");
    writeFileSync(file, content, { mode: 0o600 });
    if (configFiles.size === 0)
      process.once("exit", () => configFiles.forEach((f) => rmSync(dirname(f), { recursive: true, force: true })));
    configFiles.set(content, file);
    return E.right(file);
  } catch (e) {
    return E.left(
      `git: cannot write the safe.directory config under ${tmpdir()}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
};

/**
 * Git through `execFile`, with {@link SAFE_GIT_CONFIG} and {@link gitEnv} of `source` (where
 * PATH, HOME and an ssh agent come from; nothing else of it reaches git).
 *
 * @example
 * const git = createExecGit(process.env, { safeDirectories: ["/srv/repo"] });
 * const head = await git(["rev-parse", "HEAD"], "/srv/repo")();
 * @internal */
export const createExecGit = (
  source: Readonly<Record<string, string | undefined>>,
  options: ExecGitOptions = {},
): GitExec => {
  let globalConfig: E.Either<string, string> | undefined;
  return (args, cwd) => () => {
    globalConfig ??= safeDirectoryConfig(options.safeDirectories ?? []);
    const config = globalConfig;
    if (E.isLeft(config)) return Promise.resolve(config);
    return new Promise((resolve) => {
      execFile(
        "git",
        [...SAFE_GIT_CONFIG.flatMap((c) => ["-c", c]), ...args],
        { cwd, env: gitEnv(source, config.right), maxBuffer: 4 * 1024 * 1024, windowsHide: true },
        (error, stdout, stderr) => {
          if (error === null) {
            resolve(E.right(stdout));
            return;
          }
          // git's "fatal:" line says what went wrong; hints follow it, so the last line may not.
          const lines = String(stderr)
            .trim()
            .split("\n")
            .filter((l) => l.length > 0);
          const why = lines.find((l) => l.startsWith("fatal: ")) ?? lines.pop() ?? error.message;
          resolve(E.left(`git ${subcommand(args)} failed: ${why}`));
        },
      );
    });
  };
};

/**
 * {@link createExecGit} with the usual system PATH only.
 *
 * @example
 * const head = await execGit(["rev-parse", "HEAD"], "/srv/repo")();
 * @internal */
export const execGit: GitExec = createExecGit({ PATH: "/usr/local/bin:/usr/bin:/bin" });

/** @internal */
export type Checkout = {
  /** Fetches a pull request's head ref so its commits exist locally (SECURITY-CHECKLIST 11). */
  readonly fetchPull: (remote: string, pr: RepoPullNumber) => TE.TaskEither<string, void>;
  /**
   * Makes `dir` a new repository holding exactly `sha`, checked out, and returns the commit it
   * checked out. Only the bot ever wrote its config; nothing of an earlier run is in it.
   */
  readonly checkoutAt: (dir: string, sha: Sha) => TE.TaskEither<string, string>;
};

/**
 * Git operations on the repository at `repoPath`. The run's checkout is a fresh repository
 * that fetches the one commit from `repoPath` (never a worktree, whose `.git` would be shared).
 *
 * @internal
 * @example
 * const checkout = createCheckout(execGit, "/srv/repo");
 */
export const createCheckout = (git: GitExec, repoPath: string): Checkout => ({
  fetchPull: (remote, pr) =>
    pipe(
      // --upload-pack wins over a planted remote.<name>.uploadpack (a -c setting does not).
      git(
        ["fetch", "--no-tags", "--upload-pack=git-upload-pack", "--", remote, `refs/pull/${pr.number}/head`],
        repoPath,
      ),
      TE.map(() => undefined),
    ),
  checkoutAt: (dir, sha) =>
    pipe(
      git(["init", "-q", "--template=", "--", dir], dirname(dir)),
      // The pinned commit may be reachable only from FETCH_HEAD: allow asking for any object.
      TE.flatMap(() =>
        git(
          [
            "-c",
            "uploadpack.allowAnySHA1InWant=true",
            "fetch",
            "-q",
            "--no-tags",
            "--depth=1",
            "--upload-pack=git-upload-pack",
            "--",
            repoPath,
            sha,
          ],
          dir,
        ),
      ),
      TE.flatMap(() => git(["checkout", "-q", "--detach", sha], dir)),
      TE.flatMap(() => git(["rev-parse", "HEAD"], dir)),
      TE.map((out) => out.trim()),
    ),
});
