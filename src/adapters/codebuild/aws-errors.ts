/**
 * Translates AWS SDK failures into RunnerError at the edge, by the error's `name` and
 * `$metadata.httpStatusCode` (never `instanceof` across packages).
 */
import type { RunnerError } from "../../core/errors.js";
import { rateLimited, resultInvalid, runNotFound, runRejected, runnerUnavailable } from "../../core/errors.js";

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ThrottledException",
]);
const FORBIDDEN = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "MissingAuthenticationTokenException",
]);

/** Name, HTTP status and message of whatever the SDK threw. @internal */
export type AwsFailure = { readonly name: string; readonly status: number | undefined; readonly message: string };

/**
 * Reads the parts of an SDK error we dispatch on.
 *
 * @example
 * awsFailure(e); // { name: "ThrottlingException", status: 400, message: "Rate exceeded" }
 * @internal */
export const awsFailure = (e: unknown): AwsFailure => {
  if (typeof e !== "object" || e === null) return { name: "Unknown", status: undefined, message: String(e) };
  const r = e as {
    readonly name?: unknown;
    readonly message?: unknown;
    readonly $metadata?: { readonly httpStatusCode?: unknown };
  };
  const status = r.$metadata?.httpStatusCode;
  return {
    name: typeof r.name === "string" ? r.name : "Unknown",
    status: typeof status === "number" ? status : undefined,
    message: typeof r.message === "string" ? (r.message.split("\n")[0] ?? "") : "",
  };
};

/** True for the errors AWS uses to say "slow down". @internal */
export const isThrottling = (f: AwsFailure): boolean => THROTTLING.has(f.name) || f.status === 429;

/**
 * Maps an SDK error of `operation` to a RunnerError.
 *
 * @example
 * fromAwsError("StartBuild")(e); // { _tag: "RateLimited", retryAfterMs: 1000 }
 * @internal */
export const fromAwsError =
  (operation: string, throttleRetryMs = 1_000) =>
  (e: unknown): RunnerError => {
    const f = awsFailure(e);
    if (isThrottling(f)) return rateLimited(throttleRetryMs);
    switch (f.name) {
      case "AccountLimitExceededException":
        // Not retried in a tight loop: the approval stays re-triable (check 52).
        return runRejected(`runner at capacity: ${f.message || "CodeBuild concurrent build limit reached"}`);
      case "InvalidInputException":
      case "InvalidParameterException":
        return runRejected(`CodeBuild refused ${operation}: ${f.message}`);
      case "ResourceNotFoundException":
        return operation === "StartBuild"
          ? runRejected(`CodeBuild ${operation}: ${f.message}`)
          : runNotFound(f.message || operation);
    }
    if (FORBIDDEN.has(f.name) || f.status === 401 || f.status === 403) {
      return runnerUnavailable("codebuild", `${operation} not permitted (${f.name}): ${f.message}`);
    }
    return runnerUnavailable(
      "codebuild",
      `${operation} failed (${f.name}${f.status === undefined ? "" : `, HTTP ${f.status}`}): ${f.message}`,
    );
  };

const S3_MISSING = new Set(["NoSuchKey", "NoSuchBucket", "NotFound"]);
const S3_THROTTLING = new Set(["SlowDown", "ServiceUnavailable"]);

/**
 * Maps an S3 error of reading the result artifact: a missing object or bucket is a failed run
 * (ResultInvalid); throttling is RateLimited; a refusal or anything else leaves the runner unavailable.
 *
 * @example
 * fromS3Error("s3://bucket/key")(e); // { _tag: "ResultInvalid", detail: "no result artifact at s3://bucket/key (NoSuchKey)…" }
 * @internal */
export const fromS3Error =
  (what: string, throttleRetryMs = 1_000) =>
  (e: unknown): RunnerError => {
    const f = awsFailure(e);
    if (isThrottling(f) || S3_THROTTLING.has(f.name) || f.status === 503) return rateLimited(throttleRetryMs);
    if (S3_MISSING.has(f.name) || f.status === 404) {
      return resultInvalid(
        `no result artifact at ${what} (${f.name}): did the build write it, and is the project's artifact type S3 with packaging NONE?`,
      );
    }
    if (FORBIDDEN.has(f.name) || f.name === "AccessDenied" || f.status === 401 || f.status === 403) {
      return runnerUnavailable("codebuild", `GetObject ${what} not permitted (${f.name}): ${f.message}`);
    }
    return runnerUnavailable(
      "codebuild",
      `GetObject ${what} failed (${f.name}${f.status === undefined ? "" : `, HTTP ${f.status}`}): ${f.message}`,
    );
  };
