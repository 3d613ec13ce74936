/**
 * Runner registry for the CLI: `--runner <kind>` → a Runner built from flags and environment.
 * Other runners register with one row in `RUNNERS`.
 */
import * as E from "fp-ts/Either";
import { createLocalRunner } from "../../adapters/local/index.js";
import { codebuildRunner } from "./codebuild.js";
import { createArgoCliRunner } from "./argo.js";
import { createGitHubActionsCliRunner } from "./github-actions.js";
import type { JobFor } from "../../core/job-spec.js";
import type { Experiment, Logger, Runner } from "../../core/ports.js";

/** What a runner factory may read. */
export type RunnerContext = {
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly experiments: ReadonlyArray<Experiment>;
  /** Settings from the repository config's `runner.settings` (default branch). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  /** The job `ml-chatops exec` runs, built from the default branch's declaration; remote runners send it. */
  readonly job?: JobFor | undefined;
};

/** Builds a runner; throws with a one-line message when its settings are unusable. */
export type RunnerFactory = (ctx: RunnerContext) => Runner;

/** The command that runs our own CLI again (for the experiment inside the worktree). */
const selfCommand = (): ReadonlyArray<string> => [process.execPath, ...process.execArgv, process.argv[1] ?? "ml-chatops"];

const pick = (from: Readonly<Record<string, unknown>>, keys: ReadonlyArray<string>): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

const local: RunnerFactory = (ctx) =>
  createLocalRunner(
    { experiments: ctx.experiments, env: ctx.env, logger: ctx.logger },
    {
      // In Actions the job's checkout; the runner adds a worktree at the pinned SHA.
      repoPath: ctx.env["GITHUB_WORKSPACE"] ?? ctx.cwd,
      command: selfCommand(),
      ...(ctx.flags["fetch-remote"] === undefined ? {} : { fetchPullRefs: { remote: String(ctx.flags["fetch-remote"]) } }),
      ...(typeof ctx.settings["timeoutMs"] === "number" ? { timeoutMs: ctx.settings["timeoutMs"] } : {}),
      // Sandbox settings pass through as given; the runner's config codec names a bad one.
      ...pick(ctx.settings, ["isolation", "network", "mounts", "bwrapPath"]),
    },
  );

/**
 * Every runner kind the CLI can build. Adding one is one row.
 *
 * @example
 * Object.keys(RUNNERS); // ["local"]
 */
export const RUNNERS: Readonly<Record<string, RunnerFactory>> = {
  local,
  codebuild: codebuildRunner,
  argo: createArgoCliRunner,
  "github-actions": createGitHubActionsCliRunner,
};

/**
 * Builds the runner named `kind`, or explains why not.
 *
 * @example
 * createRunner("local", ctx); // Right(runner)
 */
export const createRunner = (kind: string, ctx: RunnerContext): E.Either<string, Runner> => {
  const factory = Object.hasOwn(RUNNERS, kind) ? RUNNERS[kind] : undefined;
  if (factory === undefined) return E.left(`unknown runner ${JSON.stringify(kind.slice(0, 50))}; known: ${Object.keys(RUNNERS).join(", ")}`);
  try {
    return E.right(factory(ctx));
  } catch (e) {
    return E.left(`runner ${kind}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}`);
  }
};
