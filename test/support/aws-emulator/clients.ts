/**
 * The real AWS SDK clients, pointed at the emulator with static test credentials and a retry
 * strategy that keeps the SDK's retry decisions (which errors, how many attempts) but waits 0 ms.
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { S3Client } from "@aws-sdk/client-s3";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { TEST_CREDENTIALS, TEST_REGION } from "./server.js";

export type SdkClients = { readonly codebuild: CodeBuildClient; readonly logs: CloudWatchLogsClient };

/**
 * Builds both clients. `sdkAttempts` is the SDK's own attempt budget (3 is its default).
 *
 * @example
 * const { codebuild, logs } = createEmulatorClients(aws.endpoint);
 */
export const createEmulatorClients = (endpoint: string, sdkAttempts = 3): SdkClients => {
  const common = {
    endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(sdkAttempts, 0),
  };
  return { codebuild: new CodeBuildClient(common), logs: new CloudWatchLogsClient(common) };
};

/** Releases the clients' sockets. */
export const destroyClients = (c: SdkClients): void => {
  c.codebuild.destroy();
  c.logs.destroy();
};

/**
 * An S3 client for the emulator: path-style (`/{bucket}/{key}`), so no bucket subdomains.
 *
 * @example
 * const s3 = createEmulatorS3Client(aws.endpoint);
 */
export const createEmulatorS3Client = (endpoint: string, sdkAttempts = 3): S3Client =>
  new S3Client({
    endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
    retryStrategy: new ConfiguredRetryStrategy(sdkAttempts, 0),
  });
