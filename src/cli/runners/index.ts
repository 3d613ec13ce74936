/**
 * Runner registry for the CLI: `--runner <kind>` → a Runner built from flags and environment.
 * Other runners register with one row in `RUNNERS`.
 */
import * as E from "fp-ts/Either";
import { createLocalRunner } from "../../adapters/local/index.js";
import { missingPackageLine, missingPackageOf } from "../missing-package.js";
import { createArgoCliRunner } from "./argo.js";
import { createGitHubActionsCliRunner } from "./github-actions.js";
import type { Experiment, JobFor, Logger, Runner } from "../../index.js";

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

/** Builds a runner; throws (or rejects) with a one-line message when its settings are unusable. */
export type RunnerFactory = (ctx: RunnerContext) => Runner | Promise<Runner>;

/** Optional packages a runner needs, installed by the user next to ml-chatops. */
const RUNNER_PACKAGES: Readonly<Record<string, ReadonlyArray<string>>> = {
  codebuild: ["@aws-sdk/client-codebuild", "@aws-sdk/client-cloudwatch-logs"],
};

// Loaded on use: without the AWS SDK every other runner still works.
const codebuild: RunnerFactory = async (ctx) => (await import("./codebuild.js")).codebuildRunner(ctx);

/** The command that runs our own CLI again (for the experiment inside the worktree). */
const selfCommand = (): ReadonlyArray<string> => [
  process.execPath,
  ...process.execArgv,
  process.argv[1] ?? "ml-chatops",
];

const pick = (from: Readonly<Record<string, unknown>>, keys: ReadonlyArray<string>): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

const local: RunnerFactory = (ctx) =>
  createLocalRunner(
    { experiments: ctx.experiments, env: ctx.env, logger: ctx.logger },
    {
      // In Actions the job's checkout; the runner adds a worktree at the pinned SHA.
      repoPath: ctx.env["GITHUB_WORKSPACE"] ?? ctx.cwd,
      command: selfCommand(),
      ...(ctx.flags["fetch-remote"] === undefined
        ? {}
        : { fetchPullRefs: { remote: String(ctx.flags["fetch-remote"]) } }),
      ...(typeof ctx.settings["timeoutMs"] === "number" ? { timeoutMs: ctx.settings["timeoutMs"] } : {}),
      // Sandbox settings pass through as given; the runner's config codec names a bad one.
      ...pick(ctx.settings, ["isolation", "network", "mounts", "bwrapPath", "keepArtifactsIn"]),
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
  codebuild,
  argo: createArgoCliRunner,
  "github-actions": createGitHubActionsCliRunner,
};

/** Why a runner could not be built: bad settings, or an optional package that is not installed. */
export type RunnerSetupError = {
  readonly _tag: "RunnerSettingsInvalid" | "RunnerPackageMissing";
  readonly detail: string;
};

/**
 * Builds the runner named `kind`, or explains in one line why not.
 *
 * @example
 * await createRunner("local", ctx); // Right(runner)
 * await createRunner("codebuild", ctx); // Left({ _tag: "RunnerPackageMissing", detail: "the codebuild runner needs @aws-sdk/client-codebuild, …" })
 */
export const createRunner = async (kind: string, ctx: RunnerContext): Promise<E.Either<RunnerSetupError, Runner>> => {
  const factory = Object.hasOwn(RUNNERS, kind) ? RUNNERS[kind] : undefined;
  if (factory === undefined)
    return E.left({
      _tag: "RunnerSettingsInvalid",
      detail: `unknown runner ${JSON.stringify(kind.slice(0, 50))}; known: ${Object.keys(RUNNERS).join(", ")}`,
    });
  try {
    return E.right(await factory(ctx));
  } catch (e) {
    const pkg = missingPackageOf(e);
    if (pkg !== undefined)
      return E.left({
        _tag: "RunnerPackageMissing",
        detail: missingPackageLine(`the ${kind} runner`, pkg, RUNNER_PACKAGES[kind]),
      });
    return E.left({
      _tag: "RunnerSettingsInvalid",
      detail: `runner ${kind}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}`,
    });
  }
};
