/**
 * AWS CodeBuild runner: `createCodeBuildRunner({ codebuild, logs }, config)` runs an experiment
 * as a CodeBuild build at the pinned commit and reads its result from the build log, or from an
 * S3 output artifact with `resultArtifact: { path }` and an `s3` client.
 *
 * @example
 * import { CodeBuildClient } from "@aws-sdk/client-codebuild";
 * import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
 * import { createCodeBuildRunner } from "ml-chatops/adapters/codebuild";
 * const runner = createCodeBuildRunner(
 *   { codebuild: new CodeBuildClient({ region: "us-east-1" }), logs: new CloudWatchLogsClient({ region: "us-east-1" }) },
 *   { projectName: "ml-chatops" },
 * );
 */
export { createCodeBuildRunner, idempotencyTokenOf } from "./runner.js";
export type { CodeBuildRunner, CodeBuildRunnerDeps } from "./runner.js";
export { parseArtifactLocation, artifactKey, readArtifactResult } from "./s3-result.js";
export type { ArtifactLocation } from "./s3-result.js";
export {
  CodeBuildRunnerConfig,
  ResultArtifactConfig,
  DEFAULT_CODEBUILD_CONFIG,
  resolveCodeBuildConfig,
  deadlineMsOf,
} from "./config.js";
export type { ResolvedCodeBuildConfig } from "./config.js";
export { toRunStatus, isBuildComplete, CodeBuildBuild } from "./build-status.js";
export { toEnvironmentOverrides, reservedReason, paramEnvName, RUNNER_ENV } from "./env-vars.js";
export type { PlainEnvVar } from "./env-vars.js";
export { encodeResultMarkers, decodeResultMarkers, RESULT_MARKER } from "./result-marker.js";
export { fromAwsError, fromS3Error } from "./aws-errors.js";
