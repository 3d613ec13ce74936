/**
 * git for reading a checkout (check 80): a minimal environment (PATH alone, no global or system
 * config), nothing in the repository's config that runs a program (hooks, fsmonitor), no transport
 * at all (so a partial clone's missing blob is never fetched), and `safe.directory` for the one
 * directory read, which may belong to another user (a container job): reading objects and refs
 * makes that harmless. `exec` reads the pull request's checkout with it, the Actions commands the
 * default branch's.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import * as E from "fp-ts/Either";

const HARDENING = ["core.hooksPath=/dev/null", "core.fsmonitor=false", "protocol.allow=never"];

/**
 * Runs `git args` in `dir`; Left: git's first error line (at most 200 characters).
 *
 * @example
 * const head = await safeGit("/work/pr", ["rev-parse", "--verify", "HEAD^{commit}"], process.env["PATH"]);
 */
export const safeGit = (
  dir: string,
  args: ReadonlyArray<string>,
  path: string | undefined,
  maxBuffer = 4 * 1024 * 1024,
): Promise<E.Either<string, Buffer>> =>
  new Promise((done) => {
    execFile(
      "git",
      [...[...HARDENING, `safe.directory=${resolve(dir)}`].flatMap((c) => ["-c", c]), ...args],
      {
        cwd: dir,
        encoding: "buffer",
        maxBuffer,
        timeout: 30_000,
        env: {
          PATH: path ?? "/usr/bin:/bin",
          GIT_CONFIG_NOSYSTEM: "1",
          GIT_CONFIG_GLOBAL: "/dev/null",
          GIT_TERMINAL_PROMPT: "0",
          GIT_NO_LAZY_FETCH: "1",
          LC_ALL: "C",
        },
      },
      (error, stdout, stderr) => {
        if (error === null) return done(E.right(stdout));
        const lines = stderr.toString("utf8").trim().split("\n");
        const why = lines.find((l) => l.startsWith("fatal: ")) ?? lines[0] ?? "";
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT" && why === "";
        done(
          E.left(missing ? "git is not installed" : why.slice(0, 200) || error.message.split("\n")[0] || "git failed"),
        );
      },
    );
  });
