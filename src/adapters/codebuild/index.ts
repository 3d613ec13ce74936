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
export { createCodeBuildRunner } from "./runner.js";
export type { CodeBuildRunner, CodeBuildRunnerDeps } from "./runner.js";
export { CodeBuildRunnerConfig, DEFAULT_CODEBUILD_CONFIG } from "./config.js";
export type { ResultArtifactConfig } from "./config.js";
// What an experiment's build prints so the runner finds its result in the log (`ml-chatops emit-result`).
export { encodeResultMarkers } from "./result-marker.js";
