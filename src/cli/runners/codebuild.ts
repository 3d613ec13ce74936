/**
 * `--runner codebuild`: builds the CodeBuild runner from the environment and the repository
 * config's `runner.settings`, and stops running builds when the process gets SIGINT/SIGTERM.
 *
 * Environment: `ML_CHATOPS_CODEBUILD_PROJECT` (or `runner.settings.projectName`), `AWS_REGION`
 * (set by aws-actions/configure-aws-credentials), AWS credentials from the SDK's default chain.
 * `ML_CHATOPS_CODEBUILD_ENDPOINT` / `ML_CHATOPS_LOGS_ENDPOINT` point the clients elsewhere
 * (VPC endpoints, tests).
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { createCodeBuildRunner } from "../../adapters/codebuild/index.js";
import type { JobFor, Logger, Runner, RunHandle } from "../../index.js";

/** The part of the registry's RunnerContext this factory reads (kept structural: no import cycle). */
export type CodeBuildFactoryContext = {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  readonly job?: JobFor | undefined;
};

// Settings a repository config may set (default branch only); never taken from a comment.
const SETTING_KEYS = [
  "imageOverride",
  "computeTypeOverride",
  "buildspecOverride",
  "timeoutInMinutes",
  "queuedTimeoutInMinutes",
  "paramEnvPrefix",
  "projectEnvNames",
  "poll",
  "notFoundRetries",
  "startAttempts",
  "deadlineMarginMs",
  "logTailLines",
] as const;

/** Subscribes a handler to termination signals; returns the unsubscribe function. */
export type OnSignal = (handler: (signal: string) => void) => () => void;

const processSignals: OnSignal = (handler) => {
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
};

/**
 * Wraps a runner so that a termination signal stops every run it started that has not ended
 * (StopBuild), then exits with 128 + the signal number. Detached runs end the process normally
 * and are left running on purpose.
 *
 * @example
 * const runner = withCancelOnSignals(createCodeBuildRunner(deps, config), processSignals, (code) => process.exit(code));
 */
export const withCancelOnSignals = (runner: Runner, onSignal: OnSignal, exit: (code: number) => void): Runner => {
  const active = new Map<string, RunHandle>();
  let unsubscribe: (() => void) | undefined;
  const handler = (signal: string): void => {
    const handles = [...active.values()];
    void Promise.all(handles.map((h) => runner.cancel(h)())).then(() => exit(signal === "SIGINT" ? 130 : 143));
  };
  const forget = (h: RunHandle): void => {
    active.delete(h.id);
    if (active.size === 0 && unsubscribe !== undefined) {
      unsubscribe();
      unsubscribe = undefined;
    }
  };
  return {
    ...runner,
    start: (req) =>
      pipe(
        runner.start(req),
        TE.tap((h) =>
          TE.fromIO(() => {
            active.set(h.id, h);
            unsubscribe ??= onSignal(handler);
          }),
        ),
      ),
    status: (h) =>
      pipe(
        runner.status(h),
        TE.tap((s) => TE.fromIO(() => (s.state === "queued" || s.state === "running" ? undefined : forget(h)))),
      ),
    cancel: (h) =>
      pipe(
        runner.cancel(h),
        TE.tap(() => TE.fromIO(() => forget(h))),
      ),
  };
};

const pickSettings = (settings: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(SETTING_KEYS.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]]));

/** SDK client options from the CLI's environment. */
const clientOptions = (env: CodeBuildFactoryContext["env"], endpointVar: string) => {
  const region = env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"];
  if (region === undefined || region === "")
    throw new Error("AWS_REGION is not set (aws-actions/configure-aws-credentials sets it)");
  const endpoint = env[endpointVar];
  const id = env["AWS_ACCESS_KEY_ID"];
  const secret = env["AWS_SECRET_ACCESS_KEY"];
  const token = env["AWS_SESSION_TOKEN"];
  return {
    region,
    ...(endpoint === undefined || endpoint === "" ? {} : { endpoint }),
    // The io's env is the process env in production; passing it on keeps in-process tests honest.
    ...(id && secret
      ? { credentials: { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } }
      : {}),
  };
};

/**
 * The `codebuild` entry of the CLI's runner registry.
 *
 * @example
 * RUNNERS.codebuild({ flags: {}, env: process.env, cwd, experiments, settings: {}, logger });
 */
export const createCodeBuildRunnerFromEnv =
  (onSignal: OnSignal = processSignals, exit: (code: number) => void = (code) => process.exit(code)) =>
  (ctx: CodeBuildFactoryContext): Runner => {
    const project =
      ctx.env["ML_CHATOPS_CODEBUILD_PROJECT"] ||
      (typeof ctx.settings["projectName"] === "string" ? ctx.settings["projectName"] : "");
    if (project === "")
      throw new Error(
        "set ML_CHATOPS_CODEBUILD_PROJECT (or runner.settings.projectName) to the CodeBuild project name",
      );
    const codebuild = new CodeBuildClient(clientOptions(ctx.env, "ML_CHATOPS_CODEBUILD_ENDPOINT"));
    const logs = new CloudWatchLogsClient(clientOptions(ctx.env, "ML_CHATOPS_LOGS_ENDPOINT"));
    const runner = createCodeBuildRunner(
      { codebuild, logs, logger: ctx.logger, job: ctx.job },
      { ...pickSettings(ctx.settings), projectName: project },
    );
    return withCancelOnSignals(runner, onSignal, exit);
  };

/** The registry row: `codebuild: codebuildRunner`. */
export const codebuildRunner: (ctx: CodeBuildFactoryContext) => Runner = createCodeBuildRunnerFromEnv();
