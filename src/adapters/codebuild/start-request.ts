/**
 * What the runner sends to StartBuild: the request built from a run request and the config, the
 * idempotency token that makes a retried StartBuild harmless, and the console link of a build.
 */
import type { StartBuildCommandInput } from "@aws-sdk/client-codebuild";
import * as E from "fp-ts/Either";
import { createHash } from "node:crypto";
import type { RunnerError } from "../../core/errors.js";
import { runRejected } from "../../core/errors.js";
import { encodeJobSpec, type JobFor } from "../../core/job-spec.js";
import type { RunRequest } from "../../core/model.js";
import { Sha, runKeyId } from "../../core/model.js";
import type { CodeBuildBuild } from "./build-status.js";
import type { ResolvedCodeBuildConfig } from "./config.js";
import { toEnvironmentOverrides } from "./env-vars.js";

/**
 * The idempotency token of a run: stable for one approval, so a retried StartBuild cannot start
 * a second build (check 51).
 *
 * @example
 * idempotencyTokenOf(req); // 64 hex characters, the same for the same run key and approval
 * @internal */
export const idempotencyTokenOf = (req: RunRequest): string =>
  createHash("sha256")
    .update(`ml-chatops\n${runKeyId(req.runKey)}\n${req.approvalId}`)
    .digest("hex");

/**
 * The StartBuild input for a run, or why the run is refused before anything is sent: a pinned
 * commit that is not a full SHA, a job that cannot be built, or a parameter that cannot become
 * an environment variable.
 *
 * @example
 * toStartBuildInput(req, resolveCodeBuildConfig({ projectName: "ml-chatops" }), undefined);
 * // Right({ projectName: "ml-chatops", sourceVersion: req.pinnedSha, idempotencyToken: …, … })
 * @internal */
export const toStartBuildInput = (
  req: RunRequest,
  config: ResolvedCodeBuildConfig,
  jobFor: JobFor | undefined,
): E.Either<RunnerError, StartBuildCommandInput> => {
  if (!Sha.is(req.pinnedSha))
    return E.left(runRejected("the pinned commit must be a full 40-hex SHA (never a branch or pr/N)"));
  const job = jobFor?.(req);
  if (job !== undefined && E.isLeft(job)) return E.left(runRejected(`the job of ${req.experimentId}: ${job.left}`));
  const env = toEnvironmentOverrides(
    req,
    config.paramEnvPrefix,
    config.projectEnvNames,
    job === undefined ? undefined : encodeJobSpec(job.right),
  );
  if (E.isLeft(env)) return E.left(env.left);
  return E.right({
    projectName: config.projectName,
    sourceVersion: req.pinnedSha,
    environmentVariablesOverride: [...env.right],
    idempotencyToken: idempotencyTokenOf(req),
    timeoutInMinutesOverride: config.timeoutInMinutes,
    queuedTimeoutInMinutesOverride: config.queuedTimeoutInMinutes,
    ...(config.imageOverride === undefined ? {} : { imageOverride: config.imageOverride }),
    // The config keeps the compute type a plain string so new CodeBuild sizes need no release of ours.
    ...(config.computeTypeOverride === undefined ? {} : { computeTypeOverride: config.computeTypeOverride as never }),
    ...(config.buildspecOverride === undefined ? {} : { buildspecOverride: config.buildspecOverride }),
  });
};

/**
 * A console link for a build, from its ARN; the log's deep link when the ARN is not a CodeBuild one.
 *
 * @example
 * consoleUrlOf({ id: "p:1", arn: "arn:aws:codebuild:us-east-1:123456789012:build/p:1" }, "p");
 * // "https://us-east-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/p/build/p%3A1/?region=us-east-1"
 * @internal */
export const consoleUrlOf = (b: CodeBuildBuild, project: string): string | undefined => {
  const m = /^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):(\d{12}):build\//.exec(b.arn ?? "");
  if (!m) return b.logs?.deepLink;
  return `https://${m[1]}.console.aws.amazon.com/codesuite/codebuild/${m[2]}/projects/${encodeURIComponent(project)}/build/${encodeURIComponent(b.id)}/?region=${m[1]}`;
};
