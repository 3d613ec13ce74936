/**
 * Configuration of the local process runner: a codec, defaults, and one decode step that
 * throws a clear message on a bad config (the only throw of this adapter).
 */
import { isAbsolute } from "node:path";
import * as E from "fp-ts/Either";
import * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";
import { mountPathProblem } from "../../core/mount-path.js";
import { forbiddenEnvName } from "./child-env.js";

const PositiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, "PositiveInt");
const RemoteName = t.refinement(t.string, (s) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(s), "RemoteName");

/**
 * Settings of {@link createLocalRunner}; only `repoPath` and `command` are required.
 *
 * @example
 * const config: LocalRunnerConfig = { repoPath: "/srv/repo", command: ["/usr/bin/node", "/srv/cli.js"], timeoutMs: 600_000 };
 */
export const LocalRunnerConfig = t.intersection([
  t.type({
    /** The local git repository whose commits are run. */
    repoPath: t.string,
    /** The argv prefix of the experiment, e.g. `[process.execPath, "/abs/cli.js"]`; the experiment's argv follows. */
    command: t.readonlyArray(t.string),
  }),
  t.partial({
    /** Per-run deadline; the process group is killed when it passes. Default 30 minutes. */
    timeoutMs: PositiveInt,
    /** Time between SIGTERM and SIGKILL on cancel or deadline. Default 5000. */
    killGraceMs: PositiveInt,
    /** Extra variable names passed from the env source; credential-like names are refused. */
    extraEnv: t.readonlyArray(t.string),
    /** When set, `git fetch <remote> refs/pull/N/head` runs before the checkout (SECURITY-CHECKLIST 11). */
    fetchPullRefs: t.type({ remote: RemoteName }),
    /** Give the experiment an empty HOME of its own instead of the parent's. Default true. */
    isolateHome: t.boolean,
    /** Where temporary worktrees and results go. Default the OS temp directory. */
    tmpDir: t.string,
    /**
     * How PR code is isolated: `bubblewrap` (default; refused with one line where no sandbox can
     * be made and this process holds credentials) or `none`, the explicit opt-out shown in reports.
     */
    isolation: t.keyof({ bubblewrap: null, none: null }),
    /** The bubblewrap program, a path or a name looked up on PATH. Default `bwrap`. */
    bwrapPath: t.string,
    /** Give the sandbox the host's network. Default false; shown in the report when on. */
    network: t.boolean,
    /** Absolute host paths mounted read-only into the sandbox (toolchains outside /usr). */
    mounts: t.readonlyArray(t.string),
    /**
     * An absolute directory where each succeeded run's `result.json` and images are kept (in
     * `<dir>/<run id>/`); the report names it. Default: none, the checkout is removed with them.
     */
    keepArtifactsIn: t.string,
    /** Log tail kept per run. Defaults 200 lines, 64 KiB. */
    logTailLines: PositiveInt,
    logTailBytes: PositiveInt,
  }),
]);
export type LocalRunnerConfig = t.TypeOf<typeof LocalRunnerConfig>;

/** @internal */
export type ResolvedLocalRunnerConfig = Required<
  Omit<LocalRunnerConfig, "fetchPullRefs" | "tmpDir" | "keepArtifactsIn">
> & {
  readonly fetchPullRefs: { readonly remote: string } | undefined;
  readonly tmpDir: string | undefined;
  readonly keepArtifactsIn: string | undefined;
};

/**
 * Defaults merged under a user config.
 *
 * @example
 * LOCAL_RUNNER_DEFAULTS.timeoutMs; // 1800000 (30 minutes)
 */
export const LOCAL_RUNNER_DEFAULTS = {
  timeoutMs: 30 * 60 * 1000,
  killGraceMs: 5000,
  extraEnv: [] as ReadonlyArray<string>,
  isolateHome: true,
  logTailLines: 200,
  logTailBytes: 64 * 1024,
  isolation: "bubblewrap",
  bwrapPath: "bwrap",
  network: false,
  mounts: [] as ReadonlyArray<string>,
} as const;

const usage =
  'usage: createLocalRunner({ experiments }, { repoPath: "/abs/repo", command: [process.execPath, "/abs/cli.js"] })';

/**
 * Decodes and checks a runner config, merged over the defaults. Throws with every problem named.
 *
 * @internal
 * @example
 * resolveLocalRunnerConfig({ repoPath: "/srv/repo", command: ["/usr/bin/node", "/srv/cli.js"] }).timeoutMs; // 1800000
 */
export const resolveLocalRunnerConfig = (input: unknown): ResolvedLocalRunnerConfig => {
  const decoded = LocalRunnerConfig.decode(input);
  if (E.isLeft(decoded)) {
    throw new Error(`invalid local runner config: ${PathReporter.report(decoded).join("; ")}. ${usage}`);
  }
  const c = decoded.right;
  const problems: string[] = [];
  if (!isAbsolute(c.repoPath)) problems.push(`repoPath must be absolute, got ${JSON.stringify(c.repoPath)}`);
  if (c.command.length === 0) problems.push("command must name at least the program to run");
  for (const name of c.extraEnv ?? []) {
    const why = forbiddenEnvName(name);
    if (why !== undefined) problems.push(`extraEnv: ${why}`);
  }
  for (const [i, m] of (c.mounts ?? []).entries()) {
    const problem = mountPathProblem(m);
    if (problem !== undefined) problems.push(`mounts[${i}]: ${problem}`);
  }
  if (c.keepArtifactsIn !== undefined && !isAbsolute(c.keepArtifactsIn))
    problems.push(`keepArtifactsIn must be absolute, got ${JSON.stringify(c.keepArtifactsIn)}`);
  if (problems.length > 0) throw new Error(`invalid local runner config: ${problems.join("; ")}. ${usage}`);
  return {
    repoPath: c.repoPath,
    command: c.command,
    timeoutMs: c.timeoutMs ?? LOCAL_RUNNER_DEFAULTS.timeoutMs,
    killGraceMs: c.killGraceMs ?? LOCAL_RUNNER_DEFAULTS.killGraceMs,
    extraEnv: c.extraEnv ?? LOCAL_RUNNER_DEFAULTS.extraEnv,
    isolateHome: c.isolateHome ?? LOCAL_RUNNER_DEFAULTS.isolateHome,
    logTailLines: c.logTailLines ?? LOCAL_RUNNER_DEFAULTS.logTailLines,
    logTailBytes: c.logTailBytes ?? LOCAL_RUNNER_DEFAULTS.logTailBytes,
    isolation: c.isolation ?? LOCAL_RUNNER_DEFAULTS.isolation,
    bwrapPath: c.bwrapPath ?? LOCAL_RUNNER_DEFAULTS.bwrapPath,
    network: c.network ?? LOCAL_RUNNER_DEFAULTS.network,
    mounts: c.mounts ?? LOCAL_RUNNER_DEFAULTS.mounts,
    fetchPullRefs: c.fetchPullRefs,
    tmpDir: c.tmpDir,
    keepArtifactsIn: c.keepArtifactsIn,
  };
};
